package io.secretsync.operator.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.config.Shard;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.realserver.AuditLog;
import io.secretsync.operator.realserver.RealCluster;
import io.secretsync.operator.realserver.ShardAccount;
import io.secretsync.operator.realserver.ShippedOperator;
import io.secretsync.operator.sync.Conditions;
import io.secretsync.operator.sync.ReadyReasons;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * Issue 21's shards benchmark ({@code -Dbench.server=real-shards}), on one fresh real cluster: three
 * packaged operators run as {@link ShippedOperator} runs them -- the unsharded process under the
 * shipped ServiceAccount, shards {@code a} and {@code b} each under a {@link ShardAccount} of its
 * own, so that the audit log tells their writes apart -- with P policies each (contract section 8),
 * every policy copying a source Secret of its own into the same N namespaces. Measured: convergence,
 * idle, shard a stopped (SIGTERM) while every source changes, shard a started again, and K policies
 * relabelled from shard b to shard a. Every write is counted from the API server's audit log.
 */
final class ShardsBenchmark {
    static final String KILLED = "a";
    static final String HANDED_FROM = "b";
    static final String HANDED_TO = "a";

    private final ShardBenchOptions o;
    private final ImageJvm image = ImageJvm.fromDeployment();
    private final Duration timeout;
    /** The running processes by name (unsharded, a, b). */
    private final Map<String, ShippedOperator.Process> running = new LinkedHashMap<>();
    private final Map<String, Path> kubeconfigs = new HashMap<>();
    private KubernetesClient admin;
    private AuditLog audit;
    private int starts;

    ShardsBenchmark(ShardBenchOptions options) {
        this.o = options;
        this.timeout = options.full() ? Duration.ofMinutes(15) : Duration.ofMinutes(2);
    }

    /** Returns the "shards" figures. */
    Map<String, Object> run() throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("machine", Benchmark.machine());
        r.put("loadBefore", RealServerBenchmark.load());
        int p = o.policiesPerProcess();
        int n = o.namespaces();
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("namespaces", n);
        sizes.put("policiesPerProcess", p);
        sizes.put("policies", ShardLayout.PROCESSES.size() * p);
        sizes.put("replicas", ShardLayout.PROCESSES.size() * p * n);
        sizes.put("handOver", o.handOver());
        sizes.put("idleSeconds", o.idleSeconds());
        sizes.put("writeConcurrency", o.writeConcurrency());
        sizes.put("fullSize", o.full());
        r.put("sizes", sizes);
        r.put("jvmArgs", String.join(" ", image.args()));
        r.put("heapMaxBytes", image.heapBytes());
        try (RealCluster cluster = RealCluster.start("bench-shards", RemoteClustersBenchmark.CONTROLLERS)) {
            admin = cluster.admin();
            audit = cluster.audit();
            try {
                measure(r, cluster);
            } finally {
                for (ShippedOperator.Process op : running.values()) {
                    op.close();
                }
                running.clear();
            }
            Map<String, Object> forbidden = new LinkedHashMap<>();
            List<AuditLog.Entry> all = audit.entries();
            for (String process : ShardLayout.PROCESSES) {
                forbidden.put(process, AuditLog.forbidden(all.stream().filter(AuditLog.by(ShardLayout.user(process)))
                        .toList()).size());
            }
            r.put("operatorForbidden", forbidden);
        }
        r.put("loadAfter", RealServerBenchmark.load());
        return r;
    }

    private void measure(Map<String, Object> r, RealCluster cluster) throws Exception {
        int n = o.namespaces();
        ShardLayout layout = ShardLayout.of(o.policiesPerProcess());
        ShippedOperator.install(cluster);
        kubeconfigs.put(ShardLayout.UNSHARDED, ShippedOperator.kubeconfig(cluster));
        for (String shard : List.of("a", "b")) {
            kubeconfigs.put(shard, ShardAccount.create(cluster, shard));
        }
        note("seeding %d sources and %d namespaces", layout.policies().size(), n);
        admin.namespaces().resource(Benchmark.namespace(Benchmark.SOURCE_NS, false)).create();
        int threads = Math.max(o.writeConcurrency(), 16);
        List<String> policies = layout.policies();
        Benchmark.parallel(threads, policies.size(), i -> admin.secrets().inNamespace(Benchmark.SOURCE_NS)
                .resource(Benchmark.sourceSecret(ShardLayout.source(policies.get(i)), "initial")).create());
        Benchmark.seedTargets(admin, n, threads);
        await("the default ServiceAccount in every namespace", () -> RealServerBenchmark.count(admin.serviceAccounts()
                .inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build())) >= n + 2);
        QuietWaits.server(new ProcessProbe(RealServerBenchmark.pidOf(cluster, "apiserver")), timeout);
        for (String process : ShardLayout.PROCESSES) {
            start(process);
        }
        for (String process : ShardLayout.PROCESSES) {
            BenchOperator.awaitHealth(running.get(process), "/q/health/ready", timeout);
        }

        long runMark = audit.mark();
        r.put("converge", converge(layout));
        r.put("idle", idle(layout));
        r.put("killedShard", killShard(layout));
        r.put("restartedShard", restartShard(layout));
        Instant handOverStart = Instant.now();
        List<String> moved = new ArrayList<>(layout.servedBy(HANDED_FROM).subList(0, o.handOver()));
        ShardLayout after = layout.moved(moved, HANDED_TO);
        r.put("handOver", handOver(moved, after));
        r.put("wholeRun", wholeRun(runMark, handOverStart, layout, moved, after));
    }

    // ---- scenarios ------------------------------------------------------------------------------

    /** Every policy created at once; converged is every policy Ready (Synced, N replicas), then checked. */
    private Map<String, Object> converge(ShardLayout layout) {
        int n = o.namespaces();
        note("converge: %d policies into %d namespaces", layout.policies().size(), n);
        long mark = audit.mark();
        Instant t0 = Instant.now();
        long start = System.nanoTime();
        for (String policy : layout.policies()) {
            SecretSyncPolicy p = Benchmark.policy(policy, List.of(ShardLayout.source(policy)));
            String label = ShardLayout.shardLabel(layout.server(policy));
            if (label != null) {
                p.getMetadata().setLabels(new HashMap<>(Map.of(Shard.LABEL, label)));
            }
            admin.resources(SecretSyncPolicy.class).resource(p).create();
        }
        await("every policy Ready (Synced) with " + n + " replicas", () -> allSynced(layout.policies()));
        double ms = Benchmark.ms(System.nanoTime() - start);
        note("converged in %.0f ms", ms);
        checkContent(layout.policies(), "initial");
        quiet(ShardLayout.PROCESSES);
        List<AuditLog.Entry> entries = audit.since(mark);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allSyncedMs", ms);
        m.put("processes", ShardWrites.byProcess(entries, layout, perProcess(o.policiesPerProcess() * n)));
        m.put("lastReplicaWrittenMs", lastWrittenMs(entries, layout, ShardLayout.PROCESSES, t0));
        return m;
    }

    private Map<String, Object> idle(ShardLayout layout) throws InterruptedException {
        note("idle for %d s", o.idleSeconds());
        long mark = audit.mark();
        QuietWaits.observe(o.idleSeconds());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", o.idleSeconds());
        m.put("processes", ShardWrites.byProcess(audit.since(mark), layout, Map.of()));
        return m;
    }

    /**
     * Shard a stopped (SIGTERM), then every policy's source changed: the other processes' policies
     * converge, shard a's stall with their old content and no write to them by anyone.
     */
    private Map<String, Object> killShard(ShardLayout layout) throws Exception {
        int n = o.namespaces();
        note("shard %s stopped (SIGTERM); every source changes", KILLED);
        Map<String, Object> m = new LinkedHashMap<>();
        long stop = System.nanoTime();
        running.get(KILLED).terminate(Duration.ofSeconds(30)); // still closed at the end if it does not stop
        running.remove(KILLED);
        m.put("stopMs", Benchmark.ms(System.nanoTime() - stop));
        long mark = audit.mark();
        Instant t0 = Instant.now();
        updateSources(layout.policies(), "v2");
        List<String> live = new ArrayList<>();
        List<String> others = ShardLayout.PROCESSES.stream().filter(p -> !p.equals(KILLED)).toList();
        others.forEach(p -> live.addAll(layout.servedBy(p)));
        awaitAudit("the replicas of the policies of " + others + " written", () -> ShardWrites.firstWrites(audit.since(mark),
                live, u -> true).size() >= live.size() * n);
        checkContent(live, "v2");
        quiet(others);
        List<AuditLog.Entry> entries = audit.since(mark);
        List<String> stalled = layout.servedBy(KILLED);
        m.put("sourcesUpdated", layout.policies().size());
        m.put("lastReplicaWrittenMs", lastWrittenMs(entries, layout, others, t0));
        Map<String, Integer> needed = new HashMap<>(perProcess(o.policiesPerProcess() * n));
        needed.put(KILLED, 0);
        m.put("processes", ShardWrites.byProcess(entries, layout, needed));
        m.put("stalledPolicies", stalled.size());
        m.put("stalledReplicas", stalled.size() * n);
        m.put("stalledReplicasWithOldContent", carrying(stalled, "initial"));
        m.put("writesToStalledReplicas", ShardWrites.replicaWrites(entries, stalled, u -> true));
        note("while shard %s was down: others' replicas new after %s ms; %s writes to its replicas", KILLED,
                m.get("lastReplicaWrittenMs"), m.get("writesToStalledReplicas"));
        return m;
    }

    /** Shard a started again (same identity: its container restarted): its backlog, exactly. */
    private Map<String, Object> restartShard(ShardLayout layout) {
        int n = o.namespaces();
        List<String> backlog = layout.servedBy(KILLED);
        note("shard %s started again: a backlog of %d replicas", KILLED, backlog.size() * n);
        long mark = audit.mark();
        Instant t0 = Instant.now();
        long start = System.nanoTime();
        ShippedOperator.Process op = start(KILLED);
        BenchOperator.awaitHealth(op, "/q/health/ready", timeout);
        double readyMs = Benchmark.ms(System.nanoTime() - start);
        String user = ShardLayout.user(KILLED);
        awaitAudit("shard " + KILLED + " wrote its backlog", () -> ShardWrites.firstWrites(audit.since(mark), backlog,
                user::equals).size() >= backlog.size() * n);
        await("shard " + KILLED + "'s policies Ready (Synced)", () -> allSynced(backlog));
        double syncedMs = Benchmark.ms(System.nanoTime() - start);
        checkContent(backlog, "v2");
        quiet(List.of(KILLED));
        List<AuditLog.Entry> entries = audit.since(mark);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("processStartToReadyMs", readyMs);
        m.put("processStartToLastReplicaMs", lastWrittenMs(entries, layout, List.of(KILLED), t0).get(KILLED));
        m.put("processStartToPoliciesSyncedMs", syncedMs);
        m.put("processes", ShardWrites.byProcess(entries, layout, Map.of(KILLED, backlog.size() * n)));
        note("shard %s: ready %.0f ms, backlog written and policies Synced %.0f ms after process start", KILLED,
                readyMs, syncedMs);
        return m;
    }

    /**
     * K policies relabelled from shard b to shard a, and their sources changed right after: each must
     * be served by shard a within seconds, b must not write them any more, no replica twice.
     */
    private Map<String, Object> handOver(List<String> moved, ShardLayout after) {
        int n = o.namespaces();
        note("hand-over: %d policies from shard %s to shard %s", moved.size(), HANDED_FROM, HANDED_TO);
        long mark = audit.mark();
        Map<String, Instant> relabelled = new LinkedHashMap<>();
        for (String policy : moved) {
            relabelled.put(policy, Instant.now());
            admin.resources(SecretSyncPolicy.class).withName(policy).edit(p -> {
                p.getMetadata().getLabels().put(Shard.LABEL, HANDED_TO);
                return p;
            });
        }
        Instant changed = Instant.now();
        updateSources(moved, "v3");
        awaitAudit("the moved policies' replicas written", () -> ShardWrites.firstWrites(audit.since(mark), moved,
                u -> true).size() >= moved.size() * n);
        await("the moved policies Ready (Synced)", () -> allSynced(moved));
        checkContent(moved, "v3");
        quiet(List.of(HANDED_FROM, HANDED_TO));
        List<AuditLog.Entry> entries = audit.since(mark);
        String to = ShardLayout.user(HANDED_TO);
        String from = ShardLayout.user(HANDED_FROM);
        List<Double> gaps = new ArrayList<>(); // null: the new shard never wrote for that policy
        for (String policy : moved) {
            Instant first = ShardWrites.firstWriteFor(entries, policy, to);
            gaps.add(first == null ? null : Duration.between(relabelled.get(policy), first).toNanos() / 1e6);
        }
        Instant firstRelabel = relabelled.values().iterator().next();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policies", moved);
        m.put("needed", moved.size() * n);
        m.put("relabelToSourcesChangedMs", Duration.between(firstRelabel, changed).toNanos() / 1e6);
        m.put("relabelToFirstWriteByNewShardMs", gaps);
        m.put("maxRelabelToFirstWriteByNewShardMs", gaps.contains(null) ? null
                : gaps.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        m.put("firstRelabelToAllReplicasNewMs", latestMs(ShardWrites.firstWrites(entries, moved, u -> true), firstRelabel));
        // until every moved replica is new: each was written once, so every write counts
        m.put("longestPauseInWritesMs", ShardWrites.longestPauseMs(firstRelabel, ShardWrites.writeTimes(entries, moved)));
        m.put("replicaWritesByNewShard", ShardWrites.replicaWrites(entries, moved, to::equals));
        m.put("replicaWritesByOldShard", ShardWrites.replicaWrites(entries, moved, from::equals));
        m.put("replicaWritesByOthers", ShardWrites.replicaWrites(entries, moved, u -> !u.equals(to) && !u.equals(from)));
        long all = ShardWrites.replicaWrites(entries, moved, u -> true);
        m.put("replicaWrites", all);
        m.put("ratio", all / (double) (moved.size() * n));
        m.put("replicasWrittenMoreThanOnce", ShardWrites.writtenMoreThanOnce(entries, moved));
        m.put("policyWritesByOldShard", entries.stream().filter(e -> e.user().equals(from) && e.isWrite()
                && e.resource().equals(ShardWrites.POLICIES) && moved.contains(e.name())).count());
        m.put("processes", ShardWrites.byProcess(entries, after, Map.of(HANDED_TO, moved.size() * n)));
        note("hand-over: shard %s's first write %.0f ms after a relabel at most; %s replica writes by shard %s", HANDED_TO,
                m.get("maxRelabelToFirstWriteByNewShardMs"), m.get("replicaWritesByOldShard"), HANDED_FROM);
        return m;
    }

    /**
     * Cross-shard writes over the whole run, per process: before the hand-over by the first layout,
     * after it by the new one, the old shard's writes to the moved policies apart (the hand-over's
     * own figure).
     */
    private Map<String, Object> wholeRun(long runMark, Instant handOverStart, ShardLayout layout, List<String> moved,
            ShardLayout after) {
        List<AuditLog.Entry> all = audit.since(runMark);
        List<AuditLog.Entry> before = all.stream().filter(e -> e.at() != null && e.at().isBefore(handOverStart)).toList();
        List<AuditLog.Entry> since = all.stream().filter(e -> e.at() == null || !e.at().isBefore(handOverStart)).toList();
        String from = ShardLayout.user(HANDED_FROM);
        Predicate<AuditLog.Entry> handOverOwn = e -> e.user().equals(from)
                && (moved.contains(e.name()) || moved.contains(ShardLayout.policyOfReplica(e.name())));
        List<AuditLog.Entry> afterEntries = since.stream().filter(handOverOwn.negate()).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        for (String process : ShardLayout.PROCESSES) {
            Map<String, Object> b = ShardWrites.of(before, layout, process, 0);
            Map<String, Object> a = ShardWrites.of(afterEntries, after, process, 0);
            Map<String, Object> w = new LinkedHashMap<>();
            for (String key : List.of("crossShardReplicaWrites", "foreignStatusWrites", "foreignPolicyWrites")) {
                w.put(key, ((Number) b.get(key)).longValue() + ((Number) a.get(key)).longValue());
            }
            m.put(process, w);
        }
        return m;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private ShippedOperator.Process start(String process) {
        String identity = "bench-shards-" + process;
        String shard = ShardLayout.shardLabel(process);
        ShippedOperator.Process op = BenchOperator.start(kubeconfigs.get(process), identity + "-" + (++starts),
                identity, o.writeConcurrency(), shard == null ? new String[0]
                        : new String[] { "-D" + Shard.PROPERTY + "=" + shard });
        running.put(process, op);
        return op;
    }

    private Map<String, Integer> perProcess(int needed) {
        Map<String, Integer> m = new HashMap<>();
        ShardLayout.PROCESSES.forEach(p -> m.put(p, needed));
        return m;
    }

    private void updateSources(Collection<String> policies, String version) {
        for (String policy : policies) {
            String source = ShardLayout.source(policy);
            admin.secrets().inNamespace(Benchmark.SOURCE_NS).withName(source).edit(s -> {
                s.setData(Benchmark.sourceSecret(source, version).getData());
                return s;
            });
        }
    }

    /** Every policy Ready=True for reason Synced, for its current generation, with N replicas. */
    private boolean allSynced(Collection<String> policies) {
        Map<String, SecretSyncPolicy> byName = new HashMap<>();
        admin.resources(SecretSyncPolicy.class).list().getItems().forEach(p -> byName.put(p.getMetadata().getName(), p));
        return policies.stream().allMatch(name -> synced(byName.get(name), o.namespaces()));
    }

    private static boolean synced(SecretSyncPolicy p, int replicas) {
        SecretSyncPolicyStatus s = p == null ? null : p.getStatus();
        if (s == null || s.getConditions() == null || !Objects.equals(s.getSyncedReplicas(), replicas)
                || !Objects.equals(s.getObservedGeneration(), p.getMetadata().getGeneration())) {
            return false;
        }
        return Conditions.find(s.getConditions(), Conditions.READY).map(c -> Conditions.TRUE.equals(c.getStatus())
                && ReadyReasons.SYNCED.equals(c.getReason())).orElse(false);
    }

    /** Replicas of these policies that carry their source's content at {@code version}. */
    private long carrying(Collection<String> policies, String version) {
        return replicas(policies).stream().filter(s -> Benchmark.sourceSecret(s.getMetadata().getName(), version)
                .getData().equals(s.getData())).count();
    }

    /** Every replica of these policies exists with the content at {@code version}; fails the benchmark otherwise. */
    private void checkContent(Collection<String> policies, String version) {
        int replicas = replicas(policies).size();
        long right = carrying(policies, version);
        int expected = policies.size() * o.namespaces();
        if (replicas != expected || right != expected) {
            throw new IllegalStateException(String.format("%d replicas of %d policies, %d with the content of %s;"
                    + " expected %d", replicas, policies.size(), right, version, expected));
        }
    }

    private List<Secret> replicas(Collection<String> policies) {
        return admin.secrets().inAnyNamespace().withLabelIn(ReplicaMetadata.POLICY_LABEL, policies.toArray(String[]::new))
                .list().getItems();
    }

    /** For each process, when the last of its policies' replicas was first written, from {@code t0}. */
    private static Map<String, Double> lastWrittenMs(List<AuditLog.Entry> entries, ShardLayout layout,
            List<String> processes, Instant t0) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String process : processes) {
            m.put(process, latestMs(ShardWrites.firstWrites(entries, layout.servedBy(process), u -> true), t0));
        }
        return m;
    }

    /** The latest of the first writes, in ms from t0; -1 for none (never so after a content check). */
    private static double latestMs(Map<String, Instant> firstWrites, Instant t0) {
        return firstWrites.values().stream().mapToDouble(t -> Duration.between(t0, t).toNanos() / 1e6).max().orElse(-1);
    }

    private void quiet(List<String> processes) {
        for (String process : processes) {
            QuietWaits.writes(audit, ShardLayout.user(process), timeout);
        }
    }

    /** Polls every 200 ms; fails at once when one of the running processes has exited. */
    private void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofMillis(200), condition);
    }

    /**
     * The same for a condition on the audit log, once a second: reading the log is not free on a
     * 2-core machine, and the times reported are the log's own, not when this saw them.
     */
    private void awaitAudit(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(1), condition);
    }

    private void await(String what, Duration poll, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(poll)
                .until(() -> {
                    for (ShippedOperator.Process op : running.values()) {
                        if (!op.process().isAlive()) {
                            throw new IllegalStateException("an operator exited; see " + op.log());
                        }
                    }
                    return condition.getAsBoolean();
                });
    }

    private static void note(String format, Object... args) {
        System.out.println("[bench shards] " + String.format(format, args));
    }
}
