package io.secretsync.operator.bench;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Sizes of the shards benchmark ({@code -Dbench.server=real-shards}); every field is a -Dbench.* flag.
 *
 * @param namespaces         target namespaces every policy copies into (-Dbench.shards.namespaces, default
 *                           300: 30 policies x 300 = 9,000 replicas; 1,000 would be 30,000 and a run of
 *                           most of an hour on the shared 2-core machine)
 * @param policiesPerProcess policies of the unsharded process, of shard a and of shard b each
 *                           (-Dbench.shards.policies)
 * @param handOver           policies relabelled from shard b to shard a (-Dbench.shards.hand-over)
 * @param idleSeconds        the window after convergence in which no replica may be written (-Dbench.idle-seconds)
 * @param writeConcurrency   each process's secretsync.write-concurrency (-Dbench.write-concurrency)
 */
public record ShardBenchOptions(int namespaces, int policiesPerProcess, int handOver, int idleSeconds,
        int writeConcurrency, Path outputDir, boolean full) {

    public ShardBenchOptions {
        if (handOver < 1 || handOver > policiesPerProcess) {
            throw new IllegalArgumentException("-Dbench.shards.hand-over=" + handOver + ": say 1 to "
                    + policiesPerProcess + " (-Dbench.shards.policies, the policies of shard b)");
        }
    }

    public static ShardBenchOptions fromProperties(Properties p, Path defaultOutput) {
        return new ShardBenchOptions(intProp(p, "bench.shards.namespaces", 300),
                intProp(p, "bench.shards.policies", 10),
                intProp(p, "bench.shards.hand-over", 5),
                intProp(p, "bench.idle-seconds", 60),
                intProp(p, "bench.write-concurrency", 8),
                Path.of(p.getProperty("bench.output-dir", defaultOutput.toString())),
                true);
    }

    private static int intProp(Properties p, String key, int def) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }
}
