package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.b64;
import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.selector;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.sync.ContentHash;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * A replica carries the contract's labels and annotations and follows its source through every
 * lifecycle event: created, updated, restored after tampering, removed when no longer wanted.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ReplicaLifecycleTest extends OperatorTestSupport {

    @Test
    void replicaCarriesExactlyTheContractMetadata() {
        createNamespace("meta-src");
        createNamespace("meta-a");
        Secret source = opaque("meta-src", "creds", "v1", "team=builds");
        source.getMetadata().setAnnotations(Map.of("owner", "platform"));
        Secret created = createSecret(source);
        createPolicy("meta", spec("meta-src", List.of("creds"), null, List.of("meta-a"), null));
        Secret replica = awaitSecret("meta-a", "creds");
        assertThat(replica.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/managed-by", "secretsync-operator", "secretsync.io/policy", "meta"));
        assertThat(replica.getMetadata().getAnnotations()).containsOnlyKeys("secretsync.io/source",
                "secretsync.io/source-uid", "secretsync.io/content-hash", "secretsync.io/deletion-policy")
                .containsEntry("secretsync.io/source", "meta-src/creds")
                .containsEntry("secretsync.io/deletion-policy", "Delete")
                .containsEntry("secretsync.io/source-uid", created.getMetadata().getUid())
                .containsEntry("secretsync.io/content-hash", ContentHash.of(created));
        assertThat(replica.getType()).isEqualTo("Opaque");
        assertThat(replica.getData()).isEqualTo(created.getData());
    }

    @Test
    void sourceCreatedUpdatedDeleted() {
        createNamespace("src-life");
        createNamespace("src-life-a");
        createNamespace("src-life-b");
        createPolicy("src-life", spec("src-life", List.of("creds"), null, List.of("src-life-a", "src-life-b"), null));
        awaitReady("src-life", "False", "SourceNotFound");

        createSecret(opaque("src-life", "creds", "v1"));
        awaitSecret("src-life-a", "creds");
        awaitSecret("src-life-b", "creds");
        awaitReady("src-life", "True", "Synced");

        editSecret("src-life", "creds", s -> s.setData(Map.of("value", b64("v2"))));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(value(secret("src-life-a", "creds"), "value")).isEqualTo("v2");
            assertThat(value(secret("src-life-b", "creds"), "value")).isEqualTo("v2");
        });

        client.secrets().inNamespace("src-life").withName("creds").delete();
        awaitNoSecret("src-life-a", "creds");
        awaitNoSecret("src-life-b", "creds");
        awaitReady("src-life", "False", "SourceNotFound");
    }

    @Test
    void sourceRelabelledOutOfTheSelector() {
        createNamespace("relabel-src");
        createNamespace("relabel-a");
        createSecret(opaque("relabel-src", "creds", "v", "sync=true"));
        createPolicy("relabel", spec("relabel-src", null, selector("sync=true"), List.of("relabel-a"), null));
        awaitSecret("relabel-a", "creds");
        editSecret("relabel-src", "creds", s -> s.getMetadata().getLabels().remove("sync"));
        awaitNoSecret("relabel-a", "creds");
        awaitReady("relabel", "False", "SourceNotFound");
    }

    @Test
    void namespaceCreatedRelabelledInOutAndExcluded() {
        createNamespace("ns-life-src");
        createSecret(opaque("ns-life-src", "creds", "v"));
        createPolicy("ns-life", spec("ns-life-src", List.of("creds"), null, null, selector("builds=enabled")));
        awaitReady("ns-life", "True", "Synced");

        createNamespace("ns-life-new", "builds=enabled");
        awaitSecret("ns-life-new", "creds");

        createNamespace("ns-life-later");
        editNamespace("ns-life-later", ns -> ns.getMetadata().setLabels(Map.of("builds", "enabled")));
        awaitSecret("ns-life-later", "creds");

        editNamespace("ns-life-later", ns -> ns.getMetadata().setLabels(Map.of()));
        awaitNoSecret("ns-life-later", "creds");

        editNamespace("ns-life-new", ns -> ns.getMetadata().getLabels().put("secretsync.io/exclude", "true"));
        awaitNoSecret("ns-life-new", "creds");
    }

    @Test
    void replicaDeletedOrEditedByHandIsRestored() {
        createNamespace("restore-src");
        createNamespace("restore-a");
        createSecret(opaque("restore-src", "creds", "good"));
        createPolicy("restore", spec("restore-src", List.of("creds"), null, List.of("restore-a"), null));
        awaitSecret("restore-a", "creds");

        client.secrets().inNamespace("restore-a").withName("creds").delete();
        await().atMost(TIMEOUT).until(() -> secret("restore-a", "creds") != null);

        editSecret("restore-a", "creds", s -> s.setData(Map.of("value", b64("tampered"))));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(value(secret("restore-a", "creds"), "value"))
                .isEqualTo("good"));

        editSecret("restore-a", "creds", s -> s.getMetadata().getAnnotations().remove("secretsync.io/content-hash"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(secret("restore-a", "creds").getMetadata()
                .getAnnotations()).containsKey("secretsync.io/content-hash"));
    }

    @Test
    void policyChangedSoPairsAreNoLongerSelected() {
        createNamespace("chg-src");
        createNamespace("chg-a");
        createNamespace("chg-b");
        createSecret(opaque("chg-src", "one", "1"));
        createSecret(opaque("chg-src", "two", "2"));
        createPolicy("chg", spec("chg-src", List.of("one", "two"), null, List.of("chg-a", "chg-b"), null));
        awaitSecret("chg-b", "two");
        updatePolicy("chg", s -> {
            s.getSource().setNames(List.of("one"));
            s.getTarget().setNamespaces(List.of("chg-a"));
        });
        awaitNoSecret("chg-b", "two");
        awaitNoSecret("chg-b", "one");
        awaitNoSecret("chg-a", "two");
        assertThat(secret("chg-a", "one")).isNotNull();
        await().atMost(TIMEOUT).until(() -> Integer.valueOf(1).equals(policy("chg").getStatus().getSyncedReplicas()));
    }

    @Test
    void policyDeletedWithDeletionPolicyDelete() {
        createNamespace("del-src");
        createNamespace("del-a");
        createSecret(opaque("del-src", "creds", "v"));
        createPolicy("del", spec("del-src", List.of("creds"), null, List.of("del-a"), null));
        awaitSecret("del-a", "creds");
        deletePolicy("del");
        awaitNoSecret("del-a", "creds");
        await().atMost(TIMEOUT).until(() -> policy("del") == null);
        assertThat(secret("del-src", "creds")).as("the source is never touched").isNotNull();
    }

    @Test
    void policyDeletedWithDeletionPolicyOrphan() {
        createNamespace("orphan-src");
        createNamespace("orphan-a");
        createSecret(opaque("orphan-src", "creds", "kept"));
        var spec = spec("orphan-src", List.of("creds"), null, List.of("orphan-a"), null);
        spec.setDeletionPolicy(DeletionPolicy.Orphan);
        createPolicy("orphan", spec);
        awaitSecret("orphan-a", "creds");
        deletePolicy("orphan");
        await().atMost(TIMEOUT).until(() -> policy("orphan") == null);
        Secret left = secret("orphan-a", "creds");
        assertThat(left).isNotNull();
        assertThat(labels(left)).doesNotContainKeys("app.kubernetes.io/managed-by", "secretsync.io/policy");
        assertThat(value(left, "value")).isEqualTo("kept");
    }

    @Test
    void suspendedPolicyWritesNothing() {
        createNamespace("susp-src");
        createNamespace("susp-a");
        createSecret(opaque("susp-src", "creds", "v1"));
        createPolicy("susp", spec("susp-src", List.of("creds"), null, List.of("susp-a"), null));
        awaitSecret("susp-a", "creds");
        updatePolicy("susp", s -> s.setSuspend(true));
        awaitReady("susp", "False", "Suspended");

        String before = secret("susp-a", "creds").getMetadata().getResourceVersion();
        editSecret("susp-src", "creds", s -> s.setData(Map.of("value", b64("v2"))));
        createNamespace("susp-b");
        updatePolicy("susp", s -> s.getTarget().setNamespaces(List.of("susp-a", "susp-b")));
        await().atMost(TIMEOUT).until(() -> policy("susp").getStatus().getConditions().get(0).getMessage()
                .contains("2 changes pending"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> secret("susp-b", "creds") == null
                && before.equals(secret("susp-a", "creds").getMetadata().getResourceVersion()));

        updatePolicy("susp", s -> s.setSuspend(false));
        awaitSecret("susp-b", "creds");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(value(secret("susp-a", "creds"), "value")).isEqualTo("v2"));
        awaitReady("susp", "True", "Synced");
    }
}
