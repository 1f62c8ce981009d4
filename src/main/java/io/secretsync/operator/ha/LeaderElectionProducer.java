package io.secretsync.operator.ha;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * Gives the Quarkus Operator SDK the Lease to elect a leader on. Only the leader processes
 * events and writes; the other replicas keep their caches warm and take over when the Lease is
 * released (a graceful stop) or expires (a crash). A replica that loses its Lease while running
 * must not keep writing: it stops writing and exits, and is restarted as a stand-by.
 * <p>
 * The SDK's own exit on losing the Lease is off: it calls System.exit from the elector's
 * callback, also when the elector is stopped by a graceful stop, where that blocks the JVM's
 * shutdown forever. {@link Leadership} tells a stop from a loss; see there.
 */
@Singleton
public class LeaderElectionProducer {

    @Produces
    @Singleton
    @SuppressWarnings("deprecation")
    LeaderElectionConfiguration leaderElection(LeaderElectionSettings settings, Leadership leadership) {
        // what only the leader may write (the convention's policy, for one) listens for the announcement
        LeaderCallbacks callbacks = new LeaderCallbacks(leadership::started, leadership::stopped, leader -> {
        });
        // The builder refuses exitOnStopLeading (it keeps it for tests); this constructor is the
        // SDK's own way to set it. JOSDK 5.3.5 stops calling System.exit during a graceful stop by
        // itself, but still never releases the Lease: keep this when upgrading. Each shard elects
        // its own leader, on a Lease of its own (Leadership knows which).
        return new LeaderElectionConfiguration(leadership.leaseName(), settings.leaseNamespace().orElse(null),
                settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod(),
                // the identity the Lease is released for on a stop: resolved here, not by the SDK
                leadership.identity(), callbacks, false);
    }
}
