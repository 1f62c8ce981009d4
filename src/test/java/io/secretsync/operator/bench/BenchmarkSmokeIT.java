package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The benchmark at a tiny size, so that it keeps working. Asserts that every scenario ran and
 * the operator converged; never asserts a timing.
 */
class BenchmarkSmokeIT {

    @Test
    void runsEveryScenarioAtATinySize() throws Exception {
        Path out = Path.of("target", "bench-smoke");
        Map<String, Object> r = new Benchmark(BenchOptions.smoke(out)).run();
        assertThat(r).containsKeys("baseline", "convergence", "writes", "update", "pickup", "memory", "startup", "bigData");
        assertThat(Files.readString(out.resolve("BENCHMARKS.md"))).contains("| 1 |", "| 6 |", "| 7 |", "Machine:");
        assertThat(Files.readString(out.resolve("benchmarks.json"))).contains("\"convergence\"");
        @SuppressWarnings("unchecked")
        Map<String, Object> update = (Map<String, Object>) r.get("update");
        assertThat(update.get("replicas")).isEqualTo(BenchOptions.smoke(out).namespaces());
    }
}
