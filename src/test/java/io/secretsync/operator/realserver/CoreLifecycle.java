package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static io.secretsync.operator.realserver.UserEdits.retryOnConflict;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * The heart of the contract's lifecycle on a real API server, with the shipped operator under its
 * shipped RBAC: a policy copies its source and follows an update, a tampered or deleted replica is
 * repaired, namespaces that start and stop matching or are deleted are followed, a deleted policy
 * releases its replicas per deletionPolicy. {@link LifecycleIT} runs them on the jar with the rest
 * of the lifecycle, {@link LifecycleExecutableIT} on the native executable. Each test has its own
 * namespaces and policy on the class's cluster.
 */
abstract class CoreLifecycle extends RealServerTest {

    @Test
    void aPolicyCopiesItsSourceIntoTheSelectedNamespacesAndFollowsAnUpdate() {
        admin.namespaces().resource(Fixtures.namespace("life-src")).create();
        for (String ns : List.of("life-a", "life-b")) {
            admin.namespaces().resource(Fixtures.namespace(ns, "life=yes")).create();
        }
        admin.secrets().inNamespace("life-src").resource(Fixtures.opaque("life-src", "reg", "v1")).create();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("life",
                Fixtures.spec("life-src", List.of("reg"), null, null, Fixtures.selector("life=yes")))).create();

        awaitReason("life", "Synced");
        assertThat(replicas("life")).extracting(s -> s.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("life-a", "life-b");

        Secret source = admin.secrets().inNamespace("life-src").withName("reg").get();
        source.getData().put("value", Fixtures.b64("v2"));
        admin.secrets().inNamespace("life-src").resource(source).update();
        await("both replicas carry v2").atMost(CONVERGE).until(() -> replicas("life").stream()
                .allMatch(r -> "v2".equals(Fixtures.decode(r.getData().get("value")))));
        assertThat(replicas("life")).allSatisfy(r -> assertThat(r.getMetadata().getLabels())
                .containsEntry(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE));
    }

    @Test
    void aTamperedReplicaIsRestoredAndADeletedOneCreatedAgain() {
        namespaces("tamper-src", "tamper-a", "tamper-b");
        admin.secrets().inNamespace("tamper-src").resource(Fixtures.opaque("tamper-src", "creds", "right")).create();
        create("tamper", Fixtures.spec("tamper-src", List.of("creds"), null, List.of("tamper-a", "tamper-b"), null));
        awaitReason("tamper", "Synced");

        // someone edits a replica's data with kubectl edit: an update on the real server
        retryOnConflict(() -> admin.secrets().inNamespace("tamper-a").withName("creds").edit(s -> {
            s.getData().put("value", Fixtures.b64("wrong"));
            return s;
        }));
        admin.secrets().inNamespace("tamper-b").withName("creds").delete();

        await("tamper-a restored, tamper-b created again").atMost(CONVERGE).until(() -> {
            Secret a = replica("tamper-a", "creds");
            Secret b = replica("tamper-b", "creds");
            return a != null && b != null && "right".equals(value(a)) && "right".equals(value(b));
        });
        assertThat(awaitReason("tamper", "Synced").getStatus()).isEqualTo("True");
        assertThat(status("tamper").getSyncedReplicas()).isEqualTo(2);
    }

    @Test
    void namespacesThatStartAndStopMatchingAndADeletedNamespaceAreFollowed() {
        namespaces("ns-src");
        admin.namespaces().resource(Fixtures.namespace("ns-one", "nsfollow=yes")).create();
        admin.namespaces().resource(Fixtures.namespace("ns-two")).create();
        admin.secrets().inNamespace("ns-src").resource(Fixtures.opaque("ns-src", "ca", "v1")).create();
        create("nsfollow", Fixtures.spec("ns-src", List.of("ca"), null, null, Fixtures.selector("nsfollow=yes")));
        awaitCounts("nsfollow", 1, 1);

        // a new namespace with the label, and an existing one relabelled
        admin.namespaces().resource(Fixtures.namespace("ns-three", "nsfollow=yes")).create();
        retryOnConflict(() -> admin.namespaces().withName("ns-two").edit(ns -> label(ns, "nsfollow", "yes")));
        awaitCounts("nsfollow", 1, 3);
        assertThat(namespacesOf(replicas("nsfollow"))).containsExactlyInAnyOrder("ns-one", "ns-two", "ns-three");

        // the label removed: its replica goes, the namespace stays
        retryOnConflict(() -> admin.namespaces().withName("ns-one").edit(ns -> label(ns, "nsfollow", null)));
        awaitCounts("nsfollow", 1, 2);
        assertThat(replica("ns-one", "ca")).isNull();

        // a namespace deleted: the controller manager deletes its Secrets and then the namespace;
        // the operator must not try to write into it meanwhile (a real server refuses creates in a
        // terminating namespace) and must leave no failure behind
        admin.namespaces().withName("ns-three").delete();
        await("namespace ns-three deleted by the controller manager").atMost(CONVERGE)
                .until(() -> admin.namespaces().withName("ns-three").get() == null);
        awaitCounts("nsfollow", 1, 1);
        SecretSyncPolicyStatus status = status("nsfollow");
        assertThat(status.getFailedReplicas()).isZero();
        assertThat(status.getFailures()).isNullOrEmpty();
        assertThat(ready("nsfollow").getReason()).isEqualTo("Synced");
        assertThat(namespacesOf(replicas("nsfollow"))).containsExactly("ns-two");
    }

    @Test
    void deletingAPolicyWithDeletionPolicyDeleteRemovesItsReplicasAndThePolicy() {
        namespaces("del-src", "del-a", "del-b");
        admin.secrets().inNamespace("del-src").resource(Fixtures.opaque("del-src", "tok", "v")).create();
        create("del", Fixtures.spec("del-src", List.of("tok"), null, List.of("del-a", "del-b"), null));
        awaitCounts("del", 1, 2);
        assertThat(policy("del").getMetadata().getFinalizers()).contains("secretsync.io/finalizer");

        admin.resources(SecretSyncPolicy.class).withName("del").delete();
        await("policy del gone (finalizer removed)").atMost(CONVERGE).until(() -> policy("del") == null);
        assertThat(replica("del-a", "tok")).isNull();
        assertThat(replica("del-b", "tok")).isNull();
        assertThat(admin.secrets().inNamespace("del-src").withName("tok").get()).as("the source").isNotNull();
    }

    @Test
    void deletingAPolicyWithDeletionPolicyOrphanLeavesItsReplicasUnlabelledWithTheirData() {
        namespaces("orph-src", "orph-a");
        admin.secrets().inNamespace("orph-src").resource(Fixtures.opaque("orph-src", "keep", "kept")).create();
        create("orph", spec -> {
            spec.setSource(Fixtures.spec("orph-src", List.of("keep"), null, null, null).getSource());
            spec.setTarget(Fixtures.spec("orph-src", null, null, List.of("orph-a"), null).getTarget());
            spec.setDeletionPolicy(DeletionPolicy.Orphan);
        });
        awaitCounts("orph", 1, 1);

        admin.resources(SecretSyncPolicy.class).withName("orph").delete();
        await("policy orph gone").atMost(CONVERGE).until(() -> policy("orph") == null);
        Secret left = admin.secrets().inNamespace("orph-a").withName("keep").get();
        assertThat(left).as("the orphaned replica").isNotNull();
        assertThat(value(left)).isEqualTo("kept");
        assertThat(left.getMetadata().getLabels()).doesNotContainKeys(ReplicaMetadata.MANAGED_BY_LABEL,
                ReplicaMetadata.POLICY_LABEL);
        assertThat(left.getMetadata().getAnnotations()).doesNotContainKey(ReplicaMetadata.CONTENT_HASH_ANNOTATION)
                .containsEntry(ReplicaMetadata.SOURCE_ANNOTATION, "orph-src/keep");
    }

    // ---- helpers ----------------------------------------------------------------------------

    protected void namespaces(String... names) {
        for (String ns : names) {
            admin.namespaces().resource(Fixtures.namespace(ns)).create();
        }
    }

    protected void create(String name, SecretSyncPolicySpec spec) {
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy(name, spec)).create();
    }

    protected void create(String name, Consumer<SecretSyncPolicySpec> shape) {
        SecretSyncPolicySpec spec = new SecretSyncPolicySpec();
        shape.accept(spec);
        create(name, spec);
    }

    /** A user's edit of the spec (kubectl edit: the server bumps metadata.generation). */
    protected void edit(String name, Consumer<SecretSyncPolicySpec> change) {
        retryOnConflict(() -> admin.resources(SecretSyncPolicy.class).withName(name).edit(p -> {
            change.accept(p.getSpec());
            return p;
        }));
    }

    protected SecretSyncPolicyStatus status(String name) {
        SecretSyncPolicy p = policy(name);
        return p == null ? null : p.getStatus();
    }

    /** Waits until the status of the current generation counts these sources and replicas, in sync. */
    protected void awaitCounts(String name, int sources, int replicas) {
        await(name + " counts " + sources + " sources, " + replicas + " replicas; operator log " + operator.log())
                .atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).until(() -> {
                    SecretSyncPolicy p = policy(name);
                    SecretSyncPolicyStatus s = p == null ? null : p.getStatus();
                    return s != null && p.getMetadata().getGeneration().equals(s.getObservedGeneration())
                            && Integer.valueOf(sources).equals(s.getSourceSecrets())
                            && Integer.valueOf(replicas).equals(s.getSyncedReplicas())
                            && replicas(name).size() == replicas;
                });
    }

    protected Secret replica(String namespace, String name) {
        return admin.secrets().inNamespace(namespace).withName(name).get();
    }

    protected static String value(Secret s) {
        return Fixtures.decode(s.getData().get("value"));
    }

    protected static List<String> namespacesOf(List<Secret> secrets) {
        return secrets.stream().map(s -> s.getMetadata().getNamespace()).toList();
    }

    protected static Namespace label(Namespace ns, String key, String value) {
        Map<String, String> labels = new HashMap<>(
                ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels());
        if (value == null) {
            labels.remove(key);
        } else {
            labels.put(key, value);
        }
        ns.getMetadata().setLabels(labels);
        return ns;
    }}
