package io.secretsync.operator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.Secret;
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

    private BaselineProcess() {
    }

    /** args: API server URL, namespaces, write concurrency, policy name, source Secret names (comma-separated). */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int n = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        String policy = args[3];
        List<String> names = Arrays.asList(args[4].split(","));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(url).withTrustCerts(true).withHttp2Disable(true).withNamespace("default")
                .withUserAgent(RequestLog.BENCH_USER_AGENT).withRequestTimeout(60_000).build()).build()) {
            List<SharedIndexInformer<?>> watches = List.of(
                    client.secrets().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "secretsync-operator")
                            .inform(),
                    client.namespaces().inform(),
                    client.secrets().inNamespace(Benchmark.SOURCE_NS).inform(),
                    client.serviceAccounts().inAnyNamespace().inform());
            List<Secret> replicas = new ArrayList<>();
            for (String name : names) {
                Secret src = client.secrets().inNamespace(Benchmark.SOURCE_NS).withName(name).get();
                for (int i = 0; i < n; i++) {
                    replicas.add(Replicas.desired(policy, src, Benchmark.target(i), ContentHash.of(src)));
                }
            }
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < replicas.size(); i = next.getAndIncrement()) {
                        Secret r = replicas.get(i);
                        client.secrets().inNamespace(r.getMetadata().getNamespace()).resource(r).create();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            long elapsed = System.nanoTime() - t0;
            pool.shutdownNow();
            watches.forEach(SharedIndexInformer::stop);
            System.out.println(RESULT + (elapsed / 1_000_000.0));
        }
        System.exit(0); // the HTTP client's event loop threads would keep the JVM alive
    }

    /** Runs main in a new JVM with jvmArgs; returns the milliseconds it reports. */
    static double run(List<String> jvmArgs, String url, int n, int concurrency, String policy, List<String> names)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineProcess.class.getName(), url,
                String.valueOf(n), String.valueOf(concurrency), policy, String.join(",", names)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("KUBECONFIG");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("baseline process failed:\n" + out);
        }
        return out.lines().filter(l -> l.startsWith(RESULT)).map(l -> Double.parseDouble(l.substring(RESULT.length())))
                .findFirst().orElseThrow(() -> new IllegalStateException("no result from the baseline:\n" + out));
    }

}
