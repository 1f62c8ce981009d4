package io.secretsync.operator.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Sizes of the real-server benchmark ({@code -Dbench.server=real}); every field is a -Dbench.* flag.
 *
 * @param namespaces   the curve: one fresh cluster per size (-Dbench.real.namespaces=1000,3000,10000)
 * @param restartsAt   the size at which the restart, fail-over and mid-rollout scenarios run
 *                     (-Dbench.real.restarts-at, default the largest size; 0: none)
 * @param settleSeconds how long writes are still counted after a restarted operator is Ready
 */
public record RealBenchOptions(List<Integer> namespaces, int idleSeconds, int pickupSamples, int writeConcurrency,
        Path outputDir, int restartsAt, int settleSeconds, boolean full) {

    public static RealBenchOptions fromProperties(Properties p, Path defaultOutput) {
        List<Integer> sizes = Arrays.stream(p.getProperty("bench.real.namespaces", "1000,3000,10000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        return new RealBenchOptions(sizes,
                intProp(p, "bench.idle-seconds", 60),
                intProp(p, "bench.pickup-samples", 100),
                intProp(p, "bench.write-concurrency", 8),
                Path.of(p.getProperty("bench.output-dir", defaultOutput.toString())),
                intProp(p, "bench.real.restarts-at", sizes.stream().mapToInt(Integer::intValue).max().orElse(0)),
                intProp(p, "bench.real.settle-seconds", 10),
                true);
    }

    /**
     * A tiny run for CI: proves the real-server mode works end to end (with one SIGTERM restart;
     * the kill -9 restart, fail-over and mid-rollout restart cost another four operator starts and a
     * Lease expiry, and run in the full benchmark), says nothing about speed.
     */
    public static RealBenchOptions smoke(Path outputDir) {
        return new RealBenchOptions(List.of(20), 2, 3, 8, outputDir, 0, 2, false);
    }

    private static int intProp(Properties p, String key, int def) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }
}
