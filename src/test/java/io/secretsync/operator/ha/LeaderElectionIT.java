package io.secretsync.operator.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.Stops;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.packaging.Manifests;
import io.secretsync.operator.packaging.RbacRules;
import io.secretsync.operator.sync.Conditions;
import io.secretsync.operator.tanzu.TanzuBuildServiceConvention;

/**
 * Two packaged operator processes (production profile, leader election on) against one CRUD
 * mock API server in this JVM. Each process authenticates with its own bearer token, so the
 * server's request log says who sent what. Only the Lease holder writes; when it is killed,
 * the other takes the Lease and carries on. Every request either process makes must be allowed
 * by the RBAC rules in target/kubernetes/kubernetes.yml.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderElectionIT {
    static final String OPERATOR_NS = "secretsync-system";
    static final String LEASE = "secretsync-operator-lease";
    static final Duration TAKEOVER = Duration.ofSeconds(60);

    record Call(String who, String method, String path) {
        boolean isWrite() {
            return !method.equals("GET");
        }

        RbacRules.Access access() {
            return RbacRules.access(method, path);
        }
    }

    static final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    static KubernetesMockServer server;
    static KubernetesClient client;
    static final Map<String, Process> operators = new LinkedHashMap<>();
    static RbacRules rbac;

    @BeforeAll
    static void startServerAndOperators() throws Exception {
        List<HasMetadata> manifests = Manifests.load(Manifests.kubernetesYml());
        rbac = RbacRules.of(manifests, "secretsync-operator", OPERATOR_NS);
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(responses) {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String auth = request.getHeader("Authorization");
                // the operators send their identity as bearer token; anything else is this test
                String token = auth == null ? "" : auth.replace("Bearer ", "");
                String who = token.startsWith("operator-") ? token : "test";
                calls.add(new Call(who, request.getMethod(), request.getPath()));
                return super.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, crud, false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        // The SDK asks the API server what it may do with Leases before it campaigns; answer as
        // an RBAC authorizer would from the generated Role.
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReply(201, r -> leaseReview()).always();
        client = server.createClient();

        Manifests.crds().forEach(crd -> client.resource(crd).create());
        for (String ns : List.of(OPERATOR_NS, "ha-src", "ha-a", "ha-b")) {
            client.namespaces().resource(Fixtures.namespace(ns)).create();
        }
        client.secrets().inNamespace("ha-src").resource(noUid(Fixtures.opaque("ha-src", "creds", "one"))).create();

        operators.put("operator-a", start("operator-a"));
        operators.put("operator-b", start("operator-b"));
    }

    /** SIGTERM, as the kubelet stops a pod; a process that does not end within 10 s fails the class. */
    @AfterAll
    static void stop() throws InterruptedException {
        String killed = Stops.cleanup(operators.values());
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
        assertThat(killed).as("operators that did not end on SIGTERM").isEmpty();
    }

    @Test
    @Order(1)
    void onlyTheLeaderWritesAndTheOtherTakesOver() throws Exception {
        String leader = awaitLeader(Set.of("operator-a", "operator-b"));
        String standby = leader.equals("operator-a") ? "operator-b" : "operator-a";

        // the stand-by is alive: it has listed and is watching, it is just not the leader
        await().atMost(TAKEOVER).until(() -> callsBy(standby).stream()
                .anyMatch(c -> c.method().equals("GET") && c.path().contains("/secretsyncpolicies")));

        client.resources(SecretSyncPolicy.class).resource(Fixtures.policy("ha-one",
                Fixtures.spec("ha-src", List.of("creds"), null, List.of("ha-a"), null))).create();
        await().atMost(TAKEOVER).until(() -> secret("ha-a", "creds") != null);
        await().atMost(TAKEOVER).until(() -> ready("ha-one"));
        // the Tanzu Build Service convention's policy is a write like any other: the leader creates it
        // when leadership is announced, the stand-by never does (checked with every other write below)
        await().atMost(TAKEOVER).until(() -> client.resources(SecretSyncPolicy.class)
                .withName(TanzuBuildServiceConvention.POLICY_NAME).get() != null);

        List<Call> byStandby = writesBy(standby).stream().filter(c -> !isLeaseOrReview(c)).toList();
        assertThat(byStandby).as("writes by the stand-by %s", standby).isEmpty();
        assertThat(writesBy(leader)).as("writes by the leader %s", leader)
                .anyMatch(c -> c.method().equals("POST") && c.path().contains("/namespaces/ha-a/secrets"))
                .anyMatch(c -> c.path().contains("/secretsyncpolicies/ha-one/status"))
                .anyMatch(c -> c.method().equals("POST") && c.path().endsWith("/secretsyncpolicies"));

        // the leader crashes (SIGKILL, on purpose: no Lease release); the stand-by must take the
        // Lease once it expires and carry on (GracefulStopIT covers SIGTERM)
        operators.get(leader).destroyForcibly().waitFor();
        int before = calls.size();
        assertThat(awaitLeader(Set.of(standby))).isEqualTo(standby);

        client.secrets().inNamespace("ha-src").resource(noUid(Fixtures.opaque("ha-src", "more", "two"))).create();
        client.resources(SecretSyncPolicy.class).resource(Fixtures.policy("ha-two",
                Fixtures.spec("ha-src", List.of("more"), null, List.of("ha-b"), null))).create();
        await().atMost(TAKEOVER).until(() -> secret("ha-b", "more") != null);
        await().atMost(TAKEOVER).until(() -> ready("ha-two"));
        List<Call> after = new ArrayList<>(calls).subList(before, calls.size());
        assertThat(after.stream().filter(Call::isWrite).filter(c -> !isLeaseOrReview(c))
                .filter(c -> !c.who().equals("test")).map(Call::who)
                .collect(Collectors.toSet())).as("who writes after the take-over").containsOnly(standby);
    }

    /** Runs last, so that it also covers the take-over. */
    @Test
    @Order(2)
    void everyRequestIsAllowedByTheGeneratedRbac() {
        awaitLeader(operators.keySet());
        await().atMost(TAKEOVER).until(() -> callsBy("operator-a").size() > 5 && callsBy("operator-b").size() > 5);
        List<String> denied = calls.stream().filter(c -> !c.who().equals("test")).map(Call::access)
                .filter(a -> a != null && !rbac.allows(a)).map(Object::toString).distinct().toList();
        assertThat(denied).as("requests the manifests do not allow").isEmpty();
    }

    private static String awaitLeader(Set<String> candidates) {
        return await().atMost(TAKEOVER).until(() -> {
            Lease lease = client.leases().inNamespace(OPERATOR_NS).withName(LEASE).get();
            return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        }, holder -> holder != null && candidates.contains(holder));
    }

    private static boolean isLeaseOrReview(Call c) {
        return c.path().contains("/leases") || c.path().contains("/selfsubjectrulesreviews");
    }

    private static List<Call> callsBy(String who) {
        return calls.stream().filter(c -> c.who().equals(who)).toList();
    }

    private static List<Call> writesBy(String who) {
        return callsBy(who).stream().filter(Call::isWrite).toList();
    }

    private static Secret secret(String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    private static boolean ready(String policy) {
        SecretSyncPolicy p = client.resources(SecretSyncPolicy.class).withName(policy).get();
        return p != null && p.getStatus() != null && Conditions.find(p.getStatus().getConditions(), Conditions.READY)
                .map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
    }

    private static Secret noUid(Secret s) {
        s.getMetadata().setUid(null);
        return s;
    }

    /** The Lease rules the generated Role grants in the operator namespace. */
    private static SelfSubjectRulesReview leaseReview() {
        List<io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule> rules = rbac.grants().stream()
                .filter(g -> OPERATOR_NS.equals(g.namespace()))
                .map(g -> new ResourceRuleBuilder().withApiGroups(g.rule().getApiGroups())
                        .withResources(g.rule().getResources()).withResourceNames(g.rule().getResourceNames())
                        .withVerbs(g.rule().getVerbs()).build())
                .toList();
        return new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(OPERATOR_NS).endSpec()
                .withNewStatus().withIncomplete(false).withResourceRules(rules).endStatus().build();
    }

    private static Process start(String identity) throws IOException {
        Path dir = Manifests.projectDir();
        Path jar = dir.resolve("target/quarkus-app/quarkus-run.jar");
        Path log = dir.resolve("target/ha-it/" + identity + ".log");
        Files.createDirectories(log.getParent());
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=0",
                "-Dquarkus.kubernetes-client.api-server-url=http://127.0.0.1:" + server.getPort(),
                "-Dquarkus.kubernetes-client.token=" + identity,
                "-Dquarkus.kubernetes-client.namespace=" + OPERATOR_NS,
                "-Dsecretsync.leader-election.identity=" + identity,
                "-Dsecretsync.leader-election.lease-namespace=" + OPERATOR_NS,
                "-Dsecretsync.leader-election.lease-duration=10s",
                "-Dsecretsync.leader-election.renew-deadline=8s",
                "-Dsecretsync.leader-election.retry-period=1s",
                "-jar", jar.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
