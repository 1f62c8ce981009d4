package io.secretsync.operator.crd.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetSpec {

    @JsonPropertyDescription("Target namespaces by name.")
    private List<String> namespaces;

    @JsonPropertyDescription("Label selector over Namespaces; {} selects every namespace.")
    private LabelSelector namespaceSelector;

    @JsonPropertyDescription("Namespaces that hold at least one object of one of these kinds become targets."
            + " This cluster only: not with remote clusters.")
    private List<ResourceKind> namespacesWith;

    @JsonPropertyDescription("Namespaces that are never targets of this policy.")
    private List<String> excludeNamespaces;

    @JsonPropertyDescription("Clusters written into; absent = this cluster only.")
    private ClusterTargets clusters;

    public TargetSpec() {
    }

    public TargetSpec(List<String> namespaces, LabelSelector namespaceSelector, List<ResourceKind> namespacesWith,
            List<String> excludeNamespaces) {
        this.namespaces = namespaces;
        this.namespaceSelector = namespaceSelector;
        this.namespacesWith = namespacesWith;
        this.excludeNamespaces = excludeNamespaces;
    }

    public List<String> getNamespaces() { return namespaces; }
    public void setNamespaces(List<String> namespaces) { this.namespaces = namespaces; }
    public LabelSelector getNamespaceSelector() { return namespaceSelector; }
    public void setNamespaceSelector(LabelSelector namespaceSelector) { this.namespaceSelector = namespaceSelector; }
    public List<ResourceKind> getNamespacesWith() { return namespacesWith; }
    public void setNamespacesWith(List<ResourceKind> namespacesWith) { this.namespacesWith = namespacesWith; }
    public List<String> getExcludeNamespaces() { return excludeNamespaces; }
    public void setExcludeNamespaces(List<String> excludeNamespaces) { this.excludeNamespaces = excludeNamespaces; }
    public ClusterTargets getClusters() { return clusters; }
    public void setClusters(ClusterTargets clusters) { this.clusters = clusters; }
}
