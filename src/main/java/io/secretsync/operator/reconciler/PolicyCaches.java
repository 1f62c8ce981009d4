package io.secretsync.operator.reconciler;

import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.sync.PullSecretPlanner;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.sync.Observation;
import io.secretsync.operator.sync.ObservedSecret;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * The five event sources a policy is planned from, and the events that wake it: our replicas
 * (label-filtered, every namespace), the Secrets of source namespaces only, Namespaces,
 * ServiceAccounts (for imagePullSecrets), and the objects of spec.target.namespacesWith kinds
 * (workloads, one informer per kind in use). No cache ever holds every Secret of the cluster.
 * The reconciler reads them only through {@link #observe} and tells them of its own writes
 * through {@link OwnWrites}.
 */
public final class PolicyCaches implements OwnWrites {
    static final String REPLICA_SELECTOR = ReplicaMetadata.MANAGED_BY_LABEL + "=" + ReplicaMetadata.MANAGED_BY_VALUE;

    private final InformerEventSource<Secret, SecretSyncPolicy> replicas;
    private final InformerEventSource<Namespace, SecretSyncPolicy> namespaces;
    private final SourceSecretEventSource sources;
    private final InformerEventSource<ServiceAccount, SecretSyncPolicy> serviceAccounts;
    private final WorkloadEventSource workloads;
    private final ServiceAccountStore serviceAccountStore = new ServiceAccountStore();
    private final UnmanagedSecrets unmanaged;
    private final KubernetesClient client;
    static final String BY_POLICY = "pull-secret-policies";
    /**
     * The reconciler reads the caches directly and never asks JOSDK for a policy's secondary
     * resources; without this, JOSDK would keep an index of every cached object per policy.
     */
    private static final PrimaryToSecondaryMapper<SecretSyncPolicy> NO_SECONDARY_INDEX = p -> Set.of();
    /**
     * How often a replica we wrote, but that the informer has never shown, is checked against the
     * informer's last list. A replica written while the watch was down and deleted by someone
     * before the watch came back with a relist gets no event at all: without this check our
     * record of the write would say it exists until the periodic resync. JOSDK's default is 3 min.
     */
    static final Duration UNSEEN_WRITE_CHECK = Duration.ofSeconds(5);

    PolicyCaches(EventSourceContext<SecretSyncPolicy> context, UnmanagedSecrets unmanaged,
            Duration missingKindRecheck) {
        this.unmanaged = unmanaged;
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
                .withInformerListLimit(ListPages.SIZE)
                .withGhostResourceCacheCheckInterval(UNSEEN_WRITE_CHECK)
                .build(), context);
        // a namespace appearing, relabelled or going away can change any policy's targets
        namespaces = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Namespace.class, SecretSyncPolicy.class)
                .withName("namespaces")
                .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(NO_SECONDARY_INDEX)
                .withItemStore(new SlimStore<>(PolicyCaches::slimNamespace))
                .withInformerListLimit(ListPages.SIZE)
                .build(), context);
        sources = new SourceSecretEventSource(context);
        workloads = new WorkloadEventSource(context, missingKindRecheck);
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
                .withInformerListLimit(ListPages.SIZE)
                .build(), context);
        serviceAccounts.addIndexers(Map.of(BY_POLICY, sa -> List.copyOf(PullSecretPlanner.policiesReferencedBy(sa))));
    }

    /**
     * Everything a valid spec is planned from. Starts the informers the spec needs first (the
     * source namespace, the namespacesWith kinds) and waits for their first list.
     * Synchronized with {@link #follow}: otherwise a reconcile of another policy that took its
     * list of policies before this one existed could stop the informer this one just started,
     * and this one would report its sources as not found.
     */
    synchronized Observation observe(String policy, SecretSyncPolicySpec spec) {
        String sourceNamespace = spec.getSource().getNamespace();
        sources.watch(sourceNamespace);
        List<ResourceKind> kinds = spec.getTarget().getNamespacesWith() == null ? List.of()
                : spec.getTarget().getNamespacesWith();
        Set<String> missingKinds = workloads.watch(kinds);
        Map<String, Set<String>> workloadServiceAccounts = workloads.serviceAccountsByNamespace(kinds);
        List<Secret> sourceSecrets = sources.secretsFor(spec.getSource());
        Set<String> names = Observation.candidateNames(sourceSecrets, spec.getSource().getNames());
        List<Namespace> allNamespaces = namespaces.list().toList();
        // targets are not planned yet: every namespace may hold a ServiceAccount the policy wants
        Map<String, Set<String>> wanted = PullSecretPlanner.wantedServiceAccounts(spec.getImagePullSecrets(),
                allNamespaces.stream().map(ns -> ns.getMetadata().getName()).toList(), workloadServiceAccounts);
        return new Observation(sourceSecrets, allNamespaces, namespaceExists(sourceNamespace),
                workloadServiceAccounts, missingKinds, replicasFor(policy, names), unmanaged.lookup(names),
                serviceAccountsFor(policy, wanted));
    }

    /** When a policy that found these namespacesWith kinds missing should look for them again. */
    long millisUntilMissingKindRecheck(Set<String> missingKinds) {
        return workloads.millisUntilRecheck(missingKinds);
    }

    /** True once the replica informer runs (JOSDK starts it, synced, only on the replica that may write). */
    boolean replicasRunning() {
        return replicas.isRunning();
    }

    /** Every managed replica in the cache, of any policy. */
    List<Secret> allReplicas() {
        return replicas.list().toList();
    }

    /** What a deleted policy releases: its replicas and the ServiceAccounts carrying its references. */
    Observation observeForRelease(String policy) {
        return new Observation(List.of(), List.of(), true, Map.of(), Set.of(), replicasFor(policy, Set.of()),
                Map.of(), serviceAccountsFor(policy, Map.of()));
    }

    /**
     * Lets the next reconcile see this write before its watch event arrives (JOSDK's temporary
     * cache), as the store would keep it: no data. When the event has arrived already, nothing is
     * added: JOSDK drops an entry only when a later event comes, so an entry added after the event
     * would stay for as long as the replica does not change.
     */
    @Override
    public void written(Secret result, boolean created) {
        ResourceID id = ResourceID.fromResource(result);
        String version = result.getMetadata().getResourceVersion();
        if (replicas.get(id).filter(s -> version.equals(s.getMetadata().getResourceVersion())).isPresent()) {
            return;
        }
        Secret observed = ObservedSecret.of(result);
        if (created) {
            replicas.handleRecentResourceCreate(id, observed);
        } else {
            replicas.handleRecentResourceUpdate(id, observed, observed);
        }
    }

    /** ServiceAccounts a policy may need to change: those it wants, and those carrying its references. */
    private List<ServiceAccount> serviceAccountsFor(String policy, Map<String, Set<String>> wanted) {
        Map<ResourceID, ServiceAccount> found = new LinkedHashMap<>();
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
        ns.setAdditionalProperties(Collections.emptyMap());
        return ns;
    }

    private boolean namespaceExists(String name) {
        return namespaces.get(new ResourceID(name)).isPresent();
    }

    /** Managed replicas of this policy, plus any managed replica where one of names may go. */
    private List<Secret> replicasFor(String policy, Set<String> names) {
        return replicas.list(s -> names.contains(s.getMetadata().getName())
                || policy.equals(ReplicaMetadata.owningPolicy(s))).toList();
    }

    /**
     * Keeps informers only on the source namespaces and namespacesWith kinds that some live
     * policy still uses. The stream is read inside the lock it shares with {@link #observe}, so
     * that a policy being observed is always in it.
     */
    synchronized void follow(Supplier<Stream<SecretSyncPolicy>> policies) {
        Set<String> namespaces = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        List<SecretSyncPolicy> live = policies.get()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getSpec() != null).toList();
        live.forEach(p -> {
            if (p.getSpec().getSource() != null && p.getSpec().getSource().getNamespace() != null) {
                namespaces.add(p.getSpec().getSource().getNamespace());
            }
            if (p.getSpec().getTarget() != null && p.getSpec().getTarget().getNamespacesWith() != null) {
                p.getSpec().getTarget().getNamespacesWith().forEach(k -> kinds.add(k.key()));
            }
        });
        sources.retain(namespaces);
        workloads.retain(kinds);
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
}
