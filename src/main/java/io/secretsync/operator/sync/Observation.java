package io.secretsync.operator.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;

/**
 * Everything one reconcile of a policy plans from, read from the caches in one call.
 *
 * @param sourceSecrets the Secrets of spec.source.namespace that spec.source may select
 * @param namespaces every namespace (name, labels, whether it is going away)
 * @param sourceNamespaceExists false when spec.source.namespace is not a namespace (yet)
 * @param workloadServiceAccounts namespace -> ServiceAccounts of objects of the namespacesWith kinds
 * @param missingKinds spec.target.namespacesWith kinds that are not installed in the cluster
 * @param replicas managed replicas of this policy, and any managed replica where one of its may go
 * @param unmanagedSecrets Secrets without our label known to sit where a replica should go
 * @param serviceAccounts ServiceAccounts imagePullSecrets may want, and those carrying its references
 */
public record Observation(List<Secret> sourceSecrets, List<Namespace> namespaces, boolean sourceNamespaceExists,
        Map<String, Set<String>> workloadServiceAccounts, Set<String> missingKinds, List<Secret> replicas,
        Map<ReplicaKey, Secret> unmanagedSecrets, List<ServiceAccount> serviceAccounts) {

    /** Names a replica of this policy may have: the source Secrets present, and those named in spec.source. */
    public static Set<String> candidateNames(Collection<Secret> sourceSecrets, List<String> names) {
        Set<String> result = sourceSecrets.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        if (names != null) {
            result.addAll(names);
        }
        return result;
    }
}
