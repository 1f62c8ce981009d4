package io.secretsync.operator.realserver;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** How a user's edits behave on a real API server, which the CRUD mock does not model. */
final class UserEdits {
    private UserEdits() {
    }

    /**
     * An edit sent with the resourceVersion it read, as kubectl edit does: the operator writes the
     * policies' status, the replicas and the ServiceAccounts concurrently (and the controller
     * manager the ServiceAccounts), so the real server may answer 409; the user reads again and
     * retries.
     */
    static void retryOnConflict(Runnable edit) {
        await("an edit without a 409").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409)
                .until(() -> {
                    edit.run();
                    return true;
                });
    }
}
