package io.secretsync.operator.reliability;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LocalObjectReference;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.OperatorTestSupport;
import io.secretsync.operator.testsupport.MockServerRequests;

/**
 * The API server refuses (500, 429) or another client races the operator (409): the failure is
 * in the status meanwhile, the operator backs off instead of hot-looping, and it converges.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ApiServerRefusalsTest extends OperatorTestSupport {
    private static final Logger LOG = Logger.getLogger(ApiServerRefusalsTest.class);
    static final Duration CONVERGE = Duration.ofSeconds(120);

    static Status status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    }

    @Test
    void serverErrorsAndThrottlingAreReportedBackedOffAndRecovered() throws IOException {
        createNamespace("err-src");
        createNamespace("err-a");
        createNamespace("err-b");
        createNamespace("err-ok");
        createSecret(opaque("err-src", "creds", Canary.value("err")));
        mockServer().expect().post().withPath("/api/v1/namespaces/err-a/secrets")
                .andReturn(500, status(500, "InternalError", "etcdserver: request timed out")).always();
        mockServer().expect().post().withPath("/api/v1/namespaces/err-b/secrets")
                .andReturn(429, status(429, "TooManyRequests", "slow down")).always();
        MockServerRequests.drain(mockServer());
        createPolicy("err", spec("err-src", List.of("creds"), null, List.of("err-a", "err-b", "err-ok"), null));

        // meanwhile: the good namespace is served, the status names both failures with their HTTP code
        awaitSecret("err-ok", "creds");
        await().atMost(CONVERGE).untilAsserted(() -> {
            var status = policy("err").getStatus();
            assertThat(status).isNotNull();
            assertThat(ready(status).orElseThrow().getReason()).isEqualTo("PartiallySynced");
            assertThat(status.getFailures()).extracting(ReplicaFailure::getNamespace, ReplicaFailure::getReason)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("err-a", "WriteFailed"),
                            org.assertj.core.groups.Tuple.tuple("err-b", "WriteFailed"));
            assertThat(status.getFailures().get(0).getMessage()).contains("HTTP 500");
            assertThat(status.getFailures().get(1).getMessage()).contains("HTTP 429");
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsFor("err"))
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("WriteFailed")));

        // no hot loop: across a 20 s window the operator attempts the failing writes a few times, not
        // hundreds; attempts are counted in its log (one warning per failed write), requests at the server
        String logBefore = Files.readString(Path.of("target/operator-test.log"));
        List<RecordedRequest> window = new ArrayList<>();
        await().pollDelay(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(30)).until(() -> {
            window.addAll(MockServerRequests.drain(mockServer()));
            return true;
        });
        String logAfter = Files.readString(Path.of("target/operator-test.log"));
        long attempts = count(logAfter.substring(Math.min(logBefore.length(), logAfter.length())),
                "policy err: create of Secret err-a/creds failed");
        long requests = window.stream().filter(r -> "POST".equals(r.getMethod())
                && r.getPath().startsWith("/api/v1/namespaces/err-a/secrets")).count();
        LOG.infof("failing writes in a 20 s window: %d operator attempts, %d requests at the server", attempts, requests);
        assertThat(attempts).as("operator attempts in 20 s (backoff starts at 1 s and doubles)").isLessThanOrEqualTo(8);
        assertThat(requests).as("requests in 20 s, client retries included").isLessThan(100);

        // the server recovers: so does the policy, without waiting for the periodic resync
        mockServer().clearExpectations();
        awaitSecret("err-a", "creds");
        awaitSecret("err-b", "creds");
        var status = await().atMost(CONVERGE).until(() -> policy("err").getStatus(),
                s -> s != null && ready(s).map(c -> "Synced".equals(c.getReason())).orElse(false));
        assertThat(status.getSyncedReplicas()).isEqualTo(3);
        assertThat(status.getFailures()).isNull();
    }

    @Test
    void concurrentWritersCause409sTheOperatorRetriesAndConvergesWithoutLosingTheirChanges() {
        createNamespace("conc-src");
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String ns = String.format("conc-%02d", i);
            targets.add(ns);
            createNamespace(ns, "conc=yes");
            client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("default").withNamespace(ns).endMetadata().build()).create();
        }
        createSecret(opaque("conc-src", "reg", Canary.value("reg")));
        createSecret(opaque("conc-src", "tls", Canary.value("tls")));
        // the other writer wins the first races for certain: the server answers 409 to our first tries
        mockServer().expect().put().withPath("/api/v1/namespaces/conc-00/serviceaccounts/default")
                .andReturn(409, status(409, "Conflict", "the object has been modified")).times(3);
        mockServer().expect().post().withPath("/api/v1/namespaces/conc-01/secrets")
                .andReturn(409, status(409, "AlreadyExists", "secrets \"reg\" already exists")).times(2);

        SecretSyncPolicySpec spec = spec("conc-src", List.of("reg", "tls"), null, null, Fixtures.selector("conc=yes"));
        ImagePullSecretsSpec ips = new ImagePullSecretsSpec();
        ips.setServiceAccounts(List.of("default"));
        spec.setImagePullSecrets(ips);

        // and another client really edits replicas and ServiceAccounts while the operator works
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            for (int round = 0; round < 3; round++) {
                for (String ns : targets) {
                    String mine = "other-" + ns;
                    retryOnConflict(() -> client.serviceAccounts().inNamespace(ns).withName("default").edit(sa -> {
                        if (sa.getImagePullSecrets().stream().noneMatch(r -> mine.equals(r.getName()))) {
                            sa.getImagePullSecrets().add(new LocalObjectReference(mine));
                        }
                        return sa;
                    }));
                    if (client.secrets().inNamespace(ns).withName("reg").get() != null) {
                        retryOnConflict(() -> client.secrets().inNamespace(ns).withName("reg").edit(s -> {
                            s.setData(Map.of("value", Fixtures.b64("tampered-" + ns)));
                            return s;
                        }));
                    }
                }
            }
        });
        createPolicy("conc", spec);
        other.join();

        await().atMost(CONVERGE).untilAsserted(() -> {
            for (String ns : targets) {
                assertThat(value(secret(ns, "reg"), "value")).isEqualTo(Canary.value("reg"));
                assertThat(value(secret(ns, "tls"), "value")).isEqualTo(Canary.value("tls"));
                assertThat(refs(ns)).as("imagePullSecrets of %s/default", ns).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrder("other-" + ns, "reg", "tls");
            }
            var status = policy("conc").getStatus();
            assertThat(status).isNotNull();
            assertThat(ready(status).orElseThrow().getReason()).isEqualTo("Synced");
            assertThat(status.getSyncedReplicas()).isEqualTo(2 * targets.size());
        });

        // converged means quiet: no further writes to these namespaces (no hot loop)
        MockServerRequests.drain(mockServer());
        List<RecordedRequest> writes = new ArrayList<>();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> {
            writes.addAll(MockServerRequests.writes(MockServerRequests.drain(mockServer())).stream()
                    .filter(r -> r.getPath().startsWith("/api/v1/namespaces/conc-")).toList());
            return writes.isEmpty();
        });
        assertThat(writes).extracting(MockServerRequests::describe).isEmpty();
    }

    List<String> refs(String ns) {
        ServiceAccount s = client.serviceAccounts().inNamespace(ns).withName("default").get();
        return s == null || s.getImagePullSecrets() == null ? List.of()
                : s.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
    }

    static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

}
