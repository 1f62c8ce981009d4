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

    /**
     * The replica of source in namespace, shaped by spec.replica: the kept keys and their type,
     * the extra labels and annotations (with a record of which they are, so that dropping one
     * removes it), and the deletionPolicy to release it by if the policy vanishes.
     */
    public static DesiredReplica desired(String policy, Secret source, String namespace, ReplicaContent content,
            Map<String, String> extraLabels, Map<String, String> extraAnnotations, String deletionPolicy) {
        return desired(policy, source, namespace, content, extraLabels, extraAnnotations, deletionPolicy, null);
    }

    /** @param origin recorded on replicas in remote clusters (null: a replica of this cluster) */
    public static DesiredReplica desired(String policy, Secret source, String namespace, ReplicaContent content,
            Map<String, String> extraLabels, Map<String, String> extraAnnotations, String deletionPolicy,
            String origin) {
        Map<String, String> labels = new LinkedHashMap<>(extraLabels);
        labels.putAll(ourLabels(policy));
        Map<String, String> annotations = new LinkedHashMap<>(extraAnnotations);
        annotations.putAll(ourAnnotations(source,
                ContentHash.withMetadata(content.dataHash(), extraLabels, extraAnnotations)));
        if (!extraLabels.isEmpty()) {
            annotations.put(ReplicaMetadata.EXTRA_LABELS_ANNOTATION, keyList(extraLabels));
        }
        if (!extraAnnotations.isEmpty()) {
            annotations.put(ReplicaMetadata.EXTRA_ANNOTATIONS_ANNOTATION, keyList(extraAnnotations));
        }
        annotations.put(ReplicaMetadata.DELETION_POLICY_ANNOTATION, deletionPolicy);
        if (origin != null) {
            annotations.put(ReplicaMetadata.ORIGIN_ANNOTATION, origin);
        }
        ObjectMeta meta = new ObjectMetaBuilder()
                .withName(source.getMetadata().getName())
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(annotations)
                .build();
        Secret secret = new SecretBuilder().withMetadata(meta).withType(content.type()).withData(content.data())
                .build();
        return new DesiredReplica(secret, content.dataHash());
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

    /**
     * existing, brought to the desired content; labels and annotations others added are kept,
     * those an earlier spec.replica added and the current one does not are removed.
     */
    public static Secret updated(Secret existing, Secret desired) {
        Secret s = new SecretBuilder(existing).build();
        Map<String, String> existingAnnotations = orEmpty(existing.getMetadata().getAnnotations());
        Map<String, String> labels = new LinkedHashMap<>(orEmpty(existing.getMetadata().getLabels()));
        keys(existingAnnotations.get(ReplicaMetadata.EXTRA_LABELS_ANNOTATION)).forEach(labels::remove);
        labels.putAll(desired.getMetadata().getLabels());
        Map<String, String> annotations = new LinkedHashMap<>(existingAnnotations);
        keys(existingAnnotations.get(ReplicaMetadata.EXTRA_ANNOTATIONS_ANNOTATION)).forEach(annotations::remove);
        annotations.remove(ReplicaMetadata.EXTRA_LABELS_ANNOTATION);
        annotations.remove(ReplicaMetadata.EXTRA_ANNOTATIONS_ANNOTATION);
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
        annotations.remove(ReplicaMetadata.DELETION_POLICY_ANNOTATION);
        annotations.remove(ReplicaMetadata.EXTRA_LABELS_ANNOTATION);
        annotations.remove(ReplicaMetadata.EXTRA_ANNOTATIONS_ANNOTATION);
        s.getMetadata().setLabels(labels);
        s.getMetadata().setAnnotations(annotations);
        return s;
    }

    /** True when existing is ours, for this policy, with the desired metadata and content. */
    public static boolean inSync(Secret existing, Secret desired) {
        return inSync(existing, new DesiredReplica(desired, ContentHash.of(desired)));
    }

    /**
     * True when existing is ours, for this policy, with the desired metadata and content. The data
     * is compared by digest (what the replica holds against what it should hold), the metadata on
     * the cached labels and annotations. A replica written before the deletion-policy annotation
     * existed is not rewritten just to add it: only a recorded value that differs counts.
     */
    public static boolean inSync(Secret existing, DesiredReplica desired) {
        Map<String, String> labels = orEmpty(existing.getMetadata().getLabels());
        Map<String, String> annotations = orEmpty(existing.getMetadata().getAnnotations());
        Map<String, String> wanted = desired.secret().getMetadata().getAnnotations();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            boolean lenient = e.getKey().equals(ReplicaMetadata.DELETION_POLICY_ANNOTATION)
                    && !annotations.containsKey(e.getKey());
            if (!lenient && !e.getValue().equals(annotations.get(e.getKey()))) {
                return false;
            }
        }
        return labels.entrySet().containsAll(desired.secret().getMetadata().getLabels().entrySet())
                && (wanted.containsKey(ReplicaMetadata.EXTRA_LABELS_ANNOTATION)
                        || !annotations.containsKey(ReplicaMetadata.EXTRA_LABELS_ANNOTATION))
                && (wanted.containsKey(ReplicaMetadata.EXTRA_ANNOTATIONS_ANNOTATION)
                        || !annotations.containsKey(ReplicaMetadata.EXTRA_ANNOTATIONS_ANNOTATION))
                && SecretTypes.of(existing).equals(desired.secret().getType())
                && ContentHash.observed(existing).equals(desired.dataHash());
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

    private static String keyList(Map<String, String> m) {
        return String.join(",", new java.util.TreeSet<>(m.keySet()));
    }

    private static java.util.List<String> keys(String keyList) {
        return keyList == null || keyList.isEmpty() ? java.util.List.of() : java.util.List.of(keyList.split(","));
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
