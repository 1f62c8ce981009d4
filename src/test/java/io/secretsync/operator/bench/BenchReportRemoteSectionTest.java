package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The remote clusters' section (-Dbench.server=real-remote) is spliced like the real API server's:
 * a remote run replaces only it, after the real API server's section and before the native
 * executable's; the other runs keep it.
 */
class BenchReportRemoteSectionTest {
    private static final String MOCK = "# Benchmarks\n\nmock\n\n## Notes\n\n- n\n";
    private static final String REAL = "\n## Real API server\n\n### Curve\n\nreal\n";
    private static final String NATIVE = "\n## Native executable\n\nnative\n\n## Native executable on the real API server\n\nnr\n";

    @Test
    void goesAfterTheRealServerSectionAndBeforeTheNativeOneAndReplacesItsOldSelf() {
        String first = BenchReport.withRemoteClustersSection(MOCK + REAL + NATIVE,
                "## Remote clusters (real API servers)\n\n### Against the goals\n\nv1\n");
        assertThat(first).isEqualTo(MOCK + REAL + "\n## Remote clusters (real API servers)\n\n### Against the goals\n\nv1\n"
                + NATIVE);
        String second = BenchReport.withRemoteClustersSection(first, "## Remote clusters (real API servers)\n\nv2\n");
        assertThat(second).isEqualTo(MOCK + REAL + "\n## Remote clusters (real API servers)\n\nv2\n" + NATIVE);
        assertThat(BenchReport.remoteClustersSection(second)).isEqualTo("\n## Remote clusters (real API servers)\n\nv2\n\n");
        assertThat(BenchReport.realServerSection(second)).isEqualTo(REAL + "\n");
        assertThat(BenchReport.nativeSection(second)).isEqualTo(NATIVE);
    }

    @Test
    void goesAtTheEndWithoutANativeSection() {
        assertThat(BenchReport.withRemoteClustersSection(MOCK, "## Remote clusters (real API servers)\n\nv\n"))
                .isEqualTo(MOCK + "\n## Remote clusters (real API servers)\n\nv\n");
        assertThat(BenchReport.remoteClustersSection(MOCK + REAL)).isEmpty();
    }

    @Test
    void aRealServerRunKeepsItAndStaysBeforeIt() {
        String remote = "\n## Remote clusters (real API servers)\n\nremote\n";
        String md = MOCK + REAL + remote + NATIVE;
        assertThat(BenchReport.withRealServerSection(md, "## Real API server\n\nv2\n"))
                .isEqualTo(MOCK + "\n## Real API server\n\nv2\n" + remote + NATIVE);
        assertThat(BenchReport.withRealServerSection(MOCK + remote + NATIVE, "## Real API server\n\nv3\n"))
                .as("a first real run: before the remote section").isEqualTo(MOCK + "\n## Real API server\n\nv3\n" + remote
                        + NATIVE);
    }

    @Test
    void aMockRunKeepsItBetweenTheRealAndNativeSections() {
        String remote = "\n## Remote clusters (real API servers)\n\nremote\n";
        String old = MOCK + REAL + remote + NATIVE;
        String rewritten = "# Benchmarks\n\nnew mock\n" + BenchReport.realServerSection(old)
                + BenchReport.remoteClustersSection(old) + BenchReport.nativeSection(old);
        assertThat(rewritten).isEqualTo("# Benchmarks\n\nnew mock\n" + REAL + "\n" + remote + "\n" + NATIVE);
    }
}
