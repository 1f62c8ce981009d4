package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.b64;
import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.sync.ContentHash;
import io.secretsync.operator.testsupport.OperatorTestSupport;
import io.secretsync.operator.testsupport.MockServerRequests;

/**
 * Issue 9: the caches keep a digest of each replica's actual type and data, computed when it
 * arrives, not its data; drift is judged on that digest, never on the content-hash annotation.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class DriftTest extends OperatorTestSupport {

    @Test
    void replicaWhoseDataChangedButAnnotationDidNotIsRepaired() {
        createNamespace("drift-src");
        createNamespace("drift-a");
        createSecret(opaque("drift-src", "creds", "good"));
        createPolicy("drift", spec("drift-src", List.of("creds"), null, List.of("drift-a"), null));
        awaitReady("drift", "True", "Synced");
        String hash = secret("drift-a", "creds").getMetadata().getAnnotations().get("secretsync.io/content-hash");

        // the data is tampered with; the annotation still claims the right content
        editSecret("drift-a", "creds", s -> s.setData(Map.of("value", b64("tampered"))));
        assertThat(secret("drift-a", "creds").getMetadata().getAnnotations())
                .containsEntry("secretsync.io/content-hash", hash);

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(value(secret("drift-a", "creds"), "value"))
                .isEqualTo("good"));
        assertThat(ContentHash.of(secret("drift-a", "creds"))).isEqualTo(hash);
    }

    @Test
    void replicaWhoseAnnotationChangedButDataIsRightIsRewrittenOnceNotInALoop() {
        createNamespace("anno-src");
        createNamespace("anno-a");
        createSecret(opaque("anno-src", "creds", "good"));
        createPolicy("anno", spec("anno-src", List.of("creds"), null, List.of("anno-a"), null));
        awaitReady("anno", "True", "Synced");
        String hash = secret("anno-a", "creds").getMetadata().getAnnotations().get("secretsync.io/content-hash");
        MockServerRequests.drain(mockServer());

        editSecret("anno-a", "creds", s -> s.getMetadata().getAnnotations().put("secretsync.io/content-hash",
                "sha256:0000000000000000000000000000000000000000000000000000000000000000"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(secret("anno-a", "creds").getMetadata()
                .getAnnotations()).containsEntry("secretsync.io/content-hash", hash));

        // then nothing more: the operator's writes to the replica stop at one
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        List<RecordedRequest> replicaWrites = MockServerRequests.writes(MockServerRequests.drain(mockServer())).stream()
                .filter(r -> r.getPath().startsWith("/api/v1/namespaces/anno-a/secrets")).toList();
        // the test's own edit is one of them (PUT); the operator's repair is the other
        assertThat(replicaWrites).extracting(MockServerRequests::describe).hasSize(2);
        assertThat(value(secret("anno-a", "creds"), "value")).isEqualTo("good");
    }
}
