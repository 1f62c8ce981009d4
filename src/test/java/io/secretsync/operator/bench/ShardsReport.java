package io.secretsync.operator.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The "Shards (real API server)" section of BENCHMARKS.md from the figures of one shards run. */
final class ShardsReport {
    private static final double MIB = 1024 * 1024;
    /**
     * The longest the moved replicas may go unwritten in a hand-over: the move rides on the policy
     * watch, so it is a matter of a second, where a timer (resync, Lease expiry) would take tens of
     * seconds.
     */
    static final double HAND_OVER_GAP_MS = 5000;

    private ShardsReport() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r) {
        Map<String, Object> machine = (Map<String, Object>) r.get("machine");
        Map<String, Object> sizes = (Map<String, Object>) r.get("sizes");
        Map<String, Object> conv = (Map<String, Object>) r.get("converge");
        Map<String, Object> idle = (Map<String, Object>) r.get("idle");
        Map<String, Object> kill = (Map<String, Object>) r.get("killedShard");
        Map<String, Object> restart = (Map<String, Object>) r.get("restartedShard");
        Map<String, Object> hand = (Map<String, Object>) r.get("handOver");
        Map<String, Object> whole = (Map<String, Object>) r.get("wholeRun");
        String killed = ShardsBenchmark.KILLED;
        StringBuilder sb = new StringBuilder();
        sb.append(BenchReport.SHARDS_HEADING).append("\n\n");
        if (!(boolean) sizes.get("fullSize")) {
            sb.append("**Smoke-test size: these figures say nothing about performance.**\n\n");
        }
        sb.append(f("Three packaged operators on one real API server (etcd 3.4, kube-apiserver and "
                + "kube-controller-manager 1.20 from `realserver/real-apiserver.sh`, on 127.0.0.1): the unsharded "
                + "process under the shipped ServiceAccount, and shards `a` and `b` (`secretsync.shard`) each under "
                + "a ServiceAccount of its own bound to the shipped ClusterRole, so that the audit log tells their "
                + "writes apart. %s policies per process (%s in all; shard a's and b's labelled `secretsync.io/shard`), "
                + "each copying a source Secret of its own (small `kubernetes.io/dockerconfigjson`) into the same "
                + "%s labelled namespaces: %s replicas. (The default is 300 namespaces, not 1,000: 30,000 replicas "
                + "would make a run of most of an hour on this machine.) Machine: %s cores, %s, %s%s; run of %s, "
                + "**shared with other builds**: load average (1/5/15 min) %s at the start, %s at the end.%n%n",
                sizes.get("policiesPerProcess"), sizes.get("policies"), sizes.get("namespaces"), sizes.get("replicas"),
                machine.get("cores"), machine.get("jdk"), machine.get("os"),
                machine.containsKey("cpu") ? ", " + machine.get("cpu") : "", machine.get("date"), r.get("loadBefore"),
                r.get("loadAfter")));
        sb.append("```sh\nmvn -B verify -Pbench -Dbench.server=real-shards -Dbench.shards.namespaces=")
                .append(sizes.get("namespaces")).append(" -Dbench.shards.policies=").append(sizes.get("policiesPerProcess"))
                .append(" -Dbench.shards.hand-over=").append(sizes.get("handOver")).append(" -Dbench.idle-seconds=")
                .append(sizes.get("idleSeconds")).append("\n```\n\n");
        sb.append(f("Each process is the packaged jar run as `ShippedOperator` runs it (a TokenRequest token, the "
                + "prod profile with leader election on its shard's Lease, the image's JVM flags `%s`, heap cap "
                + "%.0f MiB), write concurrency %s. The scenarios, in order: every policy created at once "
                + "(converged: every policy Ready=True, reason Synced, N replicas, then every replica's content "
                + "checked); %s s idle; shard a stopped with SIGTERM and every source changed; shard a started "
                + "again; %s policies relabelled from shard b to shard a, each source changed right after its "
                + "relabel. Every write is counted from the API server's audit log, by ServiceAccount; a replica's "
                + "name tells its policy.%n%n", r.get("jvmArgs"), num(r.get("heapMaxBytes")) / MIB,
                sizes.get("writeConcurrency"), sizes.get("idleSeconds"), sizes.get("handOver")));

        sb.append("### Against the goals\n\n| Goal | Result | Target | Verdict |\n|---|---|---|---|\n");
        long cross = sum(whole, "crossShardReplicaWrites");
        row(sb, "Replica writes by a process to a replica of a policy it does not serve, whole run",
                perProcess(whole, "crossShardReplicaWrites"), "0", verdict(cross == 0, cross + " writes"));
        long foreign = sum(whole, "foreignStatusWrites") + sum(whole, "foreignPolicyWrites");
        row(sb, "Status (and other) writes by a process to a policy it does not serve, whole run",
                perProcess(whole, "foreignStatusWrites") + " (other: " + perProcess(whole, "foreignPolicyWrites") + ")",
                "0", verdict(foreign == 0, foreign + " writes"));
        Map<String, Object> idleW = (Map<String, Object>) idle.get("processes");
        long idleWrites = sum(idleW, "replicaWrites") + sum(idleW, "statusWrites") + sum(idleW, "otherWrites");
        row(sb, f("Writes during %s s idle, all three processes, Lease renewals apart", idle.get("seconds")),
                f("replicas %s; status %s; other %s (Lease renewals %d)", perProcess(idleW, "replicaWrites"),
                        perProcess(idleW, "statusWrites"), perProcess(idleW, "otherWrites"), sum(idleW, "leaseWrites")),
                "0", verdict(idleWrites == 0, idleWrites + " writes"));
        Map<String, Object> convW = (Map<String, Object>) conv.get("processes");
        ratioRow(sb, "Converge: replica writes / replicas of the policies the process serves", convW,
                ShardLayout.PROCESSES);
        List<String> others = ShardLayout.PROCESSES.stream().filter(p -> !p.equals(killed)).toList();
        Map<String, Object> killW = (Map<String, Object>) kill.get("processes");
        long stalledOld = ((Number) kill.get("stalledReplicasWithOldContent")).longValue();
        long stalledWrites = ((Number) kill.get("writesToStalledReplicas")).longValue();
        long stalledReplicas = ((Number) kill.get("stalledReplicas")).longValue();
        row(sb, "Shard " + killed + " stopped, every source changed: only its policies stall",
                f("%d of %d of its replicas keep the old content, %d writes to them by anyone; the policies of %s "
                        + "converged", stalledOld, stalledReplicas, stalledWrites, String.join(" and ", others)),
                "all old, 0 writes", verdict(stalledOld == stalledReplicas && stalledWrites == 0,
                        f("%d of %d old, %d writes", stalledOld, stalledReplicas, stalledWrites)));
        ratioRow(sb, "Shard " + killed + " stopped: replica writes / needed of the others", killW, others);
        Map<String, Object> restartW = (Map<String, Object>) restart.get("processes");
        ratioRow(sb, "Shard " + killed + " started again: replica writes / its backlog", restartW, List.of(killed));
        long byOld = ((Number) hand.get("replicaWritesByOldShard")).longValue();
        long oldPolicyWrites = ((Number) hand.get("policyWritesByOldShard")).longValue();
        row(sb, f("Hand-over %s -> %s: writes by shard %s to the moved policies after the relabel",
                ShardsBenchmark.HANDED_FROM, ShardsBenchmark.HANDED_TO, ShardsBenchmark.HANDED_FROM),
                f("replicas %d; policies %d", byOld, oldPolicyWrites), "0",
                verdict(byOld + oldPolicyWrites == 0, (byOld + oldPolicyWrites) + " writes"));
        double handRatio = num(hand.get("ratio"));
        long twice = ((Number) hand.get("replicasWrittenMoreThanOnce")).longValue();
        row(sb, "Hand-over: replica writes / needed; replicas written more than once",
                f("%s / %s = %.2f; %d", hand.get("replicaWrites"), hand.get("needed"), handRatio, twice),
                "1.00; 0", verdict(Math.abs(handRatio - 1) < 0.005 && twice == 0, f("%.2f; %d", handRatio, twice)));
        double pause = num(hand.get("longestPauseInWritesMs"));
        row(sb, "Hand-over without a gap: the longest time no moved replica was written, from the first relabel "
                + "until every moved replica was new", f("%.2f s", pause / 1000),
                f("< %.0f s", HAND_OVER_GAP_MS / 1000), verdict(pause < HAND_OVER_GAP_MS, f("%.2f s", pause / 1000)));
        Object gap = hand.get("maxRelabelToFirstWriteByNewShardMs");
        row(sb, "Hand-over: every moved policy written by the new shard", gap == null
                ? "a moved policy the new shard never wrote" : "each of " + ((List<?>) hand.get("policies")).size(),
                "all", verdict(gap != null, "a moved policy the new shard never wrote"));

        sb.append("\n### Figures\n\n| Scenario | Figure | Result |\n|---|---|---|\n");
        Map<String, Object> lastConv = (Map<String, Object>) conv.get("lastReplicaWrittenMs");
        fig(sb, "Converge", f("every one of %s policies Ready (Synced), from the first create", sizes.get("policies")),
                f("%.1f s (each process's last replica written: %s)", num(conv.get("allSyncedMs")) / 1000,
                        seconds(lastConv)));
        fig(sb, "Shard " + killed + " stopped", "SIGTERM to exit", f("%.1f s", num(kill.get("stopMs")) / 1000));
        fig(sb, "Shard " + killed + " stopped", f("%s sources changed: every replica of the other processes' policies new, from the first change",
                kill.get("sourcesUpdated")), seconds((Map<String, Object>) kill.get("lastReplicaWrittenMs")));
        fig(sb, "Shard " + killed + " started again", "process start to ready; backlog written; its policies Synced",
                f("%.1f s; %.1f s; %.1f s", num(restart.get("processStartToReadyMs")) / 1000,
                        num(restart.get("processStartToLastReplicaMs")) / 1000,
                        num(restart.get("processStartToPoliciesSyncedMs")) / 1000));
        fig(sb, "Hand-over", f("relabel to the new shard's first write for it, each of %s policies (the writes of "
                + "all a process's policies share its write concurrency: a policy can wait behind another's, as in "
                + "any rollout of several sources)", ((List<?>) hand.get("policies")).size()), ((List<Object>) hand.get("relabelToFirstWriteByNewShardMs")).stream()
                        .map(ms -> ms == null ? "none" : f("%.2f s", num(ms) / 1000)).collect(Collectors.joining(", ")));
        fig(sb, "Hand-over", "first relabel to every moved replica new", f("%.1f s",
                num(hand.get("firstRelabelToAllReplicasNewMs")) / 1000));
        fig(sb, "Hand-over", "replica writes by the new shard / the old one / the others", f("%s / %s / %s",
                hand.get("replicaWritesByNewShard"), hand.get("replicaWritesByOldShard"), hand.get("replicaWritesByOthers")));

        sb.append("\nWrites per scenario and process (audit log; replica writes / needed; writes to other processes' "
                + "replicas; status writes; other writes, e.g. finalizers and Events; Lease renewals):\n\n");
        sb.append("| Scenario | Process | Replica writes / needed | To others' replicas | Status | Other | Lease |\n"
                + "|---|---|---|---|---|---|---|\n");
        writesRows(sb, "Converge", convW, ShardLayout.PROCESSES);
        writesRows(sb, "Idle", idleW, ShardLayout.PROCESSES);
        writesRows(sb, "Shard " + killed + " stopped", killW, others);
        writesRows(sb, "Shard " + killed + " started again", restartW, ShardLayout.PROCESSES);
        writesRows(sb, "Hand-over", (Map<String, Object>) hand.get("processes"), ShardLayout.PROCESSES);
        sb.append("\nRequests of the operators the authorizer refused (HTTP 403): ").append(r.get("operatorForbidden"))
                .append(".\n");
        sb.append("\nRaw figures: `shards` in benchmarks.json.\n");
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void ratioRow(StringBuilder sb, String goal, Map<String, Object> byProcess, List<String> processes) {
        boolean met = true;
        StringBuilder result = new StringBuilder();
        for (String p : processes) {
            Map<String, Object> w = (Map<String, Object>) byProcess.get(p);
            double ratio = num(w.get("replicaWrites")) / num(w.get("needed"));
            met &= Math.abs(ratio - 1) < 0.005;
            long refused = ((Number) w.get("refusedReplicaWrites")).longValue();
            result.append(result.length() == 0 ? "" : "; ").append(f("%s %s / %s = %.2f", p, w.get("replicaWrites"),
                    w.get("needed"), ratio)).append(refused == 0 ? "" : f(" (%d refused by the server)", refused));
        }
        row(sb, goal, result.toString(), "1.00", verdict(met, result.toString()));
    }

    @SuppressWarnings("unchecked")
    private static void writesRows(StringBuilder sb, String scenario, Map<String, Object> byProcess,
            List<String> processes) {
        for (String p : processes) {
            Map<String, Object> w = (Map<String, Object>) byProcess.get(p);
            sb.append(f("| %s | %s | %s / %s | %s | %s | %s | %s |%n", scenario, p, w.get("replicaWrites"),
                    w.get("needed"), w.get("crossShardReplicaWrites"), w.get("statusWrites"), w.get("otherWrites"),
                    w.get("leaseWrites")));
        }
    }

    /** "unsharded 0, a 0, b 0" */
    @SuppressWarnings("unchecked")
    private static String perProcess(Map<String, Object> byProcess, String key) {
        return byProcess.entrySet().stream()
                .map(e -> e.getKey() + " " + ((Map<String, Object>) e.getValue()).get(key))
                .collect(Collectors.joining(", "));
    }

    @SuppressWarnings("unchecked")
    private static long sum(Map<String, Object> byProcess, String key) {
        return byProcess.values().stream().mapToLong(v -> ((Number) ((Map<String, Object>) v).get(key)).longValue())
                .sum();
    }

    private static String seconds(Map<String, Object> msByProcess) {
        return msByProcess.entrySet().stream().map(e -> f("%s %.1f s", e.getKey(), num(e.getValue()) / 1000))
                .collect(Collectors.joining(", "));
    }

    private static void row(StringBuilder sb, String goal, String result, String target, String verdict) {
        sb.append("| ").append(goal).append(" | ").append(result).append(" | ").append(target).append(" | ")
                .append(verdict).append(" |\n");
    }

    private static void fig(StringBuilder sb, String scenario, String figure, String result) {
        sb.append("| ").append(scenario).append(" | ").append(figure).append(" | ").append(result).append(" |\n");
    }

    private static String verdict(boolean met, String otherwise) {
        return met ? "met" : "**missed**: " + otherwise;
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
