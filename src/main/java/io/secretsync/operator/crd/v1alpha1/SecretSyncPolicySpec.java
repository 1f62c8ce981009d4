package io.secretsync.operator.crd.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretSyncPolicySpec {

    @Required
    @JsonPropertyDescription("Which Secrets to copy: a namespace and a selection of Secrets in it.")
    @ValidationRule(value = "(has(self.names) && size(self.names) > 0) || has(self.selector)",
            message = "spec.source needs names or selector")
    private SourceSpec source;

    @Required
    @JsonPropertyDescription("Where to copy them: namespaces by name, by label selector, or by the objects they hold.")
    @ValidationRule(value = "(has(self.namespaces) && size(self.namespaces) > 0) || has(self.namespaceSelector)"
            + " || (has(self.namespacesWith) && size(self.namespacesWith) > 0)",
            message = "spec.target needs namespaces, namespaceSelector or namespacesWith")
    private TargetSpec target;

    @JsonPropertyDescription("Add each replica to the imagePullSecrets of ServiceAccounts in the target namespaces.")
    private ImagePullSecretsSpec imagePullSecrets;

    @JsonPropertyDescription("How replicas differ from their source: extra labels and annotations, and which keys"
            + " are copied (renamed where targetKey says).")
    private ReplicaSpec replica;

    @Default("Skip")
    @JsonPropertyDescription("What to do when a target namespace already holds a Secret of that name that the"
            + " operator did not create: Skip leaves it untouched and reports a conflict, Overwrite adopts it.")
    private ConflictPolicy conflictPolicy;

    @Default("Delete")
    @JsonPropertyDescription("What happens to a replica that is no longer wanted: Delete removes it, Orphan leaves"
            + " it in place without the operator's labels.")
    private DeletionPolicy deletionPolicy;

    @Default("false")
    @JsonPropertyDescription("When true the operator writes nothing for this policy; the status says so.")
    private Boolean suspend;

    public SourceSpec getSource() { return source; }
    public void setSource(SourceSpec source) { this.source = source; }
    public TargetSpec getTarget() { return target; }
    public void setTarget(TargetSpec target) { this.target = target; }
    public ImagePullSecretsSpec getImagePullSecrets() { return imagePullSecrets; }
    public void setImagePullSecrets(ImagePullSecretsSpec imagePullSecrets) { this.imagePullSecrets = imagePullSecrets; }
    public ReplicaSpec getReplica() { return replica; }
    public void setReplica(ReplicaSpec replica) { this.replica = replica; }
    public ConflictPolicy getConflictPolicy() { return conflictPolicy; }
    public void setConflictPolicy(ConflictPolicy conflictPolicy) { this.conflictPolicy = conflictPolicy; }
    public DeletionPolicy getDeletionPolicy() { return deletionPolicy; }
    public void setDeletionPolicy(DeletionPolicy deletionPolicy) { this.deletionPolicy = deletionPolicy; }
    public Boolean getSuspend() { return suspend; }
    public void setSuspend(Boolean suspend) { this.suspend = suspend; }

    public ConflictPolicy effectiveConflictPolicy() {
        return conflictPolicy == null ? ConflictPolicy.Skip : conflictPolicy;
    }

    public DeletionPolicy effectiveDeletionPolicy() {
        return deletionPolicy == null ? DeletionPolicy.Delete : deletionPolicy;
    }

    public boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }

    /** Why the stored spec could not be read, field by field; empty for a spec that was read. */
    public List<String> readProblems() {
        return List.of();
    }
}
