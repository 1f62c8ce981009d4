package io.secretsync.operator.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.secretsync.operator.testsupport.OperatorArtifact;

/**
 * Start-up and memory of the packaged operator on its embedded demo API server (the mock
 * path: the API server lives in the same process, so its memory is in the figures): time from
 * exec to the first 200 of /q/health/ready, then, once the demo reports its policies converged,
 * the process's resident set (VmRSS, and its peak VmHWM, from /proc) and the heap in use as
 * /q/metrics reports it (jvm_memory_used_bytes, area heap; not after a GC). Then SIGTERM.
 * <p>
 * {@link StartupExecutableIT} runs it on the native executable in the native check. By hand, to
 * compare with the jar under the same conditions (after mvn -B verify -Pnative-check):
 *
 * <pre>
 * mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.secretsync.operator.nativeimage.StartupMeasurement \
 *     -Dexec.args="native 5 -Xmx64m"      # or: jar 3 -Xmx154m -XX:+UseSerialGC
 * </pre>
 */
public final class StartupMeasurement {
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}\\s+(\\S+)$");

    /** One run's figures. */
    public record Run(double readySeconds, long rssBytes, long peakRssBytes, long heapUsedBytes, double sigtermSeconds) {
    }

    private StartupMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        OperatorArtifact artifact = args[0].equals("jar") ? OperatorArtifact.jar() : OperatorArtifact.nativeExecutable();
        int runs = Integer.parseInt(args[1]);
        List<String> flags = List.of(args).subList(2, args.length);
        List<Run> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Path home = Files.createTempDirectory("startup-measurement");
            measured.add(measure(artifact, flags, home));
        }
        measured.forEach(System.out::println);
        System.out.println(row(artifact.describe(), flags, measured));
    }

    /** One start of the operator on its demo: ready time, then memory once converged, then SIGTERM. */
    public static Run measure(OperatorArtifact artifact, List<String> flags, Path home) throws Exception {
        int port = freePort();
        Path out = home.resolve("operator.out");
        List<String> options = new ArrayList<>(flags);
        options.add("-Dquarkus.http.port=" + port);
        options.add("-Dquarkus.http.host=127.0.0.1");
        ProcessBuilder pb = artifact.onDemo(home, options, List.of()).redirectErrorStream(true).redirectOutput(out.toFile());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            long[] ready = new long[1];
            await("/q/health/ready of the " + artifact.describe() + "; output in " + out).atMost(Duration.ofMinutes(2))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(() -> {
                        assertThat(p.isAlive()).as("process alive; output in %s", out).isTrue();
                        if (status(http, port, "/q/health/ready") == 200) {
                            ready[0] = System.nanoTime();
                            return true;
                        }
                        return false;
                    });
            await("the demo converged; output in " + out).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(out).contains("State: converged"));
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            long heap = 0;
            Matcher m = HEAP.matcher(metrics);
            while (m.find()) {
                heap += (long) Double.parseDouble(m.group(1));
            }
            String status = Files.readString(Path.of("/proc/" + p.pid() + "/status"));
            long rss = kib(status, "VmRSS");
            long peak = kib(status, "VmHWM");
            long term = System.nanoTime();
            p.destroy(); // SIGTERM
            boolean ended = p.waitFor(10, TimeUnit.SECONDS);
            assertThat(ended).as("ended within 10 s of SIGTERM; output in %s", out).isTrue();
            return new Run((ready[0] - start) / 1e9, rss, peak, heap, (System.nanoTime() - term) / 1e9);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /** A BENCHMARKS.md row: median ready time, median RSS after converging, heap, flags. */
    public static String row(String what, List<String> flags, List<Run> runs) {
        return String.format(Locale.ROOT, "| %s (%s), demo/mock path, %d runs | ready %.2f s median (%.2f-%.2f s) | RSS %.0f MiB"
                + " (peak %.0f MiB), heap in use %.1f MiB | SIGTERM to exit %.2f s |",
                what, flags.isEmpty() ? "no memory flags" : String.join(" ", flags), runs.size(),
                median(runs.stream().mapToDouble(Run::readySeconds).toArray()),
                runs.stream().mapToDouble(Run::readySeconds).min().orElse(-1),
                runs.stream().mapToDouble(Run::readySeconds).max().orElse(-1),
                median(runs.stream().mapToDouble(r -> r.rssBytes() / 1048576.0).toArray()),
                median(runs.stream().mapToDouble(r -> r.peakRssBytes() / 1048576.0).toArray()),
                median(runs.stream().mapToDouble(r -> r.heapUsedBytes() / 1048576.0).toArray()),
                median(runs.stream().mapToDouble(Run::sigtermSeconds).toArray()));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? -1 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long kib(String status, String field) {
        Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private static int status(HttpClient http, int port, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
