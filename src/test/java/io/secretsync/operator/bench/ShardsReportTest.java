package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The goals table of the shards' section says met only where the audited figures meet the goal. */
class ShardsReportTest {

    @Test
    void noCrossShardOrIdleWritesExactWritesAStallOfTheKilledShardOnlyAndAQuickHandOverAreMet() {
        String md = ShardsReport.markdown(new Figures().map());
        assertThat(md).startsWith("## Shards (real API server)\n\n")
                .contains("-Dbench.server=real-shards -Dbench.shards.namespaces=300 -Dbench.shards.policies=10"
                        + " -Dbench.shards.hand-over=5 -Dbench.idle-seconds=60")
                .contains("| Replica writes by a process to a replica of a policy it does not serve, whole run "
                        + "| unsharded 0, a 0, b 0 | 0 | met |")
                .contains("| Writes during 60 s idle, all three processes, Lease renewals apart | replicas unsharded 0, "
                        + "a 0, b 0; status unsharded 0, a 0, b 0; other unsharded 0, a 0, b 0 (Lease renewals 18) | 0 | met |")
                .contains("| Converge: replica writes / replicas of the policies the process serves | unsharded 3000 / "
                        + "3000 = 1.00; a 3000 / 3000 = 1.00; b 3000 / 3000 = 1.00 | 1.00 | met |")
                .contains("| Shard a stopped, every source changed: only its policies stall | 3000 of 3000 of its "
                        + "replicas keep the old content, 0 writes to them by anyone; the policies of unsharded and b "
                        + "converged | all old, 0 writes | met |")
                .contains("| Hand-over: replica writes / needed; replicas written more than once | 1500 / 1500 = 1.00; 0 "
                        + "| 1.00; 0 | met |")
                .contains("| Hand-over without a gap: the longest time no moved replica was written, from the first "
                        + "relabel until every moved replica was new | 0.40 s | < 5 s | met |")
                .contains("| Hand-over: every moved policy written by the new shard | each of 5 | all | met |")
                .contains("0.20 s, 0.40 s, 0.30 s, 0.30 s, 0.30 s |")
                .contains("| Converge | b | 3000 / 3000 | 0 | 10 | 10 | 3 |")
                .doesNotContain("missed", "Smoke-test size");
    }

    @Test
    void crossShardAndIdleWritesExtraWritesAWriteToAStalledReplicaAndASlowHandOverAreMissed() {
        Figures f = new Figures();
        f.cross = 2;
        f.foreignStatus = 1;
        f.idleReplicaWrites = 3;
        f.convergeA = 3300;
        f.writesToStalled = 1;
        f.stalledOld = 2999;
        f.restartA = 3100;
        f.byOldShard = 4;
        f.handOverWrites = 1504;
        f.twice = 4;
        f.gapMs = 12_000.0;
        f.fullSize = false;
        String md = ShardsReport.markdown(f.map());
        assertThat(md).contains("**Smoke-test size: these figures say nothing about performance.**")
                .contains("| unsharded 0, a 2, b 0 | 0 | **missed**: 2 writes |")
                .contains("| unsharded 0, a 1, b 0 (other: unsharded 0, a 0, b 0) | 0 | **missed**: 1 writes |")
                .contains("| 0 | **missed**: 3 writes |")
                .contains("a 3300 / 3000 = 1.10; b 3000 / 3000 = 1.00 | 1.00 | **missed**: unsharded 3000 / 3000 = 1.00;"
                        + " a 3300 / 3000 = 1.10; b 3000 / 3000 = 1.00 |")
                .contains("| all old, 0 writes | **missed**: 2999 of 3000 old, 1 writes |")
                .contains("| Shard a started again: replica writes / its backlog | a 3100 / 3000 = 1.03 | 1.00 | **missed**:")
                .contains("| replicas 4; policies 0 | 0 | **missed**: 4 writes |")
                .contains("| 1504 / 1500 = 1.00; 4 | 1.00; 0 | **missed**: 1.00; 4 |")
                .contains("| 12.00 s | < 5 s | **missed**: 12.00 s |")
                .contains("unsharded 3000 / 3000 = 1.00 (1 refused by the server); b 3000 / 3000 = 1.00 | 1.00 | met |");
    }

    @Test
    void aMovedPolicyTheNewShardNeverWroteIsMissed() {
        Figures f = new Figures();
        f.gapMs = null;
        assertThat(ShardsReport.markdown(f.map()))
                .contains("| a moved policy the new shard never wrote | all | **missed**: a moved policy the new shard"
                        + " never wrote |")
                .contains("| 0.20 s, none, 0.30 s, 0.30 s, 0.30 s |");
    }

    /** Figures as ShardsBenchmark records them; every goal met unless a field is changed. */
    static final class Figures {
        long cross;
        long foreignStatus;
        long idleReplicaWrites;
        long convergeA = 3000;
        long writesToStalled;
        long stalledOld = 3000;
        long restartA = 3000;
        long byOldShard;
        long handOverWrites = 1500;
        long twice;
        Double gapMs = 400.0;
        boolean fullSize = true;

        Map<String, Object> map() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("machine", Map.of("cores", 2, "jdk", "JDK", "os", "Linux", "date", "2026-12-03T21:00:00Z"));
            r.put("loadBefore", "1.00 1.00 1.00");
            r.put("sizes", Map.of("namespaces", 300, "policiesPerProcess", 10, "policies", 30, "replicas", 9000,
                    "handOver", 5, "idleSeconds", 60, "writeConcurrency", 8, "fullSize", fullSize));
            r.put("jvmArgs", "-Xmx154m");
            r.put("heapMaxBytes", 154L << 20);
            r.put("converge", Map.of("allSyncedMs", 40_000.0, "processes", processes(
                    w(3000, 3000, 0, 10, 10, 3), w(convergeA, 3000, cross, 10, 10, 3), w(3000, 3000, 0, 10, 10, 3)),
                    "lastReplicaWrittenMs", byProcess(30_000.0, 35_000.0, 38_000.0)));
            r.put("idle", Map.of("seconds", 60, "processes", processes(w(0, 0, 0, 0, 0, 6),
                    w(idleReplicaWrites, 0, 0, 0, 0, 6), w(0, 0, 0, 0, 0, 6))));
            Map<String, Object> kill = new LinkedHashMap<>();
            kill.put("stopMs", 1500.0);
            kill.put("sourcesUpdated", 30);
            kill.put("lastReplicaWrittenMs", Map.of("unsharded", 20_000.0, "b", 21_000.0));
            Map<String, Object> refusedOnce = w(3000, 3000, 0, 0, 0, 3);
            refusedOnce.put("refusedReplicaWrites", 1L);
            kill.put("processes", processes(refusedOnce, w(0, 0, 0, 0, 0, 0), w(3000, 3000, 0, 0, 0, 3)));
            kill.put("stalledPolicies", 10);
            kill.put("stalledReplicas", 3000);
            kill.put("stalledReplicasWithOldContent", stalledOld);
            kill.put("writesToStalledReplicas", writesToStalled);
            r.put("killedShard", kill);
            r.put("restartedShard", Map.of("processStartToReadyMs", 6000.0, "processStartToLastReplicaMs", 15_000.0,
                    "processStartToPoliciesSyncedMs", 16_000.0, "processes", processes(w(0, 0, 0, 0, 0, 2),
                            w(restartA, 3000, 0, 10, 10, 2), w(0, 0, 0, 0, 0, 2))));
            Map<String, Object> hand = new LinkedHashMap<>();
            hand.put("policies", List.of("bench-shard-b-00", "bench-shard-b-01", "bench-shard-b-02", "bench-shard-b-03",
                    "bench-shard-b-04"));
            hand.put("needed", 1500);
            hand.put("relabelToFirstWriteByNewShardMs", java.util.Arrays.asList(200.0, gapMs, 300.0, 300.0, 300.0));
            hand.put("maxRelabelToFirstWriteByNewShardMs", gapMs);
            hand.put("firstRelabelToAllReplicasNewMs", 3000.0);
            hand.put("longestPauseInWritesMs", gapMs == null ? 100.0 : gapMs);
            hand.put("replicaWritesByNewShard", handOverWrites - byOldShard);
            hand.put("replicaWritesByOldShard", byOldShard);
            hand.put("replicaWritesByOthers", 0L);
            hand.put("replicaWrites", handOverWrites);
            hand.put("ratio", handOverWrites / 1500.0);
            hand.put("replicasWrittenMoreThanOnce", twice);
            hand.put("policyWritesByOldShard", 0L);
            hand.put("processes", processes(w(0, 0, 0, 0, 0, 1), w(handOverWrites - byOldShard, 1500, 0, 5, 0, 1),
                    w(byOldShard, 0, byOldShard, 0, 0, 1)));
            r.put("handOver", hand);
            Map<String, Object> whole = new LinkedHashMap<>();
            whole.put("unsharded", Map.of("crossShardReplicaWrites", 0L, "foreignStatusWrites", 0L,
                    "foreignPolicyWrites", 0L));
            whole.put("a", Map.of("crossShardReplicaWrites", cross, "foreignStatusWrites", foreignStatus,
                    "foreignPolicyWrites", 0L));
            whole.put("b", Map.of("crossShardReplicaWrites", 0L, "foreignStatusWrites", 0L, "foreignPolicyWrites", 0L));
            r.put("wholeRun", whole);
            r.put("operatorForbidden", Map.of("unsharded", 0, "a", 0, "b", 0));
            r.put("loadAfter", "2.00 2.00 2.00");
            return r;
        }

        private static Map<String, Object> processes(Map<String, Object> unsharded, Map<String, Object> a,
                Map<String, Object> b) {
            return byProcess(unsharded, a, b);
        }

        private static Map<String, Object> byProcess(Object unsharded, Object a, Object b) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unsharded", unsharded);
            m.put("a", a);
            m.put("b", b);
            return m;
        }

        /** As ShardWrites reports them. */
        private static Map<String, Object> w(long replica, int needed, long cross, long status, long other, long lease) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("needed", needed);
            m.put("replicaWrites", replica);
            m.put("refusedReplicaWrites", 0L);
            m.put("statusWrites", status);
            m.put("leaseWrites", lease);
            m.put("otherWrites", other);
            if (needed > 0) {
                m.put("ratio", replica / (double) needed);
            }
            m.put("crossShardReplicaWrites", cross);
            m.put("foreignStatusWrites", 0L);
            m.put("foreignPolicyWrites", 0L);
            return m;
        }
    }
}
