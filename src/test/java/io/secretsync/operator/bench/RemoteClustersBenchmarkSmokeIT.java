package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The remote-clusters benchmark (-Dbench.server=real-remote) at a tiny size (10 namespaces in each
 * of two remote clusters, 2 s idle), so that it keeps working: three real API servers, the
 * baseline and the operator each wrote every replica into both remotes, counted from their audit
 * logs, and the report carries it next to the sections it must keep. Never asserts a timing.
 */
class RemoteClustersBenchmarkSmokeIT {

    @Test
    @SuppressWarnings("unchecked")
    void convergesIntoTwoRemoteClustersAtATinySize() throws Exception {
        Path out = Path.of("target", "bench-remote-smoke");
        Files.createDirectories(out);
        Files.writeString(out.resolve("BENCHMARKS.md"), "# Benchmarks\n\nmock figures\n\n## Real API server\n\nreal\n\n"
                + "## Native executable\n\nnative\n");
        Files.deleteIfExists(out.resolve("benchmarks.json"));
        Map<String, Object> r = Benchmark.runRemote(RemoteBenchOptions.smoke(out));

        Map<String, Object> converge = (Map<String, Object>) r.get("converge");
        Map<String, Object> idle = (Map<String, Object>) r.get("idle");
        Map<String, Object> update = (Map<String, Object>) r.get("update");
        Map<String, Object> baseline = (Map<String, Object>) r.get("baseline");
        for (String remote : RemoteClustersBenchmark.REMOTES) {
            assertThat(((Map<String, Object>) converge.get(remote)).get("replicaWrites"))
                    .as("the operator's replica writes into %s, by its audit log", remote).isEqualTo(30L);
            assertThat(((Map<String, Object>) idle.get(remote)).get("replicaWrites")).as("idle, %s", remote)
                    .isEqualTo(0L);
            assertThat(((Map<String, Object>) update.get(remote)).get("replicaWrites")).as("update, %s", remote)
                    .isEqualTo(10L);
            assertThat(((Map<String, Object>) baseline.get(remote)).get("replicaWrites"))
                    .as("the plain client's creates and updates into %s, audited", remote).isEqualTo(40);
        }
        assertThat(((Number) ((Map<String, Object>) r.get("memory")).get("liveHeapConvergedBytes")).longValue())
                .isPositive();
        assertThat(r.get("operatorForbidden")).as("requests of the operator the authorizers refused")
                .isEqualTo(Map.of("local", 0, "remote-a", 0, "remote-b", 0));

        String md = Files.readString(out.resolve("BENCHMARKS.md"));
        assertThat(md).contains("mock figures", "## Remote clusters (real API servers)", "### Against the goals",
                "Replica writes / needed to converge, remote-b | 30 / 30 = 1.00");
        assertThat(md.indexOf("## Real API server")).as("the real section first")
                .isLessThan(md.indexOf("## Remote clusters"));
        assertThat(md.indexOf("## Remote clusters")).as("the native section last")
                .isLessThan(md.indexOf("## Native executable"));
        assertThat(Files.readString(out.resolve("benchmarks.json"))).contains("\"remoteClusters\"");
    }
}
