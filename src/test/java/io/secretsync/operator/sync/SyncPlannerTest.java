package io.secretsync.operator.sync;

import static io.secretsync.operator.testsupport.Fixtures.namespace;
import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.secret;
import static io.secretsync.operator.testsupport.Fixtures.selector;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.crd.v1alpha1.ConflictPolicy;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;

class SyncPlannerTest {
    private static final String P = "creds";
    private static final String SRC = "build-service";
    private static final Set<String> SYSTEM = Set.of("kube-system", "kube-public", "kube-node-lease");

    /** One row: a cluster, a policy, and the writes and conflicts the planner must come up with. */
    record Case(String name, SecretSyncPolicySpec spec, List<Secret> sources, List<Namespace> namespaces,
            List<Secret> replicas, Map<ReplicaKey, Secret> unmanaged, List<String> expectedActions,
            List<String> expectedConflicts, int expectedInSync) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Secret replicaOf(Secret source, String ns) {
        return replicaOf(P, source, ns);
    }

    static Secret replicaOf(String policy, Secret source, String ns) {
        Secret r = Replicas.desired(policy, source, ns, ContentHash.of(source));
        r.getMetadata().setResourceVersion("1");
        return r;
    }

    static Secret edited(Secret s, Consumer<Secret> edit) {
        Secret copy = new io.fabric8.kubernetes.api.model.SecretBuilder(s).build();
        edit.accept(copy);
        return copy;
    }

    static SecretSyncPolicySpec with(SecretSyncPolicySpec spec, Consumer<SecretSyncPolicySpec> edit) {
        edit.accept(spec);
        return spec;
    }

    static final Secret A = opaque(SRC, "a", "alpha", "team=builds");
    static final Secret B = opaque(SRC, "b", "beta");
    static final Secret DOCKER = secret(SRC, "reg", Fixtures.DOCKERCONFIGJSON, Map.of(".dockerconfigjson", "{}"),
            "team=builds");
    static final Secret TOKEN = secret(SRC, "tok", SecretTypes.SERVICE_ACCOUNT_TOKEN, Map.of("token", "t"),
            "team=builds");
    static final List<Namespace> NS = List.of(namespace(SRC), namespace("team-a", "env=dev"),
            namespace("team-b", "env=prod"), namespace("kube-system"));

    static Stream<Case> cases() {
        return Stream.of(
                new Case("source by name into named namespaces", spec(SRC, List.of("a"), null, List.of("team-a", "team-b"), null),
                        List.of(A, B), NS, List.of(), Map.of(),
                        List.of("CREATE team-a/a", "CREATE team-b/a"), List.of(), 0),
                new Case("source by selector; unlabelled b not selected", spec(SRC, null, selector("team=builds"), List.of("team-a"), null),
                        List.of(A, B, DOCKER), NS, List.of(), Map.of(),
                        List.of("CREATE team-a/a", "CREATE team-a/reg"), List.of(), 0),
                new Case("names or selector: either selects", spec(SRC, List.of("b"), selector("team=builds"), List.of("team-a"), null),
                        List.of(A, B), NS, List.of(), Map.of(),
                        List.of("CREATE team-a/a", "CREATE team-a/b"), List.of(), 0),
                new Case("matchExpressions In / NotIn evaluated in memory",
                        spec(SRC, null, new LabelSelectorBuilder().addNewMatchExpression().withKey("team")
                                .withOperator("NotIn").withValues("builds").endMatchExpression().build(), List.of("team-a"), null),
                        List.of(A, B), NS, List.of(), Map.of(), List.of("CREATE team-a/b"), List.of(), 0),
                new Case("types filter", with(spec(SRC, null, selector("team=builds"), List.of("team-a"), null),
                        s -> s.getSource().setTypes(List.of(Fixtures.DOCKERCONFIGJSON))),
                        List.of(A, DOCKER), NS, List.of(), Map.of(), List.of("CREATE team-a/reg"), List.of(), 0),
                new Case("service-account tokens are never sources", spec(SRC, List.of("tok"), selector("team=builds"), List.of("team-a"), null),
                        List.of(TOKEN), NS, List.of(), Map.of(), List.of(), List.of(), 0),
                new Case("replicas are never sources", spec(SRC, null, selector(), List.of("team-a"), null),
                        List.of(replicaOf("other", B, SRC)), NS, List.of(), Map.of(), List.of(), List.of(), 0),
                new Case("namespaceSelector {} = every namespace but source and system ones", spec(SRC, List.of("a"), null, null, selector()),
                        List.of(A), NS, List.of(), Map.of(), List.of("CREATE team-a/a", "CREATE team-b/a"), List.of(), 0),
                new Case("namespaceSelector by label", spec(SRC, List.of("a"), null, null, selector("env=prod")),
                        List.of(A), NS, List.of(), Map.of(), List.of("CREATE team-b/a"), List.of(), 0),
                new Case("excludeNamespaces and opt-out label", with(spec(SRC, List.of("a"), null, null, selector()),
                        s -> s.getTarget().setExcludeNamespaces(List.of("team-a"))),
                        List.of(A), List.of(namespace("team-a"), namespace("team-b"), namespace("team-c", "secretsync.io/exclude=true")),
                        List.of(), Map.of(), List.of("CREATE team-b/a"), List.of(), 0),
                new Case("terminating namespace is not a target", spec(SRC, List.of("a"), null, null, selector()),
                        List.of(A), List.of(namespace("team-a"), terminating("team-b")), List.of(), Map.of(),
                        List.of("CREATE team-a/a"), List.of(), 0),
                new Case("converged: nothing to do", spec(SRC, List.of("a"), null, List.of("team-a", "team-b"), null),
                        List.of(A), NS, List.of(replicaOf(A, "team-a"), replicaOf(A, "team-b")), Map.of(),
                        List.of(), List.of(), 2),
                new Case("source data changed: update", spec(SRC, List.of("a"), null, List.of("team-a"), null),
                        List.of(opaque(SRC, "a", "alpha-2")), NS, List.of(replicaOf(A, "team-a")), Map.of(),
                        List.of("UPDATE team-a/a"), List.of(), 0),
                new Case("replica data edited by hand, annotation intact: restored", spec(SRC, List.of("a"), null, List.of("team-a"), null),
                        List.of(A), NS, List.of(edited(replicaOf(A, "team-a"), s -> s.getData().put("value", Fixtures.b64("hacked")))),
                        Map.of(), List.of("UPDATE team-a/a"), List.of(), 0),
                new Case("source type changed: recreate", spec(SRC, List.of("a"), null, List.of("team-a"), null),
                        List.of(secret(SRC, "a", "kubernetes.io/basic-auth", Map.of("value", "alpha"))), NS,
                        List.of(replicaOf(A, "team-a")), Map.of(), List.of("RECREATE team-a/a"), List.of(), 0),
                new Case("namespace no longer selected: delete", spec(SRC, List.of("a"), null, List.of("team-a"), null),
                        List.of(A), NS, List.of(replicaOf(A, "team-a"), replicaOf(A, "team-b")), Map.of(),
                        List.of("DELETE team-b/a"), List.of(), 1),
                new Case("source gone, deletionPolicy Orphan: orphan", with(spec(SRC, List.of("a"), null, List.of("team-a"), null),
                        s -> s.setDeletionPolicy(DeletionPolicy.Orphan)),
                        List.of(), NS, List.of(replicaOf(A, "team-a")), Map.of(), List.of("ORPHAN team-a/a"), List.of(), 0),
                new Case("another policy's replica is never touched, even when stale", spec(SRC, List.of("a"), null, List.of("team-a"), null),
                        List.of(), NS, List.of(replicaOf("other", A, "team-b")), Map.of(), List.of(), List.of(), 0),
                new Case("unmanaged Secret, Skip: conflict", spec(SRC, List.of("a"), null, List.of("team-a"), null),
                        List.of(A), NS, List.of(), Map.of(new ReplicaKey("team-a", "a"), opaque("team-a", "a", "theirs")),
                        List.of(), List.of("team-a/a Conflict"), 0),
                new Case("unmanaged Secret, Overwrite: adopt", with(spec(SRC, List.of("a"), null, List.of("team-a"), null),
                        s -> s.setConflictPolicy(ConflictPolicy.Overwrite)),
                        List.of(A), NS, List.of(), Map.of(new ReplicaKey("team-a", "a"), opaque("team-a", "a", "theirs")),
                        List.of("UPDATE team-a/a"), List.of(), 0),
                new Case("replica of another policy at our place: OwnedByAnotherPolicy", with(spec(SRC, List.of("a"), null, List.of("team-a"), null),
                        s -> s.setConflictPolicy(ConflictPolicy.Overwrite)),
                        List.of(A), NS, List.of(replicaOf("other", A, "team-a")), Map.of(),
                        List.of(), List.of("team-a/a OwnedByAnotherPolicy"), 0));
    }

    static Namespace terminating(String name) {
        Namespace ns = namespace(name);
        ns.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        return ns;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plans(Case c) {
        Plan plan = SyncPlanner.plan(new SyncPlanner.Input(P, c.spec(), c.sources(), c.namespaces(), Set.of(),
                c.replicas(), c.unmanaged(), SYSTEM));
        List<String> actions = new ArrayList<>();
        plan.actions().forEach(a -> actions.add(a.operation() + " " + a.key()));
        List<String> conflicts = new ArrayList<>();
        plan.conflicts().forEach(f -> conflicts.add(f.getNamespace() + "/" + f.getSecret() + " " + f.getReason()));
        assertThat(actions).as("actions").containsExactlyElementsOf(c.expectedActions());
        assertThat(conflicts).as("conflicts").containsExactlyElementsOf(c.expectedConflicts());
        assertThat(plan.inSync()).as("in sync").isEqualTo(c.expectedInSync());
    }

    @org.junit.jupiter.api.Test
    void replicaCarriesExactlyTheContractMetadataAndNotTheSourceLabels() {
        Secret source = opaque(SRC, "a", "alpha", "team=builds");
        source.getMetadata().setAnnotations(Map.of("note", "private"));
        Plan plan = SyncPlanner.plan(new SyncPlanner.Input(P, spec(SRC, List.of("a"), null, List.of("team-a"), null),
                List.of(source), NS, Set.of(), List.of(), Map.of(), SYSTEM));
        Secret replica = plan.actions().get(0).secret();
        assertThat(replica.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/managed-by", "secretsync-operator", "secretsync.io/policy", P));
        assertThat(replica.getMetadata().getAnnotations()).containsOnlyKeys("secretsync.io/source",
                "secretsync.io/source-uid", "secretsync.io/content-hash", "secretsync.io/deletion-policy");
        assertThat(replica.getMetadata().getAnnotations()).containsEntry("secretsync.io/deletion-policy", "Delete");
        // without spec.replica the content hash is the digest of type and data, as before
        assertThat(replica.getMetadata().getAnnotations()).containsEntry("secretsync.io/content-hash",
                ContentHash.of(source));
        assertThat(replica.getMetadata().getAnnotations()).containsEntry("secretsync.io/source", SRC + "/a")
                .containsEntry("secretsync.io/source-uid", "uid-build-service-a");
        assertThat(replica.getMetadata().getAnnotations().get("secretsync.io/content-hash")).matches("sha256:[0-9a-f]{64}");
        assertThat(replica.getData()).isEqualTo(source.getData());
        assertThat(replica.getType()).isEqualTo("Opaque");
    }

    @org.junit.jupiter.api.Test
    void orphanedReplicaLosesOurLabelsAndKeepsItsData() {
        Secret replica = replicaOf(A, "team-a");
        List<ReplicaAction> release = SyncPlanner.releaseAll(P, List.of(replica, replicaOf("other", A, "team-b")),
                DeletionPolicy.Orphan);
        assertThat(release).hasSize(1);
        Secret orphan = release.get(0).secret();
        assertThat(orphan.getMetadata().getLabels()).doesNotContainKeys(ReplicaMetadata.MANAGED_BY_LABEL,
                ReplicaMetadata.POLICY_LABEL);
        assertThat(orphan.getData()).isEqualTo(replica.getData());
    }
}
