package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Condition;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;

/**
 * Decides which Kubernetes Events a status change deserves: one on each Ready transition and one
 * per failure reason when new failures appear. Never one per replica per resync.
 */
public final class PolicyEvents {
    private static final int LISTED = 5;

    public record PolicyEvent(boolean warning, String reason, String message) {
    }

    private PolicyEvents() {
    }

    public static List<PolicyEvent> between(SecretSyncPolicyStatus before, SecretSyncPolicyStatus after) {
        List<PolicyEvent> events = new ArrayList<>();
        List<Condition> beforeConditions = before == null ? null : before.getConditions();
        if (Conditions.readyChanged(beforeConditions, after.getConditions())) {
            Condition ready = Conditions.find(after.getConditions(), Conditions.READY).orElseThrow();
            boolean warning = ReadyReasons.INVALID_SPEC.equals(ready.getReason())
                    || ReadyReasons.SOURCE_NOT_FOUND.equals(ready.getReason());
            events.add(new PolicyEvent(warning, ready.getReason(), ready.getMessage()));
        }
        Set<String> known = new HashSet<>();
        if (before != null && before.getFailures() != null) {
            before.getFailures().forEach(f -> known.add(key(f)));
        }
        Map<String, List<ReplicaFailure>> fresh = new LinkedHashMap<>();
        if (after.getFailures() != null) {
            after.getFailures().stream().filter(f -> !known.contains(key(f)))
                    .forEach(f -> fresh.computeIfAbsent(f.getReason(), r -> new ArrayList<>()).add(f));
        }
        fresh.forEach((reason, failures) -> events.add(new PolicyEvent(true, reason, describe(failures))));
        return events;
    }

    private static String describe(List<ReplicaFailure> failures) {
        String where = failures.stream().limit(LISTED).map(f -> f.getNamespace() + "/" + f.getSecret())
                .collect(Collectors.joining(", "));
        String more = failures.size() > LISTED ? " and " + (failures.size() - LISTED) + " more" : "";
        return failures.size() + " replica" + (failures.size() == 1 ? "" : "s") + " not written (" + where + more
                + "): " + failures.get(0).getMessage();
    }

    private static String key(ReplicaFailure f) {
        return f.getNamespace() + "/" + f.getSecret() + "/" + f.getReason();
    }
}
