package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.demo.Crds;
import io.secretsync.operator.demo.EmbeddedApiServer;

/**
 * Issue 9, on the packaged operator: memory does not grow with Secret size (a 900 KiB Secret
 * into 200 namespaces converges in a 96 MiB heap), and an Error in the write path ends the
 * process with a non-zero code instead of leaving it running and stuck.
 */
class FailLoudlyIT {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @Test
    void aLargeSecretIntoManyNamespacesConvergesInASmallHeap() throws Exception {
        int namespaces = 200;
        Path log = Path.of("target", "fail-loudly-small-heap.log");
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
            KubernetesClient client = server.client();
            server.register(Crds.secretSyncPolicy());
            seed(client, namespaces, 900);
            try (OperatorProcess op = OperatorProcess.start(JAR, server.clientProperties(), 8,
                    "-Xmx96m -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC", log)) {
                op.awaitReady(Duration.ofMinutes(2));
                client.resources(SecretSyncPolicy.class).resource(Benchmark.policy("big", List.of("bundle"))).create();
                Awaitility.await("900 KiB into " + namespaces + " namespaces; see " + log).atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofMillis(500)).until(() -> {
                            assertThat(op.alive()).as("operator alive; see %s", log).isTrue();
                            SecretSyncPolicy p = client.resources(SecretSyncPolicy.class).withName("big").get();
                            return p.getStatus() != null && Integer.valueOf(namespaces).equals(
                                    p.getStatus().getSyncedReplicas()) && p.getStatus().getConditions().stream()
                                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                        });
                assertThat(client.secrets().inNamespace(Benchmark.target(namespaces - 1)).withName("bundle").get()
                        .getData().get("ca.crt")).hasSizeGreaterThan(900 * 1024);
                assertThat(op.logCount("OutOfMemoryError")).isZero();
            }
        }
    }

    @Test
    void anErrorInTheWritePathEndsTheProcess() throws Exception {
        Path log = Path.of("target", "fail-loudly-error.log");
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
            KubernetesClient client = server.client();
            server.register(Crds.secretSyncPolicy());
            seed(client, 3, 1);
            // test-only hook: a write into this namespace throws an Error
            try (OperatorProcess op = OperatorProcess.start(JAR, server.clientProperties(), 8,
                    "-Dio.secretsync.testing.error-on-write-to=" + Benchmark.target(1), log)) {
                op.awaitReady(Duration.ofMinutes(2));
                client.resources(SecretSyncPolicy.class).resource(Benchmark.policy("boom", List.of("bundle"))).create();
                assertThat(op.awaitExit(Duration.ofMinutes(1))).isNotZero();
                assertThat(Files.readString(log)).contains("fatal java.lang.Error", "the operator exits");
            }
        }
    }

    private static void seed(KubernetesClient client, int namespaces, int kib) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(Benchmark.SOURCE_NS)
                .endMetadata().build()).create();
        byte[] payload = new byte[kib * 1024];
        new Random(kib).nextBytes(payload);
        client.secrets().inNamespace(Benchmark.SOURCE_NS).resource(new SecretBuilder().withNewMetadata()
                .withName("bundle").endMetadata().withType("Opaque")
                .addToData("ca.crt", Base64.getEncoder().encodeToString(payload)).build()).create();
        for (int i = 0; i < namespaces; i++) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(Benchmark.target(i))
                    .addToLabels(Benchmark.TARGET_LABEL, "target").endMetadata().build()).create();
        }
    }
}
