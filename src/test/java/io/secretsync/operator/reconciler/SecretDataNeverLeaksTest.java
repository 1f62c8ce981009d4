package io.secretsync.operator.reconciler;

import static io.restassured.RestAssured.given;
import static io.secretsync.operator.testsupport.Fixtures.b64;
import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * A canary value in a source Secret goes through create, update, a conflict and
 * an API error whose message echoes the value, and then appears nowhere the operator reports.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SecretDataNeverLeaksTest extends OperatorTestSupport {
    static final String CANARY = "canary-4f1c9d7e-do-not-leak";
    static final String CANARY_2 = "canary-90b2aa31-rotated";

    @Test
    void canaryNeverAppearsInLogsEventsStatusOrMetrics() throws IOException {
        createNamespace("leak-src");
        createNamespace("leak-a");
        createNamespace("leak-conflict");
        createNamespace("leak-broken");
        createSecret(opaque("leak-conflict", "creds", "theirs"));
        // an API server that echoes the rejected value in its error, as some admission webhooks do
        mockServer().expect().post().withPath("/api/v1/namespaces/leak-broken/secrets")
                .andReturn(422, new StatusBuilder().withCode(422).withReason("Invalid").withStatus("Failure")
                        .withMessage("Secret \"creds\" is invalid: data[value]: Invalid value: \"" + CANARY + "\"")
                        .build())
                .always();
        createSecret(opaque("leak-src", "creds", CANARY));
        createPolicy("leak", spec("leak-src", List.of("creds"), null,
                List.of("leak-a", "leak-conflict", "leak-broken"), null));
        awaitSecret("leak-a", "creds");
        await().atMost(TIMEOUT).until(() -> policy("leak").getStatus() != null
                && Integer.valueOf(2).equals(policy("leak").getStatus().getFailedReplicas()));
        assertThat(policy("leak").getStatus().getFailures())
                .anySatisfy(f -> assertThat(f.getReason()).isEqualTo("WriteFailed"))
                .anySatisfy(f -> assertThat(f.getReason()).isEqualTo("Conflict"));

        editSecret("leak-src", "creds", s -> s.setData(Map.of("value", b64(CANARY_2))));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(value(secret("leak-a", "creds"), "value"))
                .isEqualTo(CANARY_2));
        deletePolicy("leak");
        awaitNoSecret("leak-a", "creds");

        String log = Files.readString(Path.of("target/operator-test.log"));
        assertThat(log).as("the operator's log, DEBUG included").contains("leak");
        String events = Serialization.asJson(client.v1().events().inAnyNamespace().list());
        String statuses = Serialization.asJson(client.resources(SecretSyncPolicy.class).list());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String secretValue : List.of(CANARY, b64(CANARY), CANARY_2, b64(CANARY_2))) {
            assertThat(log).as("log").doesNotContain(secretValue);
            assertThat(events).as("events").doesNotContain(secretValue);
            assertThat(statuses).as("status").doesNotContain(secretValue);
            assertThat(metrics).as("metrics").doesNotContain(secretValue);
        }
    }
}
