package io.secretsync.operator.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.quarkus.runtime.StartupEvent;
import io.secretsync.operator.reconciler.FatalErrors;
import io.secretsync.operator.reconciler.ReplicaWriter;

/**
 * /q/health/live: DOWN when the operator can no longer do its work, so that Kubernetes restarts
 * it: the replica writer stopped taking work, or a write has been in flight for longer than any
 * request can take (the API client times requests out after seconds: a write older than
 * STUCK_AFTER is a stuck thread). An unreachable API server is not a reason: a restart would not
 * bring it back, and readiness already reports it.
 */
@Liveness
@ApplicationScoped
public class OperatorLiveness implements HealthCheck {
    static final Duration STUCK_AFTER = Duration.ofMinutes(5);
    private final ReplicaWriter writer;

    public OperatorLiveness(ReplicaWriter writer) {
        this.writer = writer;
    }

    void onStart(@Observes StartupEvent event) {
        FatalErrors.install();
    }

    @Override
    public HealthCheckResponse call() {
        Duration oldest = writer.oldestWriteInFlight();
        boolean up = writer.acceptsWork() && oldest.compareTo(STUCK_AFTER) < 0;
        return HealthCheckResponse.named("secretsync-writer").status(up)
                .withData("acceptsWrites", writer.acceptsWork())
                .withData("oldestWriteInFlightSeconds", oldest.toSeconds()).build();
    }
}
