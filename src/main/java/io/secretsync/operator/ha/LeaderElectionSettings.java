package io.secretsync.operator.ha;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Leader election on a coordination.k8s.io Lease. Quarkus Operator SDK activates it for the
 * profiles listed in {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod);
 * these settings say which Lease and how quickly a stand-by replica takes over.
 */
@ConfigMapping(prefix = "secretsync.leader-election")
public interface LeaderElectionSettings {

    /** Name of the Lease the replicas compete for. */
    @WithDefault("secretsync-operator-lease")
    String leaseName();

    /**
     * Namespace of the Lease. Defaults to the namespace the operator runs in (the client's
     * namespace: in a pod, the service account's namespace); must be set when running outside
     * a cluster.
     */
    Optional<String> leaseNamespace();

    /** Identity written to the Lease; defaults to the pod name (HOSTNAME). */
    Optional<String> identity();

    /** How long a Lease is valid without renewal: the longest a dead leader blocks a take-over. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives up leadership. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often candidates retry acquiring or renewing. */
    @WithDefault("2s")
    Duration retryPeriod();

    /**
     * On a graceful stop (SIGTERM) the leader releases its Lease, so that a stand-by takes over
     * at its next retry instead of after lease-duration; the release gives up after this long
     * (an unreachable API server), and the Lease then simply expires.
     */
    @WithDefault("2s")
    Duration releaseTimeout();
}
