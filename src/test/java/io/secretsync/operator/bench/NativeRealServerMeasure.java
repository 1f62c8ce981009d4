package io.secretsync.operator.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.realserver.AuditLog;
import io.secretsync.operator.realserver.RealCluster;
import io.secretsync.operator.realserver.ShippedOperator;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.OperatorArtifact;
import io.secretsync.operator.testsupport.Stops;

/**
 * Start-up and memory of the native executable against the jar on one real API server
 * (realserver/, Kubernetes 1.20 on 127.0.0.1), each run as the shipped operator: the shipped CRD
 * and RBAC, a ServiceAccount token, the prod profile with leader election, and the memory options
 * given on the command line (for the jar: the shipped Deployment's JVM flags and heap, see
 * {@link ImageJvm}).
 * <p>
 * The cluster gets N namespaces labelled for the policy and a source namespace with S Secrets.
 * For each build spec: a few starts measure exec to the first 200 of /q/health/ready (then
 * SIGTERM); then one start converges a policy that copies the S Secrets into the N namespaces
 * (N x S replicas, the policy's status counting them all, Ready Synced), and the figures are taken:
 * the resident set (VmRSS, its peak VmHWM, and the anonymous and file-backed parts) and the heap.
 * The heap is the live heap after a full collection: on the JVM, jcmd GC.run then
 * jvm_memory_used_bytes{area="heap"} from /q/metrics (as the benchmark does); the native executable
 * has no jcmd, so it runs with -XX:+PrintGC and the figure is the heap after the first full GC it
 * prints once converged, brought about by scraping /q/metrics (each scrape allocates; the log gives
 * it in steps of about 0.5 MiB); its jvm_memory_used_bytes at that moment is printed too. The same
 * is taken before the policy is created (the cluster's namespaces cached, no replica): the
 * difference over N x S is the heap per replica. Then the policy is deleted (the replicas are
 * released) and SIGTERM ends the process.
 *
 * <pre>
 * mvn -B -q package -DskipTests      # the jar and target/kubernetes/kubernetes.yml
 * # the executable: target/native-check/image/ (mvn -B verify -Pnative-check links it)
 * mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.secretsync.operator.bench.NativeRealServerMeasure \
 *     -Dexec.args="1000 3 5 native:-Xmx64m,-XX:+ExitOnOutOfMemoryError native:-Xmx32m jar"
 * </pre>
 *
 * Arguments: namespaces, Secrets, ready-time starts per spec, then specs: {@code native} or
 * {@code native:OPT,OPT} (the executable's runtime options), or {@code jar} (the Deployment's JVM
 * flags), each optionally prefixed {@code nice:} (the operator's process at nice -10, ahead of
 * whatever else runs on a shared machine). Prints a BENCHMARKS.md row per spec and writes them to target/native-realserver.md.
 */
public final class NativeRealServerMeasure {
    private static final Pattern FULL_GC = Pattern.compile("Pause Full GC \\([^)]*\\) ([0-9.]+)M->([0-9.]+)M");
    private static final Pattern HEAP_LINE = Pattern
            .compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);
    private static final String SOURCE = "measure-src";
    private static final String TARGET_LABEL = "measure=yes";
    private static final Duration CONVERGE = Duration.ofMinutes(10);

    /** What one spec measured. */
    record Figures(String spec, List<Double> readySeconds, List<Double> cpuToReadySeconds, double convergeSeconds, long rssBytes, long peakRssBytes,
            long rssAnonBytes, long rssFileBytes, long baseHeapBytes, long liveHeapBytes, long heapInUseBytes, String heapHow,
            double releaseSeconds, int exitCode, long stopMillis, String failure) {
        static Figures failed(String spec, List<Double> ready, List<Double> cpu, String failure) {
            return new Figures(spec, ready, cpu, -1, -1, -1, -1, -1, -1, -1, -1, "", -1, -1, -1, failure);
        }
    }

    private final RealCluster cluster;
    private final KubernetesClient admin;
    private final int namespaces;
    private final int secrets;
    private int runs;

    private NativeRealServerMeasure(RealCluster cluster, int namespaces, int secrets) {
        this.cluster = cluster;
        this.admin = cluster.admin();
        this.namespaces = namespaces;
        this.secrets = secrets;
    }

    public static void main(String[] args) throws Exception {
        int namespaces = Integer.parseInt(args[0]);
        int secrets = Integer.parseInt(args[1]);
        int starts = Integer.parseInt(args[2]);
        List<String> specs = Arrays.asList(args).subList(3, args.length);
        List<String> rows = new ArrayList<>();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        try (RealCluster cluster = RealCluster.start("nativemeasure")) {
            ShippedOperator.install(cluster);
            NativeRealServerMeasure m = new NativeRealServerMeasure(cluster, namespaces, secrets);
            m.seed();
            for (String spec : specs) {
                Figures f = m.measure(spec, starts);
                System.out.println(f);
                rows.add(row(f, namespaces * secrets));
                System.out.println(rows.get(rows.size() - 1));
            }
            long forbidden = AuditLog.forbidden(cluster.audit().entries().stream()
                    .filter(AuditLog.by(ShippedOperator.USER)).toList()).size();
            rows.add("Requests of the operator refused (403) over all runs: " + forbidden + ".");
        }
        rows.add("Load average before / after: " + load + " / " + Files.readString(Path.of("/proc/loadavg")).trim()
                + "; " + Instant.now() + ".");
        Path out = RealCluster.BASEDIR.resolve("target/native-realserver.md");
        Files.writeString(out, String.join("\n", rows) + "\n");
        rows.forEach(System.out::println);
        // the fabric8 client's shared Vert.x event loops are not daemon threads: they would keep
        // exec:java (which waits for every non-daemon thread) from ever returning
        System.exit(0);
    }

    /** N labelled namespaces and the source namespace with S Secrets, created in parallel as a user's script would. */
    private void seed() throws Exception {
        admin.namespaces().resource(Fixtures.namespace(SOURCE)).create();
        for (int s = 0; s < secrets; s++) {
            admin.secrets().inNamespace(SOURCE).resource(Fixtures.opaque(SOURCE, sourceNames().get(s), "value-" + s))
                    .create();
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < namespaces; i++) {
                String name = String.format("measure-%04d", i);
                created.add(pool.submit(() -> admin.namespaces().resource(Fixtures.namespace(name, TARGET_LABEL)).create()));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private List<String> sourceNames() {
        return java.util.stream.IntStream.range(0, secrets).mapToObj(i -> "shared-" + i).toList();
    }

    private Figures measure(String spec, int starts) throws Exception {
        ShippedOperator.Build build = build(spec);
        List<Double> ready = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            long exec = System.nanoTime();
            ShippedOperator.Process p = start(build, spec);
            ready.add(awaitReady(p, exec));
            cpu.add(cpuSeconds(p));
            stop(p);
        }
        long exec = System.nanoTime();
        ShippedOperator.Process p = start(build, spec);
        ready.add(awaitReady(p, exec));
        cpu.add(cpuSeconds(p));
        // the live heap with the cluster's namespaces cached and no replica yet: what replicas add is the difference
        long baseHeap = spec.contains("native") ? nativeHeap(p)[0] : jvmHeap(p)[0];
        String policy = "measure-" + runs;
        long t0 = System.nanoTime();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy(policy,
                Fixtures.spec(SOURCE, sourceNames(), null, null, Fixtures.selector(TARGET_LABEL)))).create();
        try {
            await(policy + " Synced with " + namespaces * secrets + " replicas; log " + p.log()).atMost(CONVERGE)
                    .pollInterval(Duration.ofMillis(250)).until(() -> converged(policy, p));
        } catch (RuntimeException e) {
            // too small a heap, say: the figure is that it did not converge; the next spec starts clean
            boolean oom = p.logText().contains("OutOfMemoryError");
            p.close();
            String failure = "did not converge: " + (p.process().isAlive() ? "still running" : "exit code "
                    + p.process().exitValue()) + (oom ? ", OutOfMemoryError" : "") + "; log " + p.log();
            removeBehindTheOperatorsBack(policy);
            return Figures.failed(spec, ready, cpu, failure);
        }
        double converge = (System.nanoTime() - t0) / 1e9;
        // where the resident set is, mapping by mapping, for a closer look
        Files.copy(Path.of("/proc/" + p.process().pid() + "/smaps"), Path.of(p.log().toString().replace(".log", ".smaps")),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long rss = status(p, "VmRSS");
        long peak = status(p, "VmHWM");
        long anon = status(p, "RssAnon");
        long file = status(p, "RssFile");
        long[] heap = spec.contains("native") ? nativeHeap(p) : jvmHeap(p);
        String heapHow = spec.contains("native") ? "heap after a full GC (-XX:+PrintGC)" : "heap after jcmd GC.run";

        long t1 = System.nanoTime();
        admin.resources(SecretSyncPolicy.class).withName(policy).delete();
        await(policy + " released its replicas; log " + p.log()).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.resources(SecretSyncPolicy.class).withName(policy).get() == null
                        && admin.secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, policy).list()
                                .getItems().isEmpty());
        double release = (System.nanoTime() - t1) / 1e9;
        Stops.Stopped stopped = Stops.sigterm(p.process(), spec);
        return new Figures(spec, ready, cpu, converge, rss, peak, anon, file, baseHeap, heap[0], heap[1], heapHow, release,
                stopped.exitCode(), stopped.millis(), null);
    }

    /** After an operator that did not converge: the policy and its replicas removed as an admin would, finalizer and all. */
    private void removeBehindTheOperatorsBack(String policy) {
        admin.resources(SecretSyncPolicy.class).withName(policy).edit(sp -> {
            sp.getMetadata().setFinalizers(List.of());
            return sp;
        });
        admin.resources(SecretSyncPolicy.class).withName(policy).delete();
        admin.secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, policy).delete();
        await("replicas of " + policy + " removed").atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).until(() -> admin
                .secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, policy).list().getItems().isEmpty());
    }

    private static ShippedOperator.Build build(String spec) {
        if (spec.startsWith("nice:")) {
            // the operator first in line for the CPU (nice -10): on a machine shared with other
            // builds, the closest this gets to the start-up of an idle node; the API server is not
            ShippedOperator.Build build = build(spec.substring("nice:".length()));
            OperatorArtifact artifact = build.artifact();
            return new ShippedOperator.Build(new OperatorArtifact() {
                @Override
                public String describe() {
                    return artifact.describe() + " at nice -10";
                }

                @Override
                public List<String> command(List<String> options, List<String> args) {
                    List<String> command = new ArrayList<>(List.of("nice", "-n", "-10"));
                    command.addAll(artifact.command(options, args));
                    return command;
                }
            }, build.shippedOptions());
        }
        if (spec.equals("jar")) {
            return ShippedOperator.Build.jar();
        }
        if (!spec.equals("native") && !spec.startsWith("native:")) {
            throw new IllegalArgumentException("a spec is native, native:OPT,OPT or jar: " + spec);
        }
        List<String> options = new ArrayList<>();
        if (spec.startsWith("native:")) {
            options.addAll(List.of(spec.substring("native:".length()).split(",")));
        }
        options.add("-XX:+PrintGC"); // the heap after each collection, in the log: the executable has no jcmd
        return new ShippedOperator.Build(ShippedOperator.Build.nativeExecutable().artifact(), options);
    }

    /** Starts the build; the operator logs at its shipped level (not the tests' DEBUG). */
    private ShippedOperator.Process start(ShippedOperator.Build build, String spec) {
        String logName = "native-realserver-" + (runs++) + "-" + spec.replaceAll("[^A-Za-z0-9]+", "_");
        return ShippedOperator.start(build, ShippedOperator.kubeconfig(cluster), logName,
                "-Dquarkus.log.category.\"io.secretsync\".level=INFO");
    }

    /** Seconds from just before the exec (System.nanoTime() {@code exec}) to the first 200 of /q/health/ready; polled every 2 ms. */
    private static double awaitReady(ShippedOperator.Process p, long exec) {
        long[] readyAt = new long[1];
        await("ready; log " + p.log()).atMost(ShippedOperator.STARTUP).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2)).until(() -> {
                    if (!p.process().isAlive()) {
                        throw new IllegalStateException("the operator ended; log " + p.log());
                    }
                    if (p.get("/q/health/ready") == 200) {
                        readyAt[0] = System.nanoTime();
                        return true;
                    }
                    return false;
                });
        return (readyAt[0] - exec) / 1e9;
    }

    /**
     * CPU time the process has used so far (user + system, /proc/PID/stat), in seconds: what start-up
     * costs whatever else runs on the machine, where the wall-clock time to ready depends on the load.
     */
    private static double cpuSeconds(ShippedOperator.Process p) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + p.process().pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after the command: state is [0], utime [11], stime [12], in clock ticks (USER_HZ, 100 on Linux)
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static void stop(ShippedOperator.Process p) throws InterruptedException {
        Stops.Stopped s = Stops.sigterm(p.process(), "the operator (" + p.log() + ")");
        if (s.exitCode() != Stops.SIGTERM_EXIT_CODE) {
            throw new IllegalStateException("exit code " + s.exitCode() + " on SIGTERM; log " + p.log());
        }
    }

    private boolean converged(String policy, ShippedOperator.Process p) {
        if (!p.process().isAlive()) {
            throw new IllegalStateException("the operator ended while converging; log " + p.log());
        }
        SecretSyncPolicy sp = admin.resources(SecretSyncPolicy.class).withName(policy).get();
        SecretSyncPolicyStatus s = sp == null ? null : sp.getStatus();
        return s != null && sp.getMetadata().getGeneration().equals(s.getObservedGeneration())
                && Integer.valueOf(namespaces * secrets).equals(s.getSyncedReplicas())
                && s.getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "Synced".equals(c.getReason()));
    }

    /** {live heap after a full GC, heap in use then}: scrapes /q/metrics until the log shows a full GC after this point. */
    private static long[] nativeHeap(ShippedOperator.Process p) throws IOException {
        int fullGcsBefore = fullGcs(p.logText()).size();
        long[] inUse = new long[1];
        await("a full GC of the executable once converged; log " + p.log()).atMost(Duration.ofMinutes(5))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
                    inUse[0] = heapInUse(p);
                    return fullGcs(p.logText()).size() > fullGcsBefore;
                });
        long liveAfterGc = fullGcs(p.logText()).get(fullGcsBefore);
        return new long[] { liveAfterGc, inUse[0] };
    }

    private static List<Long> fullGcs(String log) {
        List<Long> after = new ArrayList<>();
        Matcher m = FULL_GC.matcher(log);
        while (m.find()) {
            after.add((long) (Double.parseDouble(m.group(2)) * (1 << 20)));
        }
        return after;
    }

    private static long[] jvmHeap(ShippedOperator.Process p) throws IOException, InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(p.process().pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                throw new IllegalStateException("jcmd GC.run failed");
            }
            best = Math.min(best, heapInUse(p));
        }
        return new long[] { best, best };
    }

    private static long heapInUse(ShippedOperator.Process p) {
        Matcher m = HEAP_LINE.matcher(p.body("/q/metrics"));
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no jvm_memory_used_bytes{area=\"heap\"} in /q/metrics of " + p.log());
        }
        return (long) sum;
    }

    private static long status(ShippedOperator.Process p, String field) throws IOException {
        Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB")
                .matcher(Files.readString(Path.of("/proc/" + p.process().pid() + "/status")));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    static String row(Figures f, int replicas) {
        if (f.failure() != null) {
            return "| " + f.spec() + " | " + f.failure() + " |";
        }
        double[] ready = f.readySeconds().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT,
                "| %s | %.3f s median (%.3f-%.3f s, %d starts); CPU %.2f s | %d replicas in %.1f s | %.1f MiB (peak %.1f; anon %.1f,"
                        + " file %.1f) | %.1f MiB (%s; %.1f MiB before the policy: %.0f bytes per replica); in use %.1f MiB | released in %.1f s; SIGTERM: exit %d in %d ms |",
                f.spec(), median(ready), ready[0], ready[ready.length - 1], ready.length,
                median(f.cpuToReadySeconds().stream().mapToDouble(Double::doubleValue).sorted().toArray()), replicas, f.convergeSeconds(),
                mib(f.rssBytes()), mib(f.peakRssBytes()), mib(f.rssAnonBytes()), mib(f.rssFileBytes()),
                mib(f.liveHeapBytes()), f.heapHow(), mib(f.baseHeapBytes()),
                (f.liveHeapBytes() - f.baseHeapBytes()) / (double) replicas, mib(f.heapInUseBytes()), f.releaseSeconds(), f.exitCode(),
                f.stopMillis());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
