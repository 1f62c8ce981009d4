package io.secretsync.operator.crd.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** spec.target.clusters: which clusters a policy writes into (contract section 7). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterTargets {

    @JsonPropertyDescription("This cluster too (default true).")
    private Boolean local;

    @JsonPropertyDescription("SecretSyncCluster names.")
    private List<String> names;

    @JsonPropertyDescription("Label selector over SecretSyncClusters; {} selects every registered cluster.")
    private LabelSelector selector;

    public ClusterTargets() {
    }

    public ClusterTargets(Boolean local, List<String> names, LabelSelector selector) {
        this.local = local;
        this.names = names;
        this.selector = selector;
    }

    /** Absent means true: a policy always serves its own cluster unless told otherwise. */
    public boolean includesLocal() { return local == null || local; }

    public Boolean getLocal() { return local; }
    public void setLocal(Boolean local) { this.local = local; }
    public List<String> getNames() { return names; }
    public void setNames(List<String> names) { this.names = names; }
    public LabelSelector getSelector() { return selector; }
    public void setSelector(LabelSelector selector) { this.selector = selector; }
}
