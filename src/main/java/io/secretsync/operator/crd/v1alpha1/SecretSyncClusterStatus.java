package io.secretsync.operator.crd.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

/** Ready with reason Connected | Unreachable | Unauthorized | InvalidKubeconfig, and the server's version. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretSyncClusterStatus {
    private Long observedGeneration;
    private List<Condition> conditions = new ArrayList<>();
    private String serverVersion;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public String getServerVersion() { return serverVersion; }
    public void setServerVersion(String serverVersion) { this.serverVersion = serverVersion; }

    public boolean sameStateAs(SecretSyncClusterStatus other) {
        return other != null && Objects.equals(observedGeneration, other.observedGeneration)
                && Objects.equals(conditions, other.conditions) && Objects.equals(serverVersion, other.serverVersion);
    }
}
