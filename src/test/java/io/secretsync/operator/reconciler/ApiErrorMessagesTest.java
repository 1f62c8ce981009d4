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

    @Test
    void aForbiddenWriteNamesWhoMayNotDoWhatWhereAndWhatToGrantButNoFreeFormText() {
        var rbac = new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("secrets is forbidden: User \"system:serviceaccount:secretsync-system:"
                        + "secretsync-operator\" cannot create resource \"secrets\" in API group \"\" in the namespace"
                        + " \"team-a\"").build());
        assertThat(ApiErrors.describe("create of Secret team-a/creds", rbac)).isEqualTo("create of Secret team-a/creds"
                + " failed: HTTP 403 Forbidden: system:serviceaccount:secretsync-system:secretsync-operator may not"
                + " create secrets in namespace team-a; grant that verb to the operator's ServiceAccount in its"
                + " ClusterRole (docs/install.md, \"Permissions\"); the operator retries");

        var webhook = new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("admission webhook denied: ssc-canary-7f3a9c-in-a-message").build());
        assertThat(ApiErrors.describe("update of Secret team-a/creds", webhook))
                .startsWith("update of Secret team-a/creds failed: HTTP 403 Forbidden: the operator is not allowed")
                .doesNotContain("canary");
    }
}
