package io.secretsync.operator.sync;

import static io.secretsync.operator.testsupport.Fixtures.namespace;
import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.secretsync.operator.crd.v1alpha1.ClusterTargets;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;

/** The planner in a remote cluster: the same rules per (cluster, namespace), plus origins. */
class RemoteClusterPlanningTest {
    private static final String P = "creds";
    static final String SRC = "build-service";
    private static final String US = "origin-us";
    private static final String THEM = "origin-them";
    static final Secret A = opaque(SRC, "a", "alpha");
    static final List<Namespace> REMOTE_NS = List.of(namespace("team-a"), namespace("team-b"));

    /** A replica as the operator of origin wrote it (null: written by the remote cluster's own operator). */
    static Secret replica(String policy, String ns, String origin) {
        Secret r = Replicas.desired(policy, A, ns, ReplicaContent.of(null, A), Map.of(), Map.of(), "Delete", origin)
                .secret();
        r.getMetadata().setResourceVersion("7");
        return r;
    }

    static Secret edited(Secret s, Consumer<Secret> edit) {
        Secret copy = new SecretBuilder(s).build();
        edit.accept(copy);
        return copy;
    }

    record Case(String name, List<Secret> remoteReplicas, List<String> expectedActions, List<String> expectedConflicts,
            int expectedInSync) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Secret tampered = edited(replica(P, "team-a", US), s -> s.setData(Map.of("a", "ZXZpbA==")));
        return Stream.of(
                new Case("empty remote cluster: creates, each carrying our origin", List.of(),
                        List.of("CREATE team-a/a origin-us", "CREATE team-b/a origin-us"), List.of(), 0),
                new Case("our replicas in sync: nothing to write",
                        List.of(replica(P, "team-a", US), replica(P, "team-b", US)), List.of(), List.of(), 2),
                new Case("our replica tampered: repaired", List.of(tampered, replica(P, "team-b", US)),
                        List.of("UPDATE team-a/a origin-us"), List.of(), 1),
                new Case("another origin's replica of a same-named policy: reported, never written",
                        List.of(replica(P, "team-a", THEM)), List.of("CREATE team-b/a origin-us"),
                        List.of("team-a/a OwnedByAnotherPolicy"), 0),
                new Case("the remote cluster's own operator's replica: reported, never written",
                        List.of(replica(P, "team-a", null)), List.of("CREATE team-b/a origin-us"),
                        List.of("team-a/a OwnedByAnotherPolicy"), 0),
                new Case("our replica in a namespace no longer targeted: released; theirs left alone",
                        List.of(replica(P, "team-a", US), replica(P, "team-b", US), replica(P, "gone", US),
                                replica(P, "gone-too", THEM)),
                        List.of("DELETE gone/a origin-us"), List.of(), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansARemoteCluster(Case c) {
        SecretSyncPolicySpec spec = spec(SRC, List.of("a"), null, null, null);
        spec.getTarget().setNamespaceSelector(new LabelSelectorBuilder().build());
        SyncPlanner.Input local = new SyncPlanner.Input(P, spec, List.of(A), List.of(namespace(SRC)), Set.of(),
                List.of(), Map.of(), Set.of("kube-system"), Set.of(P));
        Plan plan = SyncPlanner.plan(local.inCluster(REMOTE_NS, c.remoteReplicas(), Map.of(), US));

        assertThat(plan.actions()).map(a -> a.operation() + " " + a.key() + " "
                + ReplicaMetadata.origin(a.secret())).containsExactlyElementsOf(c.expectedActions());
        assertThat(plan.conflicts()).map(f -> f.getNamespace() + "/" + f.getSecret() + " " + f.getReason())
                .containsExactlyElementsOf(c.expectedConflicts());
        assertThat(plan.inSync()).isEqualTo(c.expectedInSync());
    }

    @Test
    void thisClustersPlanNeverTakesAReplicaARemoteOperatorWroteHere() {
        SecretSyncPolicySpec spec = spec(SRC, List.of("a"), null, List.of("team-a"), null);
        Plan plan = SyncPlanner.plan(new SyncPlanner.Input(P, spec, List.of(A), List.of(namespace(SRC),
                namespace("team-a")), Set.of(), List.of(replica(P, "team-a", THEM), replica(P, "old", THEM)),
                Map.of(), Set.of(), Set.of(P)));

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.conflicts()).singleElement().satisfies(f -> {
            assertThat(f.getReason()).isEqualTo(FailureReasons.OWNED_BY_ANOTHER_POLICY);
            assertThat(f.getMessage()).contains("origin origin-them");
        });
    }

    @Test
    void releasesOnlyOurOriginsReplicas() {
        List<Secret> replicas = List.of(replica(P, "team-a", US), replica(P, "team-b", THEM), replica(P, "team-c", null));

        assertThat(SyncPlanner.releaseAll(P, replicas, DeletionPolicy.Delete, US)).map(a -> a.key().toString())
                .containsExactly("team-a/a");
        assertThat(SyncPlanner.releaseAll(P, replicas, DeletionPolicy.Delete)).map(a -> a.key().toString())
                .containsExactly("team-c/a");
        assertThat(SyncPlanner.releaseVanished(replicas, Set.of(), null)).containsOnlyKeys(P)
                .extractingByKey(P).satisfies(l -> assertThat(l).map(a -> a.key().toString()).containsExactly("team-c/a"));
    }

    record Selection(String name, ClusterTargets targets, boolean local, List<String> remotes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Selection> selections() {
        var prod = new LabelSelectorBuilder().addToMatchLabels("stage", "prod").build();
        return Stream.of(
                new Selection("absent: this cluster only", null, true, List.of()),
                new Selection("names, local by default", new ClusterTargets(null, List.of("eu-2", "eu-1"), null), true,
                        List.of("eu-1", "eu-2")),
                new Selection("a name not registered is still selected (and reported)",
                        new ClusterTargets(false, List.of("nowhere"), null), false, List.of("nowhere")),
                new Selection("selector over registered clusters, with names", new ClusterTargets(true, List.of("dev-1"), prod),
                        true, List.of("dev-1", "eu-1", "us-1")),
                new Selection("empty selector: every registered cluster",
                        new ClusterTargets(false, null, new LabelSelectorBuilder().build()), false,
                        List.of("dev-1", "eu-1", "us-1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selections")
    void selectsClusters(Selection s) {
        List<ClusterSelection.Registered> registered = List.of(
                new ClusterSelection.Registered("eu-1", Map.of("stage", "prod")),
                new ClusterSelection.Registered("us-1", Map.of("stage", "prod")),
                new ClusterSelection.Registered("dev-1", Map.of("stage", "dev")));

        ClusterSelection.Result r = ClusterSelection.select(s.targets(), registered);

        assertThat(r.local()).isEqualTo(s.local());
        assertThat(r.remotes()).containsExactlyElementsOf(s.remotes());
    }
}
