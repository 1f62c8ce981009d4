package io.secretsync.operator.reconciler;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * Which policies exist in the whole cluster. This process caches only the policies it serves
 * (its shard's, by label selector), so a replica whose policy is not in that cache may belong to
 * a policy another shard serves, or to one that is gone. Only the API server can tell: asked only
 * for owners the cache does not know, which without shards means only vanished policies.
 */
final class PolicyDirectory {
    /** Above this many unknown owners one LIST is cheaper than a GET each. */
    private static final int LIST_THRESHOLD = 10;
    private final KubernetesClient client;

    PolicyDirectory(KubernetesClient client) {
        this.client = client;
    }

    /** The policies among {@code served} and the owners of {@code replicas} that exist. */
    Set<String> existing(Set<String> served, Collection<Secret> replicas) {
        Set<String> unknown = replicas.stream().map(ReplicaMetadata::owningPolicy)
                .filter(o -> o != null && !served.contains(o)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> result = new HashSet<>(served);
        if (unknown.isEmpty()) {
            return result;
        }
        if (unknown.size() > LIST_THRESHOLD) {
            client.resources(SecretSyncPolicy.class).list().getItems().stream()
                    .map(p -> p.getMetadata().getName()).filter(unknown::contains).forEach(result::add);
            return result;
        }
        for (String owner : unknown) {
            if (client.resources(SecretSyncPolicy.class).withName(owner).get() != null) {
                result.add(owner);
            }
        }
        return result;
    }
}
