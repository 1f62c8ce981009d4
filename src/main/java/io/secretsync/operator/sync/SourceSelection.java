package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.SourceSpec;

/** Which Secrets of the source namespace a policy copies, and why the others are left out. */
public final class SourceSelection {

    /**
     * @param selected the Secrets to copy, sorted by name
     * @param missing names listed in spec.source.names that do not exist
     * @param ignored Secrets named or selected that cannot be copied, with the reason
     */
    public record Result(List<Secret> selected, List<String> missing, Map<String, String> ignored) {
    }

    private SourceSelection() {
    }

    public static Result select(SourceSpec spec, Collection<Secret> secretsInSourceNamespace) {
        List<String> names = spec.getNames() == null ? List.of() : spec.getNames();
        Map<String, Secret> byName = new HashMap<>();
        secretsInSourceNamespace.forEach(s -> byName.put(s.getMetadata().getName(), s));

        List<Secret> selected = new ArrayList<>();
        Map<String, String> ignored = new TreeMap<>();
        for (Secret s : secretsInSourceNamespace) {
            if (!picks(spec, s)) {
                continue;
            }
            String reason = whyNotCopyable(spec, s);
            if (reason == null) {
                selected.add(s);
            } else {
                ignored.put(s.getMetadata().getName(), reason);
            }
        }
        selected.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        List<String> missing = names.stream().filter(n -> !byName.containsKey(n)).sorted().toList();
        return new Result(selected, missing, ignored);
    }

    /** True when spec names s or its selector matches s (whether s can be copied or not). */
    public static boolean picks(SourceSpec spec, Secret s) {
        return (spec.getNames() != null && spec.getNames().contains(s.getMetadata().getName()))
                || LabelSelectors.matches(spec.getSelector(), s.getMetadata().getLabels());
    }

    private static String whyNotCopyable(SourceSpec spec, Secret s) {
        String type = SecretTypes.of(s);
        if (SecretTypes.SERVICE_ACCOUNT_TOKEN.equals(type)) {
            return "type " + type + " is never copied";
        }
        if (ReplicaMetadata.isManaged(s)) {
            return "it is itself a replica (label " + ReplicaMetadata.MANAGED_BY_LABEL + ")";
        }
        if (spec.getTypes() != null && !spec.getTypes().isEmpty() && !spec.getTypes().contains(type)) {
            return "type " + type + " is not in spec.source.types " + spec.getTypes();
        }
        return null;
    }
}
