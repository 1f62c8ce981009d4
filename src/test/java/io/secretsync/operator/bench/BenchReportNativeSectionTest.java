package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A benchmark run rewrites BENCHMARKS.md but keeps the sections measured apart: the native
 * executable's, and the real API server's (a mock run keeps it; a real run replaces only it).
 */
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

    @Test
    void theRealServerSectionGoesBeforeTheNativeOneAndReplacesItsOldSelf() {
        String mock = "# Benchmarks\n\nmock\n\n## Notes\n\n- n\n";
        String nat = "\n## Native executable\n\nnative\n";
        String first = BenchReport.withRealServerSection(mock + nat, "## Real API server\n\n### Curve\n\nv1\n");
        assertThat(first).isEqualTo(mock + "\n## Real API server\n\n### Curve\n\nv1\n" + nat);
        String second = BenchReport.withRealServerSection(first, "## Real API server\n\nv2\n");
        assertThat(second).isEqualTo(mock + "\n## Real API server\n\nv2\n" + nat);
        assertThat(BenchReport.realServerSection(second)).isEqualTo("\n## Real API server\n\nv2\n\n");
        assertThat(BenchReport.withRealServerSection(mock, "## Real API server\n\nv3\n"))
                .isEqualTo(mock + "\n## Real API server\n\nv3\n");
    }
}
