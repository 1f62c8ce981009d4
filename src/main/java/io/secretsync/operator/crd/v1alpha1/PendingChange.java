package io.secretsync.operator.crd.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A write a suspended policy would make if resumed. */
// status is the operator's own output: fields another version wrote are ignored, not fatal
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingChange {
    /** The remote cluster; null for this cluster. */
    private String cluster;
    private String namespace;
    private String secret;
    /** Create | Update | Delete | Orphan */
    private String operation;

    public PendingChange() {
    }

    public PendingChange(String namespace, String secret, String operation) {
        this.namespace = namespace;
        this.secret = secret;
        this.operation = operation;
    }

    public PendingChange inCluster(String cluster) {
        PendingChange c = new PendingChange(namespace, secret, operation);
        c.cluster = cluster;
        return c;
    }

    public String getCluster() { return cluster; }
    public void setCluster(String cluster) { this.cluster = cluster; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public String getSecret() { return secret; }
    public void setSecret(String secret) { this.secret = secret; }
    public String getOperation() { return operation; }
    public void setOperation(String operation) { this.operation = operation; }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingChange c && Objects.equals(cluster, c.cluster) && Objects.equals(namespace, c.namespace)
                && Objects.equals(secret, c.secret) && Objects.equals(operation, c.operation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, secret, operation);
    }

    @Override
    public String toString() {
        return operation + " " + namespace + "/" + secret;
    }
}
