package io.secretsync.operator.sync;

import static io.secretsync.operator.testsupport.Fixtures.b64;
import static io.secretsync.operator.testsupport.Fixtures.namespace;
import static io.secretsync.operator.testsupport.Fixtures.secret;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.KeyMapping;
import io.secretsync.operator.crd.v1alpha1.ReplicaSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;

/** spec.replica in the planner: extra metadata, kept and renamed keys, the type rule, vanished owners. */
class ReplicaShapingPlannerTest {
    private static final String P = "shaped";
    private static final String SRC = "certs";
    private static final Set<String> SYSTEM = Set.of("kube-system");
    private static final List<Namespace> NS = List.of(namespace(SRC), namespace("team-a"));

    static final Secret TLS = secret(SRC, "web", "kubernetes.io/tls",
            Map.of("tls.crt", "CERT", "tls.key", "KEY", "ca.crt", "CA"));
    static final Secret DOCKER = secret(SRC, "reg", "kubernetes.io/dockerconfigjson",
            Map.of(".dockerconfigjson", "{}"));
    static final Secret SSH = secret(SRC, "git", "kubernetes.io/ssh-auth", Map.of("ssh-privatekey", "K"));
    static final Secret BASIC = secret(SRC, "basic", "kubernetes.io/basic-auth", Map.of("username", "u", "password", "p"));

    static KeyMapping k(String key) {
        return new KeyMapping(key, null);
    }

    static KeyMapping k(String key, String target) {
        return new KeyMapping(key, target);
    }

    static SecretSyncPolicySpec shaped(String name, Consumer<ReplicaSpec> shape) {
        SecretSyncPolicySpec spec = spec(SRC, List.of(name), null, List.of("team-a"), null);
        ReplicaSpec replica = new ReplicaSpec();
        shape.accept(replica);
        spec.setReplica(replica);
        return spec;
    }

    static Plan plan(SecretSyncPolicySpec spec, List<Secret> sources, List<Secret> replicas, Set<String> live) {
        return SyncPlanner.plan(new SyncPlanner.Input(P, spec, sources, NS, Set.of(), replicas, Map.of(), SYSTEM,
                live));
    }

    /** The replica as the API server would hold it after the planned write. */
    static Secret written(Plan plan) {
        Secret s = new SecretBuilder(plan.actions().get(0).secret()).build();
        s.getMetadata().setResourceVersion("7");
        return s;
    }

    /** One row: a source, spec.replica.keys, and the type and keys its replica gets. */
    record KeysCase(String name, Secret source, List<KeyMapping> keys, String expectedType, Set<String> expectedKeys) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KeysCase> keyCases() {
        return Stream.of(
                new KeysCase("no keys: every key, same type", TLS, null, "kubernetes.io/tls",
                        Set.of("tls.crt", "tls.key", "ca.crt", "canary")),
                new KeysCase("tls keeping tls.crt and tls.key stays tls", TLS, List.of(k("tls.crt"), k("tls.key")),
                        "kubernetes.io/tls", Set.of("tls.crt", "tls.key")),
                new KeysCase("tls keeping only ca.crt becomes Opaque", TLS, List.of(k("ca.crt")), "Opaque",
                        Set.of("ca.crt")),
                new KeysCase("ca.crt renamed to trust.pem", TLS, List.of(k("ca.crt", "trust.pem")), "Opaque",
                        Set.of("trust.pem")),
                new KeysCase("tls.key renamed away: no longer tls", TLS, List.of(k("tls.crt"), k("tls.key", "key.pem")),
                        "Opaque", Set.of("tls.crt", "key.pem")),
                new KeysCase("rename onto the type's key keeps the type", TLS,
                        List.of(k("tls.crt"), k("ca.crt", "tls.key")), "kubernetes.io/tls", Set.of("tls.crt", "tls.key")),
                new KeysCase("dockerconfigjson keeping .dockerconfigjson", DOCKER, List.of(k(".dockerconfigjson")),
                        "kubernetes.io/dockerconfigjson", Set.of(".dockerconfigjson")),
                new KeysCase("dockerconfigjson without it becomes Opaque", DOCKER, List.of(k("canary")), "Opaque",
                        Set.of("canary")),
                new KeysCase("ssh-auth keeping ssh-privatekey", SSH, List.of(k("ssh-privatekey")),
                        "kubernetes.io/ssh-auth", Set.of("ssh-privatekey")),
                new KeysCase("basic-auth keeping username", BASIC, List.of(k("username")), "kubernetes.io/basic-auth",
                        Set.of("username")),
                new KeysCase("basic-auth keeping neither becomes Opaque", BASIC, List.of(k("canary")), "Opaque",
                        Set.of("canary")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyCases")
    void keysAndTheTypeRule(KeysCase c) {
        SecretSyncPolicySpec spec = shaped(c.source().getMetadata().getName(), r -> r.setKeys(c.keys()));
        if (c.keys() == null) {
            spec.setReplica(null);
        }
        Plan plan = plan(spec, List.of(c.source()), List.of(), null);
        assertThat(plan.actions()).extracting(a -> a.operation() + " " + a.key())
                .containsExactly("CREATE team-a/" + c.source().getMetadata().getName());
        Secret replica = plan.actions().get(0).secret();
        assertThat(replica.getType()).isEqualTo(c.expectedType());
        assertThat(replica.getData().keySet()).containsExactlyInAnyOrderElementsOf(c.expectedKeys());
        // a renamed key carries the source's value
        if (c.keys() != null) {
            for (KeyMapping m : c.keys()) {
                assertThat(replica.getData().get(m.effectiveTargetKey()))
                        .isEqualTo(c.source().getData().get(m.getKey()));
            }
        }
        // hashed over what the replica holds: the written replica is in sync, nothing more to do
        Plan again = plan(spec, List.of(c.source()), List.of(written(plan)), null);
        assertThat(again.actions()).isEmpty();
        assertThat(again.inSync()).isEqualTo(1);
    }

    @Test
    void aChangeToAKeyTheReplicaDoesNotHoldWritesNothing() {
        SecretSyncPolicySpec spec = shaped("web", r -> r.setKeys(List.of(k("ca.crt"))));
        Secret replica = written(plan(spec, List.of(TLS), List.of(), null));
        Secret rotated = new SecretBuilder(TLS).build();
        rotated.getData().put("tls.key", b64("NEW-KEY"));
        assertThat(plan(spec, List.of(rotated), List.of(replica), null).actions()).isEmpty();
        rotated.getData().put("ca.crt", b64("NEW-CA"));
        assertThat(plan(spec, List.of(rotated), List.of(replica), null).actions())
                .extracting(a -> a.operation() + " " + a.key()).containsExactly("UPDATE team-a/web");
    }

    @Test
    void aSourceLackingAListedKeyIsNotCopiedAndNamed() {
        SecretSyncPolicySpec spec = shaped("reg", r -> r.setKeys(List.of(k("ca.crt"))));
        Plan plan = plan(spec, List.of(DOCKER), List.of(), null);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.sources().selected()).isEmpty();
        assertThat(plan.sources().ignored()).containsEntry("reg", "lacks key ca.crt listed in spec.replica.keys");
    }

    @Test
    void extraMetadataIsAddedHashedAndRemovedWhenDropped() {
        SecretSyncPolicySpec plain = spec(SRC, List.of("web"), null, List.of("team-a"), null);
        Secret before = written(plan(plain, List.of(TLS), List.of(), null));

        SecretSyncPolicySpec argo = shaped("web", r -> {
            r.setLabels(Map.of("team", "platform"));
            r.setAnnotations(Map.of("argocd.argoproj.io/compare-options", "IgnoreExtraneous"));
        });
        Plan rollout = plan(argo, List.of(TLS), List.of(before), null);
        assertThat(rollout.actions()).extracting(a -> a.operation() + " " + a.key())
                .containsExactly("UPDATE team-a/web");
        Secret shapedReplica = written(rollout);
        assertThat(shapedReplica.getMetadata().getLabels()).containsEntry("team", "platform")
                .containsEntry(ReplicaMetadata.POLICY_LABEL, P);
        assertThat(shapedReplica.getMetadata().getAnnotations())
                .containsEntry("argocd.argoproj.io/compare-options", "IgnoreExtraneous");
        assertThat(shapedReplica.getMetadata().getAnnotations().get(ReplicaMetadata.CONTENT_HASH_ANNOTATION))
                .isNotEqualTo(before.getMetadata().getAnnotations().get(ReplicaMetadata.CONTENT_HASH_ANNOTATION));
        assertThat(plan(argo, List.of(TLS), List.of(shapedReplica), null).actions()).isEmpty();

        // someone removes our extra label by hand: restored
        Secret tampered = new SecretBuilder(shapedReplica).build();
        tampered.getMetadata().getLabels().remove("team");
        assertThat(plan(argo, List.of(TLS), List.of(tampered), null).actions()).hasSize(1);

        // a label someone else added stays; the policy's dropped label and annotation go
        Secret withTheirs = new SecretBuilder(shapedReplica).build();
        withTheirs.getMetadata().getLabels().put("theirs", "kept");
        Plan dropped = plan(plain, List.of(TLS), List.of(withTheirs), null);
        assertThat(dropped.actions()).extracting(a -> a.operation() + " " + a.key())
                .containsExactly("UPDATE team-a/web");
        Secret after = written(dropped);
        assertThat(after.getMetadata().getLabels()).doesNotContainKey("team").containsEntry("theirs", "kept");
        assertThat(after.getMetadata().getAnnotations()).doesNotContainKeys("argocd.argoproj.io/compare-options",
                ReplicaMetadata.EXTRA_LABELS_ANNOTATION, ReplicaMetadata.EXTRA_ANNOTATIONS_ANNOTATION);
        assertThat(after.getMetadata().getAnnotations().get(ReplicaMetadata.CONTENT_HASH_ANNOTATION))
                .isEqualTo(ContentHash.of(TLS));
        assertThat(plan(plain, List.of(TLS), List.of(after), null).actions()).isEmpty();
    }

    @Test
    void theSourcesOwnLabelsAndAnnotationsAreNeverCopied() {
        Secret labelled = new SecretBuilder(TLS).editMetadata().addToLabels("argocd.argoproj.io/instance", "src-app")
                .addToAnnotations("kustomize.toolkit.fluxcd.io/name", "infra").endMetadata().build();
        Secret replica = plan(shaped("web", r -> r.setLabels(Map.of("team", "platform"))), List.of(labelled),
                List.of(), null).actions().get(0).secret();
        assertThat(replica.getMetadata().getLabels()).doesNotContainKey("argocd.argoproj.io/instance");
        assertThat(replica.getMetadata().getAnnotations()).doesNotContainKey("kustomize.toolkit.fluxcd.io/name");
    }

    @Test
    void replicasWrittenBeforeTheDeletionPolicyWasRecordedAreNotRewritten() {
        SecretSyncPolicySpec plain = spec(SRC, List.of("web"), null, List.of("team-a"), null);
        Secret old = written(plan(plain, List.of(TLS), List.of(), null));
        old.getMetadata().getAnnotations().remove(ReplicaMetadata.DELETION_POLICY_ANNOTATION);
        assertThat(plan(plain, List.of(TLS), List.of(old), null).actions()).isEmpty();
        // a recorded value that no longer matches the policy is corrected
        Secret recorded = written(plan(plain, List.of(TLS), List.of(), null));
        plain.setDeletionPolicy(DeletionPolicy.Orphan);
        assertThat(plan(plain, List.of(TLS), List.of(recorded), null).actions()).hasSize(1);
    }

    @Test
    void aReplicaOfAVanishedPolicyIsAdoptedNotAConflict() {
        SecretSyncPolicySpec plain = spec(SRC, List.of("web"), null, List.of("team-a"), null);
        Secret leftBehind = SyncPlannerTest.replicaOf("gone", TLS, "team-a");
        assertThat(plan(plain, List.of(TLS), List.of(leftBehind), Set.of(P, "other")).actions())
                .extracting(a -> a.operation() + " " + a.key() + " " + a.secret().getMetadata().getLabels()
                        .get(ReplicaMetadata.POLICY_LABEL))
                .containsExactly("UPDATE team-a/web " + P);
        assertThat(plan(plain, List.of(TLS), List.of(leftBehind), Set.of(P, "gone")).conflicts())
                .extracting(f -> f.getReason()).containsExactly(FailureReasons.OWNED_BY_ANOTHER_POLICY);
        // a vanished policy's replica of another source is not overwritten: the sweep releases it first
        Secret otherSource = SyncPlannerTest.replicaOf("gone", secret("elsewhere", "web", "Opaque", Map.of("x", "y")),
                "team-a");
        assertThat(plan(plain, List.of(TLS), List.of(otherSource), Set.of(P)).conflicts())
                .singleElement().satisfies(f -> {
                    assertThat(f.getReason()).isEqualTo(FailureReasons.OWNED_BY_ANOTHER_POLICY);
                    assertThat(f.getMessage()).contains("gone, which no longer exists");
                });
    }

    @Test
    void vanishedPoliciesAreReleasedPerTheRecordedDeletionPolicy() {
        SecretSyncPolicySpec plain = spec(SRC, List.of("web"), null, List.of("team-a"), null);
        Secret delete = written(plan(plain, List.of(TLS), List.of(), null));
        plain.setDeletionPolicy(DeletionPolicy.Orphan);
        Secret orphan = new SecretBuilder(written(plan(plain, List.of(TLS), List.of(), null))).editMetadata()
                .withNamespace("team-b").endMetadata().build();
        Secret unrecorded = SyncPlannerTest.replicaOf("old", TLS, "team-c");
        Secret alive = SyncPlannerTest.replicaOf("alive", TLS, "team-d");
        Map<String, List<ReplicaAction>> release = SyncPlanner.releaseVanished(
                List.of(delete, orphan, unrecorded, alive), Set.of("alive"));
        List<String> got = new ArrayList<>();
        release.forEach((policy, actions) -> actions.forEach(a -> got.add(policy + " " + a.operation() + " " + a.key())));
        assertThat(got).containsExactly("old ORPHAN team-c/web", P + " DELETE team-a/web", P + " ORPHAN team-b/web");
        ReplicaAction orphaned = release.get(P).get(1);
        assertThat(orphaned.secret().getMetadata().getLabels()).doesNotContainKeys(ReplicaMetadata.MANAGED_BY_LABEL,
                ReplicaMetadata.POLICY_LABEL);
        assertThat(orphaned.secret().getMetadata().getAnnotations())
                .doesNotContainKey(ReplicaMetadata.DELETION_POLICY_ANNOTATION);
    }
}
