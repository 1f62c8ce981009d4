package io.secretsync.operator.ha;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.config.Shard;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

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
    LeaderElectionConfiguration leaderElection(LeaderElectionSettings settings, Leadership leadership,
            SecretSyncConfig config) {
        // what only the leader may write (the convention's policy, for one) listens for the announcement
        LeaderCallbacks callbacks = new LeaderCallbacks(leadership::announce, () -> {
        }, leader -> {
        });
        // each shard elects its own leader: one Lease per shard key
        return new LeaderElectionConfiguration(Shard.leaseName(settings.leaseName(), config.shardKey()),
                settings.leaseNamespace().orElse(null),
                settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod(),
                settings.identity().orElse(null), callbacks, true);
    }
}
