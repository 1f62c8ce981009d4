package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.ConflictPolicy;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.ReplicaSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;

/**
 * The heart of the operator: desired state and observed replicas in, writes and conflicts out.
 * Pure: no I/O, no clock, no randomness, so every rule has a table-driven test.
 */
public final class SyncPlanner {

    /**
     * @param sourceNamespaceSecrets every Secret of spec.source.namespace
     * @param namespacesWithObjects namespaces holding an object of a spec.target.namespacesWith kind
     * @param managedReplicas Secrets carrying the managed-by label, of any policy, wherever they are
     * @param unmanagedSecrets Secrets without our label known to sit where a replica should go
     * @param livePolicies the policies that exist; a replica claiming another one is adopted, not a
     *        conflict. Null when unknown: every claimed owner is taken to exist.
     * @param origin null when planning this cluster; in a remote cluster, this operator's origin id,
     *        recorded on every replica written there: a replica of another origin is never ours
     */
    public record Input(String policy, SecretSyncPolicySpec spec, Collection<Secret> sourceNamespaceSecrets,
            Collection<Namespace> namespaces, Set<String> namespacesWithObjects, Collection<Secret> managedReplicas,
            Map<ReplicaKey, Secret> unmanagedSecrets, Set<String> globalExclusions, Set<String> livePolicies,
            String origin) {

        public Input(String policy, SecretSyncPolicySpec spec, Collection<Secret> sourceNamespaceSecrets,
                Collection<Namespace> namespaces, Set<String> namespacesWithObjects,
                Collection<Secret> managedReplicas, Map<ReplicaKey, Secret> unmanagedSecrets,
                Set<String> globalExclusions, Set<String> livePolicies) {
            this(policy, spec, sourceNamespaceSecrets, namespaces, namespacesWithObjects, managedReplicas,
                    unmanagedSecrets, globalExclusions, livePolicies, null);
        }

        /** The same input planned for another cluster: its namespaces, replicas and unmanaged Secrets. */
        public Input inCluster(Collection<Namespace> clusterNamespaces, Collection<Secret> clusterReplicas,
                Map<ReplicaKey, Secret> clusterUnmanaged, String clusterOrigin) {
            return new Input(policy, spec, sourceNamespaceSecrets, clusterNamespaces, Set.of(), clusterReplicas,
                    clusterUnmanaged, globalExclusions, livePolicies, clusterOrigin);
        }

        public Input(String policy, SecretSyncPolicySpec spec, Collection<Secret> sourceNamespaceSecrets,
                Collection<Namespace> namespaces, Set<String> namespacesWithObjects,
                Collection<Secret> managedReplicas, Map<ReplicaKey, Secret> unmanagedSecrets,
                Set<String> globalExclusions) {
            this(policy, spec, sourceNamespaceSecrets, namespaces, namespacesWithObjects, managedReplicas,
                    unmanagedSecrets, globalExclusions, null);
        }
    }

    /** The outcome for one (namespace, secret) pair: nothing to do, a write, or a conflict. */
    public sealed interface Decision {
        /** The replica is as desired. */
        record InSync() implements Decision {
        }

        /** The write that makes the replica as desired. */
        record Write(ReplicaAction action) implements Decision {
        }

        /** The operator must not write there; the failure says why and what to do. */
        record Conflict(ReplicaFailure failure) implements Decision {
        }
    }

    private SyncPlanner() {
    }

    public static Plan plan(Input in) {
        SecretSyncPolicySpec spec = in.spec();
        String sourceNamespace = spec.getSource().getNamespace();
        SourceSelection.Result sources = withoutMissingKeys(spec,
                SourceSelection.select(spec.getSource(), in.sourceNamespaceSecrets()));
        ReplicaSpec shape = spec.getReplica();
        Map<String, String> extraLabels = ReplicaContent.extra(shape == null ? null : shape.getLabels());
        Map<String, String> extraAnnotations = ReplicaContent.extra(shape == null ? null : shape.getAnnotations());
        String deletionPolicy = spec.effectiveDeletionPolicy().name();
        SortedSet<String> targets = TargetSelection.select(spec.getTarget(), sourceNamespace, in.namespaces(),
                in.namespacesWithObjects(), in.globalExclusions());

        Map<ReplicaKey, Secret> existing = new HashMap<>(in.unmanagedSecrets());
        in.managedReplicas().forEach(s -> existing.put(ReplicaKey.of(s), s));

        List<ReplicaAction> actions = new ArrayList<>();
        List<ReplicaFailure> conflicts = new ArrayList<>();
        Set<ReplicaKey> wanted = new HashSet<>();
        int inSync = 0;
        for (Secret source : sources.selected()) {
            ReplicaContent content = ReplicaContent.of(shape, source);
            for (String ns : targets) {
                DesiredReplica desired = Replicas.desired(in.policy(), source, ns, content, extraLabels,
                        extraAnnotations, deletionPolicy, in.origin());
                ReplicaKey key = ReplicaKey.of(desired.secret());
                wanted.add(key);
                Decision d = decide(in.policy(), desired, existing.get(key), spec.effectiveConflictPolicy(),
                        in.livePolicies());
                if (d instanceof Decision.Write write) {
                    actions.add(write.action());
                } else if (d instanceof Decision.Conflict conflict) {
                    conflicts.add(conflict.failure());
                } else {
                    inSync++;
                }
            }
        }
        for (Secret replica : in.managedReplicas()) {
            if (ReplicaMetadata.ownedBy(replica, in.policy(), in.origin()) && !wanted.contains(ReplicaKey.of(replica))) {
                actions.add(release(replica, spec.effectiveDeletionPolicy()));
            }
        }
        actions.sort((a, b) -> a.key().compareTo(b.key()));
        return new Plan(sources, targets, actions, conflicts, inSync);
    }

    /** What to do where desired should be and existing (possibly null) is. */
    public static Decision decide(String policy, Secret desired, Secret existing, ConflictPolicy conflictPolicy) {
        return decide(policy, new DesiredReplica(desired, ContentHash.of(desired)), existing, conflictPolicy, null);
    }

    /**
     * What to do where desired should be and existing (possibly null) is. A replica whose owner is
     * not among livePolicies (null: unknown) was left behind by a vanished policy: it is adopted.
     */
    public static Decision decide(String policy, DesiredReplica wanted, Secret existing, ConflictPolicy conflictPolicy,
            Set<String> livePolicies) {
        Secret desired = wanted.secret();
        ReplicaKey key = ReplicaKey.of(desired);
        if (existing == null) {
            return new Decision.Write(new ReplicaAction(ReplicaAction.Operation.CREATE, key, desired, wanted));
        }
        String owner = ReplicaMetadata.owningPolicy(existing);
        String origin = annotation(desired, ReplicaMetadata.ORIGIN_ANNOTATION);
        if (owner != null && !Objects.equals(ReplicaMetadata.origin(existing), origin)) {
            // another operator's replica (a remote one's here, or this one's where another pushes):
            // neither adopts, writes nor releases the other's, whatever the policy names are
            String theirs = ReplicaMetadata.origin(existing);
            return new Decision.Conflict(new ReplicaFailure(key.namespace(), key.name(),
                    FailureReasons.OWNED_BY_ANOTHER_POLICY, "Secret " + key + " is a replica of SecretSyncPolicy "
                            + owner + " of " + (theirs == null ? "the operator of that cluster"
                                    : "another operator (origin " + theirs + ")")
                            + "; remove it from one of the two policies"));
        }
        // adopted only when it is a copy of the same source: its data is then ours to overwrite
        boolean ownerGone = owner != null && livePolicies != null && !livePolicies.contains(owner)
                && Objects.equals(annotation(existing, ReplicaMetadata.SOURCE_ANNOTATION),
                        annotation(desired, ReplicaMetadata.SOURCE_ANNOTATION));
        if (owner != null && !owner.equals(policy) && !ownerGone && livePolicies != null
                && !livePolicies.contains(owner)) {
            return new Decision.Conflict(new ReplicaFailure(key.namespace(), key.name(),
                    FailureReasons.OWNED_BY_ANOTHER_POLICY, "Secret " + key + " is a replica of SecretSyncPolicy "
                            + owner + ", which no longer exists, of another source; it is released per its"
                            + " deletion policy within the next sweep (at most 10 minutes), then this policy writes it"));
        }
        if (owner != null && !owner.equals(policy) && !ownerGone) {
            return new Decision.Conflict(new ReplicaFailure(key.namespace(), key.name(),
                    FailureReasons.OWNED_BY_ANOTHER_POLICY, "Secret " + key + " is a replica of SecretSyncPolicy "
                            + owner + "; remove it from one of the two policies"));
        }
        if (owner == null && conflictPolicy != ConflictPolicy.Overwrite) {
            return new Decision.Conflict(new ReplicaFailure(key.namespace(), key.name(), FailureReasons.CONFLICT,
                    "Secret " + key + " exists and was not created by secretsync-operator; it is left untouched."
                            + " Delete it, or set conflictPolicy: Overwrite to adopt it"));
        }
        if (!ownerGone && Replicas.inSync(existing, wanted)) {
            return new Decision.InSync();
        }
        ReplicaAction.Operation op = SecretTypes.of(existing).equals(desired.getType())
                ? ReplicaAction.Operation.UPDATE
                : ReplicaAction.Operation.RECREATE;
        Secret toWrite = op == ReplicaAction.Operation.UPDATE ? Replicas.updated(existing, desired) : desired;
        return new Decision.Write(new ReplicaAction(op, key, toWrite, wanted));
    }

    private static String annotation(Secret s, String key) {
        return s.getMetadata().getAnnotations() == null ? null : s.getMetadata().getAnnotations().get(key);
    }

    /** Selected sources lacking a key of spec.replica.keys are not copied, and say why. */
    private static SourceSelection.Result withoutMissingKeys(SecretSyncPolicySpec spec, SourceSelection.Result r) {
        if (spec.getReplica() == null || spec.getReplica().getKeys() == null) {
            return r;
        }
        List<Secret> selected = new ArrayList<>();
        Map<String, String> ignored = new java.util.TreeMap<>(r.ignored());
        for (Secret s : r.selected()) {
            List<String> missing = ReplicaContent.missingKeys(spec.getReplica(), s);
            if (missing.isEmpty()) {
                selected.add(s);
            } else {
                ignored.put(s.getMetadata().getName(), "lacks key" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + " listed in spec.replica.keys");
            }
        }
        return new SourceSelection.Result(selected, r.missing(), ignored);
    }

    /** Every replica of a policy that is being deleted, released per its deletionPolicy. */
    public static List<ReplicaAction> releaseAll(String policy, Collection<Secret> managedReplicas,
            DeletionPolicy deletionPolicy) {
        return releaseAll(policy, managedReplicas, deletionPolicy, null);
    }

    /** Every replica of a policy written from origin (null: this cluster's), released per deletionPolicy. */
    public static List<ReplicaAction> releaseAll(String policy, Collection<Secret> managedReplicas,
            DeletionPolicy deletionPolicy, String origin) {
        return managedReplicas.stream()
                .filter(s -> ReplicaMetadata.ownedBy(s, policy, origin))
                .map(s -> release(s, deletionPolicy))
                .sorted((a, b) -> a.key().compareTo(b.key()))
                .toList();
    }

    /**
     * Replicas whose policy no longer exists (its finalizer was removed by hand, or it went while
     * the operator was down), by policy, each released per the deletionPolicy recorded on it. A
     * replica written before that was recorded is orphaned: without a record, keeping the Secret
     * is the choice that cannot destroy anything.
     */
    public static Map<String, List<ReplicaAction>> releaseVanished(Collection<Secret> managedReplicas,
            Set<String> livePolicies) {
        Map<String, List<ReplicaAction>> byPolicy = new java.util.TreeMap<>();
        for (Secret replica : managedReplicas) {
            String owner = ReplicaMetadata.owningPolicy(replica);
            if (owner == null || livePolicies.contains(owner)) {
                continue;
            }
            DeletionPolicy recorded = DeletionPolicy.Delete.name().equals(ReplicaMetadata.recordedDeletionPolicy(replica))
                    ? DeletionPolicy.Delete : DeletionPolicy.Orphan;
            byPolicy.computeIfAbsent(owner, k -> new ArrayList<>()).add(release(replica, recorded));
        }
        byPolicy.values().forEach(l -> l.sort((a, b) -> a.key().compareTo(b.key())));
        return byPolicy;
    }

    /**
     * {@link #releaseVanished(Collection, Set)} over the replicas written from origin only (null:
     * this cluster's own): a policy of another origin is not among livePolicies, yet alive.
     */
    public static Map<String, List<ReplicaAction>> releaseVanished(Collection<Secret> managedReplicas,
            Set<String> livePolicies, String origin) {
        return releaseVanished(managedReplicas.stream()
                .filter(s -> Objects.equals(ReplicaMetadata.origin(s), origin)).toList(), livePolicies);
    }

    private static ReplicaAction release(Secret replica, DeletionPolicy deletionPolicy) {
        return deletionPolicy == DeletionPolicy.Orphan
                ? new ReplicaAction(ReplicaAction.Operation.ORPHAN, ReplicaKey.of(replica), Replicas.orphaned(replica))
                : new ReplicaAction(ReplicaAction.Operation.DELETE, ReplicaKey.of(replica), replica);
    }
}
