package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.KeyMapping;
import io.secretsync.operator.crd.v1alpha1.ReplicaSpec;

/**
 * What a replica of one source holds under spec.replica.keys: the kept keys, renamed, and the
 * type those keys still satisfy. Drift and the content hash are decided on this, not on the
 * source's full data.
 *
 * @param data base64 values by the replica's key names
 * @param dataHash ContentHash of type and data: what an in-sync replica's observed digest equals
 */
public record ReplicaContent(String type, Map<String, String> data, String dataHash) {

    /** Keys an API server requires for a Secret type (kubernetes.io/basic-auth: at least one of two). */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "kubernetes.io/tls", List.of("tls.crt", "tls.key"),
            "kubernetes.io/dockerconfigjson", List.of(".dockerconfigjson"),
            "kubernetes.io/dockercfg", List.of(".dockercfg"),
            "kubernetes.io/ssh-auth", List.of("ssh-privatekey"));
    private static final String BASIC_AUTH = "kubernetes.io/basic-auth";

    /** The listed keys source lacks, in spec order; empty when it can be copied. */
    public static List<String> missingKeys(ReplicaSpec replica, Secret source) {
        List<String> missing = new ArrayList<>();
        if (replica == null || replica.getKeys() == null) {
            return missing;
        }
        Map<String, String> data = ContentHash.effectiveData(source);
        for (KeyMapping k : replica.getKeys()) {
            if (!data.containsKey(k.getKey())) {
                missing.add(k.getKey());
            }
        }
        return missing;
    }

    /** The content of source's replicas; the source must hold every listed key (see missingKeys). */
    public static ReplicaContent of(ReplicaSpec replica, Secret source) {
        String sourceType = SecretTypes.of(source);
        Map<String, String> all = ContentHash.effectiveData(source);
        if (replica == null || replica.getKeys() == null) {
            return new ReplicaContent(sourceType, all, ContentHash.of(sourceType, all));
        }
        Map<String, String> kept = new TreeMap<>();
        for (KeyMapping k : replica.getKeys()) {
            kept.put(k.effectiveTargetKey(), all.get(k.getKey()));
        }
        String type = typeFor(sourceType, kept.keySet());
        return new ReplicaContent(type, kept, ContentHash.of(type, kept));
    }

    /** The source's type when the replica's keys still satisfy it, otherwise Opaque. */
    public static String typeFor(String sourceType, java.util.Set<String> replicaKeys) {
        if (BASIC_AUTH.equals(sourceType)) {
            return replicaKeys.contains("username") || replicaKeys.contains("password") ? sourceType
                    : SecretTypes.DEFAULT;
        }
        List<String> required = REQUIRED.get(sourceType);
        return required == null || replicaKeys.containsAll(required) ? sourceType : SecretTypes.DEFAULT;
    }

    /** The extra labels or annotations of spec.replica, never null. */
    public static Map<String, String> extra(Map<String, String> fromSpec) {
        return fromSpec == null ? Map.of() : new LinkedHashMap<>(new TreeMap<>(fromSpec));
    }
}
