package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * Shards on a real API server (contract section 8): the unsharded process and shards {@code a} and
 * {@code b}, each a packaged operator under a ServiceAccount of its own (bound to the shipped
 * ClusterRole, and to a Role for its own Lease) so that the audit log tells their writes apart.
 * Each serves exactly its policies; a shard killed stalls only its policies; a relabelled policy
 * moves to the other shard; a policy whose finalizer is removed by hand is swept within seconds,
 * by the process that served it and no other.
 */
class ShardsIT extends RealServerTest {
    private static final Duration SWEEP = Duration.ofSeconds(20);
    private ShippedOperator.Process shardA;
    private ShippedOperator.Process shardB;

    @AfterAll
    void stopShards() throws InterruptedException {
        for (ShippedOperator.Process p : new ShippedOperator.Process[] { shardA, shardB }) {
            if (p != null) {
                p.close();
            }
        }
    }

    private void policy(String name, String source, String shard) {
        SecretSyncPolicy p = Fixtures.policy(name,
                Fixtures.spec("shard-src", List.of(source), null, null, Fixtures.selector("shards=yes")));
        if (shard != null) {
            p.getMetadata().setLabels(Map.of("secretsync.io/shard", shard));
        }
        admin.resources(SecretSyncPolicy.class).resource(p).create();
    }

    private void updateSource(String name, String value) {
        Secret s = admin.secrets().inNamespace("shard-src").withName(name).get();
        s.getData().put("value", Fixtures.b64(value));
        admin.secrets().inNamespace("shard-src").resource(s).update();
    }

    private boolean replicasCarry(String policy, String value) {
        List<Secret> replicas = replicas(policy);
        return replicas.size() == 3
                && replicas.stream().allMatch(r -> value.equals(Fixtures.decode(r.getData().get("value"))));
    }

    /** Secret names each user wrote (created, updated, deleted) since {@code mark}. */
    private Map<String, Set<String>> secretWritesByUser(long mark) {
        Map<String, Set<String>> result = new HashMap<>();
        for (AuditLog.Entry e : AuditLog.secretWrites(cluster.audit().since(mark))) {
            if (e.namespace().startsWith("shard-t")) {
                result.computeIfAbsent(e.user(), u -> new java.util.TreeSet<>()).add(e.name());
            }
        }
        return result;
    }

    @Test
    void eachShardServesExactlyItsPoliciesAndAPolicyMovesBetweenShards() {
        java.nio.file.Path kubeconfigA = ShardAccount.create(cluster, "a");
        java.nio.file.Path kubeconfigB = ShardAccount.create(cluster, "b");
        admin.namespaces().resource(Fixtures.namespace("shard-src")).create();
        for (int i = 0; i < 3; i++) {
            admin.namespaces().resource(Fixtures.namespace("shard-t" + i, "shards=yes")).create();
        }
        for (String s : List.of("s0", "sa", "sb")) {
            admin.secrets().inNamespace("shard-src").resource(Fixtures.opaque("shard-src", s, "v1")).create();
        }
        long start = cluster.audit().mark();
        shardA = ShippedOperator.start(kubeconfigA, "ShardsIT-a", "-Dsecretsync.shard=a").awaitReady();
        shardB = ShippedOperator.start(kubeconfigB, "ShardsIT-b", "-Dsecretsync.shard=b").awaitReady();
        policy("p0", "s0", null);
        policy("pa", "sa", "a");
        policy("pb", "sb", "b");
        for (String p : List.of("p0", "pa", "pb")) {
            awaitReason(p, "Synced");
        }
        assertThat(replicas("p0")).hasSize(3);
        assertThat(replicas("pa")).hasSize(3);
        assertThat(replicas("pb")).hasSize(3);

        // each process wrote only its own policies' replicas, and elected its leader on its own Lease
        Map<String, Set<String>> writes = secretWritesByUser(start);
        assertThat(writes).containsOnlyKeys(ShippedOperator.USER, ShardAccount.user("a"), ShardAccount.user("b"));
        assertThat(writes.get(ShippedOperator.USER)).containsExactly("s0");
        assertThat(writes.get(ShardAccount.user("a"))).containsExactly("sa");
        assertThat(writes.get(ShardAccount.user("b"))).containsExactly("sb");
        Map<String, String> holders = admin.leases().inNamespace(ShippedOperator.NAMESPACE).list().getItems().stream()
                .collect(Collectors.toMap(l -> l.getMetadata().getName(), (Lease l) -> l.getSpec().getHolderIdentity()));
        assertThat(holders).containsEntry("secretsync-operator-lease", "ShardsIT")
                .containsEntry("secretsync-operator-lease-a", "ShardsIT-a")
                .containsEntry("secretsync-operator-lease-b", "ShardsIT-b");
        // metrics carry the shard
        assertThat(shardA.body("/q/metrics")).contains("secretsync_replicas{cluster=\"local\",policy=\"pa\",shard=\"a\"}");
        assertThat(operator.body("/q/metrics")).contains("secretsync_replicas{cluster=\"local\",policy=\"p0\",shard=\"\"}");

        // shard b killed: only its policy stalls
        shardB.process().destroyForcibly();
        updateSource("s0", "v2");
        updateSource("sa", "v2");
        updateSource("sb", "v2");
        await("p0 and pa roll out v2 while shard b is down").atMost(CONVERGE)
                .until(() -> replicasCarry("p0", "v2") && replicasCarry("pa", "v2"));
        assertThat(replicas("pb")).allSatisfy(r -> assertThat(Fixtures.decode(r.getData().get("value"))).isEqualTo("v1"));
        shardB = ShippedOperator.start(kubeconfigB, "ShardsIT-b2", "-Dsecretsync.shard=b").awaitReady();
        await("pb rolls out v2 once shard b is back").atMost(CONVERGE).until(() -> replicasCarry("pb", "v2"));

        // pa relabelled to shard b: b takes it over, a writes it no more
        SecretSyncPolicy pa = policy("pa");
        pa.getMetadata().setLabels(Map.of("secretsync.io/shard", "b"));
        admin.resources(SecretSyncPolicy.class).resource(pa).update();
        // the move has happened once shard b has reconciled pa (its gauge appears there); a change
        // made before that may still be served by shard a, which is a hand-over, not two writers
        await("shard b serves pa").atMost(CONVERGE)
                .until(() -> shardB.body("/q/metrics").contains("secretsync_replicas{cluster=\"local\",policy=\"pa\",shard=\"b\"}"));
        long moved = cluster.audit().mark();
        updateSource("sa", "v3");
        await("pa rolls out v3 from shard b").atMost(CONVERGE).until(() -> replicasCarry("pa", "v3"));
        awaitReason("pa", "Synced");
        Map<String, Set<String>> afterMove = secretWritesByUser(moved);
        assertThat(afterMove.get(ShardAccount.user("b"))).contains("sa");
        assertThat(afterMove.getOrDefault(ShardAccount.user("a"), Set.of())).as("writes of shard a after the move")
                .isEmpty();
        assertThat(afterMove.getOrDefault(ShippedOperator.USER, Set.of())).doesNotContain("sa", "sb");
        assertThat(replicas("pa")).hasSize(3);

        // p0's finalizer removed by hand, then deleted: its replicas are released within seconds, by
        // the unsharded process that served it (deletionPolicy Delete is recorded on them)
        long vanish = cluster.audit().mark();
        SecretSyncPolicy p0 = policy("p0");
        p0.getMetadata().setFinalizers(List.of());
        admin.resources(SecretSyncPolicy.class).resource(p0).update();
        admin.resources(SecretSyncPolicy.class).withName("p0").delete();
        await("replicas of p0 released within seconds").atMost(SWEEP).until(() -> replicas("p0").isEmpty());
        Map<String, Set<String>> afterVanish = secretWritesByUser(vanish);
        assertThat(afterVanish.getOrDefault(ShardAccount.user("a"), Set.of())).doesNotContain("s0");
        assertThat(afterVanish.getOrDefault(ShardAccount.user("b"), Set.of())).doesNotContain("s0");

        // least privilege holds for the shards' accounts too
        List<AuditLog.Entry> all = cluster.audit().entries();
        assertThat(AuditLog.forbidden(all.stream().filter(e -> e.user().startsWith(ShardAccount.user(""))).toList()))
                .isEmpty();
    }
}
