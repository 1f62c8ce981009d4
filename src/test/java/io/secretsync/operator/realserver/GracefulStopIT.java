package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * SIGTERM, as the kubelet sends it on every rollout, drain and pod deletion, to the packaged
 * operator on a real API server with the shipped profile (leader election on a real Lease): the
 * stand-by, then the leader (which releases its Lease so that a stand-by takes over at once), then
 * a process whose API server is down. Each ends within 10 s with exit code 143; no SIGKILL.
 */
class GracefulStopIT extends RealServerTest {
    private static final Duration STOP = Duration.ofSeconds(10);
    private static final String LEASE = "secretsync-operator-lease";

    private String holder() {
        Lease lease = admin.leases().inNamespace(ShippedOperator.NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void sigtermEndsStandByLeaderAndAProcessWithoutItsApiServerWithin10Seconds() throws Exception {
        Path kubeconfig = ShippedOperator.kubeconfig(cluster);
        await("the first process leads").atMost(CONVERGE).until(() -> "GracefulStopIT".equals(holder()));

        // the stand-by: ends, the leader keeps its Lease
        ShippedOperator.Process standBy = ShippedOperator.start(kubeconfig, "GracefulStopIT-standby").awaitReady();
        long t0 = System.nanoTime();
        assertThat(standBy.terminate(STOP)).as("exit code of the stand-by on SIGTERM").isEqualTo(143);
        System.out.printf("real server: SIGTERM to the stand-by ended it in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(holder()).isEqualTo("GracefulStopIT");

        // the leader: ends, releases its Lease; the next stand-by takes over at once (well before
        // the 15 s lease duration) and serves a policy created after the leader is gone
        ShippedOperator.Process next = ShippedOperator.start(kubeconfig, "GracefulStopIT-next").awaitReady();
        t0 = System.nanoTime();
        assertThat(operator.terminate(STOP)).as("exit code of the leader on SIGTERM").isEqualTo(143);
        long stopMillis = (System.nanoTime() - t0) / 1_000_000;
        await("the stand-by takes the released Lease").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> "GracefulStopIT-next".equals(holder()));
        long handOverMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("real server: SIGTERM to the leader ended it in %d ms; the stand-by held the Lease %d ms"
                + " after the SIGTERM%n", stopMillis, handOverMillis);
        assertThat(handOverMillis).as("hand-over well before the lease duration (15 s) would expire")
                .isLessThan(10_000);
        operator = next;
        admin.namespaces().resource(Fixtures.namespace("stop-src")).create();
        admin.namespaces().resource(Fixtures.namespace("stop-a", "stop=yes")).create();
        admin.secrets().inNamespace("stop-src").resource(Fixtures.opaque("stop-src", "reg", "v1")).create();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("stop",
                Fixtures.spec("stop-src", List.of("reg"), null, null, Fixtures.selector("stop=yes")))).create();
        awaitReason("stop", "Synced");

        // the API server down: the leader cannot release its Lease and still ends in time
        cluster.stopComponent("apiserver");
        try {
            t0 = System.nanoTime();
            assertThat(next.terminate(STOP)).as("exit code on SIGTERM with the API server down").isEqualTo(143);
            System.out.printf("real server: SIGTERM with the API server down ended the leader in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            cluster.startComponent("apiserver");
        }
        operator = null;
    }
}
