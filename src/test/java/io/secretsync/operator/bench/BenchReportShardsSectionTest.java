package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The shards' section (-Dbench.server=real-shards) is spliced like the remote clusters': a shards
 * run replaces only it, after the real API server's and the remote clusters' sections and before
 * the native executable's; the other runs keep it, and every other section stays byte for byte.
 */
class BenchReportShardsSectionTest {
    private static final String MOCK = "# Benchmarks\n\nmock\n\n## Notes\n\n- n\n";
    private static final String REAL = "\n## Real API server\n\n### Curve\n\nreal\n";
    private static final String REMOTE = "\n## Remote clusters (real API servers)\n\nremote\n";
    private static final String NATIVE = "\n## Native executable\n\nnative\n\n## Native executable on the real API server\n\nnr\n";
    private static final String SHARDS = "\n## Shards (real API server)\n\nshards\n";

    @Test
    void goesAfterTheRemoteSectionAndBeforeTheNativeOneAndReplacesItsOldSelf() {
        String first = BenchReport.withShardsSection(MOCK + REAL + REMOTE + NATIVE,
                "## Shards (real API server)\n\n### Against the goals\n\nv1\n");
        assertThat(first).isEqualTo(MOCK + REAL + REMOTE + "\n## Shards (real API server)\n\n### Against the goals\n\nv1\n" + NATIVE);
        String second = BenchReport.withShardsSection(first, "## Shards (real API server)\n\nv2\n");
        assertThat(second).isEqualTo(MOCK + REAL + REMOTE + "\n## Shards (real API server)\n\nv2\n" + NATIVE);
        assertThat(BenchReport.shardsSection(second)).isEqualTo("\n## Shards (real API server)\n\nv2\n\n");
        assertThat(BenchReport.remoteClustersSection(second)).isEqualTo(REMOTE + "\n");
        assertThat(BenchReport.nativeSection(second)).isEqualTo(NATIVE);
    }

    @Test
    void goesAtTheEndWithoutANativeSection() {
        assertThat(BenchReport.withShardsSection(MOCK + REAL, "## Shards (real API server)\n\nv\n"))
                .isEqualTo(MOCK + REAL + "\n## Shards (real API server)\n\nv\n");
        assertThat(BenchReport.shardsSection(MOCK + REAL + REMOTE)).isEmpty();
    }

    @Test
    void aRealOrRemoteRunKeepsItAndStaysBeforeIt() {
        String md = MOCK + REAL + REMOTE + SHARDS + NATIVE;
        assertThat(BenchReport.withRemoteClustersSection(md, "## Remote clusters (real API servers)\n\nv2\n"))
                .isEqualTo(MOCK + REAL + "\n## Remote clusters (real API servers)\n\nv2\n" + SHARDS + NATIVE);
        assertThat(BenchReport.withRemoteClustersSection(MOCK + REAL + SHARDS + NATIVE,
                "## Remote clusters (real API servers)\n\nv3\n")).as("a first remote run: before the shards")
                .isEqualTo(MOCK + REAL + "\n## Remote clusters (real API servers)\n\nv3\n" + SHARDS + NATIVE);
        assertThat(BenchReport.withRealServerSection(MOCK + SHARDS + NATIVE, "## Real API server\n\nv4\n"))
                .as("a first real run: before the shards").isEqualTo(MOCK + "\n## Real API server\n\nv4\n" + SHARDS
                        + NATIVE);
    }

    @Test
    void aMockRunKeepsItBetweenTheRemoteAndNativeSections() {
        String old = MOCK + REAL + REMOTE + SHARDS + NATIVE;
        String rewritten = "# Benchmarks\n\nnew mock\n" + BenchReport.realServerSection(old)
                + BenchReport.remoteClustersSection(old) + BenchReport.shardsSection(old) + BenchReport.nativeSection(old);
        assertThat(rewritten).isEqualTo("# Benchmarks\n\nnew mock\n" + REAL + "\n" + REMOTE + "\n" + SHARDS + "\n" + NATIVE);
    }

    @Test
    void theProjectsBenchmarksMdKeepsEveryOtherSectionByteForByte() throws Exception {
        String md = Files.readString(Path.of(System.getProperty("project.basedir", "."), "BENCHMARKS.md"));
        String withShards = BenchReport.withShardsSection(md, ShardsReport.markdown(new ShardsReportTest.Figures().map()));
        String section = BenchReport.shardsSection(withShards);
        assertThat(section).startsWith("\n## Shards (real API server)\n");
        assertThat(withShards.replace(section, "\n")).as("BENCHMARKS.md without the shards' section")
                .isEqualTo(BenchReport.withShardsSection(md, "## Shards (real API server)\n\nx\n")
                        .replace("\n## Shards (real API server)\n\nx\n\n", "\n"));
        String withoutOld = md.replace(BenchReport.shardsSection(md), BenchReport.shardsSection(md).isEmpty() ? "" : "\n");
        assertThat(withShards.replace(section, "\n")).isEqualTo(withoutOld);
        for (String kept : new String[] { BenchReport.realServerSection(md), BenchReport.remoteClustersSection(md),
                BenchReport.nativeSection(md) }) {
            assertThat(withShards).contains(kept);
        }
    }
}
