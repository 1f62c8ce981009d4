package io.secretsync.operator.reliability;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.OperatorTestSupport;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * The network between the operator and the API server fails: a TCP proxy that the test controls
 * sits between them. The test itself talks to the API server directly, so it can change the
 * cluster while the operator is cut off.
 * <p>
 * What is simulated: the test API server does not keep a watch history. A real API server either
 * replays the events a resuming watch missed or, when its history is compacted, answers 410 Gone
 * so that the client lists again. The proxy gives that 410 to every watch resuming from before
 * the cut, so the operator's informers take the relist path a real server can force on them.
 * The periodic resync interval stays at its default (10 minutes): recovery must not wait for it.
 */
@QuarkusTest
@TestProfile(NetworkCutTest.BehindProxy.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkCutTest extends OperatorTestSupport {
    static final Duration CONVERGE = Duration.ofSeconds(120);
    static final int NAMESPACES = 120;

    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedApiServer.class));
        }
    }

    TcpProxy proxy;

    @BeforeEach
    void talkToTheServerDirectly() {
        client = ProxiedApiServer.direct;
        proxy = ProxiedApiServer.proxy;
    }

    @Test
    @Order(1)
    void apiServerUnreachableFor30SecondsMidRolloutThenConverges() {
        createNamespace("cut-src");
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            String ns = String.format("cut-%03d", i);
            targets.add(ns);
            createNamespace(ns, "cut=yes");
            createServiceAccount(ns, "default", "someone-elses");
        }
        Map<String, String> bystanders = new HashMap<>();
        bystanders.put("cut-000/bystander", createSecret(opaque("cut-000", "bystander", Canary.value("by0")))
                .getMetadata().getResourceVersion());
        bystanders.put("cut-001/bystander", createSecret(opaque("cut-001", "bystander", Canary.value("by1")))
                .getMetadata().getResourceVersion());
        createSecret(opaque("cut-src", "one", Canary.value("one-v1")));
        createSecret(opaque("cut-src", "two", Canary.value("two-v1")));
        SecretSyncPolicySpec spec = Fixtures.spec("cut-src", List.of("one", "two"), null, null,
                Fixtures.selector("cut=yes"));
        ImagePullSecretsSpec ips = new ImagePullSecretsSpec();
        ips.setServiceAccounts(List.of("default"));
        spec.setImagePullSecrets(ips);
        createPolicy("cut", spec);

        // mid-rollout: the first replicas are there, most are not
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> replicasOf("cut").size() >= 1);
        long versionAtCut = currentResourceVersion();
        proxy.expireWatchesUpTo(versionAtCut);
        proxy.cut();
        int writtenBeforeCut = replicasOf("cut").size();
        int acceptedAtCut = proxy.acceptedConnections();
        int refusedAtCut = proxy.refusedConnections();

        // the world moves on while the operator cannot see it
        editSecret("cut-src", "one", s -> s.setData(Map.of("value", Fixtures.b64(Canary.value("one-v2")))));
        createNamespace("cut-new", "cut=yes");
        createServiceAccount("cut-new", "default", "someone-elses");
        targets.add("cut-new");
        editNamespace("cut-002", ns -> ns.getMetadata().getLabels().put("cut", "no"));
        targets.remove("cut-002");
        List<Secret> written = replicasOf("cut");
        written.stream().limit(3).forEach(s -> client.secrets().inNamespace(s.getMetadata().getNamespace())
                .withName(s.getMetadata().getName()).delete());

        // 30 s of outage; the operator keeps trying and nothing gets through
        await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(45)).until(() -> true);
        assertThat(proxy.acceptedConnections()).as("connections that got through the cut").isEqualTo(acceptedAtCut);
        assertThat(proxy.refusedConnections()).as("the operator retried during the cut").isGreaterThan(refusedAtCut);
        assertThat(writtenBeforeCut).as("the cut came mid-rollout").isLessThan(2 * NAMESPACES);
        proxy.restore();

        Map<String, String> expected = Map.of("one", Canary.value("one-v2"), "two", Canary.value("two-v1"));
        awaitConverged("cut", targets, expected, "default", List.of("someone-elses"));
        assertThat(secret("cut-002", "one")).as("replica in a namespace that stopped matching").isNull();
        assertThat(refs("cut-002", "default")).containsExactly("someone-elses");
        assertBystandersUntouched(bystanders);
        assertThat(proxy.expiredWatches()).as("informers listed again after the outage").isPositive();
    }

    @Test
    @Order(2)
    void watchesDropAndEverythingMissedMeanwhileIsPickedUpByTheRelist() {
        createNamespace("drop-src");
        List<String> targets = List.of("drop-a", "drop-b", "drop-c");
        targets.forEach(ns -> createNamespace(ns, "drop=yes"));
        createSecret(opaque("drop-src", "keep", Canary.value("keep")));
        createSecret(opaque("drop-src", "gone", Canary.value("gone")));
        Map<String, String> bystanders = Map.of("drop-a/mine",
                createSecret(opaque("drop-a", "mine", Canary.value("mine"))).getMetadata().getResourceVersion());
        createPolicy("drop", Fixtures.spec("drop-src", null, Fixtures.selector(), null, Fixtures.selector("drop=yes")));
        awaitReady("drop", "True", "Synced");
        await().atMost(TIMEOUT).until(() -> replicasOf("drop").size() == 6);

        // every watch drops; while they are down: a replica is deleted, one tampered with, a source deleted
        int expiredBefore = proxy.expiredWatches();
        proxy.expireWatchesUpTo(currentResourceVersion());
        proxy.cut();
        client.secrets().inNamespace("drop-a").withName("keep").delete();
        editSecret("drop-b", "keep", s -> s.setData(Map.of("value", Fixtures.b64("tampered"))));
        client.secrets().inNamespace("drop-src").withName("gone").delete();
        proxy.restore();

        awaitConverged("drop", targets, Map.of("keep", Canary.value("keep")), null, List.of());
        assertThat(proxy.expiredWatches()).as("watches that resumed from a compacted version").isGreaterThan(expiredBefore);
        assertBystandersUntouched(bystanders);
    }

    /**
     * The replica watch is down while the operator writes a replica; someone deletes it before the
     * watch comes back, and the watch comes back with a relist. The informer never held the
     * replica, so the relist has no event for it: only the operator's own record of its write says
     * it is there. That record must give way to the relist well before the periodic resync, or
     * the replica stays missing while the policy reports it synced (what made the first test
     * flaky: replicas written just before its cut, deleted during it).
     */
    @Test
    @Order(3)
    void aReplicaDeletedWhileItsWatchWasDownIsWrittenAgainAfterTheRelist() {
        createNamespace("ghost-src");
        createNamespace("ghost-a", "ghost=yes");
        createSecret(opaque("ghost-src", "one", Canary.value("ghost")));
        createPolicy("ghost", Fixtures.spec("ghost-src", List.of("one"), null, null, Fixtures.selector("ghost=yes")));
        awaitReady("ghost", "True", "Synced");

        // the operator still writes and reads; it only stops hearing about its replicas
        proxy.stallWatches(line -> line.contains("/secrets?") && line.contains("secretsync-operator"));
        await().atMost(TIMEOUT).until(() -> proxy.stalledWatches() > 0);
        createNamespace("ghost-b", "ghost=yes");
        await().atMost(TIMEOUT).until(() -> secret("ghost-b", "one") != null);
        client.secrets().inNamespace("ghost-b").withName("one").delete();
        await().atMost(TIMEOUT).until(() -> secret("ghost-b", "one") == null);
        int expiredBefore = proxy.expiredWatches();
        proxy.expireWatchesUpTo(currentResourceVersion());
        proxy.releaseWatches();
        await().atMost(TIMEOUT).until(() -> proxy.expiredWatches() > expiredBefore);

        // well inside JOSDK's default ghost check (3 min) and the periodic resync (10 min)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(secret("ghost-b", "one")).as("ghost-b/one written again").isNotNull());
        awaitConverged("ghost", List.of("ghost-a", "ghost-b"), Map.of("one", Canary.value("ghost")), null, List.of());
    }

    // ---------------------------------------------------------------------------------------------

    /** Every target has exactly the expected replicas, in sync; no replica elsewhere; status Synced. */
    void awaitConverged(String policy, List<String> targets, Map<String, String> expected, String serviceAccount,
            List<String> othersReferences) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Secret> replicas = new HashMap<>();
            replicasOf(policy).forEach(s -> replicas.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s));
            Set<String> wanted = new TreeSet<>();
            targets.forEach(ns -> expected.keySet().forEach(name -> wanted.add(ns + "/" + name)));
            assertThat(new TreeSet<>(replicas.keySet())).as("replicas of %s (none orphaned, none missing)", policy)
                    .isEqualTo(wanted);
            replicas.forEach((key, s) -> {
                String name = s.getMetadata().getName();
                assertThat(Fixtures.decode(s.getData().get("value"))).as("data of %s", key).isEqualTo(expected.get(name));
                assertThat(labels(s)).containsEntry(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE);
            });
            if (serviceAccount != null) {
                for (String ns : targets) {
                    List<String> want = new ArrayList<>(othersReferences);
                    want.addAll(new TreeSet<>(expected.keySet()));
                    assertThat(refs(ns, serviceAccount)).as("imagePullSecrets of %s/%s", ns, serviceAccount)
                            .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(want);
                }
            }
            var status = policy(policy).getStatus();
            assertThat(status).isNotNull();
            assertThat(ready(status).orElseThrow().getReason()).isEqualTo("Synced");
            assertThat(status.getSyncedReplicas()).isEqualTo(targets.size() * expected.size());
            assertThat(status.getFailedReplicas()).isZero();
        });
        Canary.assertAbsent("status", Serialization.asJson(policy(policy)));
        Canary.assertAbsent("events", Serialization.asJson(client.v1().events().inAnyNamespace().list()));
    }

    void assertBystandersUntouched(Map<String, String> bystanders) {
        bystanders.forEach((key, version) -> {
            String[] nsName = key.split("/");
            Secret s = secret(nsName[0], nsName[1]);
            assertThat(s).as("unmanaged Secret %s", key).isNotNull();
            assertThat(s.getMetadata().getResourceVersion()).as("unmanaged Secret %s", key).isEqualTo(version);
        });
    }

    List<Secret> replicasOf(String policy) {
        return client.secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, policy).list().getItems();
    }

    long currentResourceVersion() {
        return Long.parseLong(client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withGenerateName("rv-marker-").withNamespace("default").endMetadata().build())
                .create().getMetadata().getResourceVersion());
    }

    @Override
    protected SecretSyncPolicy policy(String name) {
        return client.resources(SecretSyncPolicy.class).withName(name).get();
    }
}
