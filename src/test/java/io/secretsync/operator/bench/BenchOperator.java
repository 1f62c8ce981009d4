package io.secretsync.operator.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

import io.secretsync.operator.realserver.ShippedOperator;

/** The packaged operator as the real-server benchmarks run it: the shipped way, with the benchmark's write concurrency. */
final class BenchOperator {

    private BenchOperator() {
    }

    /** Extra options (-Dkey=value, e.g. the shard) come last. */
    static ShippedOperator.Process start(Path kubeconfig, String logName, String identity, int writeConcurrency,
            String... extraOptions) {
        List<String> options = new ArrayList<>(List.of("-Dsecretsync.write-concurrency=" + writeConcurrency,
                "-Dsecretsync.legacy.enabled=false",
                // what the shipped Deployment logs (ShippedOperator turns on DEBUG for the tests)
                "-Dquarkus.log.category.\"io.secretsync\".level=INFO"));
        options.addAll(List.of(extraOptions));
        return ShippedOperator.startAs(kubeconfig, logName, identity, options.toArray(String[]::new));
    }

    /** Polls path every 20 ms until it answers 200; fails at once when the process exits. */
    static void awaitHealth(ShippedOperator.Process op, String path, Duration timeout) {
        Awaitility.await(path + " of the operator; see " + op.log()).atMost(timeout).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    if (!op.process().isAlive()) {
                        throw new IllegalStateException("the operator exited; see " + op.log());
                    }
                    return op.get(path) == 200;
                });
    }
}
