package io.secretsync.operator.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * sha256 over a Secret's type and data. Every field is length-prefixed so that no two different
 * Secrets can produce the same byte stream.
 */
public final class ContentHash {
    public static final String PREFIX = "sha256:";

    private ContentHash() {
    }

    public static String of(Secret secret) {
        return of(secret.getType(), effectiveData(secret));
    }

    /** The digest of what a Secret holds: from the cache's observation, or computed from its data. */
    public static String observed(Secret secret) {
        return secret instanceof ObservedSecret o ? o.observedContentHash() : of(secret);
    }

    public static String of(String type, Map<String, String> base64Data) {
        MessageDigest digest = sha256();
        update(digest, SecretTypes.orDefault(type).getBytes(StandardCharsets.UTF_8));
        Map<String, String> sorted = new TreeMap<>(base64Data == null ? Map.of() : base64Data);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            update(digest, e.getKey().getBytes(StandardCharsets.UTF_8));
            update(digest, e.getValue() == null ? new byte[0] : Base64.getDecoder().decode(e.getValue()));
        }
        return PREFIX + HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The content hash of a replica that carries spec.replica's extra labels and annotations: the
     * digest of its type and data, extended by that metadata so that changing it rolls out. Without
     * extra metadata it is the digest itself, so replicas of policies without spec.replica keep the
     * hash they were written with (no rewrite after an upgrade).
     */
    public static String withMetadata(String dataHash, Map<String, String> labels, Map<String, String> annotations) {
        boolean noLabels = labels == null || labels.isEmpty();
        boolean noAnnotations = annotations == null || annotations.isEmpty();
        if (noLabels && noAnnotations) {
            return dataHash;
        }
        MessageDigest digest = sha256();
        update(digest, dataHash.getBytes(StandardCharsets.UTF_8));
        for (Map<String, String> m : java.util.Arrays.asList(labels, annotations)) {
            Map<String, String> sorted = new TreeMap<>(m == null ? Map.of() : m);
            update(digest, String.valueOf(sorted.size()).getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                update(digest, e.getKey().getBytes(StandardCharsets.UTF_8));
                update(digest, String.valueOf(e.getValue()).getBytes(StandardCharsets.UTF_8));
            }
        }
        return PREFIX + HexFormat.of().formatHex(digest.digest());
    }

    /**
     * data with stringData folded in, base64-encoded, the way an API server stores it. The API
     * server never returns stringData, but test servers and hand-built objects may carry it.
     */
    public static Map<String, String> effectiveData(Secret secret) {
        if (secret instanceof ObservedSecret) {
            // a cached copy has no data; copying it would write empty replicas
            throw new IllegalStateException("the data of Secret " + secret.getMetadata().getNamespace() + "/"
                    + secret.getMetadata().getName() + " was not loaded");
        }
        Map<String, String> data = new TreeMap<>();
        if (secret.getData() != null) {
            data.putAll(secret.getData());
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k,
                    Base64.getEncoder().encodeToString((v == null ? "" : v).getBytes(StandardCharsets.UTF_8))));
        }
        return data;
    }

    private static void update(MessageDigest digest, byte[] bytes) {
        int n = bytes.length;
        digest.update(new byte[] { (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n });
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
