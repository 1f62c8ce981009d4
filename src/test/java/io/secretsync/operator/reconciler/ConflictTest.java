package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.ConflictPolicy;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** Secrets the operator did not create, and replicas of other policies, standing where a replica should go. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ConflictTest extends OperatorTestSupport {

    @Test
    void skipLeavesAnUnmanagedSecretByteForByteAndReportsIt() {
        createNamespace("skip-src");
        createNamespace("skip-a");
        createNamespace("skip-b");
        createSecret(opaque("skip-src", "creds", "ours"));
        Secret theirs = createSecret(opaque("skip-a", "creds", "theirs", "owner=team-a"));
        createPolicy("skip", spec("skip-src", List.of("creds"), null, List.of("skip-a", "skip-b"), null));
        awaitSecret("skip-b", "creds");
        var status = awaitReady("skip", "False", "PartiallySynced");
        assertThat(status.getFailedReplicas()).isEqualTo(1);
        assertThat(status.getSyncedReplicas()).isEqualTo(1);
        ReplicaFailure failure = status.getFailures().get(0);
        assertThat(failure.getNamespace()).isEqualTo("skip-a");
        assertThat(failure.getSecret()).isEqualTo("creds");
        assertThat(failure.getReason()).isEqualTo("Conflict");
        assertThat(failure.getMessage()).contains("conflictPolicy: Overwrite");

        Secret after = secret("skip-a", "creds");
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(theirs.getMetadata().getResourceVersion());
        assertThat(after.getData()).isEqualTo(theirs.getData());
        assertThat(after.getMetadata().getLabels()).isEqualTo(theirs.getMetadata().getLabels());
        assertThat(after.getMetadata().getAnnotations()).isEqualTo(theirs.getMetadata().getAnnotations());

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsFor("skip"))
                .anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getReason()).isEqualTo("Conflict");
                    assertThat(e.getMessage()).contains("skip-a/creds");
                }));

        // a resync must not touch it either
        createNamespace("skip-c");
        updatePolicy("skip", s -> s.getTarget().setNamespaces(List.of("skip-a", "skip-b", "skip-c")));
        awaitSecret("skip-c", "creds");
        assertThat(secret("skip-a", "creds").getMetadata().getResourceVersion())
                .isEqualTo(theirs.getMetadata().getResourceVersion());
    }

    @Test
    void overwriteAdoptsAnUnmanagedSecret() {
        createNamespace("adopt-src");
        createNamespace("adopt-a");
        createSecret(opaque("adopt-src", "creds", "ours"));
        createSecret(opaque("adopt-a", "creds", "theirs"));
        var spec = spec("adopt-src", List.of("creds"), null, List.of("adopt-a"), null);
        spec.setConflictPolicy(ConflictPolicy.Overwrite);
        createPolicy("adopt", spec);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Secret s = secret("adopt-a", "creds");
            assertThat(value(s, "value")).isEqualTo("ours");
            assertThat(labels(s)).containsEntry("secretsync.io/policy", "adopt");
        });
        awaitReady("adopt", "True", "Synced");
    }

    @Test
    void replicaOfAnotherPolicyIsNeverWritten() {
        createNamespace("own-src");
        createNamespace("own-other-src");
        createNamespace("own-a");
        createSecret(opaque("own-src", "creds", "first"));
        createSecret(opaque("own-other-src", "creds", "second"));
        createPolicy("own-first", spec("own-src", List.of("creds"), null, List.of("own-a"), null));
        Secret first = awaitSecret("own-a", "creds");
        var spec = spec("own-other-src", List.of("creds"), null, List.of("own-a"), null);
        spec.setConflictPolicy(ConflictPolicy.Overwrite);
        createPolicy("own-second", spec);
        var status = awaitReady("own-second", "False", "PartiallySynced");
        assertThat(status.getFailures()).singleElement().satisfies(f -> {
            assertThat(f.getReason()).isEqualTo("OwnedByAnotherPolicy");
            assertThat(f.getMessage()).contains("own-first");
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                first.getMetadata().getResourceVersion().equals(secret("own-a", "creds").getMetadata().getResourceVersion()));
        assertThat(value(secret("own-a", "creds"), "value")).isEqualTo("first");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsFor("own-second"))
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("OwnedByAnotherPolicy")));
    }
}
