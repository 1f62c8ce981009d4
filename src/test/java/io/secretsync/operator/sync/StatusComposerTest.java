package io.secretsync.operator.sync;

import static io.secretsync.operator.testsupport.Fixtures.namespace;
import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;

class StatusComposerTest {
    static final List<Namespace> NS = List.of(namespace("team-a"), namespace("team-b"));

    static Plan plan(List<String> names, List<Secret> sources) {
        return SyncPlanner.plan(new SyncPlanner.Input("p", spec("src", names, null, List.of("team-a", "team-b"), null),
                sources, NS, Set.of(), List.of(), Map.of(), Set.of()));
    }

    static SyncOutcome applied(Plan plan, List<ReplicaFailure> failures) {
        return new SyncOutcome.Synced(plan, failures, plan.actions().size() - failures.size(),
                plan.actions().size(), true, Set.of());
    }

    static Stream<Arguments> readiness() {
        Plan two = plan(List.of("a", "b"), List.of(opaque("src", "a", "1"), opaque("src", "b", "2")));
        Plan missing = plan(List.of("a", "b"), List.of(opaque("src", "a", "1")));
        Plan none = plan(List.of("a"), List.of());
        ReplicaFailure f = new ReplicaFailure("team-a", "a", "WriteFailed", "create failed: HTTP 403");
        return Stream.of(
                Arguments.of("all written", applied(two, List.of()), "True", "Synced", "2 secrets synced to 2 namespaces", 4, 0),
                Arguments.of("a write failed", applied(two, List.of(f)), "False", "PartiallySynced",
                        "2 secrets synced to 2 namespaces; 1 replica not in sync (first: team-a/a: WriteFailed), see"
                                + " status.failures; permission denied (HTTP 403) at team-a/a: create failed: HTTP 403", 3, 1),
                Arguments.of("named source missing", applied(missing, List.of()), "False", "SourceNotFound",
                        "source Secret src/b not found; 1 secret synced to 2 namespaces", 2, 0),
                Arguments.of("no source at all", applied(none, List.of()), "False", "SourceNotFound",
                        "source Secret src/a not found", 0, 0),
                Arguments.of("source namespace missing", new SyncOutcome.Synced(none, List.of(), 0, 0, false, Set.of()),
                        "False", "SourceNotFound", "source namespace src does not exist", 0, 0),
                Arguments.of("suspended", new SyncOutcome.Suspended(two, true, Set.of()), "False",
                        "Suspended", "suspended (spec.suspend: true), nothing is written; 4 changes pending", 0, 0),
                Arguments.of("invalid", SyncOutcome.invalid(List.of("spec.target is required")), "False", "InvalidSpec",
                        "invalid spec, nothing is written: spec.target is required", null, null),
                Arguments.of("kind not installed", new SyncOutcome.Synced(two, List.of(), 4, 4, true, Set.of("Image")),
                        "True", "Synced", "2 secrets synced to 2 namespaces; not installed: Image", 4, 0),
                Arguments.of("reconcile threw", SyncOutcome.reconcileError("list of Secrets in namespace src failed"),
                        "False", "ReconcileError", "list of Secrets in namespace src failed; the operator retries",
                        null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readiness")
    void readyConditionAndCounts(String name, SyncOutcome outcome, String status, String reason, String message,
            Integer synced, Integer failed) {
        SecretSyncPolicyStatus s = StatusComposer.compose(null, 3, "src", outcome, "T1");
        Condition ready = Conditions.find(s.getConditions(), "Ready").orElseThrow();
        assertThat(ready.getStatus()).isEqualTo(status);
        assertThat(ready.getReason()).isEqualTo(reason);
        assertThat(ready.getMessage()).startsWith(message);
        assertThat(ready.getObservedGeneration()).isEqualTo(3L);
        assertThat(s.getObservedGeneration()).isEqualTo(3L);
        assertThat(s.getSyncedReplicas()).isEqualTo(synced);
        assertThat(s.getFailedReplicas()).isEqualTo(failed);
    }

    @Test
    void failuresAreCappedAtFiftyButCountedExactly() {
        Plan plan = plan(List.of("a"), List.of(opaque("src", "a", "1")));
        List<ReplicaFailure> failures = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            failures.add(new ReplicaFailure(String.format("ns-%03d", i), "a", "WriteFailed", "m"));
        }
        SecretSyncPolicyStatus s = StatusComposer.compose(null, 1, "src",
                new SyncOutcome.Synced(plan, failures, 0, 0, true, Set.of()), "T1");
        assertThat(s.getFailedReplicas()).isEqualTo(70);
        assertThat(s.getFailures()).hasSize(50).first().extracting(ReplicaFailure::getNamespace).isEqualTo("ns-000");
    }

    @Test
    void nothingChangedKeepsLastSyncTimeSoNoStatusWriteIsNeeded() {
        List<Secret> sources = List.of(opaque("src", "a", "1"));
        Plan first = plan(List.of("a"), sources);
        SecretSyncPolicyStatus written = StatusComposer.compose(null, 1, "src", applied(first, List.of()), "T1");
        // the next reconcile observes the replicas the first one created: the planner finds nothing to do
        List<Secret> replicas = first.actions().stream().map(ReplicaAction::secret).toList();
        Plan converged = SyncPlanner.plan(new SyncPlanner.Input("p", spec("src", List.of("a"), null,
                List.of("team-a", "team-b"), null), sources, NS, Set.of(), replicas, Map.of(), Set.of()));
        assertThat(converged.actions()).isEmpty();

        SecretSyncPolicyStatus next = StatusComposer.compose(written, 1, "src", applied(converged, List.of()), "T2");

        assertThat(next.sameStateAs(written)).isTrue();
        assertThat(next.getSyncedReplicas()).isEqualTo(2);
        assertThat(next.getLastSyncTime()).isEqualTo("T1");
    }

    @Test
    void aWriteMovesLastSyncTime() {
        Plan converged = plan(List.of("a"), List.of(opaque("src", "a", "1")));
        SecretSyncPolicyStatus first = StatusComposer.compose(null, 1, "src", applied(converged, List.of()), "T1");
        SecretSyncPolicyStatus second = StatusComposer.compose(first, 1, "src", applied(converged, List.of()), "T2");
        assertThat(second.getLastSyncTime()).isEqualTo("T2");
    }

    @org.junit.jupiter.api.Test
    void aSuspendedPolicyPreviewsItsWritesExactlyAndTheFirstFiftySortedThenDropsThemOnResume() {
        List<Namespace> many = new java.util.ArrayList<>();
        List<String> targets = new java.util.ArrayList<>();
        for (int i = 59; i >= 0; i--) {
            targets.add(String.format("t%02d", i));
            many.add(namespace(String.format("t%02d", i)));
        }
        Plan plan = SyncPlanner.plan(new SyncPlanner.Input("p", spec("src", List.of("a", "b"), null, targets, null),
                List.of(opaque("src", "b", "2"), opaque("src", "a", "1")), many, Set.of(), List.of(), Map.of(), Set.of()));
        SecretSyncPolicyStatus suspended = StatusComposer.compose(null, 1, "src",
                new SyncOutcome.Suspended(plan, true, Set.of()), "t");
        assertThat(suspended.getPendingChanges()).isEqualTo(120);
        assertThat(suspended.getPending()).hasSize(50);
        assertThat(suspended.getPending().subList(0, 3)).containsExactly(
                new io.secretsync.operator.crd.v1alpha1.PendingChange("t00", "a", "Create"),
                new io.secretsync.operator.crd.v1alpha1.PendingChange("t00", "b", "Create"),
                new io.secretsync.operator.crd.v1alpha1.PendingChange("t01", "a", "Create"));
        SecretSyncPolicyStatus resumed = StatusComposer.compose(suspended, 2, "src", applied(plan, List.of()), "t");
        assertThat(resumed.getPendingChanges()).isNull();
        assertThat(resumed.getPending()).isNull();
        assertThat(resumed.sameStateAs(suspended)).isFalse();
    }
}
