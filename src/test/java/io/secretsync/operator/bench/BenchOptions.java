package io.secretsync.operator.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** Benchmark sizes and where to write; every field is a -Dbench.* flag. */
public record BenchOptions(int namespaces, int idleSeconds, int pickupSamples, int unrelatedSecrets,
        int unrelatedSecretBytes, int writeConcurrency, Path outputDir, Path operatorJar, boolean full, String operatorJvmArgs,
        int unrelatedServiceAccounts, int bigDataNamespaces, List<Integer> bigDataKib) {

    /** The full benchmark: what the documented command runs unless flags say otherwise. */
    public static BenchOptions fromProperties(Properties p, Path defaultOutput) {
        return new BenchOptions(
                intProp(p, "bench.namespaces", 1000),
                intProp(p, "bench.idle-seconds", 60),
                intProp(p, "bench.pickup-samples", 100),
                intProp(p, "bench.unrelated-secrets", 10_000),
                intProp(p, "bench.unrelated-secret-bytes", 32 * 1024),
                intProp(p, "bench.write-concurrency", 8),
                Path.of(p.getProperty("bench.output-dir", defaultOutput.toString())),
                Path.of(p.getProperty("bench.operator-jar", "target/quarkus-app/quarkus-run.jar")),
                true, p.getProperty("bench.operator-jvm-args", ""),
                intProp(p, "bench.unrelated-service-accounts", 20_000),
                intProp(p, "bench.big-data-namespaces", 1000),
                intList(p.getProperty("bench.big-data-kib", "900,220")));
    }

    /** A tiny run for CI: checks the benchmark works, says nothing about speed. */
    public static BenchOptions smoke(Path outputDir) {
        return new BenchOptions(20, 2, 5, 20, 1024, 8, outputDir, Path.of("target/quarkus-app/quarkus-run.jar"),
                false, "", 20, 5, List.of(64));
    }

    private static List<Integer> intList(String v) {
        return v.isBlank() ? List.of()
                : Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private static int intProp(Properties p, String key, int def) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }
}
