package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static io.secretsync.operator.realserver.UserEdits.retryOnConflict;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.ConflictPolicy;
import io.secretsync.operator.crd.v1alpha1.KeyMapping;
import io.secretsync.operator.crd.v1alpha1.PendingChange;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.ReplicaSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * The contract's lifecycle on a real API server, with the packaged operator under its shipped RBAC:
 * what the CRUD mock could only approximate (validation, 409 on stale writes, namespace deletion
 * finished by the controller manager, label selectors evaluated by the server, a Secret's type that
 * cannot change on update). Each test has its own namespaces and policy on the class's cluster;
 * the tests that also run on the native executable are in {@link CoreLifecycle}.
 */
class LifecycleIT extends CoreLifecycle {

    @Test
    void replicasGoWhenTheirSourceIsDeletedOrLosesTheSelectorLabel() {
        namespaces("gone-src", "gone-a", "gone-b");
        admin.secrets().inNamespace("gone-src").resource(Fixtures.opaque("gone-src", "one", "1", "dist=yes")).create();
        admin.secrets().inNamespace("gone-src").resource(Fixtures.opaque("gone-src", "two", "2", "dist=yes")).create();
        admin.secrets().inNamespace("gone-src").resource(Fixtures.opaque("gone-src", "other", "3")).create();
        create("gone", Fixtures.spec("gone-src", null, Fixtures.selector("dist=yes"), List.of("gone-a", "gone-b"),
                null));
        awaitCounts("gone", 2, 4);
        assertThat(replicas("gone")).extracting(s -> s.getMetadata().getName()).containsOnly("one", "two");

        retryOnConflict(() -> admin.secrets().inNamespace("gone-src").withName("one").edit(s -> {
            s.getMetadata().getLabels().remove("dist");
            return s;
        }));
        awaitCounts("gone", 1, 2);
        assertThat(replicas("gone")).extracting(s -> s.getMetadata().getName()).containsOnly("two");

        admin.secrets().inNamespace("gone-src").withName("two").delete();
        await("no replica of gone left").atMost(CONVERGE).until(() -> replicas("gone").isEmpty());
        await("gone reports no source and no replica").atMost(CONVERGE).until(() -> status("gone") != null
                && Integer.valueOf(0).equals(status("gone").getSyncedReplicas())
                && Integer.valueOf(0).equals(status("gone").getSourceSecrets()));
        assertThat(admin.secrets().inNamespace("gone-a").list().getItems())
                .noneMatch(s -> List.of("one", "two", "other").contains(s.getMetadata().getName()));
    }

    @Test
    void anUnmanagedSecretIsAConflictLeftUntouchedThenAdoptedWithOverwrite() {
        namespaces("conf-src", "conf-a", "conf-b");
        admin.secrets().inNamespace("conf-src").resource(Fixtures.opaque("conf-src", "shared", "ours")).create();
        Secret theirs = admin.secrets().inNamespace("conf-b")
                .resource(Fixtures.opaque("conf-b", "shared", "theirs", "owner=someone")).create();
        create("conf", Fixtures.spec("conf-src", List.of("shared"), null, List.of("conf-a", "conf-b"), null));

        awaitReason("conf", "PartiallySynced");
        SecretSyncPolicyStatus status = status("conf");
        assertThat(status.getSyncedReplicas()).isEqualTo(1);
        assertThat(status.getFailedReplicas()).isEqualTo(1);
        assertThat(status.getFailures()).extracting(ReplicaFailure::getNamespace, ReplicaFailure::getSecret,
                ReplicaFailure::getReason).containsExactly(org.assertj.core.groups.Tuple.tuple("conf-b", "shared",
                        "Conflict"));
        Secret untouched = admin.secrets().inNamespace("conf-b").withName("shared").get();
        assertThat(untouched.getMetadata().getResourceVersion()).isEqualTo(theirs.getMetadata().getResourceVersion());
        assertThat(value(untouched)).isEqualTo("theirs");

        edit("conf", spec -> spec.setConflictPolicy(ConflictPolicy.Overwrite));
        awaitReason("conf", "Synced");
        Secret adopted = admin.secrets().inNamespace("conf-b").withName("shared").get();
        assertThat(value(adopted)).isEqualTo("ours");
        assertThat(adopted.getMetadata().getLabels()).containsEntry(ReplicaMetadata.POLICY_LABEL, "conf");
        assertThat(status("conf").getFailures()).isNullOrEmpty();
        assertThat(status("conf").getSyncedReplicas()).isEqualTo(2);
    }

    @Test
    void aSuspendedPolicyWritesNothingShowsItsPreviewAndResumes() {
        namespaces("susp-src", "susp-a", "susp-b");
        admin.secrets().inNamespace("susp-src").resource(Fixtures.opaque("susp-src", "later", "v")).create();
        create("susp", spec -> {
            spec.setSource(Fixtures.spec("susp-src", List.of("later"), null, null, null).getSource());
            spec.setTarget(Fixtures.spec("susp-src", null, null, List.of("susp-a", "susp-b"), null).getTarget());
            spec.setSuspend(true);
        });
        awaitReason("susp", "Suspended");
        SecretSyncPolicyStatus status = status("susp");
        assertThat(status.getPendingChanges()).isEqualTo(2);
        assertThat(status.getPending()).extracting(PendingChange::getNamespace, PendingChange::getSecret,
                PendingChange::getOperation).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("susp-a", "later", "Create"),
                        org.assertj.core.groups.Tuple.tuple("susp-b", "later", "Create"));
        assertThat(replicas("susp")).isEmpty();
        assertThat(admin.secrets().inNamespace("susp-a").withName("later").get()).isNull();

        edit("susp", spec -> spec.setSuspend(false));
        awaitReason("susp", "Synced");
        assertThat(namespacesOf(replicas("susp"))).containsExactlyInAnyOrder("susp-a", "susp-b");
        assertThat(status("susp").getPendingChanges()).isNull();
        assertThat(status("susp").getPending()).isNullOrEmpty();
    }

    @Test
    void replicaLabelsAnnotationsAndKeysShapeTheReplicaAndATypeChangeRecreatesIt() {
        namespaces("shape-src", "shape-a");
        admin.secrets().inNamespace("shape-src").resource(Fixtures.secret("shape-src", "web", "kubernetes.io/tls",
                Map.of("tls.crt", "CERT", "tls.key", "KEY", "ca.crt", "CA"), "copied=never")).create();
        create("shape", spec -> {
            spec.setSource(Fixtures.spec("shape-src", List.of("web"), null, null, null).getSource());
            spec.setTarget(Fixtures.spec("shape-src", null, null, List.of("shape-a"), null).getTarget());
            ReplicaSpec replica = new ReplicaSpec();
            replica.setLabels(Map.of("team", "platform", "tier", "gold"));
            replica.setAnnotations(Map.of("argocd.argoproj.io/compare-options", "IgnoreExtraneous"));
            replica.setKeys(List.of(new KeyMapping("tls.crt", null), new KeyMapping("tls.key", null)));
            spec.setReplica(replica);
        });
        awaitCounts("shape", 1, 1);
        Secret tls = replica("shape-a", "web");
        assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(tls.getData()).containsOnlyKeys("tls.crt", "tls.key");
        assertThat(tls.getMetadata().getLabels()).containsEntry("team", "platform").containsEntry("tier", "gold")
                .doesNotContainKey("copied");
        assertThat(tls.getMetadata().getAnnotations())
                .containsEntry("argocd.argoproj.io/compare-options", "IgnoreExtraneous");

        // someone else labels the replica; the policy drops one of its labels
        retryOnConflict(() -> admin.secrets().inNamespace("shape-a").withName("web").edit(s -> {
            s.getMetadata().getLabels().put("added-by", "someone");
            return s;
        }));
        edit("shape", spec -> spec.getReplica().setLabels(Map.of("team", "platform")));
        await("tier removed from the replica, the other writer's label kept").atMost(CONVERGE).until(() -> {
            Map<String, String> labels = replica("shape-a", "web").getMetadata().getLabels();
            return !labels.containsKey("tier") && "someone".equals(labels.get("added-by"))
                    && "platform".equals(labels.get("team"));
        });

        // only ca.crt, renamed: the replica no longer satisfies kubernetes.io/tls and must become
        // Opaque; a real API server refuses a type change on update, so it is deleted and created
        edit("shape", spec -> spec.getReplica().setKeys(List.of(new KeyMapping("ca.crt", "trust.pem"))));
        await("the replica is Opaque with trust.pem only").atMost(CONVERGE).until(() -> {
            Secret r = replica("shape-a", "web");
            return r != null && "Opaque".equals(r.getType()) && r.getData().keySet().equals(java.util.Set.of(
                    "trust.pem"));
        });
        assertThat(Fixtures.decode(replica("shape-a", "web").getData().get("trust.pem"))).isEqualTo("CA");
        assertThat(awaitReason("shape", "Synced").getStatus()).isEqualTo("True");
        assertThat(status("shape").getFailures()).isNullOrEmpty();
    }

    @Test
    void aSourceDeletedAndCreatedAgainWithAnotherTypeIsReplicatedWithItsNewType() {
        namespaces("type-src", "type-a", "type-b");
        admin.secrets().inNamespace("type-src").resource(Fixtures.opaque("type-src", "login", "old")).create();
        create("type", Fixtures.spec("type-src", List.of("login"), null, List.of("type-a", "type-b"), null));
        awaitCounts("type", 1, 2);

        // a Secret's type cannot be changed on a real server: users delete it and create it again,
        // here back to back so that the operator may see only the new one
        admin.secrets().inNamespace("type-src").withName("login").withGracePeriod(0).delete();
        await("source deleted").atMost(CONVERGE)
                .until(() -> admin.secrets().inNamespace("type-src").withName("login").get() == null);
        admin.secrets().inNamespace("type-src").resource(Fixtures.secret("type-src", "login",
                "kubernetes.io/basic-auth", Map.of("username", "reader", "password", "new"))).create();

        await("both replicas are basic-auth with the new data").atMost(CONVERGE).until(() -> List.of("type-a", "type-b")
                .stream().map(ns -> replica(ns, "login")).allMatch(r -> r != null
                        && "kubernetes.io/basic-auth".equals(r.getType())
                        && "new".equals(Fixtures.decode(r.getData().get("password")))));
        assertThat(awaitReason("type", "Synced").getStatus()).isEqualTo("True");
        assertThat(status("type").getSyncedReplicas()).isEqualTo(2);
        assertThat(status("type").getFailures()).isNullOrEmpty();
    }

    @Test
    void aKindThatIsNotInstalledIsLookedUpOncePerRecheckIntervalNotOnEveryNamespaceEvent() {
        // the Tanzu convention is on (the default) and kpack is not installed: its policy names
        // four kinds that are missing. Every namespace event wakes every policy; looking the kinds
        // up each time cost a discovery request and a list of every CRD of the cluster per kind.
        await("the convention's policy").atMost(CONVERGE).until(() -> policy("tanzu-build-service-sync") != null);
        long mark = cluster.audit().mark();
        long start = System.nanoTime();
        admin.namespaces().resource(Fixtures.namespace("churn-src")).create();
        admin.secrets().inNamespace("churn-src").resource(Fixtures.opaque("churn-src", "c", "v")).create();
        create("churn", Fixtures.spec("churn-src", List.of("c"), null, null, Fixtures.selector("churn=yes")));
        for (int i = 0; i < 10; i++) {
            admin.namespaces().resource(Fixtures.namespace("churn-" + i, "churn=yes")).create();
        }
        awaitCounts("churn", 1, 10);
        long elapsedSeconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        long crdLists = cluster.audit().since(mark).stream().filter(AuditLog.by(ShippedOperator.USER))
                .filter(e -> e.verb().equals("list") && e.resource().equals("customresourcedefinitions")).count();
        // the default recheck interval is 30 s: four kinds, once per interval started
        assertThat(crdLists).as("lists of every CRD by the operator in %d s of namespace churn", elapsedSeconds)
                .isLessThanOrEqualTo(4 * (elapsedSeconds / 30 + 2));
    }
}
