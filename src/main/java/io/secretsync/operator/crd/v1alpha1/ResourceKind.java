package io.secretsync.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

public class ResourceKind {

    @Required
    @JsonPropertyDescription("API version of the kind, e.g. kpack.io/v1alpha2.")
    private String apiVersion;

    @Required
    @JsonPropertyDescription("Kind, e.g. Build.")
    private String kind;

    public ResourceKind() {
    }

    public ResourceKind(String apiVersion, String kind) {
        this.apiVersion = apiVersion;
        this.kind = kind;
    }

    public String getApiVersion() { return apiVersion; }
    public void setApiVersion(String apiVersion) { this.apiVersion = apiVersion; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }

    /** "apiVersion/kind", e.g. kpack.io/v1alpha2/Build: how the operator names a kind everywhere. */
    public String key() {
        return apiVersion + "/" + kind;
    }

    @Override
    public String toString() {
        return key();
    }
}
