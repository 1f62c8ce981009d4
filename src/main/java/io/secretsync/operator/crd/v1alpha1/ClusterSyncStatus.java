package io.secretsync.operator.crd.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** status.clusters[]: one selected remote cluster's share of a policy's replicas. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterSyncStatus {
    private String name;
    private Boolean ready;
    private Integer targetNamespaces;
    private Integer syncedReplicas;
    private Integer failedReplicas;

    public ClusterSyncStatus() {
    }

    public ClusterSyncStatus(String name, boolean ready, int targetNamespaces, int syncedReplicas, int failedReplicas) {
        this.name = name;
        this.ready = ready;
        this.targetNamespaces = targetNamespaces;
        this.syncedReplicas = syncedReplicas;
        this.failedReplicas = failedReplicas;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Boolean getReady() { return ready; }
    public void setReady(Boolean ready) { this.ready = ready; }
    public Integer getTargetNamespaces() { return targetNamespaces; }
    public void setTargetNamespaces(Integer targetNamespaces) { this.targetNamespaces = targetNamespaces; }
    public Integer getSyncedReplicas() { return syncedReplicas; }
    public void setSyncedReplicas(Integer syncedReplicas) { this.syncedReplicas = syncedReplicas; }
    public Integer getFailedReplicas() { return failedReplicas; }
    public void setFailedReplicas(Integer failedReplicas) { this.failedReplicas = failedReplicas; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSyncStatus c && Objects.equals(name, c.name) && Objects.equals(ready, c.ready)
                && Objects.equals(targetNamespaces, c.targetNamespaces)
                && Objects.equals(syncedReplicas, c.syncedReplicas) && Objects.equals(failedReplicas, c.failedReplicas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, ready, targetNamespaces, syncedReplicas, failedReplicas);
    }
}
