package io.secretsync.operator.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.sync.Conditions;

/**
 * {@code secretsync_policy_ready{policy,reason}}: 1 while a policy's Ready condition is True,
 * 0 otherwise, labelled with the condition's reason, so alerts can tell "suspended on purpose"
 * from "broken". It is read from the policies' status as the API server holds it, so every
 * replica, leader or stand-by, reports the same value.
 */
@ApplicationScoped
public class PolicyReadinessMetrics {
    static final String NAME = "secretsync.policy.ready";
    private static final Logger LOG = Logger.getLogger(PolicyReadinessMetrics.class);

    private record Series(String reason, Gauge gauge, AtomicInteger value) {
    }

    private final KubernetesClient client;
    private final MeterRegistry registry;
    private final Map<String, Series> series = new ConcurrentHashMap<>();
    private volatile SharedIndexInformer<SecretSyncPolicy> informer;

    public PolicyReadinessMetrics(KubernetesClient client, MeterRegistry registry) {
        this.client = client;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        SharedIndexInformer<SecretSyncPolicy> i = client.resources(SecretSyncPolicy.class).runnableInformer(0);
        i.addEventHandler(new Handler());
        i.start().whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warnf("policy readiness metrics unavailable until SecretSyncPolicies can be listed: %s",
                        error.getClass().getSimpleName());
            }
        });
        informer = i;
    }

    void stop(@Observes ShutdownEvent event) {
        if (informer != null) {
            informer.stop();
        }
    }

    void update(SecretSyncPolicy policy) {
        String name = policy.getMetadata().getName();
        Condition ready = policy.getStatus() == null ? null
                : Conditions.find(policy.getStatus().getConditions(), Conditions.READY).orElse(null);
        if (ready == null) {
            remove(name);
            return;
        }
        String reason = ready.getReason() == null ? "" : ready.getReason();
        int value = Conditions.TRUE.equals(ready.getStatus()) ? 1 : 0;
        series.compute(name, (n, current) -> {
            if (current != null && Objects.equals(current.reason(), reason)) {
                current.value().set(value);
                return current;
            }
            if (current != null) {
                registry.remove(current.gauge());
            }
            var v = new AtomicInteger(value);
            Gauge g = Gauge.builder(NAME, v, AtomicInteger::get)
                    .description("1 while the policy's Ready condition is True, else 0")
                    .tag("policy", n).tag("reason", reason).register(registry);
            return new Series(reason, g, v);
        });
    }

    void remove(String name) {
        Series s = series.remove(name);
        if (s != null) {
            registry.remove(s.gauge());
        }
    }

    private class Handler implements ResourceEventHandler<SecretSyncPolicy> {
        @Override
        public void onAdd(SecretSyncPolicy obj) {
            update(obj);
        }

        @Override
        public void onUpdate(SecretSyncPolicy oldObj, SecretSyncPolicy newObj) {
            update(newObj);
        }

        @Override
        public void onDelete(SecretSyncPolicy obj, boolean deletedFinalStateUnknown) {
            remove(obj.getMetadata().getName());
        }
    }
}
