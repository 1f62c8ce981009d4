package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * The real API server and its etcd going away under the packaged operator in the middle of a
 * rollout, and a watch that can only resume with 410 Gone: each time the operator lists and watches
 * again and converges, every replica written exactly once (counted in the audit log), nothing lost
 * and the process still running.
 * <p>
 * The operator reaches the API server through a {@link CuttableProxy}, so that its watches can be
 * broken while the API server keeps serving the test's changes. Secrets and Namespaces are served
 * without the API server's watch cache ({@code --watch-cache-sizes=secrets#0,namespaces#0}): their
 * watches read etcd's history, which an etcd compaction removes, so a watch resuming from before
 * the compaction gets 410 Gone from the real server (with the cache, kube-apiserver 1.20 keeps at
 * least 75 s of events in memory whatever size is asked for).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiServerRestartIT extends RealServerTest {
    static final int NAMESPACES = 200;
    static final Duration RECOVER = Duration.ofSeconds(150);
    static final String HTTP_GONE = "Watch restarting due to http gone";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final String IDENTITY = "ApiServerRestartIT";

    private CuttableProxy proxy;
    private int restarts;

    @Override
    protected Map<String, String> clusterEnv() {
        // A kube-apiserver that has just started answers 403 to every request until its RBAC
        // informers have synced (a second or two): the operator's retries then succeed. Those 403s
        // are the restart, not the shipped RBAC, whose least privilege the other classes prove.
        expectForbidden();
        return Map.of("APISERVER_EXTRA_ARGS", "--watch-cache-sizes=secrets#0,namespaces#0");
    }

    /** Spaced writes (25 per second), so that the outages land in the middle of a rollout. */
    @Override
    protected List<String> operatorOptions() {
        return List.of("-Dsecretsync.write-rate-limit=25",
                "-Dquarkus.log.category.\"io.fabric8.kubernetes.client.informers.impl.cache.Reflector\".level=DEBUG");
    }

    @Override
    protected ShippedOperator.Process startOperator(String logName) {
        if (proxy == null) {
            try {
                proxy = new CuttableProxy(Integer.parseInt(cluster.env("API_PORT")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<String> options = new ArrayList<>(operatorOptions());
        // a restarted container keeps its pod's name: the identity on the Lease
        options.add("-Dsecretsync.leader-election.identity=" + IDENTITY);
        return ShippedOperator.start(cluster.kubeconfigForServiceAccount(ShippedOperator.NAMESPACE,
                ShippedOperator.SERVICE_ACCOUNT, "https://127.0.0.1:" + proxy.port()), logName,
                options.toArray(String[]::new)).awaitReady();
    }

    /**
     * After an outage: the leader either renewed its Lease (the outage was shorter than its renew
     * deadline, 10 s) and runs on, or could not renew in time, stepped down and exited with code 1 so
     * that it cannot write next to a new leader (what kube-controller-manager does too); then the
     * test does what the kubelet does with the container: starts it again, under the same pod name.
     */
    private String leaderRenewedOrRestarted(String component) {
        String renewedAt = lease().getMetadata().getResourceVersion();
        await("the leader renews its Lease or exits").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !operator.process().isAlive()
                        || !lease().getMetadata().getResourceVersion().equals(renewedAt)
                                && IDENTITY.equals(lease().getSpec().getHolderIdentity()));
        if (operator.process().isAlive()) {
            return "the leader renewed its Lease and ran on";
        }
        int exit = operator.process().exitValue();
        assertThat(exit).as("exit code of a leader that lost its Lease").isEqualTo(1);
        assertThat(operator.logText()).contains("lost the Lease " + ShippedOperator.NAMESPACE + "/secretsync-operator-lease");
        restarts++;
        try {
            Files.copy(operator.log(), operator.log().resolveSibling(operator.log().getFileName() + ".exited-" + restarts),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        operator = startOperator(getClass().getSimpleName() + "-restart-" + restarts);
        return "the leader could not renew its Lease during the " + component + " outage, exited with code " + exit
                + " and was started again";
    }

    private io.fabric8.kubernetes.api.model.coordination.v1.Lease lease() {
        return admin.leases().inNamespace(ShippedOperator.NAMESPACE).withName("secretsync-operator-lease").get();
    }

    @AfterAll
    void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Order(1)
    void apiServerStoppedAndStartedMidRolloutConvergesWithEveryReplicaWrittenOnce() {
        Rollout rollout = startRollout("ra");
        Instant down = Instant.now();
        cluster.stopComponent("apiserver");
        cluster.startComponent("apiserver");
        Duration outage = Duration.between(down, Instant.now());
        String leader = leaderRenewedOrRestarted("kube-apiserver");
        System.out.printf("[ApiServerRestartIT] kube-apiserver down for %.1f s with %d of %d replicas written; %s%n",
                outage.toMillis() / 1000.0, rollout.atOutage(), NAMESPACES, leader);
        assertConvergedWithEveryReplicaWrittenOnce(rollout);
    }

    @Test
    @Order(2)
    void etcdStoppedAndStartedMidRolloutConvergesWithEveryReplicaWrittenOnce() {
        Rollout rollout = startRollout("rb");
        Instant down = Instant.now();
        cluster.stopComponent("etcd");
        // etcd's absence seen by the API server before it comes back
        await("the API server reports etcd unavailable (/readyz)").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> readyz() != 200);
        cluster.startComponent("etcd");
        Duration outage = Duration.between(down, Instant.now());
        String leader = leaderRenewedOrRestarted("etcd");
        System.out.printf("[ApiServerRestartIT] etcd down for %.1f s with %d of %d replicas written; %s%n",
                outage.toMillis() / 1000.0, rollout.atOutage(), NAMESPACES, leader);
        assertConvergedWithEveryReplicaWrittenOnce(rollout);
    }

    @Test
    @Order(3)
    void watchesThatCanOnlyResumeWith410GoneListAgainAndMissNothing() {
        admin.namespaces().resource(Fixtures.namespace("wx-src")).create();
        List<String> targets = createNamespaces("wx", 20, "wx=yes");
        admin.secrets().inNamespace("wx-src").resource(Fixtures.opaque("wx-src", "wx-creds", "v1")).create();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("wx",
                Fixtures.spec("wx-src", List.of("wx-creds"), null, null, Fixtures.selector("wx=yes")))).create();
        awaitReason("wx", "Synced");
        await("20 replicas").atMost(CONVERGE).until(() -> replicas("wx").size() == 20);

        int logOffset = operator.logText().length();
        long mark = cluster.audit().mark();
        proxy.cut();
        // what the operator's watches miss: a rotation, a deleted replica, a new target, a lost target
        Secret source = admin.secrets().inNamespace("wx-src").withName("wx-creds").get();
        source.getData().put("value", Fixtures.b64("v2"));
        admin.secrets().inNamespace("wx-src").resource(source).update();
        admin.secrets().inNamespace("wx-000").withName("wx-creds").delete();
        admin.namespaces().resource(Fixtures.namespace("wx-new", "wx=yes")).create();
        Namespace leaving = admin.namespaces().withName("wx-019").get();
        leaving.getMetadata().getLabels().remove("wx");
        admin.namespaces().resource(leaving).update();
        // and the history they would resume from is compacted away
        long compactedAt = compactEtcd();
        proxy.restore();
        // a change made while the watches resume
        admin.namespaces().resource(Fixtures.namespace("wx-late", "wx=yes")).create();

        await("a watch of the operator answered 410 Gone (log " + operator.log() + ")").atMost(RECOVER)
                .pollInterval(Duration.ofMillis(500)).until(() -> operator.logText().substring(logOffset).contains(HTTP_GONE));
        long gone = operator.logText().substring(logOffset).lines().filter(l -> l.contains(HTTP_GONE)).count();
        System.out.printf("[ApiServerRestartIT] etcd compacted at revision %d; watches restarted after 410 Gone: %d%n",
                compactedAt, gone);

        List<String> wanted = new ArrayList<>(targets.subList(0, 19));
        wanted.addAll(List.of("wx-new", "wx-late"));
        await("replicas in exactly the 21 targets, all v2").atMost(RECOVER).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    List<Secret> r = replicas("wx");
                    return r.size() == wanted.size()
                            && r.stream().allMatch(s -> "v2".equals(Fixtures.decode(s.getData().get("value"))))
                            && r.stream().map(s -> s.getMetadata().getNamespace()).toList().containsAll(wanted);
                });
        awaitReason("wx", "Synced");
        assertThat(admin.secrets().inNamespace("wx-019").withName("wx-creds").get()).as("replica of the lost target")
                .isNull();

        Map<String, Long> writes = AuditLog.secretWrites(operatorRequestsSince(mark)).stream()
                .filter(e -> e.namespace().startsWith("wx-") && !e.namespace().equals("wx-src"))
                .collect(Collectors.groupingBy(e -> e.verb() + " " + e.namespace(), TreeMap::new, Collectors.counting()));
        System.out.printf("[ApiServerRestartIT] writes after the watches expired: %s%n", writes);
        Map<String, Long> expected = new TreeMap<>();
        for (String ns : targets.subList(1, 19)) {
            expected.put("update " + ns, 1L);
        }
        expected.put("create wx-000", 1L);
        expected.put("create wx-new", 1L);
        expected.put("create wx-late", 1L);
        expected.put("delete wx-019", 1L);
        // The source rotation and the unlabelling of wx-019 reach the operator through two informers
        // that resume separately: the lost target's replica may get the new data once before its
        // namespace's change is seen and it is deleted. That is one write, not a duplicate.
        Long lostTargetUpdate = writes.remove("update wx-019");
        assertThat(lostTargetUpdate).as("updates of the lost target's replica before its deletion").isIn(null, 1L);
        // Likewise the deleted replica: when the replica informer resumes before the source
        // informer, the replica is created again with the data then known (v1) and updated once the
        // rotation is seen. Two writes, each the first of its change; never the same write twice.
        // The same holds for the replicas of the new targets (wx-new, wx-late): the namespace informer
        // may resume before the source informer.
        for (String created : List.of("wx-000", "wx-new", "wx-late")) {
            assertThat(writes.remove("update " + created)).as("updates of %s's new replica after the rotation is seen",
                    created).isIn(null, 1L);
        }
        assertThat(writes).as("each change applied once, nothing written twice").isEqualTo(expected);
        assertThat(operator.process().isAlive()).as("the operator process stayed up").isTrue();
    }

    record Rollout(String policy, List<String> targets, long mark, int atOutage) {
    }

    /** A policy copying one source into 200 fresh namespaces, returned once 40 replicas exist. */
    private Rollout startRollout(String prefix) {
        admin.namespaces().resource(Fixtures.namespace(prefix + "-src")).create();
        List<String> targets = createNamespaces(prefix, NAMESPACES, prefix + "=yes");
        admin.secrets().inNamespace(prefix + "-src").resource(Fixtures.opaque(prefix + "-src", prefix + "-creds", "v1"))
                .create();
        long mark = cluster.audit().mark();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy(prefix, Fixtures.spec(prefix + "-src",
                List.of(prefix + "-creds"), null, null, Fixtures.selector(prefix + "=yes")))).create();
        await("the rollout under way (40 replicas)").atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
                .until(() -> replicas(prefix).size() >= 40);
        int atOutage = replicas(prefix).size();
        assertThat(atOutage).as("replicas when the outage starts (mid-rollout)").isLessThan(NAMESPACES);
        return new Rollout(prefix, targets, mark, atOutage);
    }

    private void assertConvergedWithEveryReplicaWrittenOnce(Rollout rollout) {
        Instant back = Instant.now();
        await("every replica of " + rollout.policy() + "; see " + operator.log()).atMost(RECOVER)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    assertThat(operator.process().isAlive()).as("the operator process stays up").isTrue();
                    return replicas(rollout.policy()).size() == NAMESPACES;
                });
        awaitReason(rollout.policy(), "Synced");
        System.out.printf("[ApiServerRestartIT] %s converged %.1f s after the component was back%n", rollout.policy(),
                Duration.between(back, Instant.now()).toMillis() / 1000.0);
        List<Secret> replicas = replicas(rollout.policy());
        assertThat(replicas).extracting(s -> s.getMetadata().getNamespace())
                .containsExactlyInAnyOrderElementsOf(rollout.targets());
        assertThat(replicas).allSatisfy(r -> assertThat(Fixtures.decode(r.getData().get("value"))).isEqualTo("v1"));
        assertThat(policy(rollout.policy()).getStatus().getSyncedReplicas()).isEqualTo(NAMESPACES);

        List<AuditLog.Entry> secretRequests = operatorRequestsSince(rollout.mark()).stream()
                .filter(e -> e.resource().equals("secrets") && rollout.targets().contains(e.namespace())).toList();
        Map<String, Long> created = secretRequests.stream().filter(e -> e.verb().equals("create") && e.code() == 201)
                .collect(Collectors.groupingBy(AuditLog.Entry::namespace, TreeMap::new, Collectors.counting()));
        Map<String, Long> unsuccessful = secretRequests.stream().filter(AuditLog.Entry::isWrite)
                .filter(e -> e.code() >= 300)
                .collect(Collectors.groupingBy(e -> e.verb() + " " + e.code(), TreeMap::new, Collectors.counting()));
        List<AuditLog.Entry> otherWrites = AuditLog.secretWrites(secretRequests).stream()
                .filter(e -> !e.verb().equals("create")).toList();
        System.out.printf("[ApiServerRestartIT] %s: creates answered 201: %d for %d replicas; writes not done"
                + " (answers): %s; other successful Secret writes: %d%n", rollout.policy(),
                created.values().stream().mapToLong(Long::longValue).sum(), NAMESPACES, unsuccessful, otherWrites.size());
        // every replica exists (above); a create the outage cut may have reached etcd without its
        // answer reaching the audit log (the retry then meets 409 and finds the replica right), so
        // the guarantee checked here is that no replica was created twice
        assertThat(rollout.targets()).containsAll(created.keySet());
        assertThat(created).as("successful creates per replica").allSatisfy((ns, n) -> assertThat(n).isEqualTo(1L));
        assertThat(otherWrites).as("updates or deletes of replicas that were right").isEmpty();
        assertThat(operator.process().isAlive()).as("the operator process stayed up").isTrue();
    }

    /** HTTP status of the API server's /readyz for the admin (curl: the cluster's own CA and token). */
    private int readyz() throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                "--cacert", cluster.env("CA_FILE"), "-H", "Authorization: Bearer " + cluster.env("ADMIN_TOKEN"),
                cluster.apiUrl() + "/readyz").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes()).trim();
        curl.waitFor();
        return out.matches("\\d+") ? Integer.parseInt(out) : -1;
    }

    /** Compacts etcd's history up to its current revision (etcd's HTTP gateway), returns that revision. */
    private long compactEtcd() {
        String etcd = "http://127.0.0.1:" + cluster.env("ETCD_PORT");
        try {
            String range = post(etcd + "/v3/kv/range", "{\"key\":\"Lw==\",\"limit\":1}");
            long revision = JSON.readTree(range).path("header").path("revision").asLong();
            assertThat(revision).as("etcd's revision").isPositive();
            post(etcd + "/v3/kv/compaction", "{\"revision\":" + revision + ",\"physical\":true}");
            return revision;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String post(String url, String body) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("%s answered %s", url, r.body()).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
