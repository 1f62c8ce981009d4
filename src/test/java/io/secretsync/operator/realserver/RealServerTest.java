package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * A test class on one real cluster with the shipped operator installed and one packaged operator
 * process (the jar, or the native executable: {@link #build()}) running under its ServiceAccount. At the end of the class the audit log must show no
 * request of the operator that the authorizer refused (least privilege, proven by the real
 * authorizer): a class that takes a permission away on purpose says so with
 * {@link #expectForbidden()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RealServerTest {
    protected static final Duration CONVERGE = Duration.ofSeconds(60);

    protected RealCluster cluster;
    protected KubernetesClient admin;
    protected ShippedOperator.Process operator;
    private boolean forbiddenExpected;

    /** What the class runs: the packaged jar, unless a class runs the native executable. */
    protected ShippedOperator.Build build() {
        return ShippedOperator.Build.jar();
    }

    /** Extra settings for the operator process (-Dkey=value), e.g. shorter recheck intervals. */
    protected List<String> operatorOptions() {
        return List.of();
    }

    /** Environment for the cluster script, e.g. APISERVER_EXTRA_ARGS. */
    protected Map<String, String> clusterEnv() {
        return Map.of();
    }

    @BeforeAll
    void startClusterAndOperator() {
        cluster = RealCluster.start(getClass().getSimpleName().toLowerCase(), clusterEnv());
        admin = cluster.admin();
        ShippedOperator.install(cluster);
        operator = startOperator(getClass().getSimpleName());
    }

    protected ShippedOperator.Process startOperator(String logName) {
        return ShippedOperator.start(build(), ShippedOperator.kubeconfig(cluster), logName,
                operatorOptions().toArray(String[]::new)).awaitReady();
    }

    @AfterAll
    void stopOperatorAndCluster() throws InterruptedException {
        try {
            if (operator != null) {
                operator.close();
            }
            if (!forbiddenExpected && cluster != null) {
                List<AuditLog.Entry> operatorRequests = cluster.audit().entries().stream()
                        .filter(AuditLog.by(ShippedOperator.USER)).toList();
                assertThat(operatorRequests).as("the operator's requests in the audit log").isNotEmpty();
                assertThat(AuditLog.forbidden(operatorRequests))
                        .as("requests of the operator the real authorizer refused (403) under the shipped RBAC")
                        .isEmpty();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** This class takes a permission away on purpose: 403s are expected, not a defect. */
    protected void expectForbidden() {
        forbiddenExpected = true;
    }

    protected SecretSyncPolicy policy(String name) {
        return admin.resources(SecretSyncPolicy.class).withName(name).get();
    }

    protected Condition ready(String name) {
        return ready(policy(name));
    }

    private static Condition ready(SecretSyncPolicy p) {
        return p == null || p.getStatus() == null || p.getStatus().getConditions() == null ? null
                : p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
                        .orElse(null);
    }

    /** Waits until the policy's Ready condition has this reason for its current generation. */
    protected Condition awaitReason(String name, String reason) {
        await(name + " Ready reason " + reason + "; operator log " + operator.log()).atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    SecretSyncPolicy p = policy(name); // one read: the condition and the generations of one version
                    Condition c = ready(p);
                    return c != null && reason.equals(c.getReason()) && p.getStatus().getObservedGeneration() != null
                            && p.getStatus().getObservedGeneration().equals(p.getMetadata().getGeneration());
                });
        return ready(name);
    }

    /** Creates namespaces {@code prefix-000} ... with these labels ("k=v"); returns their names. */
    protected List<String> createNamespaces(String prefix, int count, String... labels) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("%s-%03d", prefix, i);
            admin.namespaces().resource(io.secretsync.operator.testsupport.Fixtures.namespace(name, labels)).create();
            names.add(name);
        }
        return names;
    }

    /** The operator's finished requests logged after {@code mark} (see {@link AuditLog#mark()}). */
    protected List<AuditLog.Entry> operatorRequestsSince(long mark) {
        return cluster.audit().since(mark).stream().filter(AuditLog.by(ShippedOperator.USER)).toList();
    }

    /** The replicas of a policy across the cluster, found by the operator's label. */
    protected List<Secret> replicas(String policy) {
        return admin.secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, policy).list().getItems();
    }
}
