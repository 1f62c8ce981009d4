package io.secretsync.operator.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.awaitility.Awaitility;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.crd.v1alpha1.SourceSpec;
import io.secretsync.operator.crd.v1alpha1.TargetSpec;
import io.secretsync.operator.demo.Crds;
import io.secretsync.operator.demo.EmbeddedApiServer;
import io.secretsync.operator.sync.Conditions;
import io.secretsync.operator.sync.ContentHash;
import io.secretsync.operator.sync.Replicas;

/**
 * Runs the packaged operator as its own process against an in-process CRUD mock API server and
 * measures convergence (next to a plain-client baseline), writes, update propagation,
 * new-namespace pickup, memory and start-up. Writes BENCHMARKS.md and benchmarks.json.
 */
public final class Benchmark {
    static final String SOURCE_NS = "bench-src";
    static final String TARGET_LABEL = "secretsync-bench";
    static final List<String> SECRETS = List.of("registry-a", "registry-b", "registry-c");
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private final Duration convergeTimeout;

    private final BenchOptions o;
    private final ImageJvm image = ImageJvm.fromDeployment();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> progress = new ArrayList<>();

    public Benchmark(BenchOptions options) {
        this.o = options;
        this.convergeTimeout = options.full() ? Duration.ofMinutes(5) : Duration.ofSeconds(60);
    }

    public static void main(String[] args) throws Exception {
        runFromProperties();
        System.exit(0); // the API clients' event loop threads would keep the JVM alive
    }

    /**
     * The benchmark as the -Dbench.* flags say: on the CRUD mock server by default, on real API
     * servers with -Dbench.server=real ({@link RealServerBenchmark}), into two remote clusters with
     * -Dbench.server=real-remote ({@link RemoteClustersBenchmark}), three shards on one real API server
     * with -Dbench.server=real-shards ({@link ShardsBenchmark}); with -Dbench.server-jfr=FILE
     * the mock run also records a JFR profile of this process (which hosts the API server).
     */
    static Map<String, Object> runFromProperties() throws Exception {
        String server = System.getProperty("bench.server", "mock").trim();
        if (server.equals("real")) {
            return runReal(RealBenchOptions.fromProperties(System.getProperties(), Path.of(".")));
        }
        if (server.equals("real-remote")) {
            return runRemote(RemoteBenchOptions.fromProperties(System.getProperties(), Path.of(".")));
        }
        if (server.equals("real-shards")) {
            return runShards(ShardBenchOptions.fromProperties(System.getProperties(), Path.of(".")));
        }
        if (!server.equals("mock") && !server.isEmpty()) {
            throw new IllegalArgumentException("-Dbench.server=" + server
                    + ": say mock (the default), real, real-remote or real-shards");
        }
        BenchOptions options = BenchOptions.fromProperties(System.getProperties(), Path.of("."));
        String jfr = System.getProperty("bench.server-jfr");
        if (jfr == null || jfr.isBlank()) {
            return new Benchmark(options).run();
        }
        try (jdk.jfr.Recording rec = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
            rec.start();
            Map<String, Object> r = new Benchmark(options).run();
            rec.dump(Path.of(jfr));
            return r;
        }
    }

    /** Runs every scenario and writes the report; returns the figures. */
    public Map<String, Object> run() throws Exception {
        MOCK_LOG.setLevel(Level.WARNING);
        Files.createDirectories(o.outputDir());
        results.put("machine", machine());
        results.put("sizes", sizes());
        baseline();
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
            RequestLog log = new RequestLog();
            server.observe(log);
            try (KubernetesClient client = benchClient(server)) {
                server.register(Crds.secretSyncPolicy());
                note("seeding %d namespaces", o.namespaces());
                seedNamespacesAndSources(client, o.namespaces());
                Path operatorLog = (o.full() ? Path.of("target") : o.outputDir()).resolve("bench-operator.log");
                try (OperatorProcess op = OperatorProcess.start(o.operatorJar(), server.clientProperties(),
                        o.writeConcurrency(), operatorJvmArgs(), operatorLog)) {
                    long startup = op.awaitReady(Duration.ofMinutes(2));
                    results.put("startup", Map.of("processStartToReadyMs", ms(startup),
                            "command", commandLine(op.command, server.url())));
                    note("operator ready %d ms after process start", Math.round(ms(startup)));
                    scenarios(client, log, op);
                }
            }
        }
        bigData();
        writeReport();
        return results;
    }

    /** The JVM flags of the shipped Deployment (heap from its memory limit), then -Dbench.operator-jvm-args. */
    private String operatorJvmArgs() {
        return String.join(" ", image.args()) + " " + o.operatorJvmArgs();
    }

    /**
     * One Secret of each -Dbench.big-data-kib size into -Dbench.big-data-namespaces namespaces, each
     * on a fresh server and operator: converges, heap after full GC, no OutOfMemoryError in the log.
     */
    private void bigData() throws Exception {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int kib : o.bigDataKib()) {
            int n = o.bigDataNamespaces();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("secretKib", kib);
            m.put("namespaces", n);
            try (EmbeddedApiServer server = EmbeddedApiServer.start(0); KubernetesClient client = benchClient(server)) {
                server.register(Crds.secretSyncPolicy());
                client.namespaces().resource(namespace(SOURCE_NS, false)).create();
                byte[] payload = new byte[kib * 1024];
                new java.util.Random(kib).nextBytes(payload);
                client.secrets().inNamespace(SOURCE_NS).resource(new SecretBuilder().withNewMetadata()
                        .withName("bundle").endMetadata().withType("Opaque")
                        .addToData("ca.crt", Base64.getEncoder().encodeToString(payload)).build()).create();
                parallel(o.writeConcurrency(), n, i -> client.namespaces().resource(namespace(target(i), true)).create());
                Path log = (o.full() ? Path.of("target") : o.outputDir()).resolve("bench-operator-" + kib + "kib.log");
                note("big data: 1 Secret of %d KiB into %d namespaces", kib, n);
                try (OperatorProcess op = OperatorProcess.start(o.operatorJar(), server.clientProperties(),
                        o.writeConcurrency(), operatorJvmArgs(), log)) {
                    op.awaitReady(Duration.ofMinutes(2));
                    long t0 = System.nanoTime();
                    client.resources(SecretSyncPolicy.class).resource(policy("bench-big", List.of("bundle"))).create();
                    Awaitility.await("bench-big Ready; see " + log).atMost(Duration.ofMinutes(10))
                            .pollInterval(Duration.ofMillis(200)).until(() -> {
                                if (!op.alive()) {
                                    throw new IllegalStateException("the operator exited; see " + log);
                                }
                                return ready(client, "bench-big", n);
                            });
                    m.put("convergeMs", ms(System.nanoTime() - t0));
                    m.put("heapAfterGcBytes", op.heapAfterFullGc());
                    m.put("rssBytes", op.rssBytes());
                    m.put("peakRssBytes", op.peakRssBytes());
                    m.put("outOfMemoryErrorsInLog", op.logCount("OutOfMemoryError"));
                }
            }
            note("big data %d KiB: converged in %.0f ms, heap after GC %.1f MiB", kib, m.get("convergeMs"),
                    ((Number) m.get("heapAfterGcBytes")).doubleValue() / (1 << 20));
            runs.add(m);
        }
        results.put("bigData", runs);
    }

    private void scenarios(KubernetesClient client, RequestLog log, OperatorProcess op) throws Exception {
        int n = o.namespaces();
        Map<String, Object> writes = new LinkedHashMap<>();
        List<Map<String, Object>> phases = new ArrayList<>();

        // 1. convergence, 1 then 3 source Secrets
        Map<String, Object> converge = new LinkedHashMap<>();
        RequestLog.Counts before = log.snapshot();
        double one = converge(client, "bench-one", SECRETS.subList(0, 1), n);
        phases.add(phase("converge 1 secret", n, log.snapshot().minus(before)));
        note("1 secret x %d namespaces converged in %.0f ms", n, one);
        long heapAtNx1 = op.heapAfterFullGc();

        before = log.snapshot();
        client.resources(SecretSyncPolicy.class).withName("bench-one").delete();
        await("bench-one deleted and its replicas removed", () -> client.resources(SecretSyncPolicy.class)
                .withName("bench-one").get() == null);
        phases.add(phase("delete the 1-secret policy (untimed)", n, log.snapshot().minus(before)));

        before = log.snapshot();
        double three = converge(client, "bench-three", SECRETS, n);
        phases.add(phase("converge 3 secrets", 3 * n, log.snapshot().minus(before)));
        note("3 secrets x %d namespaces converged in %.0f ms", n, three);
        // measured at the same point as heapAtNx1 (right after convergence), so that their
        // difference is the replicas and nothing else the later phases leave behind
        long heapAtNx3 = op.heapAfterFullGc();
        @SuppressWarnings("unchecked")
        Map<String, Object> base = (Map<String, Object>) results.get("baseline");
        converge.put("oneSecretMs", one);
        converge.put("oneSecretBaselineMs", base.get("oneSecretMs"));
        converge.put("oneSecretRatio", one / (double) base.get("oneSecretMs"));
        converge.put("threeSecretsMs", three);
        converge.put("threeSecretsBaselineMs", base.get("threeSecretsMs"));
        converge.put("threeSecretsRatio", three / (double) base.get("threeSecretsMs"));
        results.put("convergence", converge);

        // 2b. idleness
        before = log.snapshot();
        note("idle for %d s", o.idleSeconds());
        QuietWaits.observe(o.idleSeconds());
        RequestLog.Counts idle = log.snapshot().minus(before);
        writes.put("idleSeconds", o.idleSeconds());
        writes.put("idleOperatorWrites", idle.all());
        writes.put("idleDetail", idle);

        // 3. update of one source Secret
        before = log.snapshot();
        results.put("update", update(client, log, n));
        phases.add(phase("update 1 source secret", n, log.snapshot().minus(before)));

        // 5a. memory at n x 3
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("heapAfterGcAfterUpdateBytes", op.heapAfterFullGc());
        memory.put("heapAfterGcAtNx1Bytes", heapAtNx1);
        memory.put("heapAfterGcAtNx3Bytes", heapAtNx3);
        // two more replicas per namespace: what each replica costs, whatever the namespaces cost
        memory.put("heapPerReplicaBytes", (heapAtNx3 - heapAtNx1) / (2.0 * n));
        memory.put("rssAtNx3Bytes", op.rssBytes());
        memory.put("peakRssBytes", op.peakRssBytes());
        memory.put("heapMaxBytes", image.heapBytes());
        memory.put("memoryLimitBytes", image.memoryLimitBytes());
        memory.put("jvmArgs", String.join(" ", image.args()));

        // 4. new-namespace pickup
        before = log.snapshot();
        results.put("pickup", pickup(client, log));
        phases.add(phase("new namespaces", 3 * o.pickupSamples(), log.snapshot().minus(before)));

        // 5b. unrelated Secrets
        long beforeNoise = op.heapAfterFullGc();
        memory.put("heapBeforeUnrelatedBytes", beforeNoise);
        before = log.snapshot();
        unrelatedSecrets(client);
        awaitQuiet(log, Duration.ofSeconds(3));
        RequestLog.Counts noise = log.snapshot().minus(before);
        long afterNoise = op.heapAfterFullGc();
        memory.put("heapAfterUnrelatedBytes", afterNoise);
        memory.put("growthBytes", afterNoise - beforeNoise);
        memory.put("operatorWritesDuringUnrelated", noise.all());
        memory.put("outOfMemoryErrorsInLog", op.logCount("OutOfMemoryError"));
        results.put("memory", memory);

        int needed = 0;
        int done = 0;
        for (Map<String, Object> p : phases) {
            needed += (int) p.get("needed");
            done += (int) p.get("replicaWrites");
        }
        writes.put("phases", phases);
        writes.put("replicaWritesTotal", done);
        writes.put("changesNeededTotal", needed);
        writes.put("ratio", done / (double) needed);
        Map<String, Integer> refused = new LinkedHashMap<>();
        log.refused.forEach((k, v) -> refused.put(k, v.get()));
        writes.put("refusedReplicaWrites", refused);
        results.put("writes", writes);
    }

    /** The operator's command line without this machine's paths and ports. */
    private String commandLine(List<String> cmd, String apiServer) {
        List<String> shown = new ArrayList<>();
        for (String a : cmd) {
            if (shown.isEmpty()) {
                shown.add("java");
            } else if (a.endsWith("quarkus-run.jar")) {
                shown.add(o.operatorJar().toString().startsWith("/") ? "quarkus-run.jar" : o.operatorJar().toString());
            } else if (a.startsWith("-Dquarkus.http.port=")) {
                shown.add("-Dquarkus.http.port=<free port>");
            } else {
                shown.add(a.replace(apiServer, "<benchmark API server>"));
            }
        }
        return String.join(" ", shown);
    }

    private static Map<String, Object> phase(String name, int needed, RequestLog.Counts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", name);
        m.put("needed", needed);
        m.put("replicaWrites", c.secretWrites() + c.failedSecretWrites());
        m.put("failedReplicaWrites", c.failedSecretWrites());
        m.put("statusWrites", c.statusWrites());
        m.put("otherWrites", c.otherWrites());
        return m;
    }

    /** Wall time from creating the policy until it is Ready with every replica written. */
    private double converge(KubernetesClient client, String policy, List<String> names, int n) {
        long t0 = System.nanoTime();
        client.resources(SecretSyncPolicy.class).resource(policy(policy, names)).create();
        await(policy + " Ready", () -> ready(client, policy, names.size() * n));
        return ms(System.nanoTime() - t0);
    }

    static boolean ready(KubernetesClient client, String policy, int replicas) {
        SecretSyncPolicy p = client.resources(SecretSyncPolicy.class).withName(policy).get();
        SecretSyncPolicyStatus s = p == null ? null : p.getStatus();
        if (s == null || s.getConditions() == null || !Objects.equals(s.getSyncedReplicas(), replicas)) {
            return false;
        }
        return Conditions.find(s.getConditions(), Conditions.READY).map(c -> Conditions.TRUE.equals(c.getStatus()))
                .orElse(false);
    }

    private Map<String, Object> update(KubernetesClient client, RequestLog log, int n) {
        String name = SECRETS.get(0);
        Secret updated = sourceSecret(name, "rotated-" + Instant.now().toEpochMilli());
        Map<String, Long> seen = new ConcurrentHashMap<>();
        AtomicLong t0 = new AtomicLong();
        Consumer<RequestLog.BenchWrite> benchWrite = w -> {
            if (w.path().endsWith("/namespaces/" + SOURCE_NS + "/secrets/" + name)) {
                t0.compareAndSet(0, w.nanoTime());
            }
        };
        Consumer<RequestLog.Write> opWrite = w -> {
            // the first write of a replica of this Secret after the source changed is the roll-out
            // (the server consumed the request body, so it cannot be read here)
            if (name.equals(w.secret()) && w.status() < 400 && !"DELETE".equals(w.method()) && t0.get() != 0) {
                seen.putIfAbsent(w.namespace(), w.nanoTime());
            }
        };
        log.onBenchWrite(benchWrite);
        log.onOperatorWrite(opWrite);
        try {
            client.secrets().inNamespace(SOURCE_NS).withName(name).edit(s -> {
                s.setData(updated.getData());
                return s;
            });
            await("update propagated", () -> seen.size() >= n);
        } finally {
            log.removeBenchListener(benchWrite);
            log.removeOperatorListener(opWrite);
        }
        List<Double> lat = seen.values().stream().map(t -> ms(t - t0.get())).sorted().toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replicas", lat.size());
        m.put("p50Ms", percentile(lat, 50));
        m.put("p99Ms", percentile(lat, 99));
        m.put("maxMs", lat.get(lat.size() - 1));
        note("update: p50 %.0f ms, p99 %.0f ms", m.get("p50Ms"), m.get("p99Ms"));
        return m;
    }

    private Map<String, Object> pickup(KubernetesClient client, RequestLog log) throws InterruptedException {
        List<Double> all = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        AtomicLong nsCreated = new AtomicLong();
        Map<String, List<Long>> creates = new ConcurrentHashMap<>();
        Consumer<RequestLog.BenchWrite> benchWrite = w -> {
            if ("POST".equals(w.method()) && w.path().startsWith("/api/v1/namespaces")
                    && !w.path().startsWith("/api/v1/namespaces/")) {
                nsCreated.set(w.nanoTime());
            }
        };
        Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();
        Consumer<RequestLog.Write> opWrite = w -> {
            if ("POST".equals(w.method()) && w.status() < 400 && w.namespace() != null
                    && w.namespace().startsWith("pickup-")) {
                creates.computeIfAbsent(w.namespace(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(w.nanoTime());
                CountDownLatch l = latches.get(w.namespace());
                if (l != null) {
                    l.countDown();
                }
            }
        };
        log.onBenchWrite(benchWrite);
        log.onOperatorWrite(opWrite);
        try {
            for (int i = 0; i < o.pickupSamples(); i++) {
                String ns = "pickup-" + i;
                CountDownLatch latch = new CountDownLatch(SECRETS.size());
                latches.put(ns, latch);
                client.namespaces().resource(namespace(ns, true)).create();
                long created = nsCreated.get();
                if (!latch.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no replicas in " + ns + " after 60 s");
                }
                List<Long> times = new ArrayList<>(creates.get(ns));
                Collections.sort(times);
                first.add(ms(times.get(0) - created));
                all.add(ms(times.get(times.size() - 1) - created));
            }
        } finally {
            log.removeBenchListener(benchWrite);
            log.removeOperatorListener(opWrite);
        }
        Collections.sort(all);
        Collections.sort(first);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", all.size());
        m.put("p50Ms", percentile(all, 50));
        m.put("p99Ms", percentile(all, 99));
        m.put("firstReplicaP50Ms", percentile(first, 50));
        m.put("firstReplicaP99Ms", percentile(first, 99));
        note("pickup: p50 %.0f ms, p99 %.0f ms", m.get("p50Ms"), m.get("p99Ms"));
        return m;
    }

    private void unrelatedSecrets(KubernetesClient client) throws Exception {
        int perNs = 100;
        int nsCount = Math.max(1, (o.unrelatedSecrets() + perNs - 1) / perNs);
        note("creating %d unrelated %d-byte Secrets in %d other namespaces", o.unrelatedSecrets(),
                o.unrelatedSecretBytes(), nsCount);
        for (int j = 0; j < nsCount; j++) {
            client.namespaces().resource(namespace("unrelated-" + j, false)).create();
        }
        byte[] payload = new byte[o.unrelatedSecretBytes()];
        new java.util.Random(42).nextBytes(payload);
        String data = Base64.getEncoder().encodeToString(payload);
        // one in a hundred sits in the source namespace, where the operator watches every Secret
        parallel(o.writeConcurrency(), o.unrelatedSecrets(), i -> client.secrets()
                .inNamespace(i % 100 == 99 ? SOURCE_NS : "unrelated-" + (i / perNs))
                .resource(new SecretBuilder().withNewMetadata().withName("unrelated-" + i).endMetadata()
                        .withType("Opaque").addToData("blob", data).build())
                .create());
        note("creating %d unrelated ServiceAccounts", o.unrelatedServiceAccounts());
        parallel(o.writeConcurrency(), o.unrelatedServiceAccounts(), i -> client.serviceAccounts()
                .inNamespace(i % 2 == 0 ? "unrelated-" + (i / 2 % nsCount) : target(i / 2 % o.namespaces()))
                .resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata()
                        .withName("unrelated-sa-" + i).endMetadata().build())
                .create());
    }

    /**
     * The plain-client baseline: the same replicas, written with the same concurrency by a cold
     * JVM of its own with the operator's JVM flags, with the operator's watches open on the server.
     */
    private void baseline() throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0); KubernetesClient client = benchClient(server)) {
            int n = o.namespaces();
            seedNamespacesAndSources(client, n);
            List<String> jvm = List.of(operatorJvmArgs().trim().split("\\s+"));
            double one = BaselineProcess.run(jvm, server.url(), n, o.writeConcurrency(), "bench-one",
                    SECRETS.subList(0, 1));
            parallel(o.writeConcurrency(), n, i -> client.secrets().inNamespace(target(i)).withName(SECRETS.get(0))
                    .delete());
            double three = BaselineProcess.run(jvm, server.url(), n, o.writeConcurrency(), "bench-three", SECRETS);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("oneSecretMs", one);
            m.put("threeSecretsMs", three);
            m.put("concurrency", o.writeConcurrency());
            results.put("baseline", m);
            note("baseline: 1 secret %.0f ms, 3 secrets %.0f ms", one, three);
        }
    }

    private void seedNamespacesAndSources(KubernetesClient client, int n) throws Exception {
        seed(client, n, o.writeConcurrency());
    }

    /** The source namespace with the source Secrets, and n labelled target namespaces (on either server). */
    static void seed(KubernetesClient client, int n, int threads) throws Exception {
        seedSources(client);
        seedTargets(client, n, threads);
    }

    /** The source namespace with the source Secrets. */
    static void seedSources(KubernetesClient client) {
        client.namespaces().resource(namespace(SOURCE_NS, false)).create();
        for (String s : SECRETS) {
            client.secrets().inNamespace(SOURCE_NS).resource(sourceSecret(s, "initial")).create();
        }
    }

    /** n namespaces labelled as the benchmark's policies select them. */
    static void seedTargets(KubernetesClient client, int n, int threads) throws Exception {
        parallel(threads, n, i -> client.namespaces().resource(namespace(target(i), true)).create());
    }

    static String target(int i) {
        return String.format("team-%04d", i);
    }

    static Secret sourceSecret(String name, String version) {
        String auth = Base64.getEncoder().encodeToString(("bench-user:" + name + "-" + version)
                .getBytes(StandardCharsets.UTF_8));
        String json = "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + auth + "\"}}}";
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(SOURCE_NS).endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    static io.fabric8.kubernetes.api.model.Namespace namespace(String name, boolean target) {
        NamespaceBuilder b = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata();
        if (target) {
            b.editMetadata().addToLabels(TARGET_LABEL, "target").endMetadata();
        }
        return b.build();
    }

    static SecretSyncPolicy policy(String name, List<String> names) {
        SecretSyncPolicy p = new SecretSyncPolicy();
        p.getMetadata().setName(name);
        SecretSyncPolicySpec spec = new SecretSyncPolicySpec();
        spec.setSource(new SourceSpec(SOURCE_NS, names, null, null));
        spec.setTarget(new TargetSpec(null, new LabelSelectorBuilder().addToMatchLabels(TARGET_LABEL, "target").build(),
                null, null));
        p.setSpec(spec);
        return p;
    }

    private static KubernetesClient benchClient(EmbeddedApiServer server) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withTrustCerts(true)
                .withHttp2Disable(true).withNamespace("default").withUserAgent(RequestLog.BENCH_USER_AGENT)
                .withRequestTimeout(60_000).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static void parallel(int threads, int count, IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        task.accept(i);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls every 20 ms (the resolution of the timings) until the condition holds. */
    private void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(convergeTimeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    /** Waits until the operator has written nothing for the given time. */
    private void awaitQuiet(RequestLog log, Duration quiet) {
        long[] last = { log.totalOperatorWrites(), System.nanoTime() }; // writes seen, and since when
        Awaitility.await("operator quiet for " + quiet).atMost(convergeTimeout).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    int now = log.totalOperatorWrites();
                    if (now != last[0]) {
                        last[0] = now;
                        last[1] = System.nanoTime();
                    }
                    return System.nanoTime() - last[1] >= quiet.toNanos();
                });
    }

    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private void note(String format, Object... args) {
        String line = String.format(format, args);
        progress.add(line);
        System.out.println("[bench] " + line);
    }

    private Map<String, Object> sizes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespaces", o.namespaces());
        m.put("sourceSecrets", SECRETS.size());
        m.put("idleSeconds", o.idleSeconds());
        m.put("pickupSamples", o.pickupSamples());
        m.put("unrelatedSecrets", o.unrelatedSecrets());
        m.put("unrelatedSecretBytes", o.unrelatedSecretBytes());
        m.put("unrelatedServiceAccounts", o.unrelatedServiceAccounts());
        m.put("bigDataNamespaces", o.bigDataNamespaces());
        m.put("bigDataKib", o.bigDataKib());
        m.put("writeConcurrency", o.writeConcurrency());
        m.put("fullSize", o.full());
        return m;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        try {
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
        } catch (IOException | RuntimeException e) {
            // not Linux: no CPU model
        }
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return m;
    }

    /**
     * The real-server run: its figures go under "realServer" in benchmarks.json and into the "Real
     * API server" section of BENCHMARKS.md; the mock server's figures and sections stay as they are.
     * With -Dbench.real.report-only=true it only writes the section again from benchmarks.json.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> runReal(RealBenchOptions options) throws Exception {
        Path json = options.outputDir().resolve("benchmarks.json");
        if (Boolean.getBoolean("bench.real.report-only")) {
            // the section again from the figures of the last run (after a change to the report only)
            Map<String, Object> real = (Map<String, Object>) readJson(json).get(BenchReport.REAL_SERVER_KEY);
            writeReal(options, real);
            return real;
        }
        Files.createDirectories(options.outputDir());
        return new RealServerBenchmark(options).run(partial -> {
            try {
                writeReal(options, partial);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void writeReal(RealBenchOptions options, Map<String, Object> real) throws IOException {
        Path json = options.outputDir().resolve("benchmarks.json");
        Map<String, Object> all = readJson(json);
        all.put(BenchReport.REAL_SERVER_KEY, real);
        Files.writeString(json, Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n");
        Path md = options.outputDir().resolve("BENCHMARKS.md");
        String existing = Files.exists(md) ? Files.readString(md) : "# Benchmarks\n";
        Files.writeString(md, BenchReport.withRealServerSection(existing, RealServerReport.markdown(real)));
    }

    /**
     * The remote-clusters run: its figures go under "remoteClusters" in benchmarks.json and into the
     * "Remote clusters (real API servers)" section of BENCHMARKS.md; every other figure and section
     * stays as it is. With -Dbench.real.report-only=true it only writes the section again from benchmarks.json.
     */
    static Map<String, Object> runRemote(RemoteBenchOptions options) throws Exception {
        return runApart(options.outputDir(), BenchReport.REMOTE_CLUSTERS_KEY,
                () -> new RemoteClustersBenchmark(options).run(), RemoteClustersReport::markdown,
                BenchReport::withRemoteClustersSection);
    }

    /**
     * The shards run: its figures go under "shards" in benchmarks.json and into the "Shards (real API
     * server)" section of BENCHMARKS.md; every other figure and section stays as it is. With
     * -Dbench.real.report-only=true it only writes the section again from benchmarks.json.
     */
    static Map<String, Object> runShards(ShardBenchOptions options) throws Exception {
        return runApart(options.outputDir(), BenchReport.SHARDS_KEY, () -> new ShardsBenchmark(options).run(),
                ShardsReport::markdown, BenchReport::withShardsSection);
    }

    /** A run measured apart: its figures under {@code key}, its section spliced in by {@code splice}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> runApart(Path outputDir, String key,
            java.util.concurrent.Callable<Map<String, Object>> measure,
            java.util.function.Function<Map<String, Object>, String> report,
            java.util.function.BinaryOperator<String> splice) throws Exception {
        Path json = outputDir.resolve("benchmarks.json");
        Map<String, Object> figures = Boolean.getBoolean("bench.real.report-only")
                ? (Map<String, Object>) readJson(json).get(key)
                : measure.call();
        Files.createDirectories(outputDir);
        Map<String, Object> all = readJson(json);
        all.put(key, figures);
        Files.writeString(json, Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n");
        Path md = outputDir.resolve("BENCHMARKS.md");
        String existing = Files.exists(md) ? Files.readString(md) : "# Benchmarks\n";
        Files.writeString(md, splice.apply(existing, report.apply(figures)));
        return figures;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Path json) throws IOException {
        if (!Files.exists(json)) {
            return new LinkedHashMap<>();
        }
        return Serialization.jsonMapper().readValue(Files.readString(json), LinkedHashMap.class);
    }

    private void writeReport() throws IOException {
        Path json = o.outputDir().resolve("benchmarks.json");
        Map<String, Object> old = readJson(json);
        for (String apart : List.of(BenchReport.REAL_SERVER_KEY, BenchReport.REMOTE_CLUSTERS_KEY,
                BenchReport.SHARDS_KEY)) {
            if (old.get(apart) != null) { // measured apart, kept
                results.put(apart, old.get(apart));
            }
        }
        Files.writeString(json,
                Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results) + "\n");
        Path md = o.outputDir().resolve("BENCHMARKS.md");
        String oldMd = Files.exists(md) ? Files.readString(md) : "";
        Files.writeString(md, BenchReport.markdown(results, notes()) + BenchReport.realServerSection(oldMd)
                + BenchReport.remoteClustersSection(oldMd) + BenchReport.shardsSection(oldMd)
                + BenchReport.nativeSection(oldMd));
    }

    private static String notes() throws IOException {
        try (InputStream in = Benchmark.class.getResourceAsStream("/bench/notes.md")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
