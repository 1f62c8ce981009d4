package io.secretsync.operator.sync;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;

/** The labels and annotations of the contract that mark a Secret as a replica. */
public final class ReplicaMetadata {
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "secretsync-operator";
    public static final String POLICY_LABEL = "secretsync.io/policy";
    public static final String SOURCE_ANNOTATION = "secretsync.io/source";
    /** On replicas in remote clusters: the id of the operator that wrote them (contract section 7). */
    public static final String ORIGIN_ANNOTATION = "secretsync.io/origin";
    public static final String SOURCE_UID_ANNOTATION = "secretsync.io/source-uid";
    public static final String CONTENT_HASH_ANNOTATION = "secretsync.io/content-hash";
    /** The policy's deletionPolicy when the replica was written: how to release it if the policy vanishes. */
    public static final String DELETION_POLICY_ANNOTATION = "secretsync.io/deletion-policy";
    /** Which labels came from spec.replica.labels (sorted keys, comma-separated): removed when dropped there. */
    public static final String EXTRA_LABELS_ANNOTATION = "secretsync.io/replica-labels";
    /** Which annotations came from spec.replica.annotations (sorted keys, comma-separated). */
    public static final String EXTRA_ANNOTATIONS_ANNOTATION = "secretsync.io/replica-annotations";
    /** Prefix of every label and annotation key the operator owns. */
    public static final String OWN_PREFIX = "secretsync.io/";

    private ReplicaMetadata() {
    }

    public static boolean isManaged(Secret secret) {
        return MANAGED_BY_VALUE.equals(label(secret, MANAGED_BY_LABEL));
    }

    /** The policy that owns a managed replica, or null for a Secret we did not create. */
    public static String owningPolicy(Secret secret) {
        return isManaged(secret) ? label(secret, POLICY_LABEL) : null;
    }

    /** The origin recorded on a replica a remote operator wrote; null on replicas of this cluster's operator. */
    public static String origin(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ORIGIN_ANNOTATION);
    }

    /**
     * True when this replica is the given policy's as written from origin (null: this cluster's
     * own operator, whose replicas carry no origin): the same policy name from another origin is
     * another operator's policy.
     */
    public static boolean ownedBy(Secret secret, String policy, String origin) {
        return policy.equals(owningPolicy(secret)) && java.util.Objects.equals(origin(secret), origin);
    }

    /** Keys spec.replica may not set: the operator's own. */
    public static boolean isReserved(String key) {
        return MANAGED_BY_LABEL.equals(key) || (key != null && key.startsWith(OWN_PREFIX));
    }

    /** The deletionPolicy recorded on a replica, or null for one written before it was recorded. */
    public static String recordedDeletionPolicy(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(DELETION_POLICY_ANNOTATION);
    }

    static String label(Secret secret, String key) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }
}
