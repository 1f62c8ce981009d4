package io.secretsync.operator.bench;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.secretsync.operator.realserver.AuditLog;

/**
 * What the shards benchmark reads from the audit log: each process's writes next to the policies
 * it serves (a write to another process's replica or policy is a cross-shard write), and when
 * replicas were written. Replicas are the Secrets outside the source namespace (the benchmark
 * writes only sources, the operators only replicas).
 */
final class ShardWrites {
    static final String POLICIES = "secretsyncpolicies";

    private ShardWrites() {
    }

    /**
     * For each process of the layout: its writes by kind ({@link AuditedWrites}, with the replica
     * writes {@code needed} of it), crossShardReplicaWrites (to a Secret that is no replica of a
     * policy it serves), foreignStatusWrites and foreignPolicyWrites (status, and anything else, of
     * policies it does not serve).
     */
    static Map<String, Object> byProcess(List<AuditLog.Entry> entries, ShardLayout layout, Map<String, Integer> needed) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String process : ShardLayout.PROCESSES) {
            m.put(process, of(entries, layout, process, needed.getOrDefault(process, 0)));
        }
        return m;
    }

    static Map<String, Object> of(List<AuditLog.Entry> entries, ShardLayout layout, String process, int needed) {
        String user = ShardLayout.user(process);
        Map<String, Object> m = AuditedWrites.of(entries, user, needed);
        List<AuditLog.Entry> writes = entries.stream().filter(e -> e.user().equals(user) && e.isWrite()).toList();
        m.put("crossShardReplicaWrites", writes.stream().filter(e -> e.resource().equals("secrets")
                && !process.equals(layout.server(ShardLayout.policyOfReplica(e.name())))).count());
        List<AuditLog.Entry> foreign = writes.stream().filter(e -> e.resource().equals(POLICIES)
                && !process.equals(layout.server(e.name()))).toList();
        m.put("foreignStatusWrites", foreign.stream().filter(e -> e.subresource().equals("status")).count());
        m.put("foreignPolicyWrites", foreign.stream().filter(e -> !e.subresource().equals("status")).count());
        return m;
    }

    /** Writes (tried or done) by anyone to replicas of these policies. */
    static long replicaWrites(List<AuditLog.Entry> entries, Collection<String> policies, Predicate<String> byUser) {
        return entries.stream().filter(replicaWriteOf(Set.copyOf(policies))).filter(e -> byUser.test(e.user())).count();
    }

    /** Each replica (namespace/name) of these policies and when it was first written successfully, by {@code byUser}. */
    static Map<String, Instant> firstWrites(List<AuditLog.Entry> entries, Collection<String> policies,
            Predicate<String> byUser) {
        Map<String, Instant> first = new HashMap<>();
        entries.stream().filter(replicaWriteOf(Set.copyOf(policies))).filter(e -> e.code() < 300 && byUser.test(e.user()))
                .forEach(e -> first.merge(e.namespace() + "/" + e.name(), e.at(), (a, b) -> a.isBefore(b) ? a : b));
        return first;
    }

    /** Replicas of these policies written (tried or done) more than once, by anyone. */
    static long writtenMoreThanOnce(List<AuditLog.Entry> entries, Collection<String> policies) {
        Map<String, Integer> times = new HashMap<>();
        entries.stream().filter(replicaWriteOf(Set.copyOf(policies)))
                .forEach(e -> times.merge(e.namespace() + "/" + e.name(), 1, Integer::sum));
        return times.values().stream().filter(t -> t > 1).count();
    }

    /** The first write (replica or policy, done) by {@code user} that concerns {@code policy}, or null. */
    static Instant firstWriteFor(List<AuditLog.Entry> entries, String policy, String user) {
        Predicate<AuditLog.Entry> replica = replicaWriteOf(Set.of(policy));
        return entries.stream().filter(e -> e.user().equals(user) && e.isWrite() && e.code() < 300)
                .filter(e -> replica.test(e) || (e.resource().equals(POLICIES) && e.name().equals(policy)))
                .map(AuditLog.Entry::at).min(Instant::compareTo).orElse(null);
    }

    /**
     * The longest stretch, in ms, in which none of {@code writes} happened, from {@code from} to the
     * latest of them (a hand-over's gap: no process writing the moved replicas while some are stale).
     */
    static double longestPauseMs(Instant from, Collection<Instant> writes) {
        List<Instant> times = writes.stream().filter(t -> !t.isBefore(from)).sorted().toList();
        double longest = 0;
        Instant last = from;
        for (Instant t : times) {
            longest = Math.max(longest, java.time.Duration.between(last, t).toNanos() / 1e6);
            last = t;
        }
        return longest;
    }

    /** When each successful write to a replica of these policies happened, by anyone. */
    static List<Instant> writeTimes(List<AuditLog.Entry> entries, Collection<String> policies) {
        return entries.stream().filter(replicaWriteOf(Set.copyOf(policies))).filter(e -> e.code() < 300)
                .map(AuditLog.Entry::at).toList();
    }

    private static Predicate<AuditLog.Entry> replicaWriteOf(Set<String> policies) {
        return e -> {
            String policy = ShardLayout.policyOfReplica(e.name());
            return policy != null && e.isWrite() && e.resource().equals("secrets")
                    && !e.namespace().equals(Benchmark.SOURCE_NS) && policies.contains(policy);
        };
    }
}
