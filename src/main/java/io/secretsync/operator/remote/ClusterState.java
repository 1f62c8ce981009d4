package io.secretsync.operator.remote;

/** A registered remote cluster as last probed; the name is the Ready condition's reason. */
public enum ClusterState {
    /** Reachable, and the kubeconfig's credentials may do what the operator needs. */
    Connected,
    /** No answer, or not a Kubernetes API server (network, DNS, TLS, timeouts). */
    Unreachable,
    /** The server answered 401 or 403 to the credentials. */
    Unauthorized,
    /** The kubeconfig Secret is missing, unreadable, or asks for what the operator refuses (exec, auth-provider, files, insecure TLS). */
    InvalidKubeconfig;

    public boolean usable() {
        return this == Connected;
    }
}
