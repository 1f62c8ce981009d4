package io.secretsync.operator.reconciler;

import java.net.HttpURLConnection;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;

/**
 * Writes a policy's status only over the version of the policy it was computed from.
 *
 * <p>Why not the SDK's {@code UpdateControl.patchStatus}: it patches without the resourceVersion
 * (JOSDK 5.3 {@code ReconciliationDispatcher.CustomResourceFacade#editStatus} clears it), so the
 * patch also lands on a spec edited after the reconcile read it. Its answer then carries a newer
 * resourceVersion than the edit, and the SDK's own-write filter ({@code TemporaryResourceCache})
 * drops the edit's event as older than our write: the new generation waited for some unrelated
 * event or the 10-minute resync. Sent with the resourceVersion read, such a patch is refused (409)
 * instead, the edit's event is delivered, and the next reconcile writes the status of the new
 * generation. Still a JSON patch of the status subresource, through the SDK, so that the SDK
 * caches the answer and does not wake the policy for its own write.
 */
final class StatusWriter {
    private StatusWriter() {
    }

    /** @return false when the policy changed since it was read (nothing written; its event follows) */
    static boolean write(SecretSyncPolicy policy, SecretSyncPolicyStatus status, Context<SecretSyncPolicy> context) {
        try {
            context.resourceOperations().jsonPatchPrimaryStatus(policy, p -> {
                p.setStatus(status);
                return p;
            });
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }
}
