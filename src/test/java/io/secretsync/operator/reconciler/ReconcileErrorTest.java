package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * Issue 9: a reconcile that throws still tells the user, in the policy's status, and is retried.
 * Also: a source Secret that no policy picked is cached without its data; when a policy starts
 * picking it, the operator reads it then (here that read is refused twice, and the reconcile with it).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ReconcileErrorTest extends OperatorTestSupport {

    @Test
    void aReconcileThatThrowsShowsInStatusAndIsRetried() {
        createNamespace("rerr-src");
        createNamespace("rerr-a");
        createSecret(opaque("rerr-src", "first", "1"));
        createSecret(opaque("rerr-src", "later", "2"));
        // a first policy makes the operator watch the namespace; it caches "later" without data
        createPolicy("rerr-first", spec("rerr-src", List.of("first"), null, List.of("rerr-a"), null));
        awaitReady("rerr-first", "True", "Synced");

        mockServer().expect().get().withPath("/api/v1/namespaces/rerr-src/secrets/later")
                .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                        .withMessage("secrets \"later\" is forbidden").build())
                .times(2); // not 5xx: the API client retries those itself
        createPolicy("rerr-later", spec("rerr-src", List.of("later"), null, List.of("rerr-a"), null));

        var failed = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> policy("rerr-later").getStatus(), s -> s != null && ready(s).isPresent()
                        && "ReconcileError".equals(ready(s).get().getReason()));
        assertThat(ready(failed).orElseThrow().getStatus()).isEqualTo("False");
        assertThat(ready(failed).orElseThrow().getMessage())
                .contains("reconcile of SecretSyncPolicy rerr-later failed: HTTP 403 Forbidden", "retries");

        // once the read succeeds, the data is loaded and copied
        awaitReady("rerr-later", "True", "Synced");
        assertThat(value(awaitSecret("rerr-a", "later"), "value")).isEqualTo("2");
    }
}
