package io.secretsync.operator.crd.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

// status is the operator's own output: fields another version wrote are ignored, not fatal
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretSyncPolicyStatus {
    private Long observedGeneration;
    private List<Condition> conditions = new ArrayList<>();
    private Integer sourceSecrets;
    private Integer targetNamespaces;
    private Integer syncedReplicas;
    private Integer failedReplicas;
    private List<ClusterSyncStatus> clusters;
    private List<ReplicaFailure> failures;
    private String lastSyncTime;
    private Integer pendingChanges;
    private List<PendingChange> pending;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Integer getSourceSecrets() { return sourceSecrets; }
    public void setSourceSecrets(Integer sourceSecrets) { this.sourceSecrets = sourceSecrets; }
    public Integer getTargetNamespaces() { return targetNamespaces; }
    public void setTargetNamespaces(Integer targetNamespaces) { this.targetNamespaces = targetNamespaces; }
    public Integer getSyncedReplicas() { return syncedReplicas; }
    public void setSyncedReplicas(Integer syncedReplicas) { this.syncedReplicas = syncedReplicas; }
    public Integer getFailedReplicas() { return failedReplicas; }
    public void setFailedReplicas(Integer failedReplicas) { this.failedReplicas = failedReplicas; }
    /** One entry per selected remote cluster, sorted by name; absent when the policy has none. */
    public List<ClusterSyncStatus> getClusters() { return clusters; }
    public void setClusters(List<ClusterSyncStatus> clusters) { this.clusters = clusters; }
    public List<ReplicaFailure> getFailures() { return failures; }
    public void setFailures(List<ReplicaFailure> failures) { this.failures = failures; }
    public String getLastSyncTime() { return lastSyncTime; }
    public void setLastSyncTime(String lastSyncTime) { this.lastSyncTime = lastSyncTime; }

    /** Only while spec.suspend is true: the writes a resume would make. */
    public Integer getPendingChanges() { return pendingChanges; }
    public void setPendingChanges(Integer pendingChanges) { this.pendingChanges = pendingChanges; }
    /** Only while spec.suspend is true: the first of them, sorted by namespace and secret. */
    public List<PendingChange> getPending() { return pending; }
    public void setPending(List<PendingChange> pending) { this.pending = pending; }

    /** Equality of everything but lastSyncTime, which only moves when something else does. */
    public boolean sameStateAs(SecretSyncPolicyStatus other) {
        return other != null && Objects.equals(observedGeneration, other.observedGeneration)
                && Objects.equals(conditions, other.conditions)
                && Objects.equals(sourceSecrets, other.sourceSecrets)
                && Objects.equals(targetNamespaces, other.targetNamespaces)
                && Objects.equals(syncedReplicas, other.syncedReplicas)
                && Objects.equals(failedReplicas, other.failedReplicas)
                && Objects.equals(clusters == null || clusters.isEmpty() ? null : clusters,
                        other.clusters == null || other.clusters.isEmpty() ? null : other.clusters)
                && Objects.equals(emptyToNull(failures), emptyToNull(other.failures))
                && Objects.equals(pendingChanges, other.pendingChanges)
                && Objects.equals(pending == null || pending.isEmpty() ? null : pending,
                        other.pending == null || other.pending.isEmpty() ? null : other.pending);
    }

    private static List<ReplicaFailure> emptyToNull(List<ReplicaFailure> l) {
        return l == null || l.isEmpty() ? null : l;
    }
}
