package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The real-server benchmark (-Dbench.server=real) at a tiny size (20 namespaces, 2 s idle), so
 * that it keeps working: every scenario ran on a real API server, counted from its audit log, and
 * the report carries them. Never asserts a timing.
 */
class RealServerBenchmarkSmokeIT {

    @Test
    @SuppressWarnings("unchecked")
    void runsEveryScenarioOnARealServerAtATinySize() throws Exception {
        Path out = Path.of("target", "bench-real-smoke");
        Files.createDirectories(out);
        Files.writeString(out.resolve("BENCHMARKS.md"), "# Benchmarks\n\nmock figures\n\n## Native executable\n\nnative\n");
        Map<String, Object> r = Benchmark.runReal(RealBenchOptions.smoke(out));

        Map<String, Object> size = ((List<Map<String, Object>>) r.get("curve")).get(0);
        assertThat(size).containsKeys("baseline", "converge", "idle", "update", "pickup", "memory", "startup",
                "sigtermRestart");
        assertThat(((Map<String, Object>) size.get("sigtermRestart")).get("replicaWrites"))
                .as("replica writes of a restart, by the audit log").isEqualTo(0L);
        Map<String, Object> converge = (Map<String, Object>) size.get("converge");
        assertThat(converge.get("replicaWrites")).as("replica writes the audit log counted").isEqualTo(60L);
        assertThat(((Map<String, Object>) size.get("baseline")).get("replicaWrites")).as("the baseline's, audited")
                .isEqualTo(80);
        assertThat(((Number) ((Map<String, Object>) size.get("startup")).get("watchRequests")).longValue()).isPositive();
        assertThat(((Number) ((Map<String, Object>) size.get("startup")).get("bytesReceived")).longValue()).isPositive();
        assertThat(((Number) ((Map<String, Object>) size.get("memory")).get("liveHeapAtNx3Bytes")).longValue())
                .isPositive();
        assertThat(size.get("operatorForbidden")).as("requests of the operator the authorizer refused").isEqualTo(0);

        String md = Files.readString(out.resolve("BENCHMARKS.md"));
        assertThat(md).contains("mock figures", "## Real API server", "### Restarts and fail-over", "SIGTERM restart");
        assertThat(md.indexOf("## Real API server")).as("the real section before the native one")
                .isLessThan(md.indexOf("## Native executable"));
        assertThat(Files.readString(out.resolve("benchmarks.json"))).contains("\"realServer\"");
    }
}
