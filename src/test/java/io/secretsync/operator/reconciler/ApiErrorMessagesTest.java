package io.secretsync.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A write that never reached the API server (connection refused or reset) has no HTTP code; its
 * status failure and event must say so instead of "HTTP -1", and must not echo the cause's message.
 */
class ApiErrorMessagesTest {

    @Test
    void aWriteThatNeverGotAnAnswerSaysTheServerWasNotReachable() {
        var e = new KubernetesClientException("An error has occurred.",
                new ConnectException("Connection refused: 127.0.0.1/ssc-canary-7f3a9c-in-a-message"));
        String message = ApiErrors.describe("create of Secret team-a/creds", e);
        assertThat(message).isEqualTo("create of Secret team-a/creds failed: API server not reachable (ConnectException)");
        assertThat(message).doesNotContain("HTTP -1").doesNotContain("canary");
    }

    @Test
    void aRefusedWriteStillNamesItsHttpCode() {
        var e = new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(500)
                .withReason("InternalError").build());
        assertThat(ApiErrors.describe("update of Secret team-a/creds", e))
                .isEqualTo("update of Secret team-a/creds failed: HTTP 500 InternalError");
    }

    @Test
    void aFailureThatIsNotIoDoesNotBlameTheNetwork() {
        var e = new KubernetesClientException("An error has occurred.",
                new IllegalArgumentException("cannot serialize ssc-canary-7f3a9c-in-a-message"));
        String message = ApiErrors.describe("create of Secret m-39/bundle", e);
        assertThat(message).isEqualTo(
                "create of Secret m-39/bundle failed before the API server answered (IllegalArgumentException)");
        assertThat(message).doesNotContain("not reachable").doesNotContain("canary");
    }
}
