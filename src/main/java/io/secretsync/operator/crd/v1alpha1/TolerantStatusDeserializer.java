package io.secretsync.operator.crd.v1alpha1;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * The status is the operator's own output and is written afresh on the next reconcile: one it
 * cannot read (written by another version, or by hand) is treated as no status at all.
 */
public final class TolerantStatusDeserializer extends StdDeserializer<SecretSyncPolicyStatus> {
    public TolerantStatusDeserializer() {
        super(SecretSyncPolicyStatus.class);
    }

    @Override
    public SecretSyncPolicyStatus deserialize(JsonParser parser, DeserializationContext context)
            throws IOException {
        JsonNode stored = parser.readValueAsTree();
        try {
            return context.readTreeAsValue(stored, SecretSyncPolicyStatus.class);
        } catch (DatabindException | RuntimeException e) {
            return null;
        }
    }
}
