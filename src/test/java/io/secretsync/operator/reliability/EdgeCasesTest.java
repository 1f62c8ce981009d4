package io.secretsync.operator.reliability;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.OperatorTestSupport;
import io.secretsync.operator.sync.ReplicaMetadata;

/** Large data, a source namespace that comes late, namespaces that go mid-write, policies that race. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class EdgeCasesTest extends OperatorTestSupport {
    static final Duration CONVERGE = Duration.ofSeconds(90);
    /** The API server's limit on a Secret's data is 1 MiB; stay just under it. */
    static final int ONE_MIB = 1024 * 1024;

    @Test
    void oneMebibyteOfSecretDataIsCopiedIntact() {
        createNamespace("big-src");
        List<String> targets = List.of("big-a", "big-b", "big-c");
        targets.forEach(this::createNamespace);
        StringBuilder value = new StringBuilder(Canary.value("big-"));
        while (value.length() < ONE_MIB - 64) {
            value.append((char) ('a' + value.length() % 26));
        }
        Secret source = createSecret(opaque("big-src", "big", value.toString()));
        createPolicy("big", spec("big-src", List.of("big"), null, targets, null));
        awaitReady("big", "True", "Synced");
        for (String ns : targets) {
            Secret replica = awaitSecret(ns, "big");
            assertThat(replica.getData().get("value")).as("data of %s/big", ns).isEqualTo(source.getData().get("value"));
            assertThat(replica.getMetadata().getAnnotations()).containsKey(ReplicaMetadata.CONTENT_HASH_ANNOTATION);
        }
        assertThat(Fixtures.decode(source.getData().get("value")).length()).isGreaterThan(ONE_MIB - 100);
    }

    @Test
    void sourceNamespaceThatDoesNotExistYetIsReportedThenServedWhenItAppears() {
        createNamespace("late-a");
        createPolicy("late", spec("late-src", List.of("creds"), null, List.of("late-a"), null));
        var status = awaitReady("late", "False", "SourceNotFound");
        assertThat(ready(status).orElseThrow().getMessage()).contains("source namespace late-src does not exist");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsFor("late")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("late-src does not exist");
        }));
        assertThat(secret("late-a", "creds")).isNull();

        createNamespace("late-src");
        createSecret(opaque("late-src", "creds", Canary.value("late")));
        awaitSecret("late-a", "creds");
        awaitReady("late", "True", "Synced");
    }

    @Test
    void namespacesDeletedWhileReplicasAreWrittenLeaveNoFailureAndNoOrphan() {
        createNamespace("gone-src");
        List<String> staying = new ArrayList<>();
        List<String> leaving = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String ns = String.format("gone-%02d", i);
            createNamespace(ns, "gone=yes");
            (i < 20 ? staying : leaving).add(ns);
        }
        createSecret(opaque("gone-src", "one", Canary.value("gone-one")));
        createSecret(opaque("gone-src", "two", Canary.value("gone-two")));
        createPolicy("gone", spec("gone-src", List.of("one", "two"), null, null, Fixtures.selector("gone=yes")));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> !replicasOf("gone").isEmpty());

        // half the namespaces go while the rollout runs; as on a real server, writes into them now
        // fail with 404 and their Secrets go with them
        for (String ns : leaving) {
            mockServer().expect().post().withPath("/api/v1/namespaces/" + ns + "/secrets")
                    .andReturn(404, new StatusBuilder().withStatus("Failure").withCode(404).withReason("NotFound")
                            .withMessage("namespaces \"" + ns + "\" not found").build())
                    .always();
            client.namespaces().withName(ns).delete();
        }
        for (String ns : leaving) {
            client.secrets().inNamespace(ns).delete();
        }

        await().atMost(CONVERGE).untilAsserted(() -> {
            var status = policy("gone").getStatus();
            assertThat(status).isNotNull();
            assertThat(ready(status).orElseThrow().getReason()).isEqualTo("Synced");
            assertThat(status.getTargetNamespaces()).isEqualTo(staying.size());
            assertThat(status.getSyncedReplicas()).isEqualTo(2 * staying.size());
            assertThat(replicasOf("gone")).extracting(s -> s.getMetadata().getNamespace())
                    .as("no replica outside the namespaces that stayed").allMatch(staying::contains)
                    .hasSize(2 * staying.size());
        });
    }

    @Test
    void twoPoliciesRacingForTheSameTargetEndWithOneOwnerAndNoFlipFlop() {
        createNamespace("race2-src-1");
        createNamespace("race2-src-2");
        createNamespace("race2-t");
        createNamespace("race2-own-1");
        createNamespace("race2-own-2");
        createSecret(opaque("race2-src-1", "creds", Canary.value("race-1")));
        createSecret(opaque("race2-src-2", "creds", Canary.value("race-2")));
        CompletableFuture<?> first = CompletableFuture.runAsync(() -> createPolicy("race2-first",
                spec("race2-src-1", List.of("creds"), null, List.of("race2-t", "race2-own-1"), null)));
        CompletableFuture<?> second = CompletableFuture.runAsync(() -> createPolicy("race2-second",
                spec("race2-src-2", List.of("creds"), null, List.of("race2-t", "race2-own-2"), null)));
        CompletableFuture.allOf(first, second).join();

        // each serves its own namespace; exactly one owns the shared replica, the other says so
        awaitSecret("race2-own-1", "creds");
        awaitSecret("race2-own-2", "creds");
        Secret shared = awaitSecret("race2-t", "creds");
        String owner = labels(shared).get(ReplicaMetadata.POLICY_LABEL);
        String loser = "race2-first".equals(owner) ? "race2-second" : "race2-first";
        assertThat(owner).isIn("race2-first", "race2-second");
        awaitReady(owner, "True", "Synced");
        var status = awaitReady(loser, "False", "PartiallySynced");
        assertThat(status.getFailures()).singleElement().satisfies(f -> {
            assertThat(f.getNamespace()).isEqualTo("race2-t");
            assertThat(f.getReason()).isEqualTo("OwnedByAnotherPolicy");
            assertThat(f.getMessage()).contains(owner);
        });
        String expected = Canary.value("race2-first".equals(owner) ? "race-1" : "race-2");
        Secret settled = secret("race2-t", "creds");
        assertThat(value(settled, "value")).isEqualTo(expected);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> settled.getMetadata()
                .getResourceVersion().equals(secret("race2-t", "creds").getMetadata().getResourceVersion()));
    }

    List<Secret> replicasOf(String policy) {
        return client.secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, policy).list().getItems();
    }

}
