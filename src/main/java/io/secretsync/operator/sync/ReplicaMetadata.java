package io.secretsync.operator.sync;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;

/** The labels and annotations of the contract that mark a Secret as a replica. */
public final class ReplicaMetadata {
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "secretsync-operator";
    public static final String POLICY_LABEL = "secretsync.io/policy";
    public static final String SOURCE_ANNOTATION = "secretsync.io/source";
    public static final String SOURCE_UID_ANNOTATION = "secretsync.io/source-uid";
    public static final String CONTENT_HASH_ANNOTATION = "secretsync.io/content-hash";

    private ReplicaMetadata() {
    }

    public static boolean isManaged(Secret secret) {
        return MANAGED_BY_VALUE.equals(label(secret, MANAGED_BY_LABEL));
    }

    /** The policy that owns a managed replica, or null for a Secret we did not create. */
    public static String owningPolicy(Secret secret) {
        return isManaged(secret) ? label(secret, POLICY_LABEL) : null;
    }

    static String label(Secret secret, String key) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }
}
