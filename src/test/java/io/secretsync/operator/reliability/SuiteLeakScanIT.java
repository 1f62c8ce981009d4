package io.secretsync.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs after the whole unit and integration test suite (failsafe, mvn verify): every source Secret
 * the tests created carried a canary value, and the operator logged at DEBUG into
 * target/operator-test.log (each application start rotates it, every rotation is kept). Not one
 * canary, in clear text or base64, may appear in any of those logs. Events, status and metrics are
 * scanned by the tests that produce them, while their API server is still up.
 */
class SuiteLeakScanIT {
    static final Path TARGET = Path.of(System.getProperty("project.basedir", ".")).resolve("target");

    @Test
    void noCanaryInAnythingTheOperatorLoggedDuringTheSuite() throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(TARGET)) {
            logs = files.filter(p -> p.getFileName().toString().startsWith("operator-test.log")
                    || p.getFileName().toString().startsWith("kill-restart-")).sorted().toList();
        }
        assertThat(logs).as("operator logs of the test suite").isNotEmpty();
        long debugLines = 0;
        for (Path log : logs) {
            String text = Files.readString(log);
            Canary.assertAbsent(log.getFileName().toString(), text);
            debugLines += text.lines().filter(l -> l.contains("DEBUG") && l.contains("io.secretsync")).count();
        }
        assertThat(debugLines).as("the scanned logs hold the operator's DEBUG output").isPositive();
    }
}
