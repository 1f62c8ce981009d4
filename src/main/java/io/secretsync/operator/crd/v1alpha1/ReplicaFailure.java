package io.secretsync.operator.crd.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** One replica the operator could not bring in sync; the message never carries Secret data. */
// status is the operator's own output: fields another version wrote are ignored, not fatal
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaFailure {
    /** The remote cluster (a SecretSyncCluster name); null for this cluster. */
    private String cluster;
    private String namespace;
    private String secret;
    private String reason;
    private String message;

    public ReplicaFailure() {
    }

    public ReplicaFailure(String namespace, String secret, String reason, String message) {
        this.namespace = namespace;
        this.secret = secret;
        this.reason = reason;
        this.message = message;
    }

    /** The same failure in a remote cluster (null: this cluster). */
    public ReplicaFailure inCluster(String cluster) {
        ReplicaFailure f = new ReplicaFailure(namespace, secret, reason, message);
        f.cluster = cluster;
        return f;
    }

    public String getCluster() { return cluster; }
    public void setCluster(String cluster) { this.cluster = cluster; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public String getSecret() { return secret; }
    public void setSecret(String secret) { this.secret = secret; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaFailure f && Objects.equals(cluster, f.cluster) && Objects.equals(namespace, f.namespace)
                && Objects.equals(secret, f.secret) && Objects.equals(reason, f.reason)
                && Objects.equals(message, f.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cluster, namespace, secret, reason, message);
    }
}
