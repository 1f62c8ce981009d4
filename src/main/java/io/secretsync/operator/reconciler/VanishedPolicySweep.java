package io.secretsync.operator.reconciler;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.crd.v1alpha1.ConflictPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.sync.ReplicaAction;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.sync.SyncPlanner;

/**
 * Releases replicas whose policy no longer exists: once the replica cache has started (at
 * start-up, and only on the replica that may write, since JOSDK starts event sources only then)
 * and at every interval after; and, for a policy that leaves this process's cache while it runs
 * (its finalizer removed by hand, then deleted), within seconds. Ordinary deletions go through the
 * finalizer; this catches the policies that vanished without it. A policy this process does not
 * cache is confirmed gone with the API server first ({@link PolicyDirectory}): it may be another
 * shard's, whose replicas this process never touches. The start-up and periodic sweeps run in the
 * unsharded process only.
 */
@ApplicationScoped
public class VanishedPolicySweep {
    private static final Logger LOG = Logger.getLogger(VanishedPolicySweep.class);
    private static final long NOT_STARTED_RETRY_MILLIS = 1000;
    /** How often the policy cache is compared with its last picture, to notice a policy gone. */
    private static final long GONE_CHECK_MILLIS = 2000;

    private final ReplicaWriter writer;
    private final SecretSyncConfig config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vanished-policy-sweep");
        t.setDaemon(true);
        return t;
    });
    private volatile PolicyCaches caches;
    private volatile IndexerResourceCache<SecretSyncPolicy> policies;
    private volatile PolicyDirectory directory;
    /** The policy names cached at the last check, and those gone since then, to sweep next time. */
    private Set<String> lastSeen;
    private Set<String> goneBefore = Set.of();

    public VanishedPolicySweep(ReplicaWriter writer, SecretSyncConfig config) {
        this.writer = writer;
        this.config = config;
    }

    /**
     * Starts sweeping over the controller's caches; a second call only swaps them. JOSDK starts
     * the policy informer, synced, before the other event sources, so once the replica cache runs
     * the policy cache is complete.
     */
    synchronized void start(PolicyCaches policyCaches, IndexerResourceCache<SecretSyncPolicy> policyCache,
            PolicyDirectory policyDirectory) {
        boolean first = caches == null;
        caches = policyCaches;
        policies = policyCache;
        directory = policyDirectory;
        if (first) {
            // A replica whose policy vanished while nobody watched is nobody's: the unsharded process
            // releases those, as it does the other cluster-wide duties. A shard releases only the
            // replicas of policies it served (checkGone), never another shard's.
            if (config.shardKey().isEmpty()) {
                timer.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
            }
            timer.scheduleWithFixedDelay(this::checkGone, GONE_CHECK_MILLIS, GONE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    private void tick() {
        long next = config.vanishedPolicySweepInterval().toMillis();
        try {
            if (!caches.replicasRunning()) {
                next = NOT_STARTED_RETRY_MILLIS; // not (yet) the writer, or not started: look again soon
            } else {
                sweep();
            }
        } catch (RuntimeException e) {
            LOG.warnf("looking for replicas of deleted policies failed (%s); trying again in %s",
                    ApiErrors.describe("the sweep", e), config.vanishedPolicySweepInterval());
        } finally {
            if (!timer.isShutdown()) {
                timer.schedule(this::tick, next, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Policies that left the cache are swept one check later (2 to 4 s), so that the watch events
     * of an ordinary deletion's releases have reached the replica cache by then.
     */
    private void checkGone() {
        try {
            if (!caches.replicasRunning()) {
                return;
            }
            Set<String> now = cachedPolicies();
            Set<String> gone = lastSeen == null ? Set.of()
                    : lastSeen.stream().filter(n -> !now.contains(n)).collect(Collectors.toSet());
            lastSeen = now;
            if (!goneBefore.isEmpty()) {
                sweep(goneBefore);
            }
            goneBefore = gone;
        } catch (RuntimeException e) {
            LOG.warnf("looking for replicas of a deleted policy failed (%s); the periodic sweep tries again",
                    ApiErrors.describe("the sweep", e));
        }
    }

    private Set<String> cachedPolicies() {
        return policies.list().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    }

    /** One pass over every replica; returns how many replicas it released. */
    int sweep() {
        return sweep(null);
    }

    /** One pass over the replicas of {@code owners} (null: of every policy). */
    private int sweep(Set<String> owners) {
        // replicas first, then the policies: a replica is written only by a reconcile of its policy,
        // which the policy cache held before; so an owner that still exists is found (never released
        // by mistake), and a policy that is being deleted is still there until its finalizer is done
        List<Secret> managed = caches.allReplicas().stream()
                .filter(r -> owners == null || owners.contains(ReplicaMetadata.owningPolicy(r))).toList();
        Set<String> live = directory.existing(cachedPolicies(), managed);
        Map<String, List<ReplicaAction>> release = SyncPlanner.releaseVanished(managed, live, null); // replicas a remote operator wrote here are not ours
        int released = 0;
        for (Map.Entry<String, List<ReplicaAction>> e : release.entrySet()) {
            ReplicaWriter.Result r = writer.apply(e.getKey(), e.getValue(), ConflictPolicy.Skip, caches);
            released += e.getValue().size() - r.failures().size() - r.abandoned();
            LOG.infof("SecretSyncPolicy %s no longer exists: released %d of its %d replicas (%s)", e.getKey(),
                    e.getValue().size() - r.failures().size() - r.abandoned(), e.getValue().size(),
                    e.getValue().stream().collect(Collectors.groupingBy(ReplicaAction::operation,
                            java.util.TreeMap::new, Collectors.counting())));
        }
        return released;
    }
}
