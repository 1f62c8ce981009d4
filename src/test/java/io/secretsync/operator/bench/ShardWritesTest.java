package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.secretsync.operator.realserver.AuditLog;

/** Which writes of the audit log the shards benchmark counts as whose, and as cross-shard. */
class ShardWritesTest {
    private static final ShardLayout LAYOUT = ShardLayout.of(2);
    private static final String A = ShardLayout.user("a");
    private static final String B = ShardLayout.user("b");
    private static final String UNSHARDED = ShardLayout.user(ShardLayout.UNSHARDED);

    @Test
    void eachProcessServesItsOwnPoliciesNamedAfterItAndAReplicaTellsItsPolicy() {
        assertThat(LAYOUT.policies()).containsExactly("bench-shard-unsharded-00", "bench-shard-unsharded-01",
                "bench-shard-a-00", "bench-shard-a-01", "bench-shard-b-00", "bench-shard-b-01");
        assertThat(LAYOUT.servedBy("a")).containsExactly("bench-shard-a-00", "bench-shard-a-01");
        assertThat(ShardLayout.source("bench-shard-b-01")).isEqualTo("shard-b-01");
        assertThat(ShardLayout.policyOfReplica("shard-b-01")).isEqualTo("bench-shard-b-01");
        assertThat(ShardLayout.policyOfReplica("default-token-x")).isNull();
        assertThat(ShardLayout.shardLabel(ShardLayout.UNSHARDED)).isNull();
        ShardLayout moved = LAYOUT.moved(List.of("bench-shard-b-00"), "a");
        assertThat(moved.servedBy("a")).containsExactly("bench-shard-a-00", "bench-shard-a-01", "bench-shard-b-00");
        assertThat(moved.servedBy("b")).containsExactly("bench-shard-b-01");
        assertThat(LAYOUT.server("bench-shard-b-00")).as("the old layout stays").isEqualTo("b");
    }

    @Test
    void writesToAnotherProcesssReplicasOrPoliciesAreCrossShard() {
        List<AuditLog.Entry> entries = List.of(
                replica(A, "create", "team-0000", "shard-a-00", 201, 1),
                replica(A, "update", "team-0001", "shard-b-00", 200, 2), // b's replica
                replica(A, "update", "team-0002", "shard-unsharded-01", 409, 3), // tried: counted too
                policy(A, "status", "bench-shard-a-00", 4),
                policy(A, "status", "bench-shard-b-01", 5),
                policy(A, "", "bench-shard-unsharded-00", 6),
                replica(B, "create", "team-0000", "shard-b-00", 201, 7),
                lease(A, 8));
        Map<String, Object> a = ShardWrites.of(entries, LAYOUT, "a", 1);
        assertThat(a).containsEntry("replicaWrites", 3L).containsEntry("crossShardReplicaWrites", 2L)
                .containsEntry("statusWrites", 2L).containsEntry("foreignStatusWrites", 1L)
                .containsEntry("foreignPolicyWrites", 1L).containsEntry("leaseWrites", 1L).containsEntry("needed", 1);
        Map<String, Object> all = ShardWrites.byProcess(entries, LAYOUT, Map.of("b", 1));
        assertThat((Map<String, Object>) all.get("b")).containsEntry("replicaWrites", 1L)
                .containsEntry("crossShardReplicaWrites", 0L).containsEntry("ratio", 1.0);
        assertThat((Map<String, Object>) all.get(ShardLayout.UNSHARDED)).containsEntry("replicaWrites", 0L);
        assertThat(ShardWrites.of(entries, LAYOUT.moved(List.of("bench-shard-b-00"), "a"), "a", 0))
                .as("after the hand-over b-00 is a's").containsEntry("crossShardReplicaWrites", 1L);
    }

    @Test
    void firstWritesTwiceWrittenReplicasAndTheFirstWriteForAPolicy() {
        List<AuditLog.Entry> entries = List.of(
                replica(B, "update", "team-0000", "shard-b-00", 409, 1), // refused: not a first write
                replica(A, "update", "team-0000", "shard-b-00", 200, 2),
                replica(B, "update", "team-0000", "shard-b-00", 200, 3),
                replica(A, "update", "team-0001", "shard-b-00", 200, 4),
                replica(A, "update", Benchmark.SOURCE_NS, "shard-b-00", 200, 0), // a source, not a replica
                replica(UNSHARDED, "update", "team-0000", "shard-unsharded-00", 200, 5),
                policy(A, "status", "bench-shard-b-01", 1));
        List<String> moved = List.of("bench-shard-b-00");
        assertThat(ShardWrites.firstWrites(entries, moved, u -> true)).containsOnly(
                Map.entry("team-0000/shard-b-00", at(2)), Map.entry("team-0001/shard-b-00", at(4)));
        assertThat(ShardWrites.firstWrites(entries, moved, B::equals)).containsOnly(
                Map.entry("team-0000/shard-b-00", at(3)));
        assertThat(ShardWrites.writtenMoreThanOnce(entries, moved)).isEqualTo(1);
        assertThat(ShardWrites.replicaWrites(entries, moved, B::equals)).isEqualTo(2);
        assertThat(ShardWrites.replicaWrites(entries, moved, u -> true)).isEqualTo(4);
        assertThat(ShardWrites.firstWriteFor(entries, "bench-shard-b-00", A)).isEqualTo(at(2));
        assertThat(ShardWrites.firstWriteFor(entries, "bench-shard-b-01", A)).as("a status write counts")
                .isEqualTo(at(1));
        assertThat(ShardWrites.firstWriteFor(entries, "bench-shard-a-00", A)).isNull();
    }

    @Test
    void theLongestPauseRunsFromTheStartToTheLastWrite() {
        assertThat(ShardWrites.longestPauseMs(at(0), List.of(at(3), at(1), at(4)))).as("the longest of 1, 2 and 1 s")
                .isEqualTo(2000.0);
        assertThat(ShardWrites.longestPauseMs(at(0), List.of(at(5), at(6)))).as("the start to the first write")
                .isEqualTo(5000.0);
        assertThat(ShardWrites.longestPauseMs(at(2), List.of(at(1), at(3)))).as("a write before the start is none")
                .isEqualTo(1000.0);
        assertThat(ShardWrites.writeTimes(List.of(replica(A, "update", "team-0000", "shard-b-00", 200, 2),
                replica(B, "update", "team-0001", "shard-b-00", 409, 3),
                replica(A, "update", "team-0001", "shard-a-00", 200, 4)), List.of("bench-shard-b-00")))
                .containsExactly(at(2));
    }

    private static AuditLog.Entry replica(String user, String verb, String ns, String name, int code, int second) {
        return new AuditLog.Entry(user, verb, "secrets", "", ns, name, code, "/", at(second), at(second));
    }

    private static AuditLog.Entry policy(String user, String subresource, String name, int second) {
        return new AuditLog.Entry(user, "patch", ShardWrites.POLICIES, subresource, "", name, 200, "/", at(second),
                at(second));
    }

    private static AuditLog.Entry lease(String user, int second) {
        return new AuditLog.Entry(user, "update", "leases", "", "secretsync-system", "l", 200, "/", at(second),
                at(second));
    }

    private static Instant at(int second) {
        return Instant.parse("2026-12-03T20:00:00Z").plusSeconds(second);
    }
}
