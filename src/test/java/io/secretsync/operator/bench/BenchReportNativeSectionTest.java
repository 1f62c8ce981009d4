package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A benchmark run rewrites BENCHMARKS.md but keeps the native executable's sections, measured apart. */
class BenchReportNativeSectionTest {

    @Test
    void keepsTheNativeSectionUpToTheNextHeading() {
        String md = "# Benchmarks\n\n| 1 | x |\n\n## Native executable\n\n| native | 0.1 s |\n\n## Notes\n\n- n\n";
        assertThat(BenchReport.nativeSection(md)).isEqualTo("\n## Native executable\n\n| native | 0.1 s |\n\n");
        assertThat(BenchReport.nativeSection("# Benchmarks\n\n## Native executable\n\nlast")).isEqualTo(
                "\n## Native executable\n\nlast\n");
        assertThat(BenchReport.nativeSection("# Benchmarks\n\n## Notes\n")).isEmpty();
    }

    @Test
    void keepsTheRealServerSectionThatFollowsIt() {
        String md = "# Benchmarks\n\n## Native executable\n\ndemo\n\n## Native executable on the real API server\n\n"
                + "real\n\n## Notes\n\n- n\n";
        assertThat(BenchReport.nativeSection(md)).isEqualTo(
                "\n## Native executable\n\ndemo\n\n## Native executable on the real API server\n\nreal\n\n");
        assertThat(BenchReport.nativeSection("# B\n\n## Native executable\n\ndemo\n\n## Native executable on the real"
                + " API server\n\nreal")).isEqualTo(
                        "\n## Native executable\n\ndemo\n\n## Native executable on the real API server\n\nreal\n");
    }
}
