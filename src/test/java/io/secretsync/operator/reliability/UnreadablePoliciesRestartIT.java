package io.secretsync.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.reliability.UnreadablePolicies.Case;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * The packaged application (target/quarkus-app/quarkus-run.jar, in a child process, as
 * {@link KillMidRolloutIT} runs it) starts with every kind of unreadable policy present, reaches
 * ready, reports each of them and serves the good ones; it is stopped, a policy is created while it
 * is down, and a second start with the unreadable policies still there reaches ready and serves it.
 * This is the path the informer takes in production (the client's own ObjectMapper), not a model.
 */
class UnreadablePoliciesRestartIT {
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
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .load(BASEDIR.resolve("target/kubernetes/secretsyncpolicies.secretsync.io-v1.yml").toFile()).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        client.close();
        server.destroy();
    }

    @Test
    void startsReadyWithUnreadablePoliciesPresentReportsThemAndServesTheOthersAcrossARestart() throws Exception {
        for (String ns : List.of("default", "ur-src", "ur-older", "ur-newer", "ur-while-down")) {
            client.namespaces().resource(Fixtures.namespace(ns)).create();
        }
        client.secrets().inNamespace("ur-src").resource(Fixtures.opaque("ur-src", "creds", Canary.value("ur-it")))
                .create();
        createGood("ur-older");
        List<Case> cases = UnreadablePolicies.all("ur-src");
        for (Case c : cases) {
            client.namespaces().resource(Fixtures.namespace(c.target())).create();
            UnreadablePolicies.create(client, c);
        }

        int port1 = KillMidRolloutIT.freePort();
        Process first = startOperator(port1, "target/unreadable-policies-1.log");
        awaitReady(first, port1, "target/unreadable-policies-1.log");
        assertThat(get(port1, "/q/health/live")).isEqualTo(200);
        awaitSynced("ur-older");
        awaitReported(cases);
        createGood("ur-newer");
        awaitSynced("ur-newer");
        assertThat(get(port1, "/q/health/ready")).as("readiness with unreadable policies present").isEqualTo(200);

        first.destroy();
        first.waitFor();
        createGood("ur-while-down");

        int port2 = KillMidRolloutIT.freePort();
        Process second = startOperator(port2, "target/unreadable-policies-2.log");
        awaitReady(second, port2, "target/unreadable-policies-2.log");
        awaitSynced("ur-while-down");
        awaitReported(cases);
        assertThat(get(port2, "/q/health/live")).isEqualTo(200);
        for (Case c : cases) {
            assertThat(client.secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, c.policy()).list()
                    .getItems()).as("replicas of %s", c.policy()).isEmpty();
            assertThat(client.secrets().inNamespace(c.target()).withName("creds").get()).as(c.target()).isNull();
        }
        Canary.assertAbsent("log of the first process", Files.readString(BASEDIR.resolve("target/unreadable-policies-1.log")));
        Canary.assertAbsent("log of the second process", Files.readString(BASEDIR.resolve("target/unreadable-policies-2.log")));
    }

    void createGood(String name) {
        client.resources(SecretSyncPolicy.class).resource(Fixtures.policy(name,
                Fixtures.spec("ur-src", List.of("creds"), null, List.of(name), null))).create();
    }

    void awaitSynced(String name) {
        await(name + " synced").atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(client.secrets().inNamespace(name).withName("creds").get()).isNotNull();
            assertThat(ready(name)).extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("True", "Synced");
        });
    }

    void awaitReported(List<Case> cases) {
        await("every unreadable policy reported").atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    for (Case c : cases) {
                        Condition ready = ready(c.policy());
                        assertThat(ready).as(c.policy()).isNotNull();
                        assertThat(ready.getReason()).as(c.policy()).isEqualTo("InvalidSpec");
                        assertThat(ready.getMessage()).as(c.policy()).contains(c.problem());
                    }
                });
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

    Process startOperator(int httpPort, String logFile) throws IOException {
        Path jar = BASEDIR.resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged application (mvn package)").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx256m",
                "-Dquarkus.kubernetes-client.api-server-url=" + server.url("/").replaceAll("/$", ""),
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-Dquarkus.operator-sdk.crd.apply=false",
                "-Dsecretsync.legacy.enabled=false",
                // one operator process at a time: no leader election, which only the prod profile runs
                "-Dquarkus.profile=standalone",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.log.category.\"io.secretsync\".level=DEBUG",
                "-jar", jar.toString());
        Process p = new ProcessBuilder(command).directory(BASEDIR.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(BASEDIR.toFile(), logFile)).start();
        processes.add(p);
        return p;
    }
}
