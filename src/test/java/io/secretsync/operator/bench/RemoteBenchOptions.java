package io.secretsync.operator.bench;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Sizes of the remote-clusters benchmark ({@code -Dbench.server=real-remote}); every field is a
 * -Dbench.* flag.
 *
 * @param namespaces       target namespaces in each of the two remote clusters (-Dbench.remote.namespaces)
 * @param idleSeconds      the window after convergence in which no write may happen (-Dbench.idle-seconds)
 * @param writeConcurrency the operator's secretsync.write-concurrency, which it applies per remote
 *                         cluster; the baseline writes with as many per cluster (-Dbench.write-concurrency)
 */
public record RemoteBenchOptions(int namespaces, int idleSeconds, int writeConcurrency, Path outputDir,
        boolean full) {

    public static RemoteBenchOptions fromProperties(Properties p, Path defaultOutput) {
        return new RemoteBenchOptions(intProp(p, "bench.remote.namespaces", 1000),
                intProp(p, "bench.idle-seconds", 60),
                intProp(p, "bench.write-concurrency", 8),
                Path.of(p.getProperty("bench.output-dir", defaultOutput.toString())),
                true);
    }

    /** A tiny run for CI: proves the mode works end to end, says nothing about speed. */
    public static RemoteBenchOptions smoke(Path outputDir) {
        return new RemoteBenchOptions(10, 2, 8, outputDir, false);
    }

    private static int intProp(Properties p, String key, int def) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }
}
