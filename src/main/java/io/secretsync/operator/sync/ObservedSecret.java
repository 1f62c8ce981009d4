package io.secretsync.operator.sync;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * A Secret as the caches keep it: its metadata and type, and the digest of its actual type and
 * data computed when it arrived from the API server, but not the data itself. The API server
 * holds the data already; keeping it would make the heap grow with namespaces x Secret size.
 * Drift is decided on this digest, never on the content-hash annotation, which anyone can edit.
 */
public final class ObservedSecret extends Secret {
    private static final String OUR_PREFIX = "secretsync.io/";
    private final String contentHash;

    private ObservedSecret(ObjectMeta metadata, String type, String contentHash) {
        setApiVersion("v1");
        setKind("Secret");
        setMetadata(metadata);
        setType(type);
        setData(null);
        setStringData(null);
        setAdditionalProperties(Collections.emptyMap());
        this.contentHash = contentHash;
    }

    /** The cache's copy of full: metadata, type and the digest of its data. */
    public static ObservedSecret of(Secret full) {
        if (full instanceof ObservedSecret o) {
            return o;
        }
        String hash = ContentHash.of(full);
        String annotated = full.getMetadata().getAnnotations() == null ? null
                : full.getMetadata().getAnnotations().get(ReplicaMetadata.CONTENT_HASH_ANNOTATION);
        // replicas in sync carry the same digest: share one String instead of one per replica
        return new ObservedSecret(slim(full.getMetadata()), intern(full.getType()),
                hash.equals(annotated) ? annotated.intern() : hash);
    }

    /** full with its data, and metadata trimmed like the cache's: for sources a policy copies. */
    public static Secret keepingData(Secret full) {
        if (full instanceof ObservedSecret) {
            throw new IllegalArgumentException("no data to keep");
        }
        Secret s = new Secret();
        s.setApiVersion("v1");
        s.setKind("Secret");
        s.setMetadata(slim(full.getMetadata()));
        s.setType(intern(full.getType()));
        s.setData(ContentHash.effectiveData(full));
        s.setStringData(null);
        s.setImmutable(full.getImmutable());
        s.setAdditionalProperties(Collections.emptyMap());
        return s;
    }

    /** sha256 of the type and data the API server sent, as ContentHash.of computed it then. */
    public String observedContentHash() {
        return contentHash;
    }

    /**
     * The metadata a write built from the cached copy needs (name, namespace, resourceVersion,
     * labels, annotations, owners, finalizers, deletion), with repeated strings shared; the rest
     * (managedFields, timestamps, generation) is dropped. Kubernetes keeps what an update leaves out of
     * those.
     */
    public static ObjectMeta slim(ObjectMeta m) {
        ObjectMeta s = new ObjectMeta();
        s.setName(intern(m.getName()));
        s.setNamespace(intern(m.getNamespace()));
        s.setResourceVersion(m.getResourceVersion());
        s.setUid(m.getUid()); // JOSDK logs it with every event
        s.setLabels(internedMap(m.getLabels(), true));
        s.setAnnotations(internedMap(m.getAnnotations(), false));
        s.setOwnerReferences(nullIfEmpty(m.getOwnerReferences()));
        s.setFinalizers(nullIfEmpty(m.getFinalizers()));
        s.setManagedFields(null);
        s.setDeletionTimestamp(m.getDeletionTimestamp());
        s.setAdditionalProperties(Collections.emptyMap());
        return s;
    }

    private static <T> List<T> nullIfEmpty(List<T> list) {
        return list == null || list.isEmpty() ? null : List.copyOf(list);
    }

    /**
     * Keys are always shared; values too for labels and for the operator's own annotations,
     * which repeat on every replica. Other annotation values (often large and unique) are not.
     */
    private static Map<String, String> internedMap(Map<String, String> map, boolean internValues) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        Map<String, String> copy = new HashMap<>(map.size() * 2);
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                return Collections.unmodifiableMap(new HashMap<>(map));
            }
            boolean ours = e.getKey().startsWith(OUR_PREFIX);
            copy.put(e.getKey().intern(), internValues || ours ? e.getValue().intern() : e.getValue());
        }
        return Map.copyOf(copy);
    }

    private static String intern(String s) {
        return s == null ? null : s.intern();
    }
}
