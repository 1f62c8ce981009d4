package io.secretsync.operator.ha;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/** Announces {@link LeadershipAcquired}: at start-up without leader election, on winning the Lease with it. */
@ApplicationScoped
public class Leadership {
    private final Event<LeadershipAcquired> announcement;

    public Leadership(Event<LeadershipAcquired> announcement) {
        this.announcement = announcement;
    }

    void onStart(@Observes StartupEvent event) {
        if (!electionActive()) {
            announce();
        }
    }

    /** Called by the Lease's callback when this replica becomes the leader. */
    void announce() {
        announcement.fire(new LeadershipAcquired());
    }

    /** Leader election runs in the profiles the Quarkus Operator SDK activates it for (prod by default). */
    static boolean electionActive() {
        List<String> profiles = ConfigProvider.getConfig()
                .getOptionalValues("quarkus.operator-sdk.activate-leader-election-for-profiles", String.class)
                .orElse(List.of("prod"));
        return ConfigUtils.getProfiles().stream().anyMatch(profiles::contains);
    }
}
