package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.secretsync.operator.crd.v1alpha1.ClusterSyncStatus;
import io.secretsync.operator.crd.v1alpha1.PendingChange;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;

/** Turns a reconcile's outcome into the status of the contract, written fresh each time. */
public final class StatusComposer {
    public static final int MAX_FAILURES = 50;
    public static final int MAX_PENDING = 50;

    private StatusComposer() {
    }

    public static SecretSyncPolicyStatus compose(SecretSyncPolicyStatus previous, long generation,
            String sourceNamespace, SyncOutcome outcome, String now) {
        if (outcome instanceof SyncOutcome.ReconcileError error) {
            return reconcileError(previous, generation, error.failure(), now);
        }
        SecretSyncPolicyStatus prev = previous == null ? new SecretSyncPolicyStatus() : previous;
        SecretSyncPolicyStatus next = new SecretSyncPolicyStatus();
        next.setObservedGeneration(generation);
        if (outcome instanceof SyncOutcome.Invalid invalid) {
            next.setSourceSecrets(prev.getSourceSecrets());
            next.setTargetNamespaces(prev.getTargetNamespaces());
            next.setSyncedReplicas(prev.getSyncedReplicas());
            next.setFailedReplicas(prev.getFailedReplicas());
            next.setFailures(prev.getFailures());
            next.setClusters(prev.getClusters());
            next.setConditions(Conditions.set(prev.getConditions(), Conditions.READY, false, ReadyReasons.INVALID_SPEC,
                    "invalid spec, nothing is written: " + String.join("; ", invalid.problems()), generation, now));
        } else {
            fill(next, prev, generation, sourceNamespace, (SyncOutcome.Planned) outcome, now);
        }
        boolean wrote = outcome instanceof SyncOutcome.Synced synced && synced.allWrites() > 0;
        boolean changed = !next.sameStateAs(prev) || wrote;
        next.setLastSyncTime(changed || prev.getLastSyncTime() == null ? now : prev.getLastSyncTime());
        return next;
    }

    /**
     * The status of a policy whose reconcile threw: the last counts stay, Ready turns False with
     * reason ReconcileError and what failed (never the exception's message, which may quote data).
     */
    private static SecretSyncPolicyStatus reconcileError(SecretSyncPolicyStatus previous, long generation,
            String failure, String now) {
        SecretSyncPolicyStatus prev = previous == null ? new SecretSyncPolicyStatus() : previous;
        SecretSyncPolicyStatus next = new SecretSyncPolicyStatus();
        next.setObservedGeneration(generation);
        next.setSourceSecrets(prev.getSourceSecrets());
        next.setTargetNamespaces(prev.getTargetNamespaces());
        next.setSyncedReplicas(prev.getSyncedReplicas());
        next.setFailedReplicas(prev.getFailedReplicas());
        next.setFailures(prev.getFailures());
        next.setClusters(prev.getClusters());
        next.setConditions(Conditions.set(prev.getConditions(), Conditions.READY, false, ReadyReasons.RECONCILE_ERROR,
                failure + "; the operator retries with backoff, its log has the details", generation, now));
        next.setLastSyncTime(prev.getLastSyncTime() == null ? now : prev.getLastSyncTime());
        return next;
    }

    private static void fill(SecretSyncPolicyStatus next, SecretSyncPolicyStatus prev, long generation,
            String sourceNamespace, SyncOutcome.Planned outcome, String now) {
        Plan plan = outcome.plan();
        int replicasWritten = outcome instanceof SyncOutcome.Synced synced ? synced.replicasWritten() : 0;
        List<ReplicaFailure> failures = new ArrayList<>(plan.conflicts());
        failures.addAll(outcome.writeFailures());
        int targets = plan.targets().size();
        int synced = plan.inSync() + replicasWritten;
        List<ClusterSyncStatus> clusters = new ArrayList<>();
        for (ClusterOutcome remote : outcome.remotes()) {
            List<ReplicaFailure> clusterFailures = remote.failures();
            failures.addAll(clusterFailures);
            Integer clusterTargets = remote.plan() == null ? null : remote.plan().targets().size();
            Integer clusterSynced = remote.plan() == null ? null : remote.plan().inSync() + remote.replicasWritten();
            targets += clusterTargets == null ? 0 : clusterTargets;
            synced += clusterSynced == null ? 0 : clusterSynced;
            // a cluster dropped from the spec stays listed until its replicas are released
            if (remote.selected() || !remote.done()) {
                ClusterSyncStatus c = new ClusterSyncStatus();
                c.setName(remote.cluster());
                c.setReady(remote.selected() && clusterFailures.isEmpty());
                c.setTargetNamespaces(remote.selected() ? clusterTargets : Integer.valueOf(0));
                c.setSyncedReplicas(clusterSynced);
                c.setFailedReplicas(clusterFailures.size());
                clusters.add(c);
            }
        }
        failures.sort(Comparator.comparing(ReplicaFailure::getCluster, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(ReplicaFailure::getNamespace, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(ReplicaFailure::getSecret, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(ReplicaFailure::getReason));
        int sources = plan.sources().selected().size();
        next.setSourceSecrets(sources);
        next.setTargetNamespaces(targets);
        next.setSyncedReplicas(synced);
        next.setFailedReplicas(failures.size());
        next.setClusters(clusters.isEmpty() ? null : clusters);
        next.setFailures(failures.isEmpty() ? null : List.copyOf(failures.subList(0, Math.min(MAX_FAILURES, failures.size()))));

        long servedClusters = outcome.remotes().stream().filter(ClusterOutcome::selected).count()
                + (plan.targets().isEmpty() && !outcome.remotes().isEmpty() ? 0 : 1);
        String summary = sources + " secret" + (sources == 1 ? "" : "s") + " synced to " + targets
                + " namespace" + (targets == 1 ? "" : "s")
                + (outcome.remotes().isEmpty() ? "" : " in " + servedClusters + " cluster" + (servedClusters == 1 ? "" : "s"));
        String ignored = ignoredNote(plan.sources().ignored()) + missingKindsNote(outcome.missingKinds());
        boolean ready;
        String reason;
        String message;
        if (outcome instanceof SyncOutcome.Suspended) {
            List<PendingChange> all = new ArrayList<>(plan.actions().stream().sorted(Comparator.comparing(ReplicaAction::key))
                    .map(a -> new PendingChange(a.key().namespace(), a.key().name(), a.previewName())).toList());
            for (ClusterOutcome remote : outcome.remotes()) {
                if (remote.plan() != null) {
                    remote.plan().actions().stream().sorted(Comparator.comparing(ReplicaAction::key))
                            .map(a -> new PendingChange(a.key().namespace(), a.key().name(), a.previewName())
                                    .inCluster(remote.cluster()))
                            .forEach(all::add);
                }
            }
            int pending = all.size();
            // the preview: what a resume would write, exact count and the first entries by cluster, namespace, secret
            next.setPendingChanges(pending);
            next.setPending(List.copyOf(all.subList(0, Math.min(MAX_PENDING, pending))));
            ready = false;
            reason = ReadyReasons.SUSPENDED;
            message = "suspended (spec.suspend: true), nothing is written; " + pending + " change"
                    + (pending == 1 ? "" : "s") + " pending";
        } else if (!outcome.sourceNamespaceExists()) {
            ready = false;
            reason = ReadyReasons.SOURCE_NOT_FOUND;
            message = "source namespace " + sourceNamespace + " does not exist; create it or fix spec.source.namespace";
        } else if (!plan.sources().missing().isEmpty() || sources == 0) {
            ready = false;
            reason = ReadyReasons.SOURCE_NOT_FOUND;
            message = plan.sources().missing().isEmpty()
                    ? "no Secret in namespace " + sourceNamespace + " matches spec.source" + ignored
                    : "source Secret" + (plan.sources().missing().size() == 1 ? " " : "s ")
                            + plan.sources().missing().stream().map(n -> sourceNamespace + "/" + n)
                                    .collect(Collectors.joining(", "))
                            + " not found; " + summary + ignored;
        } else if (!failures.isEmpty()) {
            ready = false;
            reason = ReadyReasons.PARTIALLY_SYNCED;
            ReplicaFailure first = failures.get(0);
            message = summary + "; " + failures.size() + " replica" + (failures.size() == 1 ? "" : "s")
                    + " not in sync (first: " + where(first) + ": " + first.getReason() + "), see status.failures"
                    + forbiddenNote(failures) + ignored;
        } else {
            ready = true;
            reason = ReadyReasons.SYNCED;
            message = summary + ignored;
        }
        next.setConditions(Conditions.set(prev.getConditions(), Conditions.READY, ready, reason, message, generation, now));
    }

    /** cluster c, c: ns/secret, or ns/secret (this cluster). */
    static String where(ReplicaFailure f) {
        String local = f.getNamespace() == null ? null : f.getNamespace() + "/" + f.getSecret();
        if (f.getCluster() == null) {
            return local;
        }
        return local == null ? "cluster " + f.getCluster() : "cluster " + f.getCluster() + ": " + local;
    }

    /**
     * A refused permission is the administrator's to fix, not a transient fault: the Ready message
     * quotes the first such failure (which names the verb, the resource and what to grant).
     */
    private static String forbiddenNote(List<ReplicaFailure> failures) {
        return failures.stream().filter(f -> f.getMessage() != null && f.getMessage().contains("HTTP 403"))
                .findFirst().map(f -> "; permission denied (HTTP 403) at " + where(f)
                        + ": " + f.getMessage())
                .orElse("");
    }

    private static String missingKindsNote(Set<String> missingKinds) {
        if (missingKinds.isEmpty()) {
            return "";
        }
        return "; not installed: " + String.join(", ", new TreeSet<>(missingKinds))
                + " (namespaces holding them become targets once their CRD is installed)";
    }

    private static String ignoredNote(Map<String, String> ignored) {
        if (ignored.isEmpty()) {
            return "";
        }
        return "; not copied: " + ignored.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }
}
