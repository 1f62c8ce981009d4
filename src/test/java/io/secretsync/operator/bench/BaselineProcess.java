package io.secretsync.operator.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.secretsync.operator.sync.ContentHash;
import io.secretsync.operator.sync.Replicas;

/**
 * The plain-client baseline as its own cold JVM, started with the operator's JVM flags: it opens
 * the watches the operator keeps open (replicas by label, namespaces, the source namespace's
 * Secrets, ServiceAccounts), so that the server does the same work per write, then writes the
 * replicas with the same concurrency and prints how long the writes took.
 */
public final class BaselineProcess {
    static final String RESULT = "BASELINE_MS=";
    /** Printed right before the first write, so that the caller can start measuring the server. */
    static final String WRITING = "BASELINE_WRITING";
    /** The time of the optional update pass: the first source's replicas written again with new content. */
    static final String UPDATE_RESULT = "BASELINE_UPDATE_MS=";
    static final String UPDATING = "BASELINE_UPDATING";
    /** A server argument of this form names a kubeconfig (a real API server) instead of a URL. */
    static final String KUBECONFIG = "kubeconfig=";
    /** Printed first: the process's pid, so that the caller can read its CPU time. */
    static final String PID = "BASELINE_PID=";
    /**
     * An argument of this form (kubeconfig files, comma-separated) makes the replicas go into those
     * clusters instead of the source's: into each, as the operator writes into remote clusters,
     * with the write concurrency per cluster and the watches it keeps there.
     */
    static final String TARGETS = "targets=";

    private BaselineProcess() {
    }

    /**
     * args: API server URL (or kubeconfig=FILE), namespaces, write concurrency, policy name, source
     * Secret names (comma-separated), and optionally "update": then, after the creates, the first
     * source's replicas are written again with new content, as the operator does when that source
     * changes, and that pass is timed too; and optionally {@link #TARGETS}.
     */
    public static void main(String[] args) throws Exception {
        String server = args[0];
        int n = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        String policy = args[3];
        List<String> names = Arrays.asList(args[4].split(","));
        List<String> flags = Arrays.asList(args).subList(5, args.length);
        boolean update = flags.contains("update");
        List<String> targetConfigs = flags.stream().filter(f -> f.startsWith(TARGETS))
                .flatMap(f -> Arrays.stream(f.substring(TARGETS.length()).split(","))).map(f -> KUBECONFIG + f).toList();
        System.out.println(PID + ProcessHandle.current().pid());
        try (KubernetesClient client = client(server)) {
            List<SharedIndexInformer<?>> watches = new ArrayList<>(List.of(
                    client.secrets().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "secretsync-operator")
                            .inform(),
                    client.namespaces().inform(),
                    client.secrets().inNamespace(Benchmark.SOURCE_NS).inform(),
                    client.serviceAccounts().inAnyNamespace().inform()));
            List<KubernetesClient> targets = new ArrayList<>();
            for (String t : targetConfigs) {
                KubernetesClient remote = client(t);
                targets.add(remote);
                // what the operator keeps open in a remote cluster: its replicas there and the namespaces
                watches.add(remote.secrets().inAnyNamespace()
                        .withLabel("app.kubernetes.io/managed-by", "secretsync-operator").inform());
                watches.add(remote.namespaces().inform());
            }
            if (targets.isEmpty()) {
                targets.add(client);
            }
            List<Secret> replicas = new ArrayList<>();
            for (String name : names) {
                Secret src = client.secrets().inNamespace(Benchmark.SOURCE_NS).withName(name).get();
                for (int i = 0; i < n; i++) {
                    replicas.add(Replicas.desired(policy, src, Benchmark.target(i), ContentHash.of(src)));
                }
            }
            System.out.println(WRITING);
            long t0 = System.nanoTime();
            List<ExecutorService> pools = targets.stream().map(t -> Executors.newFixedThreadPool(concurrency)).toList();
            writeAll(pools, concurrency, replicas, targets, (c, r) -> c.secrets().inNamespace(r.getMetadata().getNamespace())
                    .resource(r).create());
            long elapsed = System.nanoTime() - t0;
            System.out.println(RESULT + (elapsed / 1_000_000.0));
            if (update) {
                Secret src = client.secrets().inNamespace(Benchmark.SOURCE_NS).withName(names.get(0)).get();
                Secret changed = Benchmark.sourceSecret(names.get(0), "baseline-update");
                src.setData(changed.getData());
                List<Secret> rewritten = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    rewritten.add(Replicas.desired(policy, src, Benchmark.target(i), ContentHash.of(src)));
                }
                System.out.println(UPDATING);
                long u0 = System.nanoTime();
                // an update without resourceVersion: the server replaces the object, one write each
                writeAll(pools, concurrency, rewritten, targets, (c, r) -> c.secrets()
                        .inNamespace(r.getMetadata().getNamespace()).resource(r).update());
                System.out.println(UPDATE_RESULT + ((System.nanoTime() - u0) / 1_000_000.0));
            }
            pools.forEach(ExecutorService::shutdownNow);
            watches.forEach(SharedIndexInformer::stop);
            targets.stream().filter(t -> t != client).forEach(KubernetesClient::close);
        }
        System.exit(0); // the HTTP client's event loop threads would keep the JVM alive
    }

    private static KubernetesClient client(String server) throws IOException {
        ConfigBuilder config = server.startsWith(KUBECONFIG)
                ? new ConfigBuilder(Config.fromKubeconfig(Files.readString(Path.of(server.substring(KUBECONFIG.length())))))
                : new ConfigBuilder().withMasterUrl(server).withTrustCerts(true).withNamespace("default");
        return new KubernetesClientBuilder().withConfig(config.withHttp2Disable(true)
                .withUserAgent(RequestLog.BENCH_USER_AGENT).withRequestTimeout(60_000).build()).build();
    }

    /** Every replica into every target, each target with its own pool of concurrency writers, all at once. */
    private static void writeAll(List<ExecutorService> pools, int concurrency, List<Secret> replicas,
            List<KubernetesClient> targets, BiConsumer<KubernetesClient, Secret> write) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < targets.size(); c++) {
            KubernetesClient target = targets.get(c);
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < concurrency; t++) {
                futures.add(pools.get(c).submit(() -> {
                    for (int i = next.getAndIncrement(); i < replicas.size(); i = next.getAndIncrement()) {
                        write.accept(target, replicas.get(i));
                    }
                }));
            }
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    /** Runs main in a new JVM with jvmArgs; returns the milliseconds it reports. */
    static double run(List<String> jvmArgs, String url, int n, int concurrency, String policy, List<String> names)
            throws IOException, InterruptedException {
        return Double.parseDouble(run(jvmArgs, url, n, concurrency, policy, names, false, line -> {
        }).get(RESULT));
    }

    /**
     * Runs main in a new JVM with jvmArgs, passing each line it prints to onLine as it comes (the
     * markers {@link #WRITING} and {@link #UPDATING} among them); returns its results by marker
     * ({@link #RESULT}, {@link #UPDATE_RESULT}).
     */
    static Map<String, String> run(List<String> jvmArgs, String server, int n, int concurrency, String policy,
            List<String> names, boolean update, Consumer<String> onLine) throws IOException, InterruptedException {
        return run(jvmArgs, server, List.of(), n, concurrency, policy, names, update, onLine);
    }

    /** The same, the replicas written into each cluster of targets (kubeconfig files) instead of server's. */
    static Map<String, String> run(List<String> jvmArgs, String server, List<Path> targets, int n, int concurrency,
            String policy, List<String> names, boolean update, Consumer<String> onLine)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineProcess.class.getName(), server,
                String.valueOf(n), String.valueOf(concurrency), policy, String.join(",", names)));
        if (update) {
            cmd.add("update");
        }
        if (!targets.isEmpty()) {
            cmd.add(TARGETS + String.join(",", targets.stream().map(Path::toString).toList()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("KUBECONFIG");
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Map<String, String> results = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                out.append(line).append('\n');
                onLine.accept(line);
                for (String key : List.of(RESULT, UPDATE_RESULT)) {
                    if (line.startsWith(key)) {
                        results.put(key, line.substring(key.length()));
                    }
                }
            }
        }
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0 || !results.containsKey(RESULT)) {
            throw new IllegalStateException("baseline process failed:\n" + out);
        }
        return results;
    }

}
