package io.secretsync.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.secretsync.operator.packaging.Manifests;
import io.secretsync.operator.testsupport.OperatorArtifact;
import io.secretsync.operator.testsupport.Stops;

/**
 * What production serves, not what a {@code @QuarkusTest} serves: the packaged application
 * (target/quarkus-app/quarkus-run.jar) is started as users start it, here on its embedded demo API
 * server, which it seeds with two policies. Once it reports them converged (so reconciliations
 * have run and replicas have been written), /q/metrics must serve every metric that an alert or a
 * dashboard panel of monitoring/ reads, each of the operator's own metrics has help text, and
 * /q/health says UP. Then SIGTERM, what Kubernetes sends, ends the process within 10 s, without a
 * SIGKILL. {@link PackagedMetricsExecutableIT} runs the same on the native executable.
 */
class PackagedMetricsIT {
    private static final Pattern HELP = Pattern.compile("(?m)^# HELP (\\S+) ?(.*)$");

    OperatorArtifact artifact() {
        return OperatorArtifact.jar();
    }

    @Test
    void servesEveryMetricThatMonitoringReadsAndEndsOnSigterm(@TempDir Path home) throws Exception {
        Path project = Manifests.projectDir();
        int port = freePort();
        Path out = home.resolve("operator.out");
        ProcessBuilder pb = new ProcessBuilder(artifact().command(
                List.of("-Duser.home=" + home, "-Dquarkus.http.port=" + port), List.of()))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        for (String v : OperatorArtifact.CLUSTER_VARIABLES) {
            pb.environment().remove(v);
        }
        pb.environment().put("HOME", home.toString());
        Process operator = pb.start();
        try {
            await("the packaged operator reports its demo policies converged; output in " + out)
                    .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                        assertThat(operator.isAlive()).as("operator exited; output:%n%s", Files.readString(out))
                                .isTrue();
                        return Files.readString(out).contains("State: converged");
                    });
            String body = scrape(port);
            Set<String> served = MonitoringQueries.exported(body);

            Map<String, Set<String>> used = MonitoringQueries.usedByMonitoring(project);
            assertThat(used).isNotEmpty();
            Set<String> missing = new TreeSet<>();
            used.forEach((where, names) -> names.stream()
                    .filter(n -> !MonitoringQueries.SYNTHETIC.contains(n) && !served.contains(n))
                    .forEach(n -> missing.add(n + " (read by " + where + ")")));
            assertThat(missing).as("metrics that monitoring/ reads but the %s does not serve; served: %s",
                    artifact().describe(), served).isEmpty();
            assertThat(served).as("JOSDK reconciliation metrics").contains("reconciliations_started_total",
                    "reconciliations_success_total");

            Matcher help = HELP.matcher(body);
            int ours = 0;
            while (help.find()) {
                if (help.group(1).startsWith("secretsync_")) {
                    ours++;
                    assertThat(help.group(2)).as("help text of %s", help.group(1)).isNotBlank();
                }
            }
            assertThat(ours).as("secretsync_* metrics with # HELP lines").isGreaterThanOrEqualTo(4);

            HttpResponse<String> health = get(port, "/q/health");
            assertThat(health.statusCode()).as("GET /q/health: %s", health.body()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\": \"UP\"");

            // ends within 10 s of SIGTERM (the jar's exit code is GracefulStopIT's subject)
            Stops.sigterm(operator, "the " + artifact().describe());
        } finally {
            assertThat(Stops.cleanup(List.of(operator))).as("the operator did not end on SIGTERM").isEmpty();
        }
    }

    private static String scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = get(port, "/q/metrics");
        assertThat(r.statusCode()).as("GET /q/metrics").isEqualTo(200);
        return r.body();
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
