package io.secretsync.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * No permanent orphans, with the packaged application: two policies sync, the operator is stopped,
 * both policies lose their finalizer and are deleted by hand, and the next start releases their
 * replicas per the deletionPolicy each one had (recorded on the replicas).
 */
class VanishedPolicyRestartIT extends PackagedOperatorHarness {

    @Test
    void replicasOfPoliciesDeletedWhileTheOperatorWasDownAreReleasedAtTheNextStart() throws Exception {
        for (String ns : List.of("default", "vp-src", "vp-a", "vp-b")) {
            client.namespaces().resource(Fixtures.namespace(ns)).create();
        }
        client.secrets().inNamespace("vp-src").resource(Fixtures.opaque("vp-src", "creds", Canary.value("vp-it")))
                .create();
        Secret bystander = client.secrets().inNamespace("vp-b")
                .resource(Fixtures.opaque("vp-b", "unrelated", Canary.value("vp-bystander"))).create();
        create("vp-delete", "vp-a", DeletionPolicy.Delete);
        create("vp-orphan", "vp-b", DeletionPolicy.Orphan);

        int port1 = freePort();
        Process first = startOperator(port1, "target/vanished-policy-1.log");
        awaitReady(first, port1, "target/vanished-policy-1.log");
        awaitSynced("vp-delete", "vp-a");
        awaitSynced("vp-orphan", "vp-b");
        stop(first, "the first operator");

        // what a user does when a deletion hangs: remove the finalizer, and the policy is gone
        for (String policy : List.of("vp-delete", "vp-orphan")) {
            client.resources(SecretSyncPolicy.class).withName(policy).edit(p -> {
                p.getMetadata().setFinalizers(null);
                return p;
            });
            client.resources(SecretSyncPolicy.class).withName(policy).delete();
            await(policy + " gone").atMost(CONVERGE)
                    .until(() -> client.resources(SecretSyncPolicy.class).withName(policy).get() == null);
        }
        assertThat(client.secrets().inAnyNamespace().withLabel(ReplicaMetadata.MANAGED_BY_LABEL).list().getItems())
                .as("replicas left labelled while the operator is down").hasSize(2);

        int port2 = freePort();
        Process second = startOperator(port2, "target/vanished-policy-2.log");
        awaitReady(second, port2, "target/vanished-policy-2.log");
        await("replicas of the vanished policies released").atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(client.secrets().inNamespace("vp-a").withName("creds").get()).as("Delete").isNull();
                    Secret orphan = client.secrets().inNamespace("vp-b").withName("creds").get();
                    assertThat(orphan).as("Orphan").isNotNull();
                    assertThat(orphan.getMetadata().getLabels()).as("Orphan")
                            .doesNotContainKeys(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.POLICY_LABEL);
                });
        assertThat(client.secrets().inNamespace("vp-b").withName("unrelated").get().getMetadata()
                .getResourceVersion()).as("a bystander Secret").isEqualTo(bystander.getMetadata().getResourceVersion());
        Canary.assertAbsent("log of the first process", Files.readString(BASEDIR.resolve("target/vanished-policy-1.log")));
        Canary.assertAbsent("log of the second process", Files.readString(BASEDIR.resolve("target/vanished-policy-2.log")));
    }

    void create(String name, String target, DeletionPolicy deletionPolicy) {
        SecretSyncPolicySpec spec = Fixtures.spec("vp-src", List.of("creds"), null, List.of(target), null);
        spec.setDeletionPolicy(deletionPolicy);
        client.resources(SecretSyncPolicy.class).resource(Fixtures.policy(name, spec)).create();
    }

    void awaitSynced(String policy, String namespace) {
        await(policy + " synced").atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Secret replica = client.secrets().inNamespace(namespace).withName("creds").get();
            assertThat(replica).isNotNull();
            assertThat(replica.getMetadata().getAnnotations())
                    .containsKey(ReplicaMetadata.DELETION_POLICY_ANNOTATION);
            assertThat(ready(policy)).isNotNull();
            assertThat(ready(policy).getReason()).isEqualTo("Synced");
        });
    }
}
