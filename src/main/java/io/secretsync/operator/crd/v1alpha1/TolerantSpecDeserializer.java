package io.secretsync.operator.crd.v1alpha1;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * Reading a SecretSyncPolicy never fails on its spec: one object the operator cannot read must not
 * stop the informer that reads all of them (which would stop every policy and turn readiness
 * DOWN). A spec that does not fit the model ({@link SpecShape}) becomes an {@link UnreadableSpec}
 * carrying the problems. Wired on {@link SecretSyncPolicy#setSpec}, so every mapper that reads a
 * policy uses it: the informer's, the SDK's cloner, the client's responses.
 */
public final class TolerantSpecDeserializer extends StdDeserializer<SecretSyncPolicySpec> {
    public TolerantSpecDeserializer() {
        super(SecretSyncPolicySpec.class);
    }

    @Override
    public SecretSyncPolicySpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode stored = parser.readValueAsTree();
        List<String> problems = SpecShape.problems(stored, context.getConfig());
        if (problems.isEmpty()) {
            try {
                return context.readTreeAsValue(stored, SecretSyncPolicySpec.class);
            } catch (DatabindException | RuntimeException e) {
                // the shape check should have caught it; name the place, never the message (it quotes values)
                problems = List.of(where(e) + ": could not be read; check its type against the CRD");
            }
        }
        return new UnreadableSpec(stored, problems, explicitDeletionPolicy(stored));
    }

    private static DeletionPolicy explicitDeletionPolicy(JsonNode stored) {
        JsonNode value = stored.path("deletionPolicy");
        for (DeletionPolicy p : DeletionPolicy.values()) {
            if (value.isTextual() && p.name().equals(value.asText())) {
                return p;
            }
        }
        return null;
    }

    private static String where(Exception e) {
        StringBuilder path = new StringBuilder("spec");
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                path.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
            }
        }
        return path.toString();
    }
}
