package io.secretsync.operator.reliability;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * Security: with the default conflictPolicy (Skip) the operator never writes, and it never
 * deletes, a Secret that does not carry both its managed-by label and the policy's label, even
 * when that Secret is made to look like a replica.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class NeverDestroysTest extends OperatorTestSupport {

    @Test
    void adversarialLookAlikesAreNeverWrittenNorDeletedWithTheDefaultSkip() {
        createNamespace("adv-src");
        for (String ns : List.of("adv-a", "adv-b", "adv-c", "adv-d")) {
            createNamespace(ns);
        }
        createSecret(opaque("adv-src", "creds", Canary.value("adv-source")));
        Map<String, String> fakeReplica = Map.of("secretsync.io/source", "adv-src/creds",
                "secretsync.io/source-uid", "forged", "secretsync.io/content-hash", "sha256:forged");
        Map<String, Secret> adversarial = new LinkedHashMap<>();
        // our policy's label and annotations, but not the managed-by label
        adversarial.put("adv-a", createSecret(withAnnotations(Fixtures.secret("adv-a", "creds", "kubernetes.io/basic-auth",
                Map.of("username", "theirs", "password", "theirs"), "secretsync.io/policy=adv"), fakeReplica)));
        // the managed-by label, but no policy label
        adversarial.put("adv-b", createSecret(withAnnotations(opaque("adv-b", "creds", "theirs",
                "app.kubernetes.io/managed-by=secretsync-operator"), fakeReplica)));
        // a replica of a policy that does not exist, of another source: released (contract section 6)
        // by orphaning, its data kept, then an unmanaged Secret like the others
        Secret vanished = createSecret(opaque("adv-c", "creds", "theirs",
                "app.kubernetes.io/managed-by=secretsync-operator", "secretsync.io/policy=someone-else"));
        Secret bystander = createSecret(opaque("adv-d", "unrelated", "theirs", "secretsync.io/policy=adv"));

        createPolicy("adv", spec("adv-src", List.of("creds"), null, List.of("adv-a", "adv-b", "adv-c", "adv-d"), null));
        awaitSecret("adv-d", "creds");
        var status = awaitReady("adv", "False", "PartiallySynced");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(policy("adv").getStatus().getFailures())
                .extracting(ReplicaFailure::getNamespace, ReplicaFailure::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("adv-a", "Conflict"),
                        org.assertj.core.groups.Tuple.tuple("adv-b", "Conflict"),
                        org.assertj.core.groups.Tuple.tuple("adv-c", "Conflict")));
        assertThat(status.getSyncedReplicas()).isEqualTo(1);
        assertUntouched(adversarial, bystander);
        Secret released = secret("adv-c", "creds");
        assertThat(released.getData()).isEqualTo(vanished.getData());
        assertThat(released.getType()).isEqualTo(vanished.getType());
        assertThat(labels(released)).doesNotContainKeys("app.kubernetes.io/managed-by", "secretsync.io/policy");
        adversarial.put("adv-c", released);

        // they stop being targets: still not ours to delete
        updatePolicy("adv", s -> s.getTarget().setNamespaces(List.of("adv-d")));
        awaitReady("adv", "True", "Synced");
        assertUntouched(adversarial, bystander);

        // the policy goes: its one replica goes, nothing else
        deletePolicy("adv");
        awaitNoSecret("adv-d", "creds");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertUntouched(adversarial, bystander));
        assertThat(secret("adv-src", "creds")).as("the source").isNotNull();
    }

    private void assertUntouched(Map<String, Secret> adversarial, Secret bystander) {
        adversarial.forEach((ns, before) -> assertByteForByte(before));
        assertByteForByte(bystander);
    }

    private void assertByteForByte(Secret before) {
        Secret now = secret(before.getMetadata().getNamespace(), before.getMetadata().getName());
        assertThat(now).as("%s/%s still exists", before.getMetadata().getNamespace(), before.getMetadata().getName())
                .isNotNull();
        assertThat(Serialization.asJson(now)).as("%s/%s unchanged", before.getMetadata().getNamespace(),
                before.getMetadata().getName()).isEqualTo(Serialization.asJson(before));
    }

    private static Secret withAnnotations(Secret s, Map<String, String> annotations) {
        s.getMetadata().setAnnotations(new LinkedHashMap<>(annotations));
        return s;
    }
}
