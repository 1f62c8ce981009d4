package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * What the operator writes on a real API server, counted in its audit log: a converged cluster (one
 * policy, two sources, 100 namespaces, both replicas in every namespace's {@code default}
 * ServiceAccount, which the controller manager creates and its token controller edits) costs no
 * write at all in a minute, apart from the leader's Lease renewals (its heartbeat, counted apart);
 * one source update costs exactly one write per replica, and a handful of status patches.
 */
class WriteCountIT extends RealServerTest {
    static final int NAMESPACES = 100;
    static final List<String> SOURCES = List.of("wc-a", "wc-b");
    static final Duration IDLE = Duration.ofSeconds(60);

    @Test
    void aConvergedClusterCostsNoWritesAndASourceUpdateOneWritePerReplica() {
        admin.namespaces().resource(Fixtures.namespace("wc-src")).create();
        List<String> targets = createNamespaces("wc", NAMESPACES, "wc=yes");
        for (String name : SOURCES) {
            admin.secrets().inNamespace("wc-src").resource(Fixtures.opaque("wc-src", name, "v1")).create();
        }
        long start = cluster.audit().mark();
        SecretSyncPolicySpec spec = Fixtures.spec("wc-src", SOURCES, null, null, Fixtures.selector("wc=yes"));
        ImagePullSecretsSpec pull = new ImagePullSecretsSpec();
        pull.setServiceAccounts(List.of("default"));
        spec.setImagePullSecrets(pull);
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("wc", spec)).create();

        // converged: every replica, every default ServiceAccount with both references once and its
        // token Secret (the token controller is done with it), status Synced
        await("every replica and every ServiceAccount reference; see " + operator.log()).atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(500)).until(() -> replicas("wc").size() == 2 * NAMESPACES
                        && targets.stream().allMatch(ns -> convergedServiceAccount(ns)));
        awaitReason("wc", "Synced");
        assertThat(policy("wc").getStatus().getSyncedReplicas()).isEqualTo(2 * NAMESPACES);
        List<AuditLog.Entry> rollout = operatorRequestsSince(start);
        System.out.printf("[WriteCountIT] rollout of %d replicas and %d ServiceAccounts: %s%n", 2 * NAMESPACES,
                NAMESPACES, summary(rollout));

        // a minute of nothing happening
        long idle = cluster.audit().mark();
        await("no write by the operator but Lease renewals for " + IDLE).during(IDLE).atMost(IDLE.plusSeconds(20))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> writes(operatorRequestsSince(idle)).stream().noneMatch(e -> !isLease(e)));
        List<AuditLog.Entry> idleWrites = writes(operatorRequestsSince(idle));
        long leaseWrites = idleWrites.stream().filter(WriteCountIT::isLease).count();
        System.out.printf("[WriteCountIT] idle %d s: %d writes other than the Lease; Lease renewals (the leader's"
                + " heartbeat, every 2 s): %d%n", IDLE.toSeconds(), idleWrites.size() - leaseWrites, leaseWrites);
        assertThat(idleWrites.stream().filter(e -> !isLease(e)).map(AuditLog.Entry::toString).toList())
                .as("writes of a converged operator in %s", IDLE).isEmpty();

        // one source update: one write per replica of that source
        long update = cluster.audit().mark();
        Secret source = admin.secrets().inNamespace("wc-src").withName("wc-a").get();
        source.getData().put("value", Fixtures.b64("v2"));
        admin.secrets().inNamespace("wc-src").resource(source).update();
        await("every replica of wc-a carries v2").atMost(CONVERGE).pollInterval(Duration.ofMillis(500))
                .until(() -> replicas("wc").stream().filter(r -> r.getMetadata().getName().equals("wc-a"))
                        .filter(r -> "v2".equals(Fixtures.decode(r.getData().get("value")))).count() == NAMESPACES);
        awaitReason("wc", "Synced");
        // settled: nothing more for a few seconds
        AtomicLong seen = new AtomicLong(-1);
        await("the operator settles").during(Duration.ofSeconds(5)).atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    long n = writes(operatorRequestsSince(update)).stream().filter(e -> !isLease(e)).count();
                    return seen.getAndSet(n) == n;
                });
        List<AuditLog.Entry> afterUpdate = writes(operatorRequestsSince(update)).stream().filter(e -> !isLease(e))
                .toList();
        System.out.printf("[WriteCountIT] one source update (%d replicas): %s%n", NAMESPACES, summary(afterUpdate));

        Map<String, Long> replicaWrites = afterUpdate.stream()
                .filter(e -> e.resource().equals("secrets") && targets.contains(e.namespace()))
                .collect(Collectors.groupingBy(e -> e.namespace() + "/" + e.name() + " " + e.verb(), TreeMap::new,
                        Collectors.counting()));
        assertThat(replicaWrites).as("Secret writes per replica after one source update").hasSize(NAMESPACES)
                .allSatisfy((k, n) -> {
                    assertThat(k).endsWith("/wc-a update");
                    assertThat(n).isEqualTo(1L);
                });
        assertThat(afterUpdate.stream().filter(e -> e.resource().equals("serviceaccounts")).toList())
                .as("ServiceAccount writes after a source update").isEmpty();
        long statusPatches = afterUpdate.stream()
                .filter(e -> e.resource().equals("secretsyncpolicies") && e.subresource().equals("status")).count();
        assertThat(statusPatches).as("status patches for one source update").isBetween(1L, 4L);
        assertThat(afterUpdate.stream().filter(e -> e.code() < 300)
                .filter(e -> !e.resource().equals("secrets") && !e.resource().equals("events")
                        && !(e.resource().equals("secretsyncpolicies") && e.subresource().equals("status")))
                .toList()).as("other writes after a source update").isEmpty();
    }

    private boolean convergedServiceAccount(String ns) {
        ServiceAccount sa = admin.serviceAccounts().inNamespace(ns).withName("default").get();
        if (sa == null || sa.getSecrets() == null || sa.getSecrets().isEmpty()) {
            return false;
        }
        List<String> refs = sa.getImagePullSecrets() == null ? List.of()
                : sa.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
        return refs.size() == SOURCES.size() && refs.containsAll(SOURCES);
    }

    private static List<AuditLog.Entry> writes(List<AuditLog.Entry> entries) {
        return entries.stream().filter(AuditLog.Entry::isWrite).toList();
    }

    private static boolean isLease(AuditLog.Entry e) {
        return e.resource().equals("leases");
    }

    /** Writes per resource and verb, with the answers: e.g. {secrets create 201=200, serviceaccounts update 409=3}. */
    private static Map<String, Long> summary(List<AuditLog.Entry> entries) {
        return entries.stream().filter(AuditLog.Entry::isWrite)
                .collect(Collectors.groupingBy(e -> e.resource() + (e.subresource().isEmpty() ? "" : "/" + e.subresource())
                        + " " + e.verb() + " " + e.code(), TreeMap::new, Collectors.counting()));
    }
}
