package io.secretsync.operator.sync;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.secretsync.operator.crd.v1alpha1.ClusterSyncStatus;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;

/** The status of a policy that writes into remote clusters: totals over every cluster, and the breakdown. */
class ClusterStatusTest {
    static final Plan LOCAL = StatusComposerTest.plan(List.of("a"), List.of(opaque("src", "a", "1")));

    static ClusterOutcome applied(String cluster, boolean selected) {
        Plan plan = StatusComposerTest.plan(List.of("a"), List.of(opaque("src", "a", "1")));
        return new ClusterOutcome(cluster, selected, plan, List.of(), plan.actions().size(), plan.actions().size(), null);
    }

    static ClusterOutcome unreachable(String cluster, boolean selected) {
        return ClusterOutcome.unavailable(cluster, selected, new ReplicaFailure(null, null,
                FailureReasons.CLUSTER_UNREACHABLE, "cluster " + cluster + " is Unreachable").inCluster(cluster));
    }

    static SecretSyncPolicyStatus compose(List<ClusterOutcome> remotes) {
        return StatusComposer.compose(null, 3, "src", new SyncOutcome.Synced(LOCAL, List.of(), 2, 2, true, Set.of(),
                remotes), "T");
    }

    @Test
    void countsEveryClusterAndBreaksThemDown() {
        SecretSyncPolicyStatus s = compose(List.of(applied("eu-1", true), applied("us-1", true)));

        assertThat(s.getTargetNamespaces()).isEqualTo(6);
        assertThat(s.getSyncedReplicas()).isEqualTo(6);
        assertThat(s.getFailedReplicas()).isZero();
        assertThat(s.getClusters()).containsExactly(new ClusterSyncStatus("eu-1", true, 2, 2, 0),
                new ClusterSyncStatus("us-1", true, 2, 2, 0));
        assertThat(s.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo(ReadyReasons.SYNCED);
            assertThat(c.getMessage()).isEqualTo("1 secret synced to 6 namespaces in 3 clusters");
        });
    }

    @Test
    void anUnreachableClusterIsAFailureOfThatClusterOnly() {
        SecretSyncPolicyStatus s = compose(List.of(applied("eu-1", true), unreachable("us-1", true)));

        assertThat(s.getSyncedReplicas()).isEqualTo(4);
        assertThat(s.getFailedReplicas()).isEqualTo(1);
        assertThat(s.getClusters()).extracting(ClusterSyncStatus::getName, ClusterSyncStatus::getReady,
                ClusterSyncStatus::getSyncedReplicas).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("eu-1", true, 2),
                        org.assertj.core.groups.Tuple.tuple("us-1", false, null));
        assertThat(s.getFailures()).singleElement().satisfies(f -> {
            assertThat(f.getCluster()).isEqualTo("us-1");
            assertThat(f.getNamespace()).isNull();
            assertThat(f.getReason()).isEqualTo(FailureReasons.CLUSTER_UNREACHABLE);
        });
        assertThat(s.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo(ReadyReasons.PARTIALLY_SYNCED);
            assertThat(c.getMessage()).contains("(first: cluster us-1: ClusterUnreachable)");
        });
    }

    @Test
    void aDroppedClusterStaysListedUntilItsReplicasAreReleased() {
        assertThat(compose(List.of(applied("eu-1", false))).getClusters()).isNull();

        SecretSyncPolicyStatus waiting = compose(List.of(unreachable("eu-1", false)));
        assertThat(waiting.getClusters()).extracting(ClusterSyncStatus::getName, ClusterSyncStatus::getReady,
                ClusterSyncStatus::getTargetNamespaces, ClusterSyncStatus::getSyncedReplicas,
                ClusterSyncStatus::getFailedReplicas)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eu-1", false, 0, null, 1));
    }

    @Test
    void remoteFailuresNameTheirClusterAndSortAfterLocalOnes() {
        ClusterOutcome conflict = new ClusterOutcome("eu-1", true, applied("eu-1", true).plan(),
                List.of(new ReplicaFailure("team-a", "a", FailureReasons.WRITE_FAILED, "refused")), 1, 1, null);
        SecretSyncPolicyStatus s = StatusComposer.compose(null, 1, "src", new SyncOutcome.Synced(LOCAL,
                List.of(new ReplicaFailure("team-b", "a", FailureReasons.WRITE_FAILED, "refused")), 1, 1, true, Set.of(),
                List.of(conflict)), "T");

        assertThat(s.getFailures()).extracting(ReplicaFailure::getCluster, ReplicaFailure::getNamespace)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, "team-b"),
                        org.assertj.core.groups.Tuple.tuple("eu-1", "team-a"));
    }

    @Test
    void aDeletionWaitingForAClusterSaysSo() {
        SecretSyncPolicyStatus s = ReleaseStatus.waiting(null, 4, List.of(unreachable("eu-1", false).unavailable()),
                DeletionPolicy.Delete, "T");

        assertThat(s.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getMessage()).contains("the release in cluster eu-1 waits until it can be reached");
        });
        assertThat(s.getFailures()).extracting(ReplicaFailure::getCluster).containsExactly("eu-1");
    }
}
