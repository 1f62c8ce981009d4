package io.secretsync.operator.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.secretsync.operator.testsupport.OperatorArtifact;

/**
 * {@code --help} on the packaged jar: the usage, arguments and settings, exit 0, and nothing
 * started (no demo API server, no operator). {@link HelpExecutableIT} runs the same on the native
 * executable.
 */
class HelpIT {

    OperatorArtifact artifact() {
        return OperatorArtifact.jar();
    }

    @Test
    void printsTheArgumentsAndSettingsAndStartsNothing(@TempDir Path home) throws Exception {
        for (String flag : Usage.FLAGS) {
            Path out = home.resolve("help" + flag + ".out");
            Process p = artifact().onDemo(home, List.of(), List.of(flag)).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly();
            }
            String output = Files.readString(out);
            assertThat(exited).as("%s %s exited; output:%n%s", artifact().describe(), flag, output).isTrue();
            assertThat(p.exitValue()).as("exit status of %s", flag).isZero();
            assertThat(output).isEqualTo(Usage.text())
                    .contains("--exit-after-report", "--demo", "--api-port=N", "--timeout-seconds=N",
                            "secretsync.write-concurrency", "secretsync.legacy.enabled")
                    .doesNotContain("EMBEDDED DEMO API SERVER", "Quarkus");
        }
    }
}
