package io.secretsync.operator.reconciler;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.sync.ObservedSecret;
import io.secretsync.operator.sync.ReplicaKey;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * Places where a Secret we did not create blocks a replica. We do not cache unlabelled Secrets
 * (that would mean watching every Secret of the cluster), so we remember where we met one and
 * read just those again on the next reconcile, instead of failing a create each time.
 */
@ApplicationScoped
public class UnmanagedSecrets {
    private final Set<ReplicaKey> known = ConcurrentHashMap.newKeySet();
    private final KubernetesClient client;

    public UnmanagedSecrets(KubernetesClient client) {
        this.client = client;
    }

    public void remember(ReplicaKey key) {
        known.add(key);
    }

    /** The unmanaged Secrets still standing at remembered places among the given names. */
    public Map<ReplicaKey, Secret> lookup(Set<String> names) {
        Map<ReplicaKey, Secret> found = new HashMap<>();
        for (ReplicaKey key : known) {
            if (!names.contains(key.name())) {
                continue;
            }
            Secret s = client.secrets().inNamespace(key.namespace()).withName(key.name()).get();
            if (s == null || ReplicaMetadata.isManaged(s)) {
                known.remove(key);
            } else {
                found.put(key, ObservedSecret.of(s)); // planning needs its digest, not its data
            }
        }
        return found;
    }
}
