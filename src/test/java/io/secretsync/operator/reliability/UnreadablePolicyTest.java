package io.secretsync.operator.reliability;

import static io.restassured.RestAssured.given;
import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.OperatorTestSupport;
import io.secretsync.operator.reliability.UnreadablePolicies.Case;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * Version skew: policies this operator cannot read (an enum value, a field shape or a field it does
 * not know; no spec at all) sit next to good ones. Each is reported on itself (Ready False
 * InvalidSpec naming the field, a Warning event), nothing is written for it and its stored spec is
 * left as the user wrote it; policies created before and after it are served; readiness and
 * liveness stay UP. The packaged application's restart with them present is in
 * {@link UnreadablePoliciesRestartIT}.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class UnreadablePolicyTest extends OperatorTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyUnreadablePolicyIsReportedNothingIsWrittenForItAndEveryOtherPolicyIsServed() throws Exception {
        createNamespace("ur-src");
        createNamespace("ur-older");
        createNamespace("ur-older-2");
        createNamespace("ur-newer");
        createSecret(opaque("ur-src", "creds", Canary.value("ur")));
        createPolicy("ur-older", spec("ur-src", List.of("creds"), null, List.of("ur-older"), null));
        awaitReady("ur-older", "True", "Synced");

        List<Case> cases = UnreadablePolicies.all("ur-src");
        for (Case c : cases) {
            createNamespace(c.target());
            UnreadablePolicies.create(client, c);
        }
        createPolicy("ur-newer", spec("ur-src", List.of("creds"), null, List.of("ur-newer"), null));
        awaitSecret("ur-newer", "creds");
        awaitReady("ur-newer", "True", "Synced");

        for (Case c : cases) {
            var status = awaitReady(c.policy(), "False", "InvalidSpec");
            assertThat(ready(status).orElseThrow().getMessage()).as(c.name())
                    .startsWith("invalid spec, nothing is written: ").contains(c.problem());
            assertThat(status.getObservedGeneration()).as(c.name()).isEqualTo(policy(c.policy()).getMetadata().getGeneration());
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsFor(c.policy())).as(c.name()).anySatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("InvalidSpec");
                assertThat(e.getMessage()).contains("SecretSyncPolicy " + c.policy() + ":").contains(c.problem());
            }));
            assertThat(JSON.readTree(UnreadablePolicies.storedSpec(client, c.policy()))).as("stored spec of %s", c.name())
                    .isEqualTo(JSON.readTree(c.specJson()));
        }
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (Case c : cases) {
                assertThat(client.secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, c.policy()).list()
                        .getItems()).as(c.name()).isEmpty();
                assertThat(secret(c.target(), "creds")).as(c.name()).isNull();
            }
        });
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);

        // the older policy is still acted on
        updatePolicy("ur-older", s -> s.getTarget().setNamespaces(List.of("ur-older", "ur-older-2")));
        awaitSecret("ur-older-2", "creds");
        Canary.assertAbsent("status", io.fabric8.kubernetes.client.utils.Serialization.asJson(
                client.resources(io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy.class).list()));
        for (Case c : cases) {
            deletePolicy(c.policy());
        }
    }

    @Test
    void deletingAPolicyThatBecameUnreadableReleasesItsReplicasAndOrphansThemUnlessItSaysDelete() {
        createNamespace("urd-src");
        createNamespace("urd-orphan");
        createNamespace("urd-delete");
        createSecret(opaque("urd-src", "creds", Canary.value("urd")));
        createPolicy("urd-orphan", spec("urd-src", List.of("creds"), null, List.of("urd-orphan"), null));
        SecretSyncPolicySpec deleting = spec("urd-src", List.of("creds"), null, List.of("urd-delete"), null);
        deleting.setDeletionPolicy(DeletionPolicy.Delete);
        createPolicy("urd-delete", deleting);
        awaitSecret("urd-orphan", "creds");
        awaitSecret("urd-delete", "creds");

        // a newer CRD's value arrives in both (kubectl edit against the newer schema)
        UnreadablePolicies.replaceSpec(client, "urd-orphan", "{\"source\":{\"namespace\":\"urd-src\",\"names\":[\"creds\"]},"
                + "\"target\":{\"namespaces\":[\"urd-orphan\"]},\"conflictPolicy\":\"Adopt\"}");
        UnreadablePolicies.replaceSpec(client, "urd-delete", "{\"source\":{\"namespace\":\"urd-src\",\"names\":[\"creds\"]},"
                + "\"target\":{\"namespaces\":[\"urd-delete\"]},\"deletionPolicy\":\"Delete\",\"conflictPolicy\":\"Adopt\"}");
        awaitReady("urd-orphan", "False", "InvalidSpec");
        awaitReady("urd-delete", "False", "InvalidSpec");
        // nothing is written for them meanwhile: the replicas stay as they were
        assertThat(labels(secret("urd-orphan", "creds"))).containsEntry(ReplicaMetadata.POLICY_LABEL, "urd-orphan");

        deletePolicy("urd-orphan");
        deletePolicy("urd-delete");
        Secret orphaned = secret("urd-orphan", "creds");
        assertThat(orphaned).as("a replica of an unreadable policy is kept (Orphan)").isNotNull();
        assertThat(labels(orphaned)).doesNotContainKeys(ReplicaMetadata.POLICY_LABEL, ReplicaMetadata.MANAGED_BY_LABEL);
        awaitNoSecret("urd-delete", "creds");
    }
}
