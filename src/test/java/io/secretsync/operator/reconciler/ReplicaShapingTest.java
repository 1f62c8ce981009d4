package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
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
import io.secretsync.operator.crd.v1alpha1.KeyMapping;
import io.secretsync.operator.crd.v1alpha1.ReplicaSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** spec.replica as a user sees it: the labels, annotations, keys and types of the replicas. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ReplicaShapingTest extends OperatorTestSupport {
    private static final String ARGO_COMPARE = "argocd.argoproj.io/compare-options";

    @Test
    void extraMetadataRollsOutIsRemovedWhenDroppedAndTheSourcesOwnIsNeverCopied() {
        createNamespace("shape-src");
        createNamespace("shape-a");
        createNamespace("shape-b");
        createSecret(opaque("shape-src", "creds", "v", "argocd.argoproj.io/instance=infra"));
        SecretSyncPolicySpec spec = spec("shape-src", List.of("creds"), null, List.of("shape-a", "shape-b"), null);
        ReplicaSpec replica = new ReplicaSpec();
        replica.setLabels(Map.of("team", "platform"));
        replica.setAnnotations(Map.of(ARGO_COMPARE, "IgnoreExtraneous", "argocd.argoproj.io/sync-options", "Prune=false"));
        spec.setReplica(replica);
        createPolicy("shape", spec);
        awaitReady("shape", "True", "Synced");
        for (String ns : List.of("shape-a", "shape-b")) {
            Secret s = awaitSecret(ns, "creds");
            assertThat(labels(s)).containsEntry("team", "platform")
                    .containsEntry("app.kubernetes.io/managed-by", "secretsync-operator")
                    .doesNotContainKey("argocd.argoproj.io/instance");
            assertThat(s.getMetadata().getAnnotations()).containsEntry(ARGO_COMPARE, "IgnoreExtraneous")
                    .containsEntry("argocd.argoproj.io/sync-options", "Prune=false")
                    .containsEntry("secretsync.io/deletion-policy", "Delete");
        }
        String hashBefore = secret("shape-a", "creds").getMetadata().getAnnotations().get("secretsync.io/content-hash");

        // a replica someone added a label to keeps it; the policy drops its label and one annotation
        editSecret("shape-b", "creds", s -> s.getMetadata().getLabels().put("theirs", "kept"));
        updatePolicy("shape", s -> {
            s.getReplica().setLabels(null);
            s.getReplica().setAnnotations(Map.of(ARGO_COMPARE, "IgnoreExtraneous"));
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (String ns : List.of("shape-a", "shape-b")) {
                Secret s = secret(ns, "creds");
                assertThat(labels(s)).doesNotContainKey("team");
                assertThat(s.getMetadata().getAnnotations()).containsEntry(ARGO_COMPARE, "IgnoreExtraneous")
                        .doesNotContainKey("argocd.argoproj.io/sync-options");
                assertThat(s.getMetadata().getAnnotations().get("secretsync.io/content-hash"))
                        .isNotEqualTo(hashBefore);
            }
            assertThat(labels(secret("shape-b", "creds"))).containsEntry("theirs", "kept");
        });
        awaitReady("shape", "True", "Synced");

        // converged: nothing more is written
        String versionA = secret("shape-a", "creds").getMetadata().getResourceVersion();
        String versionB = secret("shape-b", "creds").getMetadata().getResourceVersion();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            assertThat(secret("shape-a", "creds").getMetadata().getResourceVersion()).isEqualTo(versionA);
            assertThat(secret("shape-b", "creds").getMetadata().getResourceVersion()).isEqualTo(versionB);
        });
    }

    @Test
    void onlyTheListedKeysTravelRenamedAndTheTypeFollowsThem() {
        createNamespace("keys-src");
        createNamespace("keys-a");
        createSecret(Fixtures.secret("keys-src", "web", "kubernetes.io/tls",
                Map.of("tls.crt", "CERT", "tls.key", "PRIVATE", "ca.crt", "CA")));
        SecretSyncPolicySpec spec = spec("keys-src", List.of("web"), null, List.of("keys-a"), null);
        ReplicaSpec replica = new ReplicaSpec();
        replica.setKeys(List.of(new KeyMapping("ca.crt", "trust.pem")));
        spec.setReplica(replica);
        createPolicy("keys", spec);
        Secret trust = awaitSecret("keys-a", "web");
        assertThat(trust.getType()).isEqualTo("Opaque");
        assertThat(trust.getData()).containsOnlyKeys("trust.pem");
        assertThat(value(trust, "trust.pem")).isEqualTo("CA");
        awaitReady("keys", "True", "Synced");

        // the private key rotates: nothing the replica holds changed, nothing is written
        editSecret("keys-src", "web", s -> s.getData().put("tls.key", Fixtures.b64("ROTATED")));
        String version = trust.getMetadata().getResourceVersion();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                assertThat(secret("keys-a", "web").getMetadata().getResourceVersion()).isEqualTo(version));
        // the CA rotates: rolled out
        editSecret("keys-src", "web", s -> s.getData().put("ca.crt", Fixtures.b64("CA-2")));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(value(secret("keys-a", "web"), "trust.pem"))
                .isEqualTo("CA-2"));

        // keeping what tls needs keeps the type (the replica is recreated: a type cannot change in place)
        updatePolicy("keys", s -> s.getReplica().setKeys(List.of(new KeyMapping("tls.crt", null),
                new KeyMapping("tls.key", null))));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Secret tls = secret("keys-a", "web");
            assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
            assertThat(tls.getData()).containsOnlyKeys("tls.crt", "tls.key");
        });

        // a key the source lacks: that source is not copied, and the Ready message says why
        updatePolicy("keys", s -> s.getReplica().setKeys(List.of(new KeyMapping("missing.pem", null))));
        var status = awaitReady("keys", "False", "SourceNotFound");
        assertThat(ready(status).orElseThrow().getMessage())
                .contains("not copied: web (lacks key missing.pem listed in spec.replica.keys)");
        awaitNoSecret("keys-a", "web");
    }
}
