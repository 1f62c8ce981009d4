package io.secretsync.operator.remote;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.config.SecretSyncConfig;

/** This operator's identity on the replicas it writes into remote clusters (secretsync.origin). */
@ApplicationScoped
public class Origin {
    private final SecretSyncConfig config;
    private final KubernetesClient client;
    private volatile String id;

    public Origin(SecretSyncConfig config, KubernetesClient client) {
        this.config = config;
        this.client = client;
    }

    /** secretsync.origin, or the UID of this cluster's kube-system namespace (read once). */
    public String id() {
        String known = id;
        if (known == null) {
            known = config.origin().filter(o -> !o.isBlank()).orElseGet(() -> {
                Namespace ns = client.namespaces().withName("kube-system").get();
                if (ns == null) {
                    throw new IllegalStateException("namespace kube-system not found: set secretsync.origin");
                }
                return ns.getMetadata().getUid();
            });
            id = known;
        }
        return known;
    }
}
