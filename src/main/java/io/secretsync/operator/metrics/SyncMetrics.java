package io.secretsync.operator.metrics;

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
 * secretsync_replica_writes_total, labelled by policy. Names and counts only, never data.
 */
@ApplicationScoped
public class SyncMetrics {
    /** The cluster label of this cluster's series (contract section 7). */
    public static final String LOCAL = "local";
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> replicas = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void publish(String policy, int synced, int failed) {
        gauge(replicas, "secretsync.replicas", "Replicas in sync", policy).set(synced);
        gauge(failures, "secretsync.replica.failures", "Replicas the operator could not bring in sync", policy)
                .set(failed);
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
        remove(replicas, "secretsync.replicas", policy);
        remove(failures, "secretsync.replica.failures", policy);
    }

    private AtomicInteger gauge(Map<String, AtomicInteger> values, String name, String help, String policy) {
        return values.computeIfAbsent(policy, p -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(name, value, AtomicInteger::get).description(help).tag("policy", p).register(registry);
            return value;
        });
    }

    private void remove(Map<String, AtomicInteger> values, String name, String policy) {
        if (values.remove(policy) != null) {
            var gauge = registry.find(name).tag("policy", policy).gauge();
            if (gauge != null) {
                registry.remove(gauge);
            }
        }
    }
}
