package io.secretsync.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.testsupport.OperatorArtifact;
import io.secretsync.operator.testsupport.Stops;

/**
 * The packaged application (target/quarkus-app/quarkus-run.jar) in a child process, as
 * {@link KillMidRolloutIT} runs it, against a CRUD mock API server with the generated CRD: what the
 * restart tests start, stop and start again. A subclass that overrides {@link #artifact()} runs the
 * same test on the native executable.
 */
abstract class PackagedOperatorHarness {
    static final Duration STARTUP = Duration.ofSeconds(120);
    static final Duration CONVERGE = Duration.ofSeconds(60);
    static final Path BASEDIR = Path.of(System.getProperty("project.basedir", "."));

    KubernetesMockServer server;
    KubernetesClient client;
    final List<Process> processes = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void startApiServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(Serialization.jsonMapper()),
                new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        for (String file : List.of("secretsyncpolicies.secretsync.io-v1.yml", "secretsyncclusters.secretsync.io-v1.yml")) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                    .load(BASEDIR.resolve("target/kubernetes").resolve(file).toFile()).item();
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
    }

    /**
     * Whatever still runs gets SIGTERM; one that does not end within {@link Stops#STOP_WITHIN} is
     * killed so as not to outlive the test, and the test fails: a stop is never left to SIGKILL.
     */
    @AfterEach
    void stopEverything() throws InterruptedException {
        String killed = Stops.cleanup(processes);
        client.close();
        server.destroy();
        assertThat(killed).as("operator processes that did not end on SIGTERM").isEmpty();
    }

    /** Stops the operator as the kubelet does (SIGTERM); it must end within 10 s, with exit code 143. */
    Stops.Stopped stop(Process p, String what) throws InterruptedException {
        Stops.Stopped stopped = Stops.sigterm(p, what);
        assertThat(stopped.exitCode()).as("exit code of %s on SIGTERM", what).isEqualTo(Stops.SIGTERM_EXIT_CODE);
        return stopped;
    }

    Condition ready(String policy) {
        SecretSyncPolicy p = client.resources(SecretSyncPolicy.class).withName(policy).get();
        return p == null || p.getStatus() == null || p.getStatus().getConditions() == null ? null
                : p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
                        .orElse(null);
    }

    void awaitReady(Process p, int port, String log) {
        await("the operator ready; see " + log).atMost(STARTUP).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(p.isAlive()).as("operator process alive; see %s", log).isTrue();
            return get(port, "/q/health/ready") == 200;
        });
    }

    int get(int port, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        }
    }

    /** What is started: the packaged jar here. */
    OperatorArtifact artifact() {
        return OperatorArtifact.jar();
    }

    Process startOperator(int httpPort, String logFile) throws IOException {
        return startOperator(httpPort, logFile, "-Xmx256m");
    }

    /** @param jvmArgs the heap flag first, then any further runtime options (before the operator's own) */
    Process startOperator(int httpPort, String logFile, String... jvmArgs) throws IOException {
        List<String> options = new ArrayList<>(List.of(jvmArgs));
        options.addAll(List.of(
                "-Dquarkus.kubernetes-client.api-server-url=" + server.url("/").replaceAll("/$", ""),
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-Dquarkus.operator-sdk.crd.apply=false",
                "-Dsecretsync.legacy.enabled=false",
                // one operator process at a time: no leader election, which only the prod profile runs
                "-Dquarkus.profile=standalone",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.log.category.\"io.secretsync\".level=DEBUG"));
        Process p = new ProcessBuilder(artifact().command(options, List.of())).directory(BASEDIR.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(BASEDIR.toFile(), logFile)).start();
        processes.add(p);
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
