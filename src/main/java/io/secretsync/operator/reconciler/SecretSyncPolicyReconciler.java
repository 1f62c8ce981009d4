package io.secretsync.operator.reconciler;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.tanzu.TanzuBuildServiceConvention;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.metrics.SyncMetrics;
import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.remote.Origin;
import io.secretsync.operator.remote.RemoteClusters;
import io.secretsync.operator.sync.ClusterOutcome;
import io.secretsync.operator.sync.ClusterSelection;
import io.secretsync.operator.sync.Conditions;
import io.secretsync.operator.sync.ReleaseStatus;
import io.secretsync.operator.sync.FailureReasons;
import io.secretsync.operator.sync.Observation;
import io.secretsync.operator.sync.Plan;
import io.secretsync.operator.sync.PolicyEvents;
import io.secretsync.operator.sync.PullSecretPlanner;
import io.secretsync.operator.sync.ReplicaAction;
import io.secretsync.operator.sync.SpecValidator;
import io.secretsync.operator.sync.StatusComposer;
import io.secretsync.operator.sync.SyncOutcome;
import io.secretsync.operator.sync.SyncPlanner;

/** observe -> plan -> apply -> report, for one SecretSyncPolicy. */
@ControllerConfiguration(name = SecretSyncPolicyReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class SecretSyncPolicyReconciler implements Reconciler<SecretSyncPolicy>, Cleaner<SecretSyncPolicy> {
    public static final String NAME = "secretsyncpolicy";
    private static final Logger LOG = Logger.getLogger(SecretSyncPolicyReconciler.class);
    private static final long FIRST_BACKOFF_SECONDS = 2;
    private static final long MAX_BACKOFF_SECONDS = 60;
    private static final long CONFLICT_RETRY_MILLIS = 1000;

    private final SecretSyncConfig config;
    private final ReplicaWriter writer;
    private final UnmanagedSecrets unmanaged;
    private final PolicyEventRecorder events;
    private final SyncMetrics metrics;
    private final ServiceAccountWriter serviceAccounts;
    private final TanzuBuildServiceConvention tanzu;
    private final VanishedPolicySweep sweep;
    private final Map<String, Integer> failedAttempts = new ConcurrentHashMap<>();
    private final ConflictRecheck conflictRecheck;
    private final Stopping stopping;
    private final RemoteClusters clusters;
    private final Origin origin;
    private volatile PolicyCaches caches;
    private volatile PolicyDirectory directory;
    private volatile RemoteTargets remotes;

    public SecretSyncPolicyReconciler(SecretSyncConfig config, ReplicaWriter writer, UnmanagedSecrets unmanaged,
            PolicyEventRecorder events, SyncMetrics metrics, ServiceAccountWriter serviceAccounts,
            TanzuBuildServiceConvention tanzu, VanishedPolicySweep sweep, Stopping stopping, RemoteClusters clusters,
            Origin origin) {
        this.clusters = clusters;
        this.origin = origin;
        this.stopping = stopping;
        this.sweep = sweep;
        this.conflictRecheck = new ConflictRecheck(config.conflictRecheckFirst(), config.conflictRecheckMax());
        this.serviceAccounts = serviceAccounts;
        this.tanzu = tanzu;
        this.config = config;
        this.writer = writer;
        this.unmanaged = unmanaged;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, SecretSyncPolicy>> prepareEventSources(EventSourceContext<SecretSyncPolicy> context) {
        caches = new PolicyCaches(context, unmanaged, config.missingKindRecheckInterval());
        directory = new PolicyDirectory(context.getClient());
        remotes = new RemoteTargets(context, clusters, origin, writer, serviceAccounts);
        sweep.start(caches, context.getPrimaryCache(), directory);
        List<EventSource<?, SecretSyncPolicy>> sources = new ArrayList<>(caches.eventSources());
        sources.add(remotes.eventSource());
        return sources;
    }

    @Override
    public UpdateControl<SecretSyncPolicy> reconcile(SecretSyncPolicy policy, Context<SecretSyncPolicy> context) {
        String name = policy.getMetadata().getName();
        if (stopping.isStopping()) {
            return UpdateControl.noUpdate(); // the next leader reconciles it
        }
        caches.follow(() -> context.getPrimaryCache().list());
        remotes.retain(context.getPrimaryCache().list());
        List<String> problems = SpecValidator.problems(name, policy.getSpec(), config.excludedNamespaces(),
                config.allowedSourceNamespaces().orElse(Set.of()));
        SyncOutcome outcome = problems.isEmpty()
                ? sync(policy, context.getPrimaryCache().list().map(p -> p.getMetadata().getName())
                        .collect(Collectors.toSet()))
                : SyncOutcome.invalid(problems);
        if (stopping.isStopping()) {
            // writes were abandoned part-way: a status now would report them as missing; the
            // next leader plans again from the server, finishes the rollout and reports
            LOG.debugf("SecretSyncPolicy %s: the operator stops writing; no status written", name);
            return UpdateControl.noUpdate();
        }
        String sourceNamespace = policy.getSpec() == null || policy.getSpec().getSource() == null ? null
                : policy.getSpec().getSource().getNamespace();
        SecretSyncPolicyStatus previous = policy.getStatus();
        SecretSyncPolicyStatus next = StatusComposer.compose(previous, generation(policy), sourceNamespace, outcome,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (next.getSyncedReplicas() != null) {
            metrics.publish(name, ClusterCounts.of(next));
        }
        UpdateControl<SecretSyncPolicy> control;
        if (next.sameStateAs(previous) && next.getLastSyncTime().equals(previous.getLastSyncTime())) {
            control = UpdateControl.noUpdate();
        } else {
            if (!problems.isEmpty() && Conditions.readyChanged(previous == null ? null : previous.getConditions(),
                    next.getConditions())) {
                LOG.warnf("SecretSyncPolicy %s has an invalid spec: %s", name, String.join("; ", problems));
            }
            if (StatusWriter.write(policy, next, context)) {
                events.record(policy, PolicyEvents.between(previous, next));
                control = UpdateControl.noUpdate();
            } else {
                // edited since it was read: that edit's event brings the next reconcile; the
                // reschedule covers a change that wakes nothing (another writer's status)
                LOG.debugf("SecretSyncPolicy %s changed while it was reconciled; reconciling again", name);
                control = UpdateControl.<SecretSyncPolicy>noUpdate().rescheduleAfter(CONFLICT_RETRY_MILLIS);
            }
        }
        // a refused write, or a remote cluster that cannot be served, is retried with backoff
        control = retryLater(name, outcome.writeFailures().isEmpty() && remotesDone(outcome), control);
        // nothing watches unmanaged Secrets: look again, ever less often, until the conflict is gone
        long recheck = conflictRecheck.next(name, outcome instanceof SyncOutcome.Planned planned
                && planned.plan().conflicts().stream().anyMatch(f -> FailureReasons.CONFLICT.equals(f.getReason())));
        if (recheck > 0 && control.getScheduleDelay().map(d -> d > recheck).orElse(true)) {
            control = control.rescheduleAfter(recheck);
        }
        if (!outcome.missingKinds().isEmpty() && control.getScheduleDelay().isEmpty()) {
            // CRDs can be installed at any time and nothing tells us; look again in a while
            control = control.rescheduleAfter(caches.millisUntilMissingKindRecheck(outcome.missingKinds()));
        }
        return control;
    }

    private SyncOutcome sync(SecretSyncPolicy resource, Set<String> servedPolicies) {
        String policy = resource.getMetadata().getName();
        SecretSyncPolicySpec spec = resource.getSpec();
        Observation observed = caches.observe(policy, spec);
        ClusterSelection.Result selection = remotes.select(spec);
        // a policy that no longer selects this cluster plans it without targets: its replicas here are released
        List<RemoteTargets.Part> remoteParts = remotes.observe(resource, selection);
        // a replica of a policy this process does not serve may be another shard's: only one that
        // the API server confirms gone may be adopted
        List<Secret> replicas = new ArrayList<>(observed.replicas());
        replicas.addAll(RemoteTargets.replicasOf(remoteParts));
        Set<String> livePolicies = directory.existing(servedPolicies, replicas);
        // a policy that no longer selects this cluster plans it without targets: its replicas here are released
        SyncPlanner.Input input = new SyncPlanner.Input(policy, spec, observed.sourceSecrets(),
                selection.local() ? observed.namespaces() : List.of(), observed.workloadServiceAccounts().keySet(),
                observed.replicas(), observed.unmanagedSecrets(), config.excludedNamespaces(), livePolicies);
        remoteParts = remotes.plan(remoteParts, input);
        Plan plan = SyncPlanner.plan(input);
        if (spec.suspended()) {
            return SyncOutcome.suspended(plan, observed, remotes.apply(policy, remoteParts, spec, false));
        }
        ReplicaWriter.Result result = writer.apply(policy, plan.actions(), spec.effectiveConflictPolicy(), caches);
        List<ReplicaFailure> failures = new ArrayList<>(result.failures());
        List<ClusterOutcome> remoteOutcomes = stopping.isStopping() ? List.of()
                : remotes.apply(policy, remoteParts, spec, true);
        if (stopping.isStopping()) {
            return SyncOutcome.synced(plan, observed, failures, result.replicasWritten(), result.writes(),
                    remoteOutcomes);
        }
        ServiceAccountWriter.Result references = serviceAccounts.apply(policy,
                PullSecretPlanner.plan(policy, spec.getImagePullSecrets(), plan, result.failures(), observed));
        failures.addAll(references.failures());
        int writes = result.writes() + references.writes()
                + remoteOutcomes.stream().mapToInt(ClusterOutcome::writes).sum();
        if (writes > 0) {
            LOG.infof("SecretSyncPolicy %s: %d writes, %d failures", policy, writes, failures.size()
                    + remoteOutcomes.stream().mapToInt(o -> o.failures().size()).sum());
        }
        return SyncOutcome.synced(plan, observed, failures, result.replicasWritten(),
                result.writes() + references.writes(), remoteOutcomes);
    }

    @Override
    public DeleteControl cleanup(SecretSyncPolicy policy, Context<SecretSyncPolicy> context) {
        String name = policy.getMetadata().getName();
        if (stopping.isStopping()) {
            return DeleteControl.noFinalizerRemoval(); // released by the next leader
        }
        SecretSyncPolicySpec spec = policy.getSpec() == null ? new SecretSyncPolicySpec() : policy.getSpec();
        Observation observed = caches.observeForRelease(name);
        List<ReplicaAction> release = SyncPlanner.releaseAll(name, observed.replicas(),
                spec.effectiveDeletionPolicy());
        ReplicaWriter.Result result = writer.apply(name, release, spec.effectiveConflictPolicy(), caches);
        List<ReplicaFailure> failures = new ArrayList<>(result.failures());
        failures.addAll(serviceAccounts.apply(name,
                PullSecretPlanner.releaseAll(name, observed.serviceAccounts())).failures());
        List<ReplicaFailure> remoteWaits = stopping.isStopping() ? List.of() : remotes.releaseAll(policy, spec);
        if (stopping.isStopping()) {
            // some releases may have been abandoned: the finalizer stays until they are all done
            return DeleteControl.noFinalizerRemoval();
        }
        caches.follow(() -> context.getPrimaryCache().list().filter(p -> !p.getMetadata().getName().equals(name)));
        if (!failures.isEmpty()) {
            LOG.warnf("SecretSyncPolicy %s is being deleted but %d replicas could not be released; retrying", name,
                    failures.size());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff(name));
        }
        if (!remoteWaits.isEmpty()) {
            // a cluster away keeps its replicas: the finalizer stays, and the status says what it waits for
            LOG.warnf("SecretSyncPolicy %s is being deleted; the release of its replicas waits for %s", name,
                    remoteWaits.stream().map(ReplicaFailure::getCluster).distinct().collect(Collectors.joining(", ")));
            SecretSyncPolicyStatus waiting = ReleaseStatus.waiting(policy.getStatus(), generation(policy), remoteWaits,
                    spec.effectiveDeletionPolicy(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            if (!waiting.sameStateAs(policy.getStatus())) {
                StatusWriter.write(policy, waiting, context);
            }
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff(name));
        }
        failedAttempts.remove(name);
        conflictRecheck.forget(name);
        metrics.forget(name);
        tanzu.onDeleted(policy);
        LOG.infof("SecretSyncPolicy %s deleted: %d replicas %s%s", name, release.size(),
                spec.effectiveDeletionPolicy() == DeletionPolicy.Orphan
                        ? "orphaned" : "deleted",
                spec.readProblems().isEmpty() ? "" : " (its spec could not be read: replicas are orphaned"
                        + " unless it says deletionPolicy: Delete)");
        return DeleteControl.defaultDelete();
    }

    /** A reconcile that threw still tells the user, in Ready, that the policy is not being served. */
    @Override
    public ErrorStatusUpdateControl<SecretSyncPolicy> updateErrorStatus(SecretSyncPolicy policy,
            Context<SecretSyncPolicy> context, Exception e) {
        FatalErrors.exitIfFatal(e);
        if (stopping.isStopping()) {
            return ErrorStatusUpdateControl.noStatusUpdate(); // most likely interrupted by the stop itself
        }
        SecretSyncPolicyStatus previous = policy.getStatus();
        SecretSyncPolicyStatus next = StatusComposer.compose(previous, generation(policy), null,
                SyncOutcome.reconcileError(ApiErrors.describeCause(
                        "reconcile of SecretSyncPolicy " + policy.getMetadata().getName(), e)),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (next.sameStateAs(previous)) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        policy.setStatus(next);
        return ErrorStatusUpdateControl.patchStatus(policy);
    }

    private static boolean remotesDone(SyncOutcome outcome) {
        return !(outcome instanceof SyncOutcome.Synced synced)
                || synced.remotes().stream().allMatch(r -> r.unavailable() == null && r.writeFailures().isEmpty());
    }

    /** Failed writes are retried with exponential backoff instead of waiting for the periodic resync. */
    private UpdateControl<SecretSyncPolicy> retryLater(String name, boolean allWritten,
            UpdateControl<SecretSyncPolicy> control) {
        if (allWritten) {
            failedAttempts.remove(name);
            return control;
        }
        return control.rescheduleAfter(backoff(name));
    }

    private long backoff(String name) {
        return backoffMillis(failedAttempts.merge(name, 1, Integer::sum));
    }

    /** After the n-th failed attempt in a row: 2 s, doubling each time, at most 60 s. */
    static long backoffMillis(int attempt) {
        return TimeUnit.SECONDS.toMillis(Math.min(MAX_BACKOFF_SECONDS,
                FIRST_BACKOFF_SECONDS << Math.min(Math.max(attempt, 1) - 1, 5)));
    }

    private static long generation(SecretSyncPolicy policy) {
        Long g = policy.getMetadata().getGeneration();
        return g == null ? 0 : g;
    }
}
