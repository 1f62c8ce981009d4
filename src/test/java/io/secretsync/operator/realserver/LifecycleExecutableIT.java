package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.secretsync.operator.testsupport.Stops;

/**
 * {@link CoreLifecycle} on the native executable, on a real API server under the shipped RBAC with
 * the options the native image ships: the SDK's informers, the server's validation and 409s, the
 * controller manager finishing a namespace deletion, all through the image's reflection
 * registrations and build-time initialisation rather than a JVM's. Then SIGTERM, as the kubelet
 * sends it, ends the leader within {@link Stops#STOP_WITHIN} with exit code 143. Like every
 * {@link RealServerTest}, no request of the operator may be refused (403).
 * <p>
 * Runs in the native-check profile after the link (and in CI's native step), or by hand on an
 * executable linked before: {@code mvn -B -o failsafe:integration-test failsafe:verify
 * -Dit.test='**&#47;LifecycleExecutableIT' -Dsecretsync.native.executable=...}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleExecutableIT extends CoreLifecycle {

    @Override
    protected ShippedOperator.Build build() {
        return ShippedOperator.Build.nativeExecutable();
    }

    @Test
    @Order(Integer.MAX_VALUE) // after the lifecycle: it ends the class's operator
    void sigtermEndsTheLeaderWithExitCode143() throws InterruptedException {
        Stops.Stopped stopped = Stops.sigterm(operator.process(), "the native executable, leading; log " + operator.log());
        System.out.printf("real server: SIGTERM to the native executable ended it in %d ms%n", stopped.millis());
        assertThat(stopped.exitCode()).as("exit code on SIGTERM; log %s", operator.log())
                .isEqualTo(Stops.SIGTERM_EXIT_CODE);
        operator = null;
    }
}
