package io.secretsync.operator.crd.v1alpha1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * Compares a stored spec, as JSON, with the shape of the model this operator was built with:
 * every field must be one the model knows, every value of the type the model expects. Walks the
 * model through Jackson's own introspection, so a field added to the model is known here at once.
 *
 * <p>An unknown field is a problem, not something to skip: a newer CRD's field (say a list of keys
 * to copy) silently ignored by an older operator would copy more than the user asked for.
 *
 * <p>Messages name the field and what is wrong with it. They quote a value only when it is a short
 * word (an enum value such as "Adopt"), never anything longer, so no data can leak through them.
 */
public final class SpecShape {
    static final int MAX_PROBLEMS = 20;
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._/-]{1,63}");

    private SpecShape() {
    }

    static List<String> problems(JsonNode spec, DeserializationConfig config) {
        List<String> problems = new ArrayList<>();
        check(spec, config.constructType(SecretSyncPolicySpec.class), "spec", config, problems);
        if (problems.size() > MAX_PROBLEMS) {
            int more = problems.size() - MAX_PROBLEMS;
            problems = new ArrayList<>(problems.subList(0, MAX_PROBLEMS));
            problems.add("and " + more + " more");
        }
        return problems;
    }

    private static void check(JsonNode node, JavaType type, String path, DeserializationConfig config,
            List<String> problems) {
        if (node == null || node.isNull()) {
            return; // absent: the validator decides whether the field is required
        }
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            if (!node.isTextual()) {
                problems.add(path + ": must be a string, not " + kind(node));
            }
        } else if (raw == Boolean.class || raw == boolean.class) {
            if (!node.isBoolean()) {
                problems.add(path + ": must be true or false, not " + kind(node));
            }
        } else if (raw.isEnum()) {
            String allowed = Arrays.stream(raw.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
            if (!node.isTextual()) {
                problems.add(path + ": must be one of " + allowed + ", not " + kind(node));
            } else if (Arrays.stream(raw.getEnumConstants()).noneMatch(c -> c.toString().equals(node.asText()))) {
                problems.add(path + ": " + quoted(node.asText()) + " is not one of " + allowed
                        + " (a value of a newer CRD? upgrade the operator, or use one of these)");
            }
        } else if (type.isCollectionLikeType() || type.isArrayType()) {
            if (!node.isArray()) {
                problems.add(path + ": must be a list, not " + kind(node));
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), type.getContentType(), path + "[" + i + "]", config, problems);
            }
        } else if (type.isMapLikeType()) {
            if (!node.isObject()) {
                problems.add(path + ": must be a map, not " + kind(node));
                return;
            }
            node.fields().forEachRemaining(e -> check(e.getValue(), type.getContentType(),
                    path + "[" + quoted(e.getKey()) + "]", config, problems));
        } else {
            if (!node.isObject()) {
                problems.add(path + ": must be an object, not " + kind(node));
                return;
            }
            Map<String, JavaType> fields = fieldsOf(type, config);
            node.fields().forEachRemaining(e -> {
                JavaType fieldType = fields.get(e.getKey());
                if (fieldType == null) {
                    problems.add(path + "." + name(e.getKey()) + ": unknown field; this operator does not know it"
                            + " (it may come from a newer SecretSyncPolicy CRD): upgrade the operator, or remove"
                            + " the field");
                } else {
                    check(e.getValue(), fieldType, path + "." + e.getKey(), config, problems);
                }
            });
        }
    }

    private static Map<String, JavaType> fieldsOf(JavaType type, DeserializationConfig config) {
        BeanDescription bean = config.introspect(type);
        Map<String, JavaType> fields = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            if (p.couldDeserialize()) {
                fields.put(p.getName(), p.getPrimaryType());
            }
        }
        return fields;
    }

    private static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        } else if (node.isNumber()) {
            return "a number";
        } else if (node.isBoolean()) {
            return "true or false";
        } else if (node.isArray()) {
            return "a list";
        } else if (node.isObject()) {
            return "an object";
        }
        return "a value of another type";
    }

    private static String quoted(String value) {
        return WORD.matcher(value).matches() ? "\"" + value + "\"" : "a value";
    }

    private static String name(String field) {
        return WORD.matcher(field).matches() ? field : "<a field with an unusual name>";
    }
}
