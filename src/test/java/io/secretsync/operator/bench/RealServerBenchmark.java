package io.secretsync.operator.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.realserver.AuditLog;
import io.secretsync.operator.realserver.CuttableProxy;
import io.secretsync.operator.realserver.RealCluster;
import io.secretsync.operator.realserver.ShippedOperator;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * The benchmark on a real API server ({@code -Dbench.server=real}): for each size, a fresh
 * {@link RealCluster} (etcd, kube-apiserver, kube-controller-manager 1.20), the shipped objects
 * installed, the packaged operator run as {@link ShippedOperator} runs it (its ServiceAccount's
 * token, the shipped RBAC and profile with leader election, the image's JVM flags and heap)
 * through a counting proxy; the plain-client baseline ({@link BaselineProcess}) in its own cold
 * JVM, under a ServiceAccount of its own so that the server audits it as it audits the operator.
 * Writes and reads are counted from the API server's audit log, never from our own counters.
 */
final class RealServerBenchmark {
    static final String POLICY = "bench-three";
    private static final String LEASE = "secretsync-operator-lease";
    private static final Pattern REPLICAS_GAUGE = Pattern.compile(
            "^secretsync_replicas\\{[^}]*policy=\"([^\"]+)\"[^}]*\\}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);

    private final RealBenchOptions o;
    private final ImageJvm image = ImageJvm.fromDeployment();
    private final Duration timeout;
    private int starts;
    /** Figures that get the operator's reads between two instants, once its watches are logged. */
    private final Map<Map<String, Object>, Instant[]> readWindows = new java.util.IdentityHashMap<>();

    RealServerBenchmark(RealBenchOptions options) {
        this.o = options;
        this.timeout = options.full() ? Duration.ofMinutes(15) : Duration.ofMinutes(2);
    }

    /** Every size of the curve, each on its own cluster; returns the "realServer" figures. */
    Map<String, Object> run() throws Exception {
        return run(partial -> {
        });
    }

    /**
     * The same, handing the figures so far to {@code afterEachSize} after each size (a run at
     * 10,000 namespaces takes most of an hour on 2 shared cores: what is measured is kept).
     */
    Map<String, Object> run(java.util.function.Consumer<Map<String, Object>> afterEachSize) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("machine", Benchmark.machine());
        r.put("loadBefore", load());
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("namespaces", o.namespaces());
        sizes.put("sourceSecrets", Benchmark.SECRETS.size());
        sizes.put("idleSeconds", o.idleSeconds());
        sizes.put("pickupSamples", o.pickupSamples());
        sizes.put("writeConcurrency", o.writeConcurrency());
        sizes.put("restartsAt", o.restartsAt());
        sizes.put("settleSeconds", o.settleSeconds());
        sizes.put("fullSize", o.full());
        r.put("sizes", sizes);
        r.put("jvmArgs", String.join(" ", image.args()));
        r.put("heapMaxBytes", image.heapBytes());
        r.put("memoryLimitBytes", image.memoryLimitBytes());
        List<Map<String, Object>> curve = new ArrayList<>();
        r.put("curve", curve);
        for (int n : o.namespaces()) {
            curve.add(size(n));
            r.put("loadAfter", load());
            afterEachSize.accept(r);
        }
        return r;
    }

    private Map<String, Object> size(int n) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespaces", n);
        m.put("replicas", n * Benchmark.SECRETS.size());
        m.put("loadAtStart", load());
        // without a token Secret per ServiceAccount, as clusters since 1.24 have it (1.20's token
        // controller writes one per new namespace, for minutes after 10,000 namespaces are made)
        try (RealCluster cluster = RealCluster.start("bench-" + n,
                Map.of("KCM_CONTROLLERS", "namespace,garbagecollector,serviceaccount"));
                CuttableProxy proxy = new CuttableProxy(Integer.parseInt(cluster.env("API_PORT")))) {
            KubernetesClient admin = cluster.admin();
            AuditLog audit = cluster.audit();
            ProcessProbe apiserver = new ProcessProbe(pidOf(cluster, "apiserver"));
            ProcessProbe etcd = new ProcessProbe(pidOf(cluster, "etcd"));
            ShippedOperator.install(cluster);
            Path baselineConfig = BaselineAccount.create(cluster);
            note("%d namespaces: seeding", n);
            Benchmark.seed(admin, n, Math.max(o.writeConcurrency(), 16));
            awaitSettled(admin, n, apiserver);

            m.put("baseline", baseline(cluster, baselineConfig, n, apiserver, etcd));

            Path kubeconfig = cluster.kubeconfigForServiceAccount(ShippedOperator.NAMESPACE,
                    ShippedOperator.SERVICE_ACCOUNT, proxy.url());
            String identity = "bench-real-operator-" + n;
            long bytes0 = proxy.bytesToClient();
            Instant started = Instant.now();
            ShippedOperator.Process op = startOperator(kubeconfig, identity);
            try {
                long startNanos = System.nanoTime();
                awaitHealth(op, "/q/health/ready");
                Map<String, Object> startup = new LinkedHashMap<>();
                startup.put("processStartToReadyMs", Benchmark.ms(System.nanoTime() - startNanos));
                m.put("startup", startup);
                ProcessProbe probe = new ProcessProbe(op.process().pid());
                long heapEmpty = probe.liveHeapBytes();
                startup.put("bytesReceived", proxy.bytesToClient() - bytes0);
                readWindows.put(startup, new Instant[] { started, Instant.now() });

                m.put("converge", converge(admin, audit, n, apiserver, etcd, probe));
                Map<String, Object> memory = new LinkedHashMap<>();
                long heapFull = probe.liveHeapBytes();
                memory.put("liveHeapNoPolicyBytes", heapEmpty);
                memory.put("liveHeapAtNx3Bytes", heapFull);
                memory.put("liveHeapPerReplicaBytes", (heapFull - heapEmpty) / (3.0 * n));
                memory.put("rssAtNx3Bytes", probe.rssBytes());
                memory.put("peakRssBytes", probe.peakRssBytes());
                memory.put("histogramTop", probe.histogramHead(12));
                m.put("memory", memory);

                m.put("idle", idle(audit));
                m.put("update", update(admin, audit, n));
                m.put("pickup", pickup(admin, audit));
                memory.put("liveHeapAfterUpdateAndPickupBytes", probe.liveHeapBytes());
                memory.put("rssAtEndBytes", probe.rssBytes());
                memory.put("peakRssAtEndBytes", probe.peakRssBytes());

                op = restart(m, "sigtermRestart", op, kubeconfig, identity, admin, audit, proxy, n, false);
                if (n == o.restartsAt()) {
                    op = restart(m, "killRestart", op, kubeconfig, identity, admin, audit, proxy, n, true);
                    op = failOver(m, op, cluster, identity, admin, audit, n);
                    op = midRollout(m, op, cluster, admin, audit, n);
                }
            } finally {
                op.close();
            }
            List<AuditLog.Entry> all = audit.entries().stream().filter(AuditLog.by(ShippedOperator.USER)).toList();
            m.put("operatorForbidden", AuditLog.forbidden(all).size());
            // every process has stopped, so every watch it opened is logged as finished by now
            readWindows.forEach((figures, window) -> figures.putAll(reads(all, window[0], window[1])));
            readWindows.clear();
        }
        m.put("loadAtEnd", load());
        return m;
    }

    // ---- baseline -------------------------------------------------------------------------------

    private Map<String, Object> baseline(RealCluster cluster, Path kubeconfig, int n, ProcessProbe apiserver,
            ProcessProbe etcd) throws Exception {
        note("%d namespaces: baseline (plain client, %d creates, then %d updates)", n, 3 * n, n);
        AuditLog audit = cluster.audit();
        long mark = audit.mark();
        Map<String, long[]> cpu = new ConcurrentHashMap<>();
        // the shipped flags, but a heap of -Dbench.real.baseline-heap (1g): a plain client whose
        // informers cache every replica it writes, data and all, ran out of the operator's 154 MiB
        // at 10,000 x 3 (OutOfMemoryError after 14,000 creates)
        String heap = System.getProperty("bench.real.baseline-heap", "1g");
        List<String> jvm = image.args().stream().map(a -> a.startsWith("-Xmx") ? "-Xmx" + heap : a).toList();
        Map<String, String> out = BaselineProcess.run(jvm, BaselineProcess.KUBECONFIG + kubeconfig, n,
                o.writeConcurrency(), POLICY, Benchmark.SECRETS, true, line -> {
                    if (line.startsWith(BaselineProcess.PID)) {
                        cpu.put(BaselineProcess.PID, new long[] { Long.parseLong(line.substring(BaselineProcess.PID.length())) });
                    }
                    if (line.equals(BaselineProcess.WRITING) || line.startsWith(BaselineProcess.RESULT)
                            || line.equals(BaselineProcess.UPDATING) || line.startsWith(BaselineProcess.UPDATE_RESULT)) {
                        long[] pid = cpu.get(BaselineProcess.PID);
                        cpu.put(line.split("=")[0], new long[] { apiserver.cpuMillis(), etcd.cpuMillis(),
                                pid == null ? 0 : new ProcessProbe(pid[0]).cpuMillis() });
                    }
                });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap", heap);
        m.put("convergeMs", Double.parseDouble(out.get(BaselineProcess.RESULT)));
        m.put("updateMs", Double.parseDouble(out.get(BaselineProcess.UPDATE_RESULT)));
        long[] w0 = cpu.get(BaselineProcess.WRITING);
        long[] w1 = cpu.get(BaselineProcess.RESULT.replace("=", ""));
        m.put("apiserverCpuMs", w1[0] - w0[0]);
        m.put("etcdCpuMs", w1[1] - w0[1]);
        m.put("clientCpuMs", w1[2] - w0[2]);
        List<AuditLog.Entry> writes = AuditLog.secretWrites(audit.since(mark).stream()
                .filter(AuditLog.by(BaselineAccount.USER)).toList());
        m.put("replicaWrites", writes.size());
        note("baseline: %d creates in %.0f ms, %d updates in %.0f ms", 3 * n, m.get("convergeMs"), n, m.get("updateMs"));

        // the replicas go again, so that the operator starts from the same state
        KubernetesClient admin = cluster.admin();
        Benchmark.parallel(Math.max(o.writeConcurrency(), 16), n, i -> admin.secrets().inNamespace(Benchmark.target(i))
                .withLabel(ReplicaMetadata.POLICY_LABEL, POLICY).delete());
        await("the baseline's replicas deleted", () -> count(admin.secrets().inAnyNamespace()
                .withLabel(ReplicaMetadata.POLICY_LABEL, POLICY).list(new ListOptionsBuilder().withLimit(1L).build())) == 0);
        awaitQuiet(apiserver);
        return m;
    }

    // ---- the operator's scenarios ---------------------------------------------------------------

    private Map<String, Object> converge(KubernetesClient admin, AuditLog audit, int n, ProcessProbe apiserver,
            ProcessProbe etcd, ProcessProbe operator) {
        note("%d namespaces: operator converges 3 Secrets", n);
        long mark = audit.mark();
        long api0 = apiserver.cpuMillis();
        long etcd0 = etcd.cpuMillis();
        long op0 = operator.cpuMillis();
        long t0 = System.nanoTime();
        admin.resources(SecretSyncPolicy.class).resource(Benchmark.policy(POLICY, Benchmark.SECRETS)).create();
        await(POLICY + " Ready with every replica", () -> Benchmark.ready(admin, POLICY, 3 * n));
        double ms = Benchmark.ms(System.nanoTime() - t0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("convergeMs", ms);
        m.put("apiserverCpuMs", apiserver.cpuMillis() - api0);
        m.put("etcdCpuMs", etcd.cpuMillis() - etcd0);
        m.put("clientCpuMs", operator.cpuMillis() - op0);
        m.putAll(writes(audit.since(mark), 3 * n));
        note("operator converged %d replicas in %.0f ms", 3 * n, ms);
        return m;
    }

    private Map<String, Object> idle(AuditLog audit) throws InterruptedException {
        note("idle for %d s", o.idleSeconds());
        long mark = audit.mark();
        QuietWaits.observe(o.idleSeconds());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", o.idleSeconds());
        m.putAll(writes(audit.since(mark), 0));
        return m;
    }

    private Map<String, Object> update(KubernetesClient admin, AuditLog audit, int n) {
        String name = Benchmark.SECRETS.get(0);
        long mark = audit.mark();
        Instant t0 = Instant.now();
        admin.secrets().inNamespace(Benchmark.SOURCE_NS).withName(name).edit(s -> {
            s.setData(Benchmark.sourceSecret(name, "rotated-" + t0.toEpochMilli()).getData());
            return s;
        });
        Predicate<AuditLog.Entry> replicaOfSource = e -> e.user().equals(ShippedOperator.USER) && e.isWrite()
                && e.resource().equals("secrets") && e.name().equals(name) && e.code() < 300;
        AtomicReference<List<AuditLog.Entry>> seen = new AtomicReference<>(List.of());
        await("the update written to " + n + " replicas", () -> {
            seen.set(audit.since(mark).stream().filter(replicaOfSource).toList());
            return seen.get().size() >= n;
        });
        Map<String, Instant> firstPerNs = new LinkedHashMap<>();
        seen.get().forEach(e -> firstPerNs.putIfAbsent(e.namespace(), e.at()));
        List<Double> lat = firstPerNs.values().stream().map(t -> Duration.between(t0, t).toNanos() / 1e6).sorted()
                .toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replicas", lat.size());
        m.put("p50Ms", Benchmark.percentile(lat, 50));
        m.put("p99Ms", Benchmark.percentile(lat, 99));
        m.put("maxMs", lat.get(lat.size() - 1));
        awaitQuietAudit(audit);
        m.putAll(writes(audit.since(mark), n));
        note("update: p50 %.0f ms, p99 %.0f ms, all %d in %.0f ms", m.get("p50Ms"), m.get("p99Ms"), n, m.get("maxMs"));
        return m;
    }

    private Map<String, Object> pickup(KubernetesClient admin, AuditLog audit) {
        long mark = audit.mark();
        Map<String, Instant> created = new LinkedHashMap<>();
        for (int i = 0; i < o.pickupSamples(); i++) {
            String ns = "pickup-" + i;
            created.put(ns, Instant.now());
            admin.namespaces().resource(Benchmark.namespace(ns, true)).create();
            await("replicas in " + ns, () -> admin.secrets().inNamespace(ns)
                    .withLabel(ReplicaMetadata.POLICY_LABEL, POLICY).list().getItems().size() == 3);
        }
        awaitQuietAudit(audit);
        List<AuditLog.Entry> entries = audit.since(mark);
        Map<String, Instant> last = new LinkedHashMap<>();
        entries.stream().filter(e -> e.user().equals(ShippedOperator.USER) && e.verb().equals("create")
                && e.resource().equals("secrets") && e.code() < 300 && created.containsKey(e.namespace()))
                .forEach(e -> last.merge(e.namespace(), e.at(), (a, b) -> a.isAfter(b) ? a : b));
        List<Double> lat = last.entrySet().stream()
                .map(e -> Duration.between(created.get(e.getKey()), e.getValue()).toNanos() / 1e6).sorted().toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", lat.size());
        m.put("p50Ms", Benchmark.percentile(lat, 50));
        m.put("p99Ms", Benchmark.percentile(lat, 99));
        m.putAll(writes(entries, 3 * o.pickupSamples()));
        note("pickup: p50 %.0f ms, p99 %.0f ms", m.get("p50Ms"), m.get("p99Ms"));
        return m;
    }

    // ---- restarts -------------------------------------------------------------------------------

    /**
     * Stops the operator (SIGTERM, or SIGKILL when {@code kill}) and starts it again with the same
     * identity (a container restarted in its pod); returns the new process. Ready is both
     * /q/health/ready and the new process having reconciled the policy (its replicas gauge) with the
     * policy's status Ready.
     */
    private ShippedOperator.Process restart(Map<String, Object> into, String key, ShippedOperator.Process op,
            Path kubeconfig, String identity, KubernetesClient admin, AuditLog audit, CuttableProxy proxy, int n,
            boolean kill) throws Exception {
        note("%s at %d replicas", key, 3 * n);
        long mark = audit.mark();
        long t0 = System.nanoTime();
        if (kill) {
            op.process().destroyForcibly().waitFor();
        } else {
            op.terminate(Duration.ofSeconds(30));
        }
        double stopMs = Benchmark.ms(System.nanoTime() - t0);
        long bytes0 = proxy.bytesToClient();
        Instant started = Instant.now();
        ShippedOperator.Process next = startOperator(kubeconfig, identity);
        Map<String, Object> m = readyFigures(next, admin, n, System.nanoTime());
        m.put("stopMs", stopMs);
        m.put("bytesReceived", proxy.bytesToClient() - bytes0);
        readWindows.put(m, new Instant[] { started, Instant.now() });
        settle();
        m.putAll(writes(audit.since(mark), 0));
        into.put(key, m);
        note("%s: ready %.0f ms, policy reconciled %.0f ms after process start; %s replica writes", key,
                m.get("processStartToReadyMs"), m.get("processStartToPolicyReadyMs"), m.get("replicaWrites"));
        return next;
    }

    /** Two operator processes, leader elections on; the leader gets SIGTERM; the stand-by takes over. */
    private ShippedOperator.Process failOver(Map<String, Object> into, ShippedOperator.Process leader,
            RealCluster cluster, String leaderIdentity, KubernetesClient admin, AuditLog audit, int n)
            throws Exception {
        String standbyIdentity = leaderIdentity + "-b";
        note("fail-over at %d replicas", 3 * n);
        ShippedOperator.Process standby = startOperator(ShippedOperator.kubeconfig(cluster), standbyIdentity);
        awaitHealth(standby, "/q/health/live");
        await("the stand-by is not the leader", () -> leaderIdentity.equals(holder(admin)));
        long mark = audit.mark();
        long t0 = System.nanoTime();
        leader.terminate(Duration.ofSeconds(30));
        double stopMs = Benchmark.ms(System.nanoTime() - t0);
        await("the stand-by holds the Lease", () -> standbyIdentity.equals(holder(admin)));
        double leaseMs = Benchmark.ms(System.nanoTime() - t0);
        Map<String, Object> m = readyFigures(standby, admin, n, t0);
        m.put("stopMs", stopMs);
        m.put("sigtermToLeaseMs", leaseMs);
        m.put("sigtermToPolicyReadyMs", m.remove("processStartToPolicyReadyMs"));
        m.put("sigtermToReadyMs", m.remove("processStartToReadyMs"));
        settle();
        m.putAll(writes(audit.since(mark), 0));
        into.put("failOver", m);
        note("fail-over: Lease after %.0f ms, policy reconciled %.0f ms after SIGTERM; %s replica writes", leaseMs,
                m.get("sigtermToPolicyReadyMs"), m.get("replicaWrites"));
        return standby;
    }

    /**
     * A second rollout to every namespace (a fourth source Secret, its own policy); the operator is
     * killed (SIGKILL) when about half is written and started again; it must finish exactly.
     */
    private ShippedOperator.Process midRollout(Map<String, Object> into, ShippedOperator.Process op,
            RealCluster cluster, KubernetesClient admin, AuditLog audit, int n) throws Exception {
        String source = "registry-d";
        String policy = "bench-mid";
        int targets = n + o.pickupSamples(); // the pick-up scenario's namespaces are targets too
        note("restart in the middle of a %d-namespace rollout", targets);
        admin.secrets().inNamespace(Benchmark.SOURCE_NS).resource(Benchmark.sourceSecret(source, "initial")).create();
        long mark = audit.mark();
        long t0 = System.nanoTime();
        admin.resources(SecretSyncPolicy.class).resource(Benchmark.policy(policy, List.of(source))).create();
        Predicate<AuditLog.Entry> replicaWrite = e -> e.user().equals(ShippedOperator.USER) && e.isWrite()
                && e.resource().equals("secrets") && e.name().equals(source);
        int[] atKill = new int[1];
        await("half the rollout written", () -> {
            atKill[0] = (int) audit.since(mark).stream().filter(replicaWrite).filter(e -> e.code() < 300).count();
            return atKill[0] >= targets / 2;
        });
        op.process().destroyForcibly().waitFor();
        String identity = "bench-real-operator-" + n + "-c";
        ShippedOperator.Process next = startOperator(ShippedOperator.kubeconfig(cluster), identity);
        await(policy + " Ready with every replica; see " + next.log(), () -> Benchmark.ready(admin, policy, targets));
        double ms = Benchmark.ms(System.nanoTime() - t0);
        settle();
        List<AuditLog.Entry> writes = audit.since(mark).stream().filter(replicaWrite).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("needed", targets);
        m.put("writtenBeforeKill", atKill[0]);
        m.put("replicaWrites", writes.size());
        m.put("refusedReplicaWrites", writes.stream().filter(e -> e.code() >= 300).count());
        m.put("ratio", writes.size() / (double) targets);
        m.put("policyCreateToReadyMs", ms);
        m.put("newIdentityWaitedForLease", true);
        into.put("midRollout", m);
        note("mid-rollout restart: %d writes for %d replicas (%d before the kill)", writes.size(), targets, atKill[0]);
        return next;
    }

    /** Ready figures of a new leader; the policy has the n namespaces' and the pick-up namespaces' replicas. */
    private Map<String, Object> readyFigures(ShippedOperator.Process op, KubernetesClient admin, int n, long fromNanos) {
        awaitHealth(op, "/q/health/ready");
        double ready = Benchmark.ms(System.nanoTime() - fromNanos);
        int replicas = 3 * (n + o.pickupSamples());
        await("the new process reconciled " + POLICY + "; see " + op.log(), () -> replicasGauge(op, POLICY) == replicas
                && Benchmark.ready(admin, POLICY, replicas));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("processStartToReadyMs", ready);
        m.put("processStartToPolicyReadyMs", Benchmark.ms(System.nanoTime() - fromNanos));
        return m;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private ShippedOperator.Process startOperator(Path kubeconfig, String identity) {
        return BenchOperator.start(kubeconfig, identity + "-" + (++starts), identity, o.writeConcurrency());
    }

    /**
     * The operator's LIST and WATCH requests received between two instants (a watch is logged as
     * finished when it closes: count after the process stopped).
     */
    private static Map<String, Object> reads(List<AuditLog.Entry> operatorEntries, Instant from, Instant to) {
        List<AuditLog.Entry> in = operatorEntries.stream().filter(e -> e.received() != null
                && !e.received().isBefore(from) && !e.received().isAfter(to)).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("listRequests", in.stream().filter(e -> e.verb().equals("list")).count());
        m.put("watchRequests", in.stream().filter(e -> e.verb().equals("watch")).count());
        m.put("getRequests", in.stream().filter(e -> e.verb().equals("get")).count());
        return m;
    }

    /** The operator's writes among entries, by kind, with the replica writes needed. */
    private static Map<String, Object> writes(List<AuditLog.Entry> entries, int needed) {
        return AuditedWrites.of(entries, ShippedOperator.USER, needed);
    }

    /** Waits for the controller manager to finish with the new namespaces (their default ServiceAccounts). */
    private void awaitSettled(KubernetesClient admin, int n, ProcessProbe apiserver) {
        await("the default ServiceAccount in every namespace", () -> count(admin.serviceAccounts().inAnyNamespace()
                .list(new ListOptionsBuilder().withLimit(1L).build())) >= n + 2);
        awaitQuiet(apiserver);
    }

    /** Waits until the API server used under a tenth of a core for 2 s (the machine's other work aside). */
    private void awaitQuiet(ProcessProbe apiserver) {
        QuietWaits.server(apiserver, timeout);
    }

    /** Waits until the operator has written nothing but its Lease for 2 s, by the audit log. */
    private void awaitQuietAudit(AuditLog audit) {
        QuietWaits.writes(audit, ShippedOperator.USER, timeout);
    }

    /** Writes after a restart are counted over this window too (a late write would show there). */
    private void settle() throws InterruptedException {
        QuietWaits.observe(o.settleSeconds());
    }

    private void awaitHealth(ShippedOperator.Process op, String path) {
        BenchOperator.awaitHealth(op, path, timeout);
    }

    private static long replicasGauge(ShippedOperator.Process op, String policy) {
        Matcher m = REPLICAS_GAUGE.matcher(op.body("/q/metrics"));
        while (m.find()) {
            if (m.group(1).equals(policy)) {
                return (long) Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }

    private static String holder(KubernetesClient admin) {
        Lease lease = admin.leases().inNamespace(ShippedOperator.NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    static long count(io.fabric8.kubernetes.api.model.KubernetesResourceList<?> firstPage) {
        Long remaining = firstPage.getMetadata().getRemainingItemCount();
        return firstPage.getItems().size() + (remaining == null ? 0 : remaining);
    }

    static long pidOf(RealCluster cluster, String component) throws java.io.IOException {
        return Long.parseLong(java.nio.file.Files.readString(cluster.dir().resolve(component + ".pid")).trim());
    }

    private void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }

    /** The load averages of the machine (shared with other builds): 1, 5 and 15 minutes. */
    static String load() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void note(String format, Object... args) {
        System.out.println("[bench real] " + String.format(format, args));
    }
}
