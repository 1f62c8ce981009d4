package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * Two packaged operator processes under the shipped RBAC on one real Lease: exactly one leads;
 * the leader is killed (SIGKILL) in the middle of a rollout to 200 namespaces; the other takes the
 * Lease once it expires and finishes the rollout, and no replica is written twice (counted in the
 * API server's audit log).
 */
class LeaderElectionIT extends RealServerTest {
    static final String LEASE = "secretsync-operator-lease";
    static final int NAMESPACES = 200;
    /** The shipped timings (LeaderElectionSettings): lease 15 s, retry 2 s (fabric8 jitters it by up to 1.2x). */
    static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    static final Duration RETRY = Duration.ofMillis(2400);
    /** Scheduling slack of a loaded 2-core build machine on top of lease + retry. */
    static final Duration SLACK = Duration.ofSeconds(3);

    private final String first = getClass().getSimpleName();
    private final String second = first + "-b";
    private ShippedOperator.Process other;

    /** Spaced writes (25 per second), so the kill lands in the middle of the rollout. */
    @Override
    protected List<String> operatorOptions() {
        return List.of("-Dsecretsync.write-rate-limit=25");
    }

    @AfterAll
    void stopTheSecondProcess() throws InterruptedException {
        if (other != null) {
            other.close();
        }
    }

    @Test
    void theLeaderKilledMidRolloutIsReplacedWithinTheLeaseAndNoReplicaIsWrittenTwice() throws Exception {
        other = ShippedOperator.start(ShippedOperator.kubeconfig(cluster), second,
                operatorOptions().toArray(String[]::new));
        await("the second process serves /q/health/live; see " + other.log()).atMost(ShippedOperator.STARTUP)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertThat(other.process().isAlive()).as("second operator alive").isTrue();
                    return other.get("/q/health/live") == 200;
                });
        Map<String, ShippedOperator.Process> processes = Map.of(first, operator, second, other);

        String leader = awaitHolder(processes.keySet(), Duration.ofSeconds(60));
        String standby = leader.equals(first) ? second : first;
        System.out.printf("[LeaderElectionIT] leader %s, stand-by %s%n", leader, standby);

        admin.namespaces().resource(Fixtures.namespace("ha-src")).create();
        List<String> targets = createNamespaces("ha", NAMESPACES, "ha=yes");
        admin.secrets().inNamespace("ha-src").resource(Fixtures.opaque("ha-src", "ha-creds", "v1")).create();
        long mark = cluster.audit().mark();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("ha-policy",
                Fixtures.spec("ha-src", List.of("ha-creds"), null, null, Fixtures.selector("ha=yes")))).create();

        await("the rollout under way (40 replicas)").atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
                .until(() -> replicas("ha-policy").size() >= 40);
        processes.get(leader).process().destroyForcibly().waitFor();
        Instant killed = Instant.now();
        int atKill = replicas("ha-policy").size();
        assertThat(atKill).as("replicas when the leader was killed (mid-rollout)").isLessThan(NAMESPACES);

        Duration bound = LEASE_DURATION.plus(RETRY).plus(SLACK);
        awaitHolder(Set.of(standby), bound.plusSeconds(30));
        Duration takeOver = Duration.between(killed, Instant.now());
        System.out.printf("[LeaderElectionIT] leader killed with %d of %d replicas written; %s took the Lease"
                + " %.1f s later (lease %d s, retry %.1f s)%n", atKill, NAMESPACES, standby,
                takeOver.toMillis() / 1000.0, LEASE_DURATION.toSeconds(), RETRY.toMillis() / 1000.0);
        assertThat(takeOver).as("take-over after the leader's kill").isLessThanOrEqualTo(bound);

        awaitReason("ha-policy", "Synced");
        await("every replica").atMost(CONVERGE).until(() -> replicas("ha-policy").size() == NAMESPACES);
        List<Secret> replicas = replicas("ha-policy");
        assertThat(replicas).extracting(s -> s.getMetadata().getNamespace()).containsExactlyInAnyOrderElementsOf(targets);
        assertThat(replicas).allSatisfy(r -> assertThat(Fixtures.decode(r.getData().get("value"))).isEqualTo("v1"));
        assertThat(policy("ha-policy").getStatus().getSyncedReplicas()).isEqualTo(NAMESPACES);

        List<AuditLog.Entry> secretRequests = operatorRequestsSince(mark).stream()
                .filter(e -> e.resource().equals("secrets") && targets.contains(e.namespace())).toList();
        Map<String, Long> created = secretRequests.stream().filter(e -> e.verb().equals("create") && e.code() == 201)
                .collect(Collectors.groupingBy(AuditLog.Entry::namespace, TreeMap::new, Collectors.counting()));
        List<AuditLog.Entry> refusedCreates = secretRequests.stream()
                .filter(e -> e.verb().equals("create") && e.code() == 409).toList();
        List<AuditLog.Entry> otherWrites = AuditLog.secretWrites(secretRequests).stream()
                .filter(e -> !e.verb().equals("create")).toList();
        System.out.printf("[LeaderElectionIT] Secret creates answered 201: %d for %d replicas; creates answered"
                + " 409 AlreadyExists (duplicate attempts): %d %s; other successful Secret writes: %d%n",
                created.values().stream().mapToLong(Long::longValue).sum(), NAMESPACES, refusedCreates.size(),
                refusedCreates, otherWrites.size());
        assertThat(created.keySet()).as("namespaces whose replica was created").containsExactlyInAnyOrderElementsOf(targets);
        assertThat(created).as("successful creates per replica").allSatisfy((ns, n) -> assertThat(n).isEqualTo(1L));
        assertThat(refusedCreates).as("creates of a replica that already existed (409)").isEmpty();
        assertThat(otherWrites).as("updates or deletes of replicas that were written right the first time").isEmpty();
        assertThat(other.process().isAlive() || operator.process().isAlive()).isTrue();
        assertThat(processes.get(standby).process().isAlive()).as("the new leader runs on").isTrue();
    }

    private String awaitHolder(Set<String> candidates, Duration atMost) {
        return await("a Lease holder among " + candidates).atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Lease lease = admin.leases().inNamespace(ShippedOperator.NAMESPACE).withName(LEASE).get();
                    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
                }, holder -> holder != null && candidates.contains(holder));
    }
}
