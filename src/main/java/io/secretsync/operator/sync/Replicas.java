package io.secretsync.operator.sync;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/** Builds the Secret objects the operator writes. Only the source's name, type and data travel. */
public final class Replicas {

    private Replicas() {
    }

    public static Secret desired(String policy, Secret source, String namespace, String contentHash) {
        ObjectMeta meta = new ObjectMetaBuilder()
                .withName(source.getMetadata().getName())
                .withNamespace(namespace)
                .withLabels(ourLabels(policy))
                .withAnnotations(ourAnnotations(source, contentHash))
                .build();
        return new SecretBuilder().withMetadata(meta).withType(SecretTypes.of(source))
                .withData(ContentHash.effectiveData(source)).build();
    }

    /** existing, brought to the desired content; labels and annotations others added are kept. */
    public static Secret updated(Secret existing, Secret desired) {
        Secret s = new SecretBuilder(existing).build();
        Map<String, String> labels = new LinkedHashMap<>(orEmpty(existing.getMetadata().getLabels()));
        labels.putAll(desired.getMetadata().getLabels());
        Map<String, String> annotations = new LinkedHashMap<>(orEmpty(existing.getMetadata().getAnnotations()));
        annotations.putAll(desired.getMetadata().getAnnotations());
        s.getMetadata().setLabels(labels);
        s.getMetadata().setAnnotations(annotations);
        s.setType(desired.getType());
        s.setData(desired.getData());
        s.setStringData(null);
        s.setImmutable(null);
        return s;
    }

    /** existing without the operator's labels and content hash: it stays, but is no longer ours. */
    public static Secret orphaned(Secret existing) {
        Secret s = new SecretBuilder(existing).build();
        Map<String, String> labels = new HashMap<>(orEmpty(existing.getMetadata().getLabels()));
        labels.remove(ReplicaMetadata.MANAGED_BY_LABEL);
        labels.remove(ReplicaMetadata.POLICY_LABEL);
        Map<String, String> annotations = new HashMap<>(orEmpty(existing.getMetadata().getAnnotations()));
        annotations.remove(ReplicaMetadata.CONTENT_HASH_ANNOTATION);
        s.getMetadata().setLabels(labels);
        s.getMetadata().setAnnotations(annotations);
        return s;
    }

    /** True when existing is ours, for this policy, with the desired metadata and content. */
    public static boolean inSync(Secret existing, Secret desired) {
        Map<String, String> labels = orEmpty(existing.getMetadata().getLabels());
        Map<String, String> annotations = orEmpty(existing.getMetadata().getAnnotations());
        return labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet())
                && annotations.entrySet().containsAll(desired.getMetadata().getAnnotations().entrySet())
                && SecretTypes.of(existing).equals(desired.getType())
                && ContentHash.observed(existing).equals(desired.getMetadata().getAnnotations()
                        .get(ReplicaMetadata.CONTENT_HASH_ANNOTATION));
    }

    private static Map<String, String> ourLabels(String policy) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE);
        labels.put(ReplicaMetadata.POLICY_LABEL, policy);
        return labels;
    }

    private static Map<String, String> ourAnnotations(Secret source, String contentHash) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(ReplicaMetadata.SOURCE_ANNOTATION,
                source.getMetadata().getNamespace() + "/" + source.getMetadata().getName());
        annotations.put(ReplicaMetadata.SOURCE_UID_ANNOTATION, String.valueOf(source.getMetadata().getUid()));
        annotations.put(ReplicaMetadata.CONTENT_HASH_ANNOTATION, contentHash);
        return annotations;
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
