package io.secretsync.operator.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.ClusterTargets;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.realserver.AuditLog;
import io.secretsync.operator.realserver.RealCluster;
import io.secretsync.operator.realserver.RemoteAccess;
import io.secretsync.operator.realserver.ShippedOperator;
import io.secretsync.operator.sync.Conditions;
import io.secretsync.operator.sync.ReadyReasons;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * Issue 18's remote-clusters benchmark ({@code -Dbench.server=real-remote}), on three real API
 * servers: the packaged operator on a local cluster, run as {@link ShippedOperator} runs it, with
 * one policy ({@code clusters: {local: false, names: [remote-a, remote-b]}}) that copies the 3
 * source Secrets of the local cluster into N namespaces of each of two remote clusters, registered
 * the way users do it ({@link RemoteAccess}). The plain-client baseline writes the same replicas
 * into both remotes first, from its own cold JVM with the same write concurrency per cluster.
 * Writes are counted from each cluster's audit log, never from our own counters.
 */
final class RemoteClustersBenchmark {
    static final String POLICY = "bench-remote";
    static final List<String> REMOTES = List.of("remote-a", "remote-b");
    /** Without a token Secret per ServiceAccount, as clusters since 1.24 have it (as the real-server curve). */
    static final Map<String, String> CONTROLLERS = Map.of("KCM_CONTROLLERS",
            "namespace,garbagecollector,serviceaccount");

    /** One remote cluster and what the benchmark reads of it. */
    private record Remote(String name, RealCluster cluster, AuditLog audit, ProcessProbe apiserver,
            RemoteAccess access) {
        KubernetesClient admin() {
            return cluster.admin();
        }
    }

    private final RemoteBenchOptions o;
    private final ImageJvm image = ImageJvm.fromDeployment();
    private final Duration timeout;

    RemoteClustersBenchmark(RemoteBenchOptions options) {
        this.o = options;
        this.timeout = options.full() ? Duration.ofMinutes(15) : Duration.ofMinutes(2);
    }

    /** Returns the "remoteClusters" figures. */
    Map<String, Object> run() throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("machine", Benchmark.machine());
        r.put("loadBefore", RealServerBenchmark.load());
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("remoteClusters", REMOTES.size());
        sizes.put("namespacesPerRemote", o.namespaces());
        sizes.put("sourceSecrets", Benchmark.SECRETS.size());
        sizes.put("replicasPerRemote", o.namespaces() * Benchmark.SECRETS.size());
        sizes.put("idleSeconds", o.idleSeconds());
        sizes.put("writeConcurrencyPerCluster", o.writeConcurrency());
        sizes.put("fullSize", o.full());
        r.put("sizes", sizes);
        r.put("jvmArgs", String.join(" ", image.args()));
        r.put("heapMaxBytes", image.heapBytes());
        List<String> names = new ArrayList<>(List.of("bench-remote-local"));
        REMOTES.forEach(name -> names.add("bench-" + name));
        List<RealCluster> started = startAll(names);
        try {
            RealCluster local = started.get(0);
            List<Remote> remotes = new ArrayList<>();
            for (int i = 0; i < REMOTES.size(); i++) {
                RealCluster c = started.get(i + 1);
                remotes.add(new Remote(REMOTES.get(i), c, c.audit(),
                        new ProcessProbe(RealServerBenchmark.pidOf(c, "apiserver")), new RemoteAccess(c)));
            }
            measure(r, local, remotes);
        } finally {
            started.forEach(RealCluster::close);
        }
        r.put("loadAfter", RealServerBenchmark.load());
        return r;
    }

    /** Starts the clusters at once (the script chooses free ports for each); if one fails, stops the others. */
    private static List<RealCluster> startAll(List<String> names) {
        note("starting clusters %s", names);
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        try {
            List<Future<RealCluster>> starting = names.stream()
                    .map(name -> pool.submit(() -> RealCluster.start(name, CONTROLLERS))).toList();
            List<RealCluster> started = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<RealCluster> f : starting) {
                try {
                    started.add(f.get());
                } catch (ExecutionException e) {
                    failure = new IllegalStateException("a cluster did not start", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = new IllegalStateException(e);
                }
            }
            if (failure != null) {
                started.forEach(RealCluster::close);
                throw failure;
            }
            return started;
        } finally {
            pool.shutdown();
        }
    }

    private void measure(Map<String, Object> r, RealCluster local, List<Remote> remotes) throws Exception {
        int n = o.namespaces();
        KubernetesClient admin = local.admin();
        ShippedOperator.install(local);
        Benchmark.seedSources(admin);
        Path baselineSource = BaselineAccount.create(local);
        List<Path> baselineTargets = new ArrayList<>();
        for (Remote rm : remotes) {
            baselineTargets.add(BaselineAccount.create(rm.cluster()));
            note("%s: seeding %d namespaces", rm.name(), n);
            Benchmark.seedTargets(rm.admin(), n, Math.max(o.writeConcurrency(), 16));
        }
        for (Remote rm : remotes) {
            await(rm.name() + ": the default ServiceAccount in every namespace", () -> RealServerBenchmark.count(
                    rm.admin().serviceAccounts().inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build()))
                    >= n + 2);
            QuietWaits.server(rm.apiserver(), timeout);
        }
        r.put("baseline", baseline(baselineSource, baselineTargets, remotes));

        String identity = "bench-remote-operator";
        ShippedOperator.Process op = BenchOperator.start(ShippedOperator.kubeconfig(local), identity, identity,
                o.writeConcurrency());
        try {
            BenchOperator.awaitHealth(op, "/q/health/ready", timeout);
            for (Remote rm : remotes) {
                rm.access().register(admin, rm.name(), Map.of("bench", "remote"));
            }
            for (Remote rm : remotes) {
                RemoteAccess.awaitCluster(admin, rm.name(), "Connected", op, timeout);
            }
            ProcessProbe probe = new ProcessProbe(op.process().pid());
            Map<String, Object> memory = new LinkedHashMap<>();
            memory.put("liveHeapNoPolicyBytes", probe.liveHeapBytes());
            r.put("converge", converge(local, remotes, probe));
            memory.put("liveHeapConvergedBytes", probe.liveHeapBytes());
            memory.put("rssConvergedBytes", probe.rssBytes());
            r.put("idle", idle(local, remotes));
            r.put("update", update(local, remotes));
            memory.put("liveHeapAtEndBytes", probe.liveHeapBytes());
            memory.put("rssAtEndBytes", probe.rssBytes());
            memory.put("peakRssBytes", probe.peakRssBytes());
            r.put("memory", memory);
        } finally {
            op.close();
        }
        Map<String, Object> forbidden = new LinkedHashMap<>();
        forbidden.put("local", AuditLog.forbidden(local.audit().entries().stream()
                .filter(AuditLog.by(ShippedOperator.USER)).toList()).size());
        for (Remote rm : remotes) {
            forbidden.put(rm.name(), AuditLog.forbidden(rm.audit().entries().stream()
                    .filter(AuditLog.by(RemoteAccess.REMOTE_USER)).toList()).size());
        }
        r.put("operatorForbidden", forbidden);
    }

    // ---- baseline -------------------------------------------------------------------------------

    private Map<String, Object> baseline(Path source, List<Path> targets, List<Remote> remotes) throws Exception {
        int n = o.namespaces();
        int perRemote = n * Benchmark.SECRETS.size();
        note("baseline: plain client, %d creates into each of %d remotes, then %d updates into each", perRemote,
                remotes.size(), n);
        Map<Remote, Long> marks = marks(remotes);
        Map<String, long[]> cpu = new ConcurrentHashMap<>();
        String heap = System.getProperty("bench.real.baseline-heap", "1g"); // as the real-server curve
        List<String> jvm = image.args().stream().map(a -> a.startsWith("-Xmx") ? "-Xmx" + heap : a).toList();
        Map<String, String> out = BaselineProcess.run(jvm, BaselineProcess.KUBECONFIG + source, targets, n,
                o.writeConcurrency(), POLICY, Benchmark.SECRETS, true, line -> {
                    if (line.startsWith(BaselineProcess.PID)) {
                        cpu.put(BaselineProcess.PID,
                                new long[] { Long.parseLong(line.substring(BaselineProcess.PID.length())) });
                    }
                    if (line.equals(BaselineProcess.WRITING) || line.startsWith(BaselineProcess.RESULT)) {
                        long[] pid = cpu.get(BaselineProcess.PID);
                        cpu.put(line.split("=")[0], new long[] { apiserverCpu(remotes),
                                pid == null ? 0 : new ProcessProbe(pid[0]).cpuMillis() });
                    }
                });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap", heap);
        m.put("convergeMs", Double.parseDouble(out.get(BaselineProcess.RESULT)));
        m.put("updateMs", Double.parseDouble(out.get(BaselineProcess.UPDATE_RESULT)));
        long[] w0 = cpu.get(BaselineProcess.WRITING);
        long[] w1 = cpu.get(BaselineProcess.RESULT.replace("=", ""));
        m.put("remoteApiserversCpuMs", w1[0] - w0[0]);
        m.put("clientCpuMs", w1[1] - w0[1]);
        for (Remote rm : remotes) {
            m.put(rm.name(), Map.of("replicaWrites", AuditLog.secretWrites(rm.audit().since(marks.get(rm)).stream()
                    .filter(AuditLog.by(BaselineAccount.USER)).toList()).size(), "needed", perRemote + n));
        }
        note("baseline: converged in %.0f ms, updated in %.0f ms", m.get("convergeMs"), m.get("updateMs"));

        // the replicas go again, so that the operator starts from the same state
        for (Remote rm : remotes) {
            KubernetesClient c = rm.admin();
            Benchmark.parallel(Math.max(o.writeConcurrency(), 16), n, i -> c.secrets()
                    .inNamespace(Benchmark.target(i)).withLabel(ReplicaMetadata.POLICY_LABEL, POLICY).delete());
            await(rm.name() + ": the baseline's replicas deleted", () -> RealServerBenchmark.count(c.secrets()
                    .inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, POLICY)
                    .list(new ListOptionsBuilder().withLimit(1L).build())) == 0);
        }
        for (Remote rm : remotes) {
            QuietWaits.server(rm.apiserver(), timeout);
        }
        return m;
    }

    // ---- the operator ---------------------------------------------------------------------------

    /** The policy created; converged is its status Ready (Synced, every replica in each remote), then checked. */
    private Map<String, Object> converge(RealCluster local, List<Remote> remotes, ProcessProbe operator) {
        int perRemote = o.namespaces() * Benchmark.SECRETS.size();
        note("operator: one policy into %d namespaces of each of %d remotes", o.namespaces(), remotes.size());
        KubernetesClient admin = local.admin();
        Map<Remote, Long> marks = marks(remotes);
        long localMark = local.audit().mark();
        long api0 = apiserverCpu(remotes);
        long op0 = operator.cpuMillis();
        long t0 = System.nanoTime();
        admin.resources(SecretSyncPolicy.class).resource(policy()).create();
        await(POLICY + " Ready (Synced) with " + perRemote + " replicas in each remote",
                () -> synced(admin, perRemote));
        double ms = Benchmark.ms(System.nanoTime() - t0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("convergeMs", ms);
        m.put("remoteApiserversCpuMs", apiserverCpu(remotes) - api0);
        m.put("clientCpuMs", operator.cpuMillis() - op0);
        note("operator converged in %.0f ms", ms);
        for (Remote rm : remotes) {
            checkContent(rm, Benchmark.SECRETS, "initial", o.namespaces());
            QuietWaits.writes(rm.audit(), RemoteAccess.REMOTE_USER, timeout);
            m.put(rm.name(), AuditedWrites.of(rm.audit().since(marks.get(rm)), RemoteAccess.REMOTE_USER, perRemote));
        }
        m.put("local", AuditedWrites.of(local.audit().since(localMark), ShippedOperator.USER, 0));
        return m;
    }

    private Map<String, Object> idle(RealCluster local, List<Remote> remotes) throws InterruptedException {
        note("idle for %d s", o.idleSeconds());
        Map<Remote, Long> marks = marks(remotes);
        long localMark = local.audit().mark();
        QuietWaits.observe(o.idleSeconds());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", o.idleSeconds());
        for (Remote rm : remotes) {
            m.put(rm.name(), AuditedWrites.of(rm.audit().since(marks.get(rm)), RemoteAccess.REMOTE_USER, 0));
        }
        m.put("local", AuditedWrites.of(local.audit().since(localMark), ShippedOperator.USER, 0));
        return m;
    }

    /** One source changes: until every remote replica of it was written, then checked, then the writes counted. */
    private Map<String, Object> update(RealCluster local, List<Remote> remotes) {
        int n = o.namespaces();
        String name = Benchmark.SECRETS.get(0);
        Map<Remote, Long> marks = marks(remotes);
        long localMark = local.audit().mark();
        Instant t0 = Instant.now();
        String version = "rotated-" + t0.toEpochMilli();
        note("update of %s", name);
        local.admin().secrets().inNamespace(Benchmark.SOURCE_NS).withName(name).edit(s -> {
            s.setData(Benchmark.sourceSecret(name, version).getData());
            return s;
        });
        Map<String, Object> m = new LinkedHashMap<>();
        double all = 0;
        for (Remote rm : remotes) {
            List<Instant> firstWrites = new ArrayList<>();
            await(rm.name() + ": the update written to " + n + " replicas", () -> {
                Map<String, Instant> first = new LinkedHashMap<>();
                rm.audit().since(marks.get(rm)).stream().filter(e -> e.user().equals(RemoteAccess.REMOTE_USER)
                        && e.isWrite() && e.resource().equals("secrets") && e.name().equals(name) && e.code() < 300)
                        .forEach(e -> first.putIfAbsent(e.namespace(), e.at()));
                firstWrites.clear();
                firstWrites.addAll(first.values());
                return first.size() >= n;
            });
            double lastMs = firstWrites.stream().mapToDouble(t -> Duration.between(t0, t).toNanos() / 1e6).max()
                    .orElseThrow();
            all = Math.max(all, lastMs);
            checkContent(rm, List.of(name), version, n);
            QuietWaits.writes(rm.audit(), RemoteAccess.REMOTE_USER, timeout);
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("allWrittenMs", lastMs);
            w.putAll(AuditedWrites.of(rm.audit().since(marks.get(rm)), RemoteAccess.REMOTE_USER, n));
            m.put(rm.name(), w);
        }
        m.put("allRemoteReplicasNewMs", all);
        m.put("local", AuditedWrites.of(local.audit().since(localMark), ShippedOperator.USER, 0));
        note("update: every remote replica new after %.0f ms", all);
        return m;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static SecretSyncPolicy policy() {
        SecretSyncPolicy p = Benchmark.policy(POLICY, Benchmark.SECRETS);
        p.getSpec().getTarget().setClusters(new ClusterTargets(false, REMOTES, null));
        return p;
    }

    /** Ready=True for reason Synced, every replica counted, each remote ready with its share. */
    private static boolean synced(KubernetesClient admin, int perRemote) {
        SecretSyncPolicy p = admin.resources(SecretSyncPolicy.class).withName(POLICY).get();
        SecretSyncPolicyStatus s = p == null ? null : p.getStatus();
        if (s == null || s.getConditions() == null || s.getClusters() == null
                || !Objects.equals(s.getSyncedReplicas(), REMOTES.size() * perRemote)) {
            return false;
        }
        boolean ready = Conditions.find(s.getConditions(), Conditions.READY).map(c -> Conditions.TRUE
                .equals(c.getStatus()) && ReadyReasons.SYNCED.equals(c.getReason())).orElse(false);
        long remotesDone = s.getClusters().stream().filter(c -> REMOTES.contains(c.getName())
                && Boolean.TRUE.equals(c.getReady()) && Objects.equals(c.getSyncedReplicas(), perRemote)).count();
        return ready && remotesDone == REMOTES.size();
    }

    /**
     * Every replica of sources in the remote, with the content of the source at version; fails the
     * benchmark otherwise (a status that says Synced is not taken on trust).
     */
    private static void checkContent(Remote rm, List<String> sources, String version, int n) {
        List<Secret> replicas = rm.admin().secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, POLICY)
                .list().getItems().stream().filter(s -> sources.contains(s.getMetadata().getName())).toList();
        long right = replicas.stream().filter(s -> Benchmark.sourceSecret(s.getMetadata().getName(), version)
                .getData().equals(s.getData())).count();
        if (replicas.size() != sources.size() * n || right != replicas.size()) {
            throw new IllegalStateException(String.format("%s: %d replicas of %s, %d with the content of %s; expected"
                    + " %d", rm.name(), replicas.size(), sources, right, version, sources.size() * n));
        }
    }

    private static Map<Remote, Long> marks(List<Remote> remotes) {
        Map<Remote, Long> marks = new LinkedHashMap<>();
        remotes.forEach(rm -> marks.put(rm, rm.audit().mark()));
        return marks;
    }

    private static long apiserverCpu(List<Remote> remotes) {
        return remotes.stream().mapToLong(rm -> rm.apiserver().cpuMillis()).sum();
    }

    private void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }

    private static void note(String format, Object... args) {
        System.out.println("[bench remote] " + String.format(format, args));
    }
}
