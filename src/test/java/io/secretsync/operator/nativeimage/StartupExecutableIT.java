package io.secretsync.operator.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.secretsync.operator.testsupport.OperatorArtifact;

/**
 * The native executable's start-up and memory on the demo/mock path ({@link StartupMeasurement}),
 * with the memory flags the native image ships ({@link #SHIPPED_FLAGS}, as Dockerfile.native, the
 * chart and the CSV pass them), three starts. Writes the figures to
 * target/native-check/startup.md (the row BENCHMARKS.md carries) and fails only on a gross
 * regression (the build machines are shared, so the goals themselves are read from the figures,
 * not asserted): ready within 5 s, resident set under 256 MiB.
 */
class StartupExecutableIT {
    /** The native image's memory flags; NativeImagePackagingTest keeps the image and manifests in step. */
    static final List<String> SHIPPED_FLAGS = NativeImageFlags.FLAGS;

    @Test
    void startsQuicklyAndSmallOnTheDemoAndEndsOnSigterm(@TempDir Path home) throws Exception {
        OperatorArtifact executable = OperatorArtifact.nativeExecutable();
        List<StartupMeasurement.Run> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path runHome = Files.createDirectories(home.resolve("run" + i));
            runs.add(StartupMeasurement.measure(executable, SHIPPED_FLAGS, runHome));
        }
        String row = StartupMeasurement.row(executable.describe(), SHIPPED_FLAGS, runs);
        Path report = OperatorArtifact.projectDir().resolve("target/native-check/startup.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, row + "\n" + runs.stream().map(Object::toString).reduce("", (a, b) -> a + b + "\n"));
        System.out.println(row);
        for (StartupMeasurement.Run r : runs) {
            assertThat(r.readySeconds()).as("exec to ready, s; %s", row).isLessThan(5);
            assertThat(r.rssBytes()).as("resident set after converging; %s", row).isLessThan(256L << 20);
        }
    }
}
