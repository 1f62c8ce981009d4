package io.secretsync.operator.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The contract's metrics: secretsync_replicas, secretsync_replica_failures and
 * secretsync_replica_writes_total, labelled by policy and cluster ("local" for this one). Names and counts only, never data.
 */
@ApplicationScoped
public class SyncMetrics {
    /** The cluster label of this cluster's series (contract section 7). */
    public static final String LOCAL = "local";
    private final MeterRegistry registry;
    private final Map<Key, AtomicInteger> replicas = new ConcurrentHashMap<>();
    private final Map<Key, AtomicInteger> failures = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void publish(String policy, int synced, int failed) {
        publish(policy, Map.of(LOCAL, new int[] {synced, failed}));
    }

    /**
     * @param byCluster cluster label (LOCAL for this cluster) -> {synced, failed}; a cluster the
     *        policy no longer writes into stops reporting
     */
    public void publish(String policy, Map<String, int[]> byCluster) {
        byCluster.forEach((cluster, counts) -> {
            gauge(replicas, "secretsync.replicas", "Replicas in sync", policy, cluster).set(counts[0]);
            gauge(failures, "secretsync.replica.failures", "Replicas the operator could not bring in sync", policy,
                    cluster).set(counts[1]);
        });
        for (Key k : List.copyOf(replicas.keySet())) {
            if (k.policy().equals(policy) && !byCluster.containsKey(k.cluster())) {
                remove(replicas, "secretsync.replicas", k);
                remove(failures, "secretsync.replica.failures", k);
            }
        }
    }

    public void countWrite(String policy, String operation) {
        countWrite(policy, null, operation);
    }

    /** @param cluster a SecretSyncCluster's name; null for this cluster (label cluster="local") */
    public void countWrite(String policy, String cluster, String operation) {
        Counter.builder("secretsync.replica.writes").description("Replica writes by the operator (create, update, delete)")
                .tags(Tags.of("policy", policy, "cluster", cluster == null ? LOCAL : cluster, "operation", operation))
                .register(registry).increment();
    }

    /** A deleted policy stops reporting gauges; its counters stay, as Prometheus counters do. */
    public void forget(String policy) {
        for (Key k : List.copyOf(replicas.keySet())) {
            if (k.policy().equals(policy)) {
                remove(replicas, "secretsync.replicas", k);
                remove(failures, "secretsync.replica.failures", k);
            }
        }
    }

    private record Key(String policy, String cluster) {
    }

    private AtomicInteger gauge(Map<Key, AtomicInteger> values, String name, String help, String policy,
            String cluster) {
        return values.computeIfAbsent(new Key(policy, cluster), k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(name, value, AtomicInteger::get).description(help).tag("policy", k.policy())
                    .tag("cluster", k.cluster()).register(registry);
            return value;
        });
    }

    private void remove(Map<Key, AtomicInteger> values, String name, Key key) {
        if (values.remove(key) != null) {
            var gauge = registry.find(name).tag("policy", key.policy()).tag("cluster", key.cluster()).gauge();
            if (gauge != null) {
                registry.remove(gauge);
            }
        }
    }
}
