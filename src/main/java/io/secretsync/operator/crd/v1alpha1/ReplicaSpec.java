package io.secretsync.operator.crd.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How replicas differ from their source: extra metadata, and which keys travel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaSpec {
    /** Bounds the lists and maps so that a real API server can cost the CEL rules below. */
    public static final int MAX_ENTRIES = 64;

    @JsonPropertyDescription("Extra labels on every replica of this policy. Keys the operator owns"
            + " (app.kubernetes.io/managed-by, secretsync.io/*) are refused.")
    @Size(max = ReplicaSpec.MAX_ENTRIES)
    @ValidationRule(value = "self.all(k, k != 'app.kubernetes.io/managed-by' && !k.startsWith('secretsync.io/'))",
            message = "spec.replica.labels: app.kubernetes.io/managed-by and secretsync.io/* are the operator's own")
    @ValidationRule(value = "self.all(k, size(self[k]) <= 63)",
            message = "spec.replica.labels: a label value is at most 63 characters")
    private Map<String, String> labels;

    @JsonPropertyDescription("Extra annotations on every replica of this policy, e.g. for Argo CD or Flux. Keys"
            + " the operator owns (app.kubernetes.io/managed-by, secretsync.io/*) are refused.")
    @ValidationRule(value = "self.all(k, k != 'app.kubernetes.io/managed-by' && !k.startsWith('secretsync.io/'))",
            message = "spec.replica.annotations: app.kubernetes.io/managed-by and secretsync.io/* are the operator's own")
    @Size(max = ReplicaSpec.MAX_ENTRIES)
    private Map<String, String> annotations;

    @JsonPropertyDescription("Copy only these keys of each source (default: every key), renamed where targetKey says.")
    @Size(min = 1, max = ReplicaSpec.MAX_ENTRIES)
    @ValidationRule(value = "self.all(a, self.exists_one(b, b.key == a.key))",
            message = "spec.replica.keys lists the same key twice")
    @ValidationRule(value = "self.all(a, self.exists_one(b, (has(b.targetKey) ? b.targetKey : b.key)"
            + " == (has(a.targetKey) ? a.targetKey : a.key)))",
            message = "spec.replica.keys gives two keys the same targetKey")
    private List<KeyMapping> keys;

    public Map<String, String> getLabels() { return labels; }
    public void setLabels(Map<String, String> labels) { this.labels = labels; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
    public List<KeyMapping> getKeys() { return keys; }
    public void setKeys(List<KeyMapping> keys) { this.keys = keys; }
}
