package io.secretsync.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * The operator process is killed (SIGKILL) in the middle of a rollout to 1,000 namespaces and
 * started again. It runs as the packaged application (target/quarkus-app/quarkus-run.jar) in a
 * child process, against a test API server hosted by this JVM. While it is down the source is
 * rotated. The second process must finish the rollout with the new data: every replica present
 * exactly once and in sync, every ServiceAccount reference present exactly once, status Synced,
 * and the canary in the source found nowhere it reported (logs at DEBUG, events, status, metrics).
 */
class KillMidRolloutIT extends PackagedOperatorHarness {
    static final int NAMESPACES = 1000;
    static final Duration CONVERGE = Duration.ofMinutes(6);

    @Test
    void killedMidRolloutOf1000NamespacesAndStartedAgainConvergesWithNothingLostOrDuplicated() throws Exception {
        client.namespaces().resource(Fixtures.namespace("kill-src")).create();
        client.namespaces().resource(Fixtures.namespace("default")).create();
        List<String> targets = new ArrayList<>();
        ExecutorService setup = Executors.newFixedThreadPool(8);
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            String ns = String.format("kill-%04d", i);
            targets.add(ns);
            created.add(setup.submit(() -> {
                client.namespaces().resource(Fixtures.namespace(ns, "kill=yes")).create();
                client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                        .withName("default").withNamespace(ns).endMetadata()
                        .addToImagePullSecrets(new LocalObjectReference("someone-elses")).build()).create();
            }));
        }
        for (Future<?> f : created) {
            f.get();
        }
        setup.shutdown();
        // an unmanaged Secret in a target namespace: never to be touched
        Secret bystander = client.secrets().inNamespace("kill-0000")
                .resource(Fixtures.opaque("kill-0000", "bystander", Canary.value("bystander"))).create();
        client.secrets().inNamespace("kill-src").resource(Fixtures.opaque("kill-src", "reg", Canary.value("v1"))).create();
        SecretSyncPolicySpec spec = Fixtures.spec("kill-src", List.of("reg"), null, null, Fixtures.selector("kill=yes"));
        ImagePullSecretsSpec ips = new ImagePullSecretsSpec();
        ips.setServiceAccounts(List.of("default"));
        spec.setImagePullSecrets(ips);
        client.resources(SecretSyncPolicy.class).resource(Fixtures.policy("kill", spec)).create();

        int port1 = freePort();
        Process first = startOperator(port1, "target/kill-restart-1.log");
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(50)).until(() -> replicas().size() >= 50);
        first.destroyForcibly().waitFor();
        int atKill = replicas().size();
        assertThat(atKill).as("replicas written when the operator was killed (mid-rollout)").isLessThan(NAMESPACES);

        // while it is down, the source is rotated
        client.secrets().inNamespace("kill-src").withName("reg")
                .edit(s -> {
                    s.setData(Map.of("value", Fixtures.b64(Canary.value("v2"))));
                    return s;
                });

        int port2 = freePort();
        startOperator(port2, "target/kill-restart-2.log");
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<Secret> replicas = replicas();
            assertThat(replicas).extracting(s -> s.getMetadata().getNamespace())
                    .as("one replica in each target namespace, none elsewhere")
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(targets);
            assertThat(replicas).allSatisfy(s -> {
                assertThat(Fixtures.decode(s.getData().get("value"))).isEqualTo(Canary.value("v2"));
                assertThat(s.getMetadata().getLabels()).containsEntry(ReplicaMetadata.MANAGED_BY_LABEL,
                        ReplicaMetadata.MANAGED_BY_VALUE);
            });
            List<ServiceAccount> accounts = client.serviceAccounts().inAnyNamespace().list().getItems().stream()
                    .filter(sa -> sa.getMetadata().getNamespace().startsWith("kill-0")).toList();
            assertThat(accounts).hasSize(NAMESPACES).allSatisfy(sa -> assertThat(sa.getImagePullSecrets())
                    .extracting(LocalObjectReference::getName)
                    .as("imagePullSecrets of %s/default", sa.getMetadata().getNamespace())
                    .containsExactly("someone-elses", "reg"));
            var status = client.resources(SecretSyncPolicy.class).withName("kill").get().getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("Synced");
            });
            assertThat(status.getSyncedReplicas()).isEqualTo(NAMESPACES);
            assertThat(status.getFailedReplicas()).isZero();
        });
        Secret after = client.secrets().inNamespace("kill-0000").withName("bystander").get();
        assertThat(Serialization.asJson(after)).as("the unmanaged Secret").isEqualTo(Serialization.asJson(bystander));

        // the canary appears nowhere the two processes reported
        Canary.assertAbsent("log of the killed process", Files.readString(BASEDIR.resolve("target/kill-restart-1.log")));
        Canary.assertAbsent("log of the restarted process", Files.readString(BASEDIR.resolve("target/kill-restart-2.log")));
        Canary.assertAbsent("events", Serialization.asJson(client.v1().events().inAnyNamespace().list()));
        Canary.assertAbsent("status", Serialization.asJson(client.resources(SecretSyncPolicy.class).list()));
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port2 + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("secretsync_replicas");
        Canary.assertAbsent("metrics", metrics.body());
    }

    List<Secret> replicas() {
        return client.secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, "kill").list().getItems();
    }

    /** A bigger heap than the harness's: 1,000 namespaces; console at DEBUG for the kill's log. */
    @Override
    Process startOperator(int httpPort, String logFile) throws IOException {
        return startOperator(httpPort, logFile, "-Xmx512m", "-Dquarkus.log.console.level=DEBUG");
    }
}
