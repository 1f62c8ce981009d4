package io.secretsync.operator.crd.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImagePullSecretsSpec {

    @JsonPropertyDescription("ServiceAccounts, in every target namespace (of every selected cluster), whose"
            + " imagePullSecrets get each replica.")
    private List<String> serviceAccounts;

    @JsonPropertyDescription("Also add each replica to the ServiceAccounts that target.namespacesWith objects run as"
            + " (their spec.serviceAccountName, default \"default\"). This cluster only: not with remote clusters.")
    private Boolean workloadServiceAccounts;

    public List<String> getServiceAccounts() { return serviceAccounts; }
    public void setServiceAccounts(List<String> serviceAccounts) { this.serviceAccounts = serviceAccounts; }
    public Boolean getWorkloadServiceAccounts() { return workloadServiceAccounts; }
    public void setWorkloadServiceAccounts(Boolean workloadServiceAccounts) { this.workloadServiceAccounts = workloadServiceAccounts; }
}
