package io.secretsync.operator.reconciler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.secretsync.operator.crd.v1alpha1.ClusterSyncStatus;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.remote.ClusterState;
import io.secretsync.operator.remote.Origin;
import io.secretsync.operator.remote.RemoteCluster;
import io.secretsync.operator.remote.RemoteClusters;
import io.secretsync.operator.sync.ClusterOutcome;
import io.secretsync.operator.sync.ClusterSelection;
import io.secretsync.operator.sync.FailureReasons;
import io.secretsync.operator.sync.Observation;
import io.secretsync.operator.sync.Plan;
import io.secretsync.operator.sync.PullSecretPlanner;
import io.secretsync.operator.sync.ReplicaKey;
import io.secretsync.operator.sync.ReplicaAction;
import io.secretsync.operator.sync.SyncPlanner;

/**
 * A policy's remote clusters, observed, planned and applied: the selected ones, and those it
 * dropped whose replicas it still has to release (listed in its status until they are). Planning
 * is the same pure planner as this cluster's, per (cluster, namespace); this class only says
 * which clusters can be planned now and why not. imagePullSecrets likewise: the same pull-secret
 * planner per cluster after its replica writes, the same ServiceAccount writer through the
 * cluster's client, and the same release when the policy or the cluster goes.
 */
final class RemoteTargets {
    private final RemoteClusters clusters;
    private final Origin origin;
    private final RemoteTargetEventSource caches;
    private final ReplicaWriter writer;
    private final ServiceAccountWriter serviceAccounts;

    RemoteTargets(EventSourceContext<SecretSyncPolicy> context, RemoteClusters clusters, Origin origin,
            ReplicaWriter writer, ServiceAccountWriter serviceAccounts) {
        this.clusters = clusters;
        this.origin = origin;
        this.writer = writer;
        this.serviceAccounts = serviceAccounts;
        this.caches = new RemoteTargetEventSource(context, clusters);
    }

    RemoteTargetEventSource eventSource() {
        return caches;
    }

    ClusterSelection.Result select(SecretSyncPolicySpec spec) {
        return ClusterSelection.select(spec.getTarget() == null ? null : spec.getTarget().getClusters(),
                clusters.all().stream().map(c -> new ClusterSelection.Registered(c.name(), c.labels())).toList());
    }

    /** A cluster observed: what its plan reads. */
    record Observed(RemoteClusterCaches caches, boolean selected, List<Namespace> namespaces, List<Secret> replicas,
            Map<ReplicaKey, Secret> unmanaged) {
    }

    /**
     * A cluster observed and planned, ready to apply.
     *
     * @param serviceAccounts the ServiceAccounts imagePullSecrets may change there; null when the
     *        policy has none to manage there
     */
    record Planned(RemoteClusterCaches caches, boolean selected, Plan plan, List<ServiceAccount> serviceAccounts) {
    }

    /** Either what the cluster holds (then its plan), or why the cluster cannot be served now. */
    record Part(String cluster, Observed observed, Planned planned, ClusterOutcome unavailable) {
    }

    /** Observes each remote cluster the policy selects or still has replicas in. */
    List<Part> observe(SecretSyncPolicy policy, ClusterSelection.Result selection) {
        String name = policy.getMetadata().getName();
        SecretSyncPolicySpec spec = policy.getSpec();
        List<Part> parts = new ArrayList<>();
        for (String cluster : inUse(selection, policy.getStatus())) {
            boolean selected = selection.remotes().contains(cluster);
            Optional<RemoteCluster> registered = clusters.get(cluster);
            Optional<ClusterOutcome> unavailable = unavailable(cluster, selected, registered);
            if (unavailable == null) {
                continue; // nothing left to do there
            }
            if (unavailable.isPresent()) {
                parts.add(new Part(cluster, null, null, unavailable.get()));
                continue;
            }
            RemoteClusterCaches c = caches.caches(registered.get()).orElseThrow();
            boolean pullSecrets = needsServiceAccounts(spec, c);
            if (!c.current(pullSecrets)) {
                parts.add(new Part(cluster, null, null, ClusterOutcome.unavailable(cluster, selected, failure(cluster,
                        FailureReasons.CLUSTER_UNREACHABLE, "the operator's watch of cluster " + cluster
                                + (pullSecrets ? " (replicas, namespaces, ServiceAccounts: the remote ClusterRole"
                                        + " needs list and watch of each)" : "")
                                + " is not running (yet); its replicas are left as they are until it is, retrying"))));
                continue;
            }
            Set<String> names = spec.getSource().getNames() == null ? Set.of() : Set.copyOf(spec.getSource().getNames());
            List<Secret> replicas = c.replicasFor(name, names);
            Set<String> replicaNames = new java.util.HashSet<>(names);
            replicas.forEach(r -> replicaNames.add(r.getMetadata().getName()));
            parts.add(new Part(cluster, new Observed(c, selected, selected ? c.namespaces() : List.of(), replicas,
                    c.unmanaged(replicaNames)), null, null));
        }
        return parts;
    }

    /**
     * Plans the observed parts with the same planner as this cluster, from input (this cluster's,
     * with its source Secrets and confirmed live policies).
     */
    List<Part> plan(List<Part> observed, SyncPlanner.Input input) {
        Set<String> names = Observation.candidateNames(input.sourceNamespaceSecrets(),
                input.spec().getSource().getNames());
        String originProblem = originProblem(observed);
        return observed.stream().map(p -> {
            if (p.observed() == null) {
                return p;
            }
            if (originProblem != null) {
                return new Part(p.cluster(), null, null, ClusterOutcome.unavailable(p.cluster(), p.observed().selected(),
                        failure(p.cluster(), FailureReasons.CLUSTER_UNREACHABLE, originProblem)));
            }
            Observed o = p.observed();
            List<Secret> replicas = o.caches().replicasFor(input.policy(), names);
            Plan plan = SyncPlanner.plan(input.inCluster(o.namespaces(), replicas, o.caches().unmanaged(names),
                    origin.id()));
            return new Part(p.cluster(), o, new Planned(o.caches(), o.selected(), plan,
                    serviceAccountsFor(input.policy(), input.spec(), o)), null);
        }).toList();
    }

    /**
     * The cluster's ServiceAccounts the policy may change: those its imagePullSecrets wants in any
     * of the cluster's namespaces (targets are not planned yet), and those carrying its entries;
     * null when the cluster's ServiceAccounts are not watched (no policy there manages any).
     */
    private List<ServiceAccount> serviceAccountsFor(String policy, SecretSyncPolicySpec spec, Observed o) {
        if (!needsServiceAccounts(spec, o.caches())) {
            return null;
        }
        Map<String, Set<String>> wanted = PullSecretPlanner.wantedServiceAccounts(spec.getImagePullSecrets(),
                o.namespaces().stream().map(ns -> ns.getMetadata().getName()).toList(), Map.of());
        return o.caches().serviceAccountsFor(PullSecretPlanner.owner(policy, origin.id()), wanted);
    }

    /**
     * A policy with imagePullSecrets needs the cluster's ServiceAccounts (the informer starts
     * now if it does not run). Any other policy reads them while they are watched and current:
     * it may have references left there to remove (its imagePullSecrets were just removed); a
     * ServiceAccount watch that does not run (another policy's, refused by the cluster's RBAC)
     * never holds up its replicas.
     */
    private static boolean needsServiceAccounts(SecretSyncPolicySpec spec, RemoteClusterCaches c) {
        if (spec.getImagePullSecrets() != null) {
            List<String> names = spec.getImagePullSecrets().getServiceAccounts();
            c.includeServiceAccounts(names == null ? Set.of() : Set.copyOf(names));
            return true;
        }
        return c.serviceAccountsCurrent();
    }

    /** Why this operator's origin cannot be known (nothing is written remotely without it); null when it can. */
    private String originProblem(List<Part> observed) {
        if (observed.stream().allMatch(p -> p.observed() == null)) {
            return null;
        }
        try {
            origin.id();
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage(); // our own words: what to set
        } catch (KubernetesClientException e) {
            return ApiErrors.describe("reading namespace kube-system for this operator's origin (or set"
                    + " secretsync.origin)", e);
        }
    }

    /** Replicas in remote clusters the observed parts hold (their owners may need confirming). */
    static Collection<Secret> replicasOf(List<Part> parts) {
        return parts.stream().filter(p -> p.observed() != null).flatMap(p -> p.observed().replicas().stream()).toList();
    }

    /** Applies each planned part in its cluster, one cluster after the other, each with its own writers. */
    List<ClusterOutcome> apply(String policy, List<Part> parts, SecretSyncPolicySpec spec, boolean write) {
        List<ClusterOutcome> outcomes = new ArrayList<>();
        for (Part part : parts) {
            if (part.unavailable() != null) {
                outcomes.add(part.unavailable());
                continue;
            }
            Planned p = part.planned();
            if (!write) {
                outcomes.add(new ClusterOutcome(part.cluster(), p.selected(), p.plan(), List.of(), 0, 0, null));
                continue;
            }
            ReplicaWriter.Result result = writer.apply(p.caches().target(), policy, p.plan().actions(),
                    spec.effectiveConflictPolicy());
            List<ReplicaFailure> failures = new ArrayList<>(result.failures());
            int writes = result.writes();
            if (p.serviceAccounts() != null) {
                // after the replica writes, like this cluster: only replicas in sync are referenced
                ServiceAccountWriter.Result references = serviceAccounts.apply(
                        p.caches().serviceAccountTarget(origin.id()), policy,
                        PullSecretPlanner.planInCluster(PullSecretPlanner.owner(policy, origin.id()),
                                spec.getImagePullSecrets(), p.plan(), result.failures(), p.serviceAccounts()));
                failures.addAll(references.failures());
                writes += references.writes();
            }
            outcomes.add(new ClusterOutcome(part.cluster(), p.selected(), p.plan(), failures,
                    result.replicasWritten(), writes, null));
        }
        return outcomes;
    }

    /**
     * Releases a deleted policy's replicas in every remote cluster it used; returns, per cluster
     * that cannot be reached, why the release waits (empty when everything is released).
     */
    List<ReplicaFailure> releaseAll(SecretSyncPolicy policy, SecretSyncPolicySpec spec) {
        String name = policy.getMetadata().getName();
        List<ReplicaFailure> waiting = new ArrayList<>();
        ClusterSelection.Result selection = select(spec);
        for (String cluster : inUse(selection, policy.getStatus())) {
            Optional<ClusterOutcome> unavailable = unavailable(cluster, false, clusters.get(cluster));
            if (unavailable == null) {
                continue;
            }
            Optional<RemoteClusterCaches> c = unavailable.isPresent() ? Optional.empty()
                    : caches.caches(clusters.get(cluster).get());
            boolean pullSecrets = c.isPresent() && needsServiceAccounts(spec, c.get());
            c = c.filter(running -> running.current(pullSecrets));
            if (c.isEmpty()) {
                String why = unavailable.map(u -> u.unavailable().getMessage())
                        .orElse("the operator's watch of cluster " + cluster + " is not running (yet)");
                waiting.add(failure(cluster, unavailable.map(u -> u.unavailable().getReason())
                        .orElse(FailureReasons.CLUSTER_UNREACHABLE), why));
                continue;
            }
            List<ReplicaAction> release = SyncPlanner.releaseAll(name, c.get().replicasFor(name, Set.of()),
                    spec.effectiveDeletionPolicy(), origin.id());
            writer.apply(c.get().target(), name, release, spec.effectiveConflictPolicy()).failures()
                    .forEach(f -> waiting.add(f.inCluster(cluster)));
            if (pullSecrets) {
                // its references go whatever the deletionPolicy, as in this cluster
                String owner = PullSecretPlanner.owner(name, origin.id());
                waiting.addAll(serviceAccounts.apply(c.get().serviceAccountTarget(origin.id()), name,
                        PullSecretPlanner.releaseAll(owner, c.get().serviceAccountsFor(owner, Map.of()))).failures());
            }
        }
        return waiting;
    }

    /**
     * Stops watching clusters no live policy selects or still has replicas in, and the
     * ServiceAccounts of clusters where no policy has imagePullSecrets and none of our references
     * are left; keeps, per cluster, the ServiceAccount names its policies want.
     */
    void retain(Stream<SecretSyncPolicy> policies) {
        Set<String> inUse = new TreeSet<>();
        Map<String, Set<String>> serviceAccountNames = new HashMap<>();
        policies.filter(p -> p.getSpec() != null).forEach(p -> {
            Set<String> used = inUse(select(p.getSpec()), p.getStatus());
            inUse.addAll(used);
            ImagePullSecretsSpec ips = p.getSpec().getImagePullSecrets();
            if (ips != null) {
                used.forEach(cluster -> serviceAccountNames.computeIfAbsent(cluster, n -> new HashSet<>())
                        .addAll(ips.getServiceAccounts() == null ? List.of() : ips.getServiceAccounts()));
            }
        });
        caches.retain(inUse).forEach(writer::forgetCluster);
        for (String cluster : inUse) {
            caches.running(cluster).ifPresent(c -> {
                Set<String> names = serviceAccountNames.get(cluster);
                if (names != null) {
                    c.wantServiceAccounts(names);
                } else if (c.watchesServiceAccounts()) {
                    c.wantServiceAccounts(Set.of()); // only those carrying our annotation stay
                    if (c.current(true) && !holdsOurReferences(c)) {
                        c.stopServiceAccounts();
                    }
                }
            });
        }
    }

    private boolean holdsOurReferences(RemoteClusterCaches c) {
        try {
            return c.holdsReferencesOf(origin.id());
        } catch (RuntimeException e) {
            return true; // origin not known (yet): keep watching, decide later
        }
    }

    /** The selected clusters, and those the last status still lists (replicas maybe left to release). */
    private static SortedSet<String> inUse(ClusterSelection.Result selection, SecretSyncPolicyStatus status) {
        SortedSet<String> names = new TreeSet<>(selection.remotes());
        if (status != null && status.getClusters() != null) {
            status.getClusters().stream().map(ClusterSyncStatus::getName).forEach(names::add);
        }
        return names;
    }

    /**
     * Why cluster cannot be planned now (empty: it can), or null when there is nothing to do
     * there: a dropped cluster whose SecretSyncCluster is gone or being deleted (that deletion
     * releases every replica of this operator there).
     */
    private Optional<ClusterOutcome> unavailable(String name, boolean selected, Optional<RemoteCluster> cluster) {
        if (cluster.isEmpty() || cluster.get().deleting()) {
            if (!selected) {
                return null;
            }
            return Optional.of(ClusterOutcome.unavailable(name, true, failure(name, FailureReasons.CLUSTER_UNREACHABLE,
                    cluster.isEmpty()
                            ? "no SecretSyncCluster named " + name + "; register the cluster (docs/install.md,"
                                    + " Remote clusters) or remove it from spec.target.clusters"
                            : "SecretSyncCluster " + name + " is being deleted; nothing more is written there")));
        }
        RemoteCluster c = cluster.get();
        if (c.usable()) {
            return Optional.empty();
        }
        String reason = c.state() == ClusterState.Unauthorized ? FailureReasons.CLUSTER_UNAUTHORIZED
                : FailureReasons.CLUSTER_UNREACHABLE;
        return Optional.of(ClusterOutcome.unavailable(name, selected, failure(name, reason, "cluster " + name + " is "
                + c.state() + (c.message() == null ? "" : " (" + c.message() + ")") + "; its replicas are "
                + (selected ? "left as they are" : "released") + " once it is back; see kubectl get secretsynccluster "
                + name)));
    }

    private static ReplicaFailure failure(String cluster, String reason, String message) {
        return new ReplicaFailure(null, null, reason, message).inCluster(cluster);
    }

}
