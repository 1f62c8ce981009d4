package io.secretsync.operator.crd.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.LabelSelector;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceSpec {

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Namespace that holds the source Secrets.")
    private String namespace;

    @JsonPropertyDescription("Names of the Secrets to copy. A Secret matching names or selector is selected.")
    private List<String> names;

    @JsonPropertyDescription("Label selector over the Secrets of the source namespace.")
    private LabelSelector selector;

    @JsonPropertyDescription("Only Secrets of these types are copied, e.g. kubernetes.io/dockerconfigjson. Empty means any type.")
    private List<String> types;

    public SourceSpec() {
    }

    public SourceSpec(String namespace, List<String> names, LabelSelector selector, List<String> types) {
        this.namespace = namespace;
        this.names = names;
        this.selector = selector;
        this.types = types;
    }

    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public List<String> getNames() { return names; }
    public void setNames(List<String> names) { this.names = names; }
    public LabelSelector getSelector() { return selector; }
    public void setSelector(LabelSelector selector) { this.selector = selector; }
    public List<String> getTypes() { return types; }
    public void setTypes(List<String> types) { this.types = types; }
}
