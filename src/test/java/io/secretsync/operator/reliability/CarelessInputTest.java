package io.secretsync.operator.reliability;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * Hostile and careless input that once left replicas missing or labelled forever: a replica
 * relabelled to claim another policy, a conflicting Secret deleted, replicas whose policy vanished.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CarelessInputTest extends OperatorTestSupport {

    @Test
    void aReplicaRelabelledToClaimAnotherPolicyIsRestoredByItsRealOwner() {
        createNamespace("rl-src");
        createNamespace("rl-a");
        createNamespace("rl-b");
        createSecret(opaque("rl-src", "creds", "a"));
        createSecret(opaque("rl-src", "other", "b"));
        createPolicy("rl-owner", spec("rl-src", List.of("creds"), null, List.of("rl-a"), null));
        createPolicy("rl-claimed", spec("rl-src", List.of("other"), null, List.of("rl-b"), null));
        Secret original = awaitSecret("rl-a", "creds");
        awaitSecret("rl-b", "other");
        awaitReady("rl-owner", "True", "Synced");

        // a tenant edits the replica to claim the other policy, which does not want it and deletes it
        editSecret("rl-a", "creds", s -> s.getMetadata().getLabels().put("secretsync.io/policy", "rl-claimed"));
        // the real owner wakes and restores its replica (not after the 10-minute resync)
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Secret s = secret("rl-a", "creds");
            assertThat(s).isNotNull();
            assertThat(labels(s)).containsEntry("secretsync.io/policy", "rl-owner");
            assertThat(s.getMetadata().getUid()).isNotEqualTo(original.getMetadata().getUid());
        });
        awaitReady("rl-owner", "True", "Synced");
    }

    @Test
    void aDeletedConflictingSecretGetsItsReplicaWithoutAnyOtherEvent() {
        createNamespace("heal-src");
        createNamespace("heal-a");
        createSecret(opaque("heal-src", "creds", "ours"));
        createSecret(opaque("heal-a", "creds", "theirs"));
        createPolicy("heal", spec("heal-src", List.of("creds"), null, List.of("heal-a"), null));
        awaitReady("heal", "False", "PartiallySynced");
        // nothing the operator watches changes: only the policy's conflict re-check can notice
        client.secrets().inNamespace("heal-a").withName("creds").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Secret s = secret("heal-a", "creds");
            assertThat(s).isNotNull();
            assertThat(value(s, "value")).isEqualTo("ours");
        });
        awaitReady("heal", "True", "Synced");
    }

    @Test
    void replicasOfAVanishedPolicyAreReleasedPerTheirRecordAndDoNotBlockANewPolicy() {
        createNamespace("ghost-src");
        for (String ns : List.of("ghost-a", "ghost-b", "ghost-c", "ghost-d")) {
            createNamespace(ns);
        }
        createSecret(opaque("ghost-src", "creds", "new"));
        // as a policy named ghost left them when it vanished without its finalizer
        createSecret(leftBehind("ghost-a", "Delete"));
        createSecret(leftBehind("ghost-b", "Orphan"));
        createSecret(leftBehind("ghost-c", null));
        createSecret(leftBehind("ghost-d", "Delete"));
        // a new policy for the same Secret in ghost-d is not blocked by the left-behind replica
        createPolicy("ghost-heir", spec("ghost-src", List.of("creds"), null, List.of("ghost-d"), null));

        awaitNoSecret("ghost-a", "creds");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (String ns : List.of("ghost-b", "ghost-c")) {
                Secret s = secret(ns, "creds");
                assertThat(s).as(ns).isNotNull();
                assertThat(labels(s)).as(ns).doesNotContainKeys("app.kubernetes.io/managed-by", "secretsync.io/policy");
                assertThat(value(s, "value")).isEqualTo("old");
            }
            Secret heir = secret("ghost-d", "creds");
            assertThat(heir).isNotNull();
            assertThat(labels(heir)).containsEntry("secretsync.io/policy", "ghost-heir");
            assertThat(value(heir, "value")).isEqualTo("new");
        });
        awaitReady("ghost-heir", "True", "Synced");
    }

    private static Secret leftBehind(String namespace, String deletionPolicy) {
        Secret s = opaque(namespace, "creds", "old", "app.kubernetes.io/managed-by=secretsync-operator",
                "secretsync.io/policy=ghost");
        s.getMetadata().setUid(null);
        Map<String, String> annotations = new HashMap<>(Map.of("secretsync.io/source", "ghost-src/creds"));
        if (deletionPolicy != null) {
            annotations.put("secretsync.io/deletion-policy", deletionPolicy);
        }
        s.getMetadata().setAnnotations(annotations);
        return s;
    }
}
