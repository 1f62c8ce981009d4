package io.secretsync.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;

class PolicyEventsTest {

    static SecretSyncPolicyStatus status(boolean ready, String reason, ReplicaFailure... failures) {
        SecretSyncPolicyStatus s = new SecretSyncPolicyStatus();
        s.setConditions(Conditions.set(null, "Ready", ready, reason, "msg " + reason, 1, "T"));
        s.setFailures(failures.length == 0 ? null : List.of(failures));
        return s;
    }

    static final ReplicaFailure C1 = new ReplicaFailure("team-a", "x", "Conflict", "exists, not ours");
    static final ReplicaFailure C2 = new ReplicaFailure("team-b", "x", "Conflict", "exists, not ours");

    @Test
    void firstReadyIsANormalEvent() {
        assertThat(PolicyEvents.between(null, status(true, "Synced")))
                .containsExactly(new PolicyEvents.PolicyEvent(false, "Synced", "msg Synced"));
    }

    @Test
    void noChangeNoEvent() {
        assertThat(PolicyEvents.between(status(true, "Synced"), status(true, "Synced"))).isEmpty();
        assertThat(PolicyEvents.between(status(false, "PartiallySynced", C1), status(false, "PartiallySynced", C1)))
                .isEmpty();
    }

    @Test
    void newFailuresOfOneReasonMakeOneWarning() {
        var events = PolicyEvents.between(status(true, "Synced"), status(false, "PartiallySynced", C1, C2));
        assertThat(events).hasSize(2);
        assertThat(events.get(1).warning()).isTrue();
        assertThat(events.get(1).reason()).isEqualTo("Conflict");
        assertThat(events.get(1).message()).contains("2 replicas not written (team-a/x, team-b/x)");
    }

    @Test
    void onlyFailuresNotSeenBeforeAreReported() {
        var events = PolicyEvents.between(status(false, "PartiallySynced", C1), status(false, "PartiallySynced", C1, C2));
        assertThat(events).singleElement().satisfies(e -> assertThat(e.message()).contains("(team-b/x)"));
    }

    @Test
    void invalidSpecIsAWarning() {
        assertThat(PolicyEvents.between(status(true, "Synced"), status(false, "InvalidSpec")))
                .singleElement().satisfies(e -> assertThat(e.warning()).isTrue());
    }
}
