package io.secretsync.operator.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Our files read the way OLM's tools read them, not the way a lenient YAML library does.
 *
 * <ul>
 * <li>Splitting (Kubernetes apimachinery's YAML reader, used by both loaders below and by
 * kubectl): a line that starts with {@code ---} ends the document collected so far, if anything
 * (even a comment or a blank line) was collected; {@code ---} may be followed only by spaces or
 * a comment. A document that holds only comments decodes to nothing.</li>
 * <li>File-based catalog (operator-registry's declcfg loader behind {@code opm validate} and
 * {@code opm serve}): every document is an entry and must have a root {@code schema}; a
 * document without one fails the whole catalog ({@code object '...' is missing root schema
 * field}).</li>
 * <li>Bundle manifests (operator-framework/api's bundle loader behind {@code operator-sdk
 * bundle validate}, and OLM's bundle unpacker): only the first document of each file is
 * decoded; a bundle is found through a file whose first document is a ClusterServiceVersion.</li>
 * </ul>
 */
public final class OlmLoaders {
    static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private OlmLoaders() {
    }

    /** The documents of a YAML stream as apimachinery's YAML reader returns them. */
    public static List<String> documents(String text) {
        if (text.stripLeading().startsWith("{")) {
            return List.of(text); // the decoder sniffs JSON and reads it as one object
        }
        List<String> docs = new ArrayList<>();
        StringBuilder buffer = new StringBuilder();
        for (String line : text.split("(?<=\n)")) {
            if (line.startsWith("---")) {
                String rest = line.substring(3).strip();
                if (!rest.isEmpty() && rest.charAt(0) != '#') {
                    throw new IllegalArgumentException("invalid Yaml document separator: " + rest);
                }
                if (!buffer.isEmpty()) {
                    docs.add(buffer.toString());
                    buffer.setLength(0);
                }
                continue;
            }
            buffer.append(line);
        }
        if (!buffer.isEmpty()) {
            docs.add(buffer.toString());
        }
        return docs;
    }

    /** A document decoded; an empty object when it holds no content (only comments or blanks). */
    public static JsonNode decode(String document) {
        try {
            JsonNode node = YAML.readTree(document);
            return node == null || node.isMissingNode() || node.isNull() ? YAML.createObjectNode() : node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the bundle loader sees of a manifest file: its first document. */
    public static JsonNode bundleManifest(String text) {
        List<String> docs = documents(text);
        return docs.isEmpty() ? YAML.createObjectNode() : decode(docs.get(0));
    }

    /** The entries of a file-based catalog file; fails as the loader fails on an entry without schema. */
    public static List<JsonNode> catalogEntries(String text) {
        List<JsonNode> entries = new ArrayList<>();
        for (String doc : documents(text)) {
            JsonNode entry = decode(doc);
            if (!entry.isObject() || entry.path("schema").asText("").isEmpty()) {
                throw new IllegalArgumentException("object '" + entry + "' is missing root schema field");
            }
            entries.add(entry);
        }
        return entries;
    }

    /** True for a valid Kubernetes object name (RFC 1123 subdomain, at most 253 characters). */
    public static boolean isDns1123Subdomain(String name) {
        return name != null && name.length() <= 253 && DNS1123_SUBDOMAIN.matcher(name).matches();
    }

    static Map<String, Object> asMap(JsonNode node) {
        return YAML.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
        });
    }
}
