package io.secretsync.operator.bench;

import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;

import io.secretsync.operator.realserver.ShippedOperator;

/** The packaged operator as the real-server benchmarks run it: the shipped way, with the benchmark's write concurrency. */
final class BenchOperator {

    private BenchOperator() {
    }

    static ShippedOperator.Process start(Path kubeconfig, String logName, String identity, int writeConcurrency) {
        return ShippedOperator.startAs(kubeconfig, logName, identity, "-Dsecretsync.write-concurrency=" + writeConcurrency,
                "-Dsecretsync.legacy.enabled=false",
                // what the shipped Deployment logs (ShippedOperator turns on DEBUG for the tests)
                "-Dquarkus.log.category.\"io.secretsync\".level=INFO");
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
