package io.secretsync.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One key a replica holds: its name in the source and, optionally, in the replica. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyMapping {

    @Required
    @Size(max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key in the source Secret.")
    private String key;

    @Size(max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Its name in the replica (default: the same as key).")
    private String targetKey;

    public KeyMapping() {
    }

    public KeyMapping(String key, String targetKey) {
        this.key = key;
        this.targetKey = targetKey;
    }

    public String getKey() { return key; }
    public void setKey(String key) { this.key = key; }
    public String getTargetKey() { return targetKey; }
    public void setTargetKey(String targetKey) { this.targetKey = targetKey; }

    /** The key's name in the replica. */
    public String effectiveTargetKey() {
        return targetKey == null ? key : targetKey;
    }
}
