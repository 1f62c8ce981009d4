package io.secretsync.operator.ha;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.secretsync.operator.legacy.LegacyConvention;

/**
 * Gives the Quarkus Operator SDK the Lease to elect a leader on. Only the leader processes
 * events and writes; the other replicas keep their caches warm and take over when the Lease
 * expires. The operator keeps running after losing leadership only long enough to exit: a
 * replica that lost its Lease must not keep writing, so it exits and is restarted as a
 * stand-by.
 */
@Singleton
public class LeaderElectionProducer {

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(LeaderElectionSettings settings, LegacyConvention legacy) {
        // the convention's policy is a write like any other: only the leader creates it
        LeaderCallbacks callbacks = new LeaderCallbacks(legacy::ensurePolicy, () -> {
        }, leader -> {
        });
        return new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace().orElse(null),
                settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod(),
                settings.identity().orElse(null), callbacks, true);
    }
}
