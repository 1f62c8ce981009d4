package io.secretsync.operator.reconciler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.quarkus.runtime.ShutdownEvent;
import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.crd.v1alpha1.ConflictPolicy;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.ha.LeadershipLost;
import io.secretsync.operator.metrics.SyncMetrics;
import io.secretsync.operator.sync.FailureReasons;
import io.secretsync.operator.sync.ReplicaAction;
import io.secretsync.operator.sync.ReplicaAction.Operation;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.sync.Replicas;
import io.secretsync.operator.sync.SyncPlanner;

/**
 * Applies a plan's writes, secretsync.write-concurrency at a time across all policies (and no
 * faster than secretsync.write-rate-limit when set). When the server disagrees with what the
 * cache said (409: the Secret exists, or changed under us) it reads that one Secret and asks the
 * planner again, once; it never writes a Secret the planner did not clear.
 * <p>
 * An Error in a write ends the process (see FatalErrors); a write the pool cannot take is a
 * failure in status, never a silent stop.
 * <p>
 * When the process stops or loses its Lease ({@link Stopping}) no write starts any more; on a
 * stop, the writes already sent get secretsync.shutdown.write-drain-timeout to finish before the
 * Lease is released, so that the next leader never writes next to this one.
 */
@ApplicationScoped
public class ReplicaWriter {
    private static final Logger LOG = Logger.getLogger(ReplicaWriter.class);

    /** @param abandoned actions not carried out because the process is stopping ({@link Stopping}) */
    public record Result(List<ReplicaFailure> failures, int replicasWritten, int writes, int abandoned) {
    }

    /**
     * The cluster a plan's writes go to: its client, the cache told of each write, and the memory
     * of unmanaged Secrets met there.
     *
     * @param cluster a SecretSyncCluster's name; null for this cluster
     */
    public record Target(String cluster, KubernetesClient client, OwnWrites cache, UnmanagedSecrets unmanaged) {
    }

    private final KubernetesClient client;
    private final SyncMetrics metrics;
    private final UnmanagedSecrets unmanaged;
    private final ExecutorService pool;
    /** One pool per remote cluster, each as large as this cluster's: a slow cluster never starves the others. */
    private final Map<String, ExecutorService> remotePools = new ConcurrentHashMap<>();
    private final int concurrency;
    private final WriteRateLimiter rateLimit;
    private final Stopping stopping;
    private final Duration drainTimeout;
    private final Map<Object, Long> inFlight = new ConcurrentHashMap<>();
    /** Test-only: a write into this namespace throws an Error (system property, never documented). */
    private final String errorHook = System.getProperty("io.secretsync.testing.error-on-write-to");

    public ReplicaWriter(KubernetesClient client, SyncMetrics metrics, UnmanagedSecrets unmanaged,
            SecretSyncConfig config, WriteRateLimiter rateLimit, Stopping stopping) {
        this.client = client;
        this.stopping = stopping;
        this.drainTimeout = config.shutdown().writeDrainTimeout();
        this.metrics = metrics;
        this.unmanaged = unmanaged;
        this.rateLimit = rateLimit;
        this.concurrency = Math.max(1, config.writeConcurrency());
        this.pool = newPool("replica-writer-");
    }

    private ExecutorService newPool(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
        remotePools.values().forEach(ExecutorService::shutdownNow);
    }

    /** No policy writes into this remote cluster any more: its writer threads end. */
    public void forgetCluster(String cluster) {
        ExecutorService p = remotePools.remove(cluster);
        if (p != null) {
            p.shutdown();
        }
    }

    private ExecutorService poolFor(String cluster) {
        if (cluster == null) {
            return pool;
        }
        return remotePools.computeIfAbsent(cluster, c -> {
            if (pool.isShutdown()) {
                throw new RejectedExecutionException("the operator is stopping");
            }
            return newPool("replica-writer-" + c + "-");
        });
    }

    /**
     * The process stops (SIGTERM): before the Operator SDK stops the controllers and releases the
     * Lease (its observer runs at the default priority, after this one), no write starts any
     * more and those already sent finish, or are abandoned after secretsync.shutdown.write-drain-timeout.
     */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) ShutdownEvent event) {
        stopping.begin("the operator is stopping");
        drain(drainTimeout);
    }

    /** Lost the Lease: another replica may write from now on, so this one writes nothing more. */
    void onLeadershipLost(@Observes LeadershipLost event) {
        stopping.begin("this replica lost its Lease");
    }

    /** Lets the writes in flight finish (at most timeout); those not started are abandoned. */
    void drain(Duration timeout) {
        long started = System.nanoTime();
        pool.shutdown(); // queued writes still run, see the stop and return at once
        remotePools.values().forEach(ExecutorService::shutdown);
        try {
            boolean remotesDrained = true;
            for (ExecutorService p : remotePools.values()) {
                long left = timeout.toNanos() - (System.nanoTime() - started);
                if (!p.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    remotesDrained = false;
                    p.shutdownNow().forEach(Runnable::run);
                }
            }
            long left = timeout.toNanos() - (System.nanoTime() - started);
            if (!remotesDrained | !pool.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                LOG.warnf("%d replica writes still in flight after %d ms: abandoned (each either reached the"
                        + " API server whole or not at all; the next leader writes what is missing)",
                        inFlight.size(), timeout.toMillis());
                // interrupts the writes in flight; the queued ones never ran: run them here, they
                // only see that the operator stops, so that no reconcile waits for them forever
                pool.shutdownNow().forEach(Runnable::run);
            } else {
                LOG.debugf("replica writes drained in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow().forEach(Runnable::run);
            remotePools.values().forEach(p -> p.shutdownNow().forEach(Runnable::run));
        }
    }

    /** False once the pool stopped taking work (only at shutdown): liveness reports it. */
    public boolean acceptsWork() {
        return !pool.isShutdown();
    }

    /** How long the oldest write still in flight has been running (zero when none is). */
    public Duration oldestWriteInFlight() {
        long now = System.nanoTime();
        return Duration.ofNanos(inFlight.values().stream().mapToLong(t -> now - t).max().orElse(0));
    }

    /** @param cache told of every replica created or updated, so the next reconcile sees it */
    public Result apply(String policy, List<ReplicaAction> actions, ConflictPolicy conflictPolicy, OwnWrites cache) {
        return apply(new Target(null, client, cache, unmanaged), policy, actions, conflictPolicy);
    }

    /** Applies actions in target's cluster; failures are not tagged with the cluster (the caller knows it). */
    public Result apply(Target target, String policy, List<ReplicaAction> actions, ConflictPolicy conflictPolicy) {
        List<ReplicaFailure> failures = new ArrayList<>();
        AtomicInteger produced = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger abandoned = new AtomicInteger();
        List<CompletableFuture<ReplicaFailure>> futures = actions.stream()
                .map(a -> schedule(a, new Attempt(target, policy, conflictPolicy, produced, writes, abandoned)))
                .toList();
        for (CompletableFuture<ReplicaFailure> f : futures) {
            ReplicaFailure failure;
            try {
                failure = f.join();
            } catch (RuntimeException e) {
                FatalErrors.exitIfFatal(e);
                throw e;
            }
            if (failure != null) {
                failures.add(failure);
            }
        }
        if (abandoned.get() > 0) {
            LOG.infof("policy %s: %d of %d writes abandoned, the operator stops writing; the next leader does them",
                    policy, abandoned.get(), actions.size());
        }
        return new Result(failures, produced.get(), writes.get(), abandoned.get());
    }

    private CompletableFuture<ReplicaFailure> schedule(ReplicaAction action, Attempt attempt) {
        if (stopping.isStopping()) {
            return CompletableFuture.completedFuture(attempt.abandon());
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                if (stopping.isStopping()) {
                    return attempt.abandon();
                }
                Object token = new Object();
                inFlight.put(token, System.nanoTime());
                try {
                    return attempt.run(action, 0);
                } catch (Error e) {
                    throw FatalErrors.exit(e);
                } finally {
                    inFlight.remove(token);
                }
            }, poolFor(attempt.target.cluster()));
        } catch (RejectedExecutionException e) {
            if (stopping.isStopping()) {
                return CompletableFuture.completedFuture(attempt.abandon());
            }
            return CompletableFuture.completedFuture(new ReplicaFailure(action.key().namespace(), action.key().name(),
                    action.producesReplica() ? FailureReasons.WRITE_FAILED : FailureReasons.DELETE_FAILED,
                    "the write of Secret " + action.key() + " could not be scheduled (the operator is shutting down);"
                            + " it is retried by the next operator process"));
        }
    }

    /** One action and its single retry; returns the failure or null. */
    private final class Attempt {
        private final Target target;
        private final KubernetesClient client;
        private final String policy;
        private final ConflictPolicy conflictPolicy;
        private final OwnWrites cache;
        private final AtomicInteger produced;
        private final AtomicInteger writes;
        private final AtomicInteger abandoned;

        Attempt(Target target, String policy, ConflictPolicy conflictPolicy, AtomicInteger produced,
                AtomicInteger writes, AtomicInteger abandoned) {
            this.target = target;
            this.client = target.client();
            this.cache = target.cache();
            this.abandoned = abandoned;
            this.policy = policy;
            this.conflictPolicy = conflictPolicy;
            this.produced = produced;
            this.writes = writes;
        }

        /** Not carried out: the operator stops writing. Neither a failure nor a write. */
        ReplicaFailure abandon() {
            abandoned.incrementAndGet();
            return null;
        }

        ReplicaFailure run(ReplicaAction action, int retry) {
            Secret s = action.secret();
            Resource<Secret> resource = client.secrets().inNamespace(action.key().namespace()).resource(s);
            String verb = action.operation().name().toLowerCase(Locale.ROOT);
            try {
                if (action.key().namespace().equals(errorHook)) {
                    throw new Error("test hook: an Error in the write path");
                }
                if (!rateLimit.acquire(stopping::isStopping)) {
                    return abandon();
                }
                switch (action.operation()) {
                    case CREATE -> created(resource.create());
                    case UPDATE -> updated(resource.update());
                    case RECREATE -> {
                        client.secrets().inNamespace(action.key().namespace()).withName(action.key().name()).delete();
                        count("delete");
                        // the replica is gone now: recreate it even while stopping, so that a
                        // stop never leaves a replica deleted that was only to be replaced
                        rateLimit.acquire();
                        created(client.secrets().inNamespace(action.key().namespace()).resource(withoutVersion(s))
                                .create());
                    }
                    case ORPHAN -> {
                        // the cached replica has no data: orphan the Secret as it is on the server
                        Secret current = client.secrets().inNamespace(action.key().namespace())
                                .withName(action.key().name()).get();
                        if (current == null || !ours(current, action)) {
                            return null; // gone, or no longer ours to release
                        }
                        client.secrets().inNamespace(action.key().namespace()).resource(Replicas.orphaned(current))
                                .update();
                        count("update");
                    }
                    case DELETE -> {
                        client.secrets().inNamespace(action.key().namespace()).withName(action.key().name())
                                .lockResourceVersion(s.getMetadata().getResourceVersion()).delete();
                        count("delete");
                    }
                }
                LOG.debugf("policy %s: %s %s", policy, verb, action.key());
                return null;
            } catch (Exception e) {
                FatalErrors.exitIfFatal(e); // an Error the client wrapped is not this replica's failure
                if (retry == 0 && (ApiErrors.is(e, 409) || (ApiErrors.is(e, 404) && action.producesReplica()))) {
                    return reconsider(action);
                }
                if (ApiErrors.is(e, 404) && !action.producesReplica()) {
                    return null; // already gone: deleted or orphaned by someone else
                }
                String message = ApiErrors.describe(verb + " of Secret " + action.key()
                        + (target.cluster() == null ? "" : " in cluster " + target.cluster()), e);
                LOG.warnf("policy %s: %s", policy, message);
                return new ReplicaFailure(action.key().namespace(), action.key().name(),
                        action.producesReplica() ? FailureReasons.WRITE_FAILED : FailureReasons.DELETE_FAILED,
                        message);
            }
        }

        /** The cache was stale: read the Secret as it is now and decide again. */
        private ReplicaFailure reconsider(ReplicaAction action) {
            Secret current = client.secrets().inNamespace(action.key().namespace()).withName(action.key().name()).get();
            if (!action.producesReplica()) {
                if (current == null || !ours(current, action)) {
                    return null; // no longer ours to remove
                }
                Secret again = action.operation() == Operation.DELETE ? current
                        : Replicas.orphaned(current);
                return run(new ReplicaAction(action.operation(), action.key(), again), 1);
            }
            SyncPlanner.Decision d = action.desired() != null
                    ? SyncPlanner.decide(policy, action.desired(), current, conflictPolicy, null)
                    : SyncPlanner.decide(policy, desiredOf(action), current, conflictPolicy);
            if (d instanceof SyncPlanner.Decision.Write write) {
                return run(write.action(), 1);
            }
            if (d instanceof SyncPlanner.Decision.Conflict conflict) {
                if (current != null && !ReplicaMetadata.isManaged(current)) {
                    target.unmanaged().remember(action.key());
                }
                return conflict.failure();
            }
            produced.incrementAndGet(); // in sync already
            return null;
        }

        /** The planner's desired replica, without what an update carried over from the old object. */
        private Secret desiredOf(ReplicaAction action) {
            Secret s = withoutVersion(action.secret());
            s.getMetadata().setLabels(only(s.getMetadata().getLabels(), ReplicaMetadata.MANAGED_BY_LABEL,
                    ReplicaMetadata.POLICY_LABEL));
            s.getMetadata().setAnnotations(only(s.getMetadata().getAnnotations(), ReplicaMetadata.SOURCE_ANNOTATION,
                    ReplicaMetadata.SOURCE_UID_ANNOTATION, ReplicaMetadata.CONTENT_HASH_ANNOTATION,
                    ReplicaMetadata.ORIGIN_ANNOTATION));
            return s;
        }

        /** The policy's replica written from this operator (origin recorded on what we release). */
        private boolean ours(Secret current, ReplicaAction action) {
            return ReplicaMetadata.ownedBy(current, policy, ReplicaMetadata.origin(action.secret()));
        }

        private void created(Secret result) {
            count("create");
            produced.incrementAndGet();
            cache.written(result, true);
        }

        private void updated(Secret result) {
            count("update");
            produced.incrementAndGet();
            cache.written(result, false);
        }

        private void count(String operation) {
            writes.incrementAndGet();
            metrics.countWrite(policy, target.cluster(), operation);
        }
    }

    private static Map<String, String> only(Map<String, String> map, String... keys) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String k : keys) {
            if (map != null && map.containsKey(k)) {
                kept.put(k, map.get(k));
            }
        }
        return kept;
    }

    private static Secret withoutVersion(Secret s) {
        Secret copy = new SecretBuilder(s).build();
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setUid(null);
        copy.getMetadata().setCreationTimestamp(null);
        copy.getMetadata().setManagedFields(null);
        return copy;
    }
}
