package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

/**
 * Evaluates a LabelSelector in memory, with the semantics of the Kubernetes API server. We never
 * hand selectors to the server: label-filtered list/watch is not what every server (or test
 * server) implements for In/NotIn, and the caches already hold the objects.
 */
public final class LabelSelectors {
    static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    private LabelSelectors() {
    }

    /** A null selector matches nothing; an empty one ({}) matches everything. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(actual.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> labels.containsKey(r.getKey()) && values.contains(labels.get(r.getKey()));
            case "NotIn" -> !labels.containsKey(r.getKey()) || !values.contains(labels.get(r.getKey()));
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            // validation rejects unknown operators before we get here; fail closed regardless
            default -> false;
        };
    }

    /** Problems with a selector, each naming the field; empty when the selector is valid. */
    public static List<String> problems(String field, LabelSelector selector) {
        List<String> problems = new ArrayList<>();
        if (selector == null) {
            return problems;
        }
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> {
                if (!Names.isQualifiedName(k)) {
                    problems.add(field + ".matchLabels: \"" + k + "\" is not a valid label key");
                }
                if (v == null || !Names.isLabelValue(v)) {
                    problems.add(field + ".matchLabels[" + k + "]: \"" + v + "\" is not a valid label value");
                }
            });
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        for (int i = 0; expressions != null && i < expressions.size(); i++) {
            LabelSelectorRequirement r = expressions.get(i);
            String at = field + ".matchExpressions[" + i + "]";
            if (r.getKey() == null || !Names.isQualifiedName(r.getKey())) {
                problems.add(at + ".key: \"" + r.getKey() + "\" is not a valid label key");
            }
            String op = r.getOperator();
            boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
            if (op == null || !OPERATORS.contains(op)) {
                problems.add(at + ".operator: \"" + op + "\" is not one of In, NotIn, Exists, DoesNotExist");
            } else if ((op.equals("In") || op.equals("NotIn")) && !hasValues) {
                problems.add(at + ".values: operator " + op + " needs at least one value");
            } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && hasValues) {
                problems.add(at + ".values: operator " + op + " takes no values");
            }
        }
        return problems;
    }
}
