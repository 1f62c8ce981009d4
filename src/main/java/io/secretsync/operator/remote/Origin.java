package io.secretsync.operator.remote;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.config.SecretSyncConfig;

/**
 * This operator's identity on the replicas it writes into remote clusters (annotation
 * secretsync.io/origin): secretsync.origin when set, else the UID of this cluster's kube-system
 * namespace, which is the same for every process and shard of one installation, survives
 * restarts and differs between clusters. Read once, when first needed.
 */
@ApplicationScoped
public class Origin {
    static final String IDENTITY_NAMESPACE = "kube-system";

    private final SecretSyncConfig config;
    private final KubernetesClient client;
    private volatile String id;

    public Origin(SecretSyncConfig config, KubernetesClient client) {
        this.config = config;
        this.client = client;
    }

    /** @throws IllegalStateException when the setting is unset and kube-system cannot be read */
    public String id() {
        String known = id;
        if (known == null) {
            known = config.origin().map(String::trim).filter(s -> !s.isEmpty()).orElseGet(this::clusterIdentity);
            id = known;
        }
        return known;
    }

    private String clusterIdentity() {
        Namespace ns = client.namespaces().withName(IDENTITY_NAMESPACE).get();
        if (ns == null || ns.getMetadata().getUid() == null) {
            throw new IllegalStateException("this cluster has no namespace " + IDENTITY_NAMESPACE
                    + " to take the operator's origin from: set secretsync.origin to a name unique among the"
                    + " operators that write into the same remote clusters");
        }
        return ns.getMetadata().getUid();
    }
}
