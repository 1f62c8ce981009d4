package io.secretsync.operator.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.secretsync.operator.config.Shard;
import io.secretsync.operator.realserver.ShardAccount;
import io.secretsync.operator.realserver.ShippedOperator;

/**
 * Which process serves which policy in the shards benchmark: the unsharded process and shards
 * {@code a} and {@code b}, each with its own policies, each policy with a source Secret of its
 * own, so that a replica's name tells whose it is. Immutable; a hand-over is a new layout.
 *
 * @param serverOfPolicy policy name to the process that serves it, in creation order
 */
record ShardLayout(Map<String, String> serverOfPolicy) {
    static final String UNSHARDED = "unsharded";
    static final List<String> PROCESSES = List.of(UNSHARDED, "a", "b");
    private static final String POLICY_PREFIX = "bench-";

    /** {@code perProcess} policies for each process, named after the process that serves them first. */
    static ShardLayout of(int perProcess) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String process : PROCESSES) {
            for (int i = 0; i < perProcess; i++) {
                m.put(String.format("%sshard-%s-%02d", POLICY_PREFIX, process, i), process);
            }
        }
        return new ShardLayout(java.util.Collections.unmodifiableMap(m));
    }

    /** The one source Secret a policy copies (and so the name of each of its replicas). */
    static String source(String policy) {
        return policy.substring(POLICY_PREFIX.length());
    }

    /** The policy whose replica has this name, or null for a Secret that is no replica of the benchmark. */
    static String policyOfReplica(String replicaName) {
        return replicaName.startsWith("shard-") ? POLICY_PREFIX + replicaName : null;
    }

    /** The value of the {@link Shard#LABEL} label of a policy the process serves; null for the unsharded one. */
    static String shardLabel(String process) {
        return UNSHARDED.equals(process) ? null : process;
    }

    /** How the audit log names the process's requests. */
    static String user(String process) {
        return UNSHARDED.equals(process) ? ShippedOperator.USER : ShardAccount.user(process);
    }

    String server(String policy) {
        return serverOfPolicy.get(policy);
    }

    List<String> policies() {
        return List.copyOf(serverOfPolicy.keySet());
    }

    List<String> servedBy(String process) {
        return serverOfPolicy.entrySet().stream().filter(e -> e.getValue().equals(process)).map(Map.Entry::getKey)
                .toList();
    }

    /** The layout once {@code moved} are relabelled for shard {@code to}. */
    ShardLayout moved(Collection<String> moved, String to) {
        Map<String, String> m = new LinkedHashMap<>(serverOfPolicy);
        moved.forEach(p -> m.replace(p, to));
        return new ShardLayout(java.util.Collections.unmodifiableMap(m));
    }
}
