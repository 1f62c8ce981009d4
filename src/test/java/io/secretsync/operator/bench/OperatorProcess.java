package io.secretsync.operator.bench;

import java.io.IOException;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

/** The operator as its own JVM (the packaged application), pointed at the benchmark's API server. */
final class OperatorProcess implements AutoCloseable {
    private static final Pattern HEAP_LINE = Pattern
            .compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);

    private final Process process;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final long startNanos;
    final List<String> command;
    final Path log;

    private OperatorProcess(Process process, int httpPort, long startNanos, List<String> command, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.startNanos = startNanos;
        this.command = command;
        this.log = log;
    }

    static OperatorProcess start(Path jar, Map<String, String> clientProperties, int writeConcurrency,
            String jvmArgs, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the application first (mvn package)");
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        clientProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-Dquarkus.http.port=" + port);
        // one operator process, measured alone: no leader election (prod profile only), no convention policy
        cmd.add("-Dquarkus.profile=standalone");
        cmd.add("-Dsecretsync.legacy.enabled=false");
        cmd.add("-Dsecretsync.write-concurrency=" + writeConcurrency);
        for (String a : jvmArgs.trim().split("\\s+")) {
            if (!a.isEmpty()) {
                cmd.add(a);
            }
        }
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("KUBECONFIG");
        long t0 = System.nanoTime();
        Process p = pb.start();
        return new OperatorProcess(p, port, t0, cmd, log);
    }

    long pid() {
        return process.pid();
    }

    /** Nanoseconds from process start until /q/health/ready answers 200 (polled every 10 ms). */
    long awaitReady(Duration timeout) {
        long[] readyAt = new long[1];
        Awaitility.await("operator ready; see " + log).atMost(timeout).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log);
                    }
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/q/health/ready"))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                        readyAt[0] = System.nanoTime();
                        return r.statusCode() == 200;
                    } catch (IOException e) {
                        return false; // not listening yet
                    }
                });
        return readyAt[0] - startNanos;
    }

    /** Heap in use right after a full GC, as the operator's own /q/metrics reports it. */
    long heapAfterFullGc() throws IOException, InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                throw new IllegalStateException("jcmd GC.run failed");
            }
            best = Math.min(best, heapUsed());
        }
        return best;
    }

    long heapUsed() throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(uri("/q/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = HEAP_LINE.matcher(body);
        double sum = 0;
        int n = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            n++;
        }
        if (n == 0) {
            throw new IllegalStateException("no jvm_memory_used_bytes{area=\"heap\"} in /q/metrics");
        }
        return (long) sum;
    }

    /** Waits for the process to end by itself; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the operator still runs after " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Resident set now (VmRSS), Linux only; -1 elsewhere. */
    long rssBytes() {
        return procStatus("VmRSS:");
    }

    /** Peak resident set so far (VmHWM), Linux only; -1 elsewhere. */
    long peakRssBytes() {
        return procStatus("VmHWM:");
    }

    private long procStatus(String field) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status")).stream()
                    .filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]) * 1024).orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Lines of the operator's log that contain text. */
    long logCount(String text) throws IOException {
        try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
