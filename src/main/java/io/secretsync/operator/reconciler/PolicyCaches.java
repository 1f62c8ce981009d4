package io.secretsync.operator.reconciler;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.secretsync.operator.sync.PullSecretPlanner;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.sync.ObservedSecret;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * The five event sources a policy is planned from, and the events that wake it: our replicas
 * (label-filtered, every namespace), the Secrets of source namespaces only, Namespaces,
 * ServiceAccounts (for imagePullSecrets), and the objects of spec.target.namespacesWith kinds
 * (workloads, one informer per kind in use). No cache ever holds every Secret of the cluster.
 */
public final class PolicyCaches {
    static final String REPLICA_SELECTOR = ReplicaMetadata.MANAGED_BY_LABEL + "=" + ReplicaMetadata.MANAGED_BY_VALUE;

    final InformerEventSource<Secret, SecretSyncPolicy> replicas;
    final InformerEventSource<Namespace, SecretSyncPolicy> namespaces;
    final SourceSecretEventSource sources;
    final InformerEventSource<ServiceAccount, SecretSyncPolicy> serviceAccounts;
    final WorkloadEventSource workloads;
    private final ServiceAccountStore serviceAccountStore = new ServiceAccountStore();
    private final io.fabric8.kubernetes.client.KubernetesClient client;
    static final String BY_POLICY = "pull-secret-policies";
    /**
     * The reconciler reads the caches directly and never asks JOSDK for a policy's secondary
     * resources; without this, JOSDK would keep an index of every cached object per policy.
     */
    private static final PrimaryToSecondaryMapper<SecretSyncPolicy> NO_SECONDARY_INDEX = p -> Set.of();

    PolicyCaches(EventSourceContext<SecretSyncPolicy> context) {
        client = context.getClient();
        replicas = new ReplicaEventSource(InformerEventSourceConfiguration
                .from(Secret.class, SecretSyncPolicy.class)
                .withName("replicas")
                .withWatchAllNamespaces()
                .withLabelSelector(REPLICA_SELECTOR)
                .withSecondaryToPrimaryMapper(s -> {
                    String policy = s.getMetadata().getLabels() == null ? null
                            : s.getMetadata().getLabels().get(ReplicaMetadata.POLICY_LABEL);
                    return policy == null ? Set.of() : Set.of(new ResourceID(policy));
                })
                .withPrimaryToSecondaryMapper(NO_SECONDARY_INDEX)
                .withItemStore(new SlimStore<>(ObservedSecret::of))
                .build(), context);
        // a namespace appearing, relabelled or going away can change any policy's targets
        namespaces = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Namespace.class, SecretSyncPolicy.class)
                .withName("namespaces")
                .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(NO_SECONDARY_INDEX)
                .withItemStore(new SlimStore<>(PolicyCaches::slimNamespace))
                .build(), context);
        sources = new SourceSecretEventSource(context);
        workloads = new WorkloadEventSource(context);
        // a ServiceAccount appearing may need our references; only policies that manage them care
        serviceAccounts = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ServiceAccount.class, SecretSyncPolicy.class)
                .withName("serviceaccounts")
                .withSecondaryToPrimaryMapper(sa -> context.getPrimaryCache()
                        .list(p -> p.getSpec() != null && (p.getSpec().getImagePullSecrets() != null
                                || PullSecretPlanner.carriesOurs(sa, p.getMetadata().getName())))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(NO_SECONDARY_INDEX)
                .withItemStore(serviceAccountStore)
                .build(), context);
        serviceAccounts.addIndexers(Map.of(BY_POLICY, sa -> List.copyOf(PullSecretPlanner.policiesReferencedBy(sa))));
    }

    /** ServiceAccounts a policy may need to change: those it wants, and those carrying its references. */
    List<ServiceAccount> serviceAccountsFor(String policy, Map<String, Set<String>> wanted) {
        Map<ResourceID, ServiceAccount> found = new java.util.LinkedHashMap<>();
        Set<String> wantedNames = new HashSet<>();
        wanted.values().forEach(wantedNames::addAll);
        serviceAccountStore.include(wantedNames, this::serviceAccountsNamed);
        wanted.forEach((ns, names) -> names.forEach(n -> serviceAccounts.get(new ResourceID(n, ns))
                .ifPresent(sa -> found.put(ResourceID.fromResource(sa), sa))));
        serviceAccounts.byIndex(BY_POLICY, policy).forEach(sa -> found.put(ResourceID.fromResource(sa), sa));
        return List.copyOf(found.values());
    }

    List<EventSource<?, SecretSyncPolicy>> eventSources() {
        return List.of(replicas, namespaces, sources, serviceAccounts, workloads);
    }

    /** A namespace as planning reads it: name, labels, and whether it is going away. */
    static Namespace slimNamespace(Namespace full) {
        Namespace ns = new Namespace();
        ns.setMetadata(ObservedSecret.slim(full.getMetadata()));
        ns.getMetadata().setAnnotations(null);
        ns.getMetadata().setOwnerReferences(null);
        ns.getMetadata().setFinalizers(null);
        if (full.getStatus() != null && "Terminating".equals(full.getStatus().getPhase())) {
            ns.setStatus(new NamespaceStatus(null, "Terminating"));
        }
        ns.setAdditionalProperties(java.util.Collections.emptyMap());
        return ns;
    }

    List<Namespace> allNamespaces() {
        return namespaces.list().toList();
    }

    boolean namespaceExists(String name) {
        return namespaces.get(new ResourceID(name)).isPresent();
    }

    /** Managed replicas of this policy, plus any managed replica where one of names may go. */
    List<Secret> replicasFor(String policy, Set<String> names) {
        return replicas.list(s -> names.contains(s.getMetadata().getName())
                || policy.equals(ReplicaMetadata.owningPolicy(s))).toList();
    }

    /**
     * Keeps informers only on the source namespaces and namespacesWith kinds that some live
     * policy still uses.
     */
    void follow(java.util.stream.Stream<SecretSyncPolicy> policies) {
        // a policy the (lazy) list below misses entered the cache after this instant, and so did
        // the informers its reconcile starts: those are kept (another reconcile may run this concurrently)
        long listedSince = System.nanoTime();
        Set<String> namespaces = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        List<SecretSyncPolicy> live = policies
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getSpec() != null).toList();
        live.forEach(p -> {
            if (p.getSpec().getSource() != null && p.getSpec().getSource().getNamespace() != null) {
                namespaces.add(p.getSpec().getSource().getNamespace());
            }
            if (p.getSpec().getTarget() != null && p.getSpec().getTarget().getNamespacesWith() != null) {
                p.getSpec().getTarget().getNamespacesWith().forEach(k -> kinds.add(k.key()));
            }
        });
        sources.retain(namespaces, listedSince);
        workloads.retain(kinds, listedSince);
        serviceAccountStore.want(serviceAccountNames(live), this::serviceAccountsNamed);
    }

    private List<ServiceAccount> serviceAccountsNamed(String name) {
        return client.serviceAccounts().inAnyNamespace().withField("metadata.name", name).list().getItems();
    }

    /** Names of the ServiceAccounts the live policies' imagePullSecrets may want, in any namespace. */
    private Set<String> serviceAccountNames(List<SecretSyncPolicy> live) {
        Set<String> names = new HashSet<>();
        for (SecretSyncPolicy p : live) {
            var ips = p.getSpec().getImagePullSecrets();
            if (ips == null) {
                continue;
            }
            if (ips.getServiceAccounts() != null) {
                names.addAll(ips.getServiceAccounts());
            }
            if (Boolean.TRUE.equals(ips.getWorkloadServiceAccounts()) && p.getSpec().getTarget() != null
                    && p.getSpec().getTarget().getNamespacesWith() != null) {
                workloads.serviceAccountsByNamespace(p.getSpec().getTarget().getNamespacesWith()).values()
                        .forEach(names::addAll);
            }
        }
        return names;
    }

    static Set<String> candidateNames(List<Secret> sourceSecrets, List<String> names) {
        Set<String> result = sourceSecrets.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        if (names != null) {
            result.addAll(names);
        }
        return result;
    }

}
