package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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
            next.setConditions(Conditions.set(prev.getConditions(), Conditions.READY, false, ReadyReasons.INVALID_SPEC,
                    "invalid spec, nothing is written: " + String.join("; ", invalid.problems()), generation, now));
        } else {
            fill(next, prev, generation, sourceNamespace, (SyncOutcome.Planned) outcome, now);
        }
        boolean wrote = outcome instanceof SyncOutcome.Synced synced && synced.writes() > 0;
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
        failures.sort(Comparator.comparing(ReplicaFailure::getNamespace).thenComparing(ReplicaFailure::getSecret)
                .thenComparing(ReplicaFailure::getReason));
        int sources = plan.sources().selected().size();
        int synced = plan.inSync() + replicasWritten;
        next.setSourceSecrets(sources);
        next.setTargetNamespaces(plan.targets().size());
        next.setSyncedReplicas(synced);
        next.setFailedReplicas(failures.size());
        next.setFailures(failures.isEmpty() ? null : List.copyOf(failures.subList(0, Math.min(MAX_FAILURES, failures.size()))));

        String summary = sources + " secret" + (sources == 1 ? "" : "s") + " synced to " + plan.targets().size()
                + " namespace" + (plan.targets().size() == 1 ? "" : "s");
        String ignored = ignoredNote(plan.sources().ignored()) + missingKindsNote(outcome.missingKinds());
        boolean ready;
        String reason;
        String message;
        if (outcome instanceof SyncOutcome.Suspended) {
            int pending = plan.actions().size();
            // the preview: what a resume would write, exact count and the first entries by namespace, secret
            next.setPendingChanges(pending);
            next.setPending(plan.actions().stream().sorted(Comparator.comparing(ReplicaAction::key))
                    .limit(MAX_PENDING)
                    .map(a -> new PendingChange(a.key().namespace(), a.key().name(), a.previewName())).toList());
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
                    + " not in sync (first: " + first.getNamespace() + "/" + first.getSecret() + ": "
                    + first.getReason() + "), see status.failures" + forbiddenNote(failures) + ignored;
        } else {
            ready = true;
            reason = ReadyReasons.SYNCED;
            message = summary + ignored;
        }
        next.setConditions(Conditions.set(prev.getConditions(), Conditions.READY, ready, reason, message, generation, now));
    }

    /**
     * A refused permission is the administrator's to fix, not a transient fault: the Ready message
     * quotes the first such failure (which names the verb, the resource and what to grant).
     */
    private static String forbiddenNote(List<ReplicaFailure> failures) {
        return failures.stream().filter(f -> f.getMessage() != null && f.getMessage().contains("HTTP 403"))
                .findFirst().map(f -> "; permission denied (HTTP 403) at " + f.getNamespace() + "/" + f.getSecret()
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
