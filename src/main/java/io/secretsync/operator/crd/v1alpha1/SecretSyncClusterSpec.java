package io.secretsync.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretSyncClusterSpec {

    @Required
    @JsonPropertyDescription("The Secret, in the operator's own namespace, holding the kubeconfig of the remote cluster.")
    private KubeconfigSecretRef kubeconfigSecretRef;

    public KubeconfigSecretRef getKubeconfigSecretRef() { return kubeconfigSecretRef; }
    public void setKubeconfigSecretRef(KubeconfigSecretRef kubeconfigSecretRef) { this.kubeconfigSecretRef = kubeconfigSecretRef; }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class KubeconfigSecretRef {
        public static final String DEFAULT_KEY = "kubeconfig";

        @Required
        @JsonPropertyDescription("Name of the Secret in the operator's namespace.")
        private String name;

        @JsonPropertyDescription("Key of the kubeconfig in that Secret (default: kubeconfig).")
        private String key;

        public KubeconfigSecretRef() {
        }

        public KubeconfigSecretRef(String name, String key) {
            this.name = name;
            this.key = key;
        }

        public String effectiveKey() { return key == null || key.isBlank() ? DEFAULT_KEY : key; }
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getKey() { return key; }
        public void setKey(String key) { this.key = key; }
    }
}
