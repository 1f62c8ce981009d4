package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Standard Kubernetes condition bookkeeping: lastTransitionTime moves only when status flips,
 * and an unchanged condition is returned as the very same value so status diffs stay empty.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private Conditions() {
    }

    public static List<Condition> set(List<Condition> existing, String type, boolean status, String reason,
            String message, long observedGeneration, String now) {
        List<Condition> result = new ArrayList<>();
        Optional<Condition> previous = find(existing, type);
        String statusValue = status ? TRUE : FALSE;
        String transition = previous.filter(p -> statusValue.equals(p.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now);
        Condition next = new ConditionBuilder().withType(type).withStatus(statusValue).withReason(reason)
                .withMessage(message).withObservedGeneration(observedGeneration)
                .withLastTransitionTime(transition).build();
        if (existing != null) {
            existing.stream().filter(c -> !type.equals(c.getType())).forEach(result::add);
        }
        result.add(next);
        result.sort((a, b) -> a.getType().compareTo(b.getType()));
        return result;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** True when the Ready condition's status or reason differs between the two lists. */
    public static boolean readyChanged(List<Condition> before, List<Condition> after) {
        Optional<Condition> b = find(before, READY);
        Optional<Condition> a = find(after, READY);
        return !Objects.equals(b.map(Condition::getStatus), a.map(Condition::getStatus))
                || !Objects.equals(b.map(Condition::getReason), a.map(Condition::getReason));
    }
}
