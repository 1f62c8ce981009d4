package io.secretsync.operator.sync;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.secretsync.operator.crd.v1alpha1.KeyMapping;
import io.secretsync.operator.crd.v1alpha1.ReplicaSpec;

/** The checks of spec.replica, each problem naming the field; the CRD's CEL rules mirror what they can. */
final class ReplicaSpecValidator {
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    /** An API server refuses more than 256 KiB of annotations; 4 KiB stay for the operator's own. */
    static final int MAX_ANNOTATION_BYTES = 256 * 1024 - 4 * 1024;

    private ReplicaSpecValidator() {
    }

    static void check(ReplicaSpec replica, List<String> problems) {
        if (replica == null) {
            return;
        }
        checkMetadata("spec.replica.labels", replica.getLabels(), true, problems);
        checkMetadata("spec.replica.annotations", replica.getAnnotations(), false, problems);
        checkKeys(replica.getKeys(), problems);
    }

    private static void checkMetadata(String field, Map<String, String> entries, boolean labels,
            List<String> problems) {
        if (entries == null) {
            return;
        }
        if (entries.size() > ReplicaSpec.MAX_ENTRIES) {
            problems.add(field + " has " + entries.size() + " entries; at most " + ReplicaSpec.MAX_ENTRIES
                    + " are allowed");
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue();
            bytes += key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
            if (ReplicaMetadata.isReserved(key)) {
                problems.add(field + ": \"" + key + "\" is the operator's own (" + ReplicaMetadata.MANAGED_BY_LABEL
                        + " and " + ReplicaMetadata.OWN_PREFIX + "* are reserved); remove it");
            } else if (!Names.isQualifiedName(key)) {
                problems.add(field + ": \"" + key + "\" is not a valid " + (labels ? "label" : "annotation")
                        + " key (an optional DNS subdomain prefix and '/', then at most 63 of [-A-Za-z0-9_.],"
                        + " starting and ending with a letter or digit)");
            } else if (labels && !Names.isLabelValue(value)) {
                problems.add(field + "[\"" + key + "\"]: the value is not a valid label value (at most 63 of"
                        + " [-A-Za-z0-9_.], starting and ending with a letter or digit)");
            }
        }
        if (!labels && bytes > MAX_ANNOTATION_BYTES) {
            problems.add(field + " total " + bytes + " bytes; at most " + MAX_ANNOTATION_BYTES
                    + " fit on a Secret next to the operator's own annotations");
        }
    }

    private static void checkKeys(List<KeyMapping> keys, List<String> problems) {
        if (keys == null) {
            return;
        }
        if (keys.isEmpty()) {
            problems.add("spec.replica.keys is empty; leave it out to copy every key, or list the keys to copy");
            return;
        }
        if (keys.size() > ReplicaSpec.MAX_ENTRIES) {
            problems.add("spec.replica.keys has " + keys.size() + " entries; at most " + ReplicaSpec.MAX_ENTRIES
                    + " are allowed");
        }
        Set<String> seenKeys = new HashSet<>();
        Set<String> seenTargets = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            KeyMapping k = keys.get(i);
            String field = "spec.replica.keys[" + i + "]";
            if (k == null || k.getKey() == null || k.getKey().isEmpty()) {
                problems.add(field + ".key is required");
                continue;
            }
            if (!isSecretKey(k.getKey())) {
                problems.add(field + ".key: \"" + k.getKey() + "\" is not a valid Secret key ([-._a-zA-Z0-9]+)");
            } else if (!seenKeys.add(k.getKey())) {
                problems.add(field + ".key: \"" + k.getKey() + "\" is listed twice; list each key once");
            }
            if (k.getTargetKey() != null && !isSecretKey(k.getTargetKey())) {
                problems.add(field + ".targetKey: \"" + k.getTargetKey()
                        + "\" is not a valid Secret key ([-._a-zA-Z0-9]+)");
            } else if (!seenTargets.add(k.effectiveTargetKey())) {
                problems.add(field + ".targetKey: two keys would both be \"" + k.effectiveTargetKey()
                        + "\" in the replica; give each a different targetKey");
            }
        }
    }

    private static boolean isSecretKey(String key) {
        return key.length() <= 253 && SECRET_KEY.matcher(key).matches() && !".".equals(key) && !"..".equals(key);
    }
}
