package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A benchmark run rewrites BENCHMARKS.md but keeps the native executable's section, measured apart. */
class BenchReportNativeSectionTest {

    @Test
    void keepsTheNativeSectionUpToTheNextHeading() {
        String md = "# Benchmarks\n\n| 1 | x |\n\n## Native executable\n\n| native | 0.1 s |\n\n## Notes\n\n- n\n";
        assertThat(BenchReport.nativeSection(md)).isEqualTo("\n## Native executable\n\n| native | 0.1 s |\n\n");
        assertThat(BenchReport.nativeSection("# Benchmarks\n\n## Native executable\n\nlast")).isEqualTo(
                "\n## Native executable\n\nlast\n");
        assertThat(BenchReport.nativeSection("# Benchmarks\n\n## Notes\n")).isEmpty();
    }
}
