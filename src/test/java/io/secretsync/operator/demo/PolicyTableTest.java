package io.secretsync.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secretsync.operator.crd.PrinterColumns;
import io.secretsync.operator.crd.v1alpha1.ClusterSyncStatus;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterStatus;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.sync.Conditions;

/** The demo's kubectl table reads each printer column's JSONPath from the policy as kubectl would. */
class PolicyTableTest {

    @Test
    void everyPrinterColumnOfTheCrdIsReadFromThePolicy() {
        SecretSyncPolicy p = new SecretSyncPolicy();
        p.getMetadata().setName("ca-bundle");
        p.getMetadata().setCreationTimestamp("2026-11-28T10:00:00Z");
        SecretSyncPolicyStatus s = new SecretSyncPolicyStatus();
        s.setConditions(Conditions.set(null, "Other", false, "Nope", "m", 1, "T"));
        s.setConditions(Conditions.set(s.getConditions(), Conditions.READY, true, "Synced", "m", 1, "T"));
        s.setSourceSecrets(1);
        s.setTargetNamespaces(3);
        s.setSyncedReplicas(3);
        p.setStatus(s);
        Object object = Serialization.jsonMapper().convertValue(p, Map.class);

        assertThat(PrinterColumns.ofSecretSyncPolicy()).extracting(c -> String.valueOf(
                DemoScenario.jsonPath(object, c.jsonPath())))
                .containsExactly("True", "Synced", "1", "3", "3", "2026-11-28T10:00:00Z");
        assertThat(DemoScenario.jsonPath(object, ".status.conditions[?(@.type==\"Missing\")].status")).isNull();
        assertThat(DemoScenario.jsonPath(object, "{.status.sourceSecrets}")).as("a form it does not read").isNull();
        assertThat(DemoScenario.jsonPath(Map.of("a", List.of(1)), ".a.b")).isNull();
    }

    @Test
    void everyPrinterColumnOfTheClusterCrdIsReadFromTheCluster() {
        SecretSyncCluster c = new SecretSyncCluster();
        c.getMetadata().setName("demo-remote");
        c.getMetadata().setCreationTimestamp("2026-11-28T10:00:00Z");
        SecretSyncClusterStatus s = new SecretSyncClusterStatus();
        s.setConditions(Conditions.set(null, Conditions.READY, true, "Connected", "m", 1, "T"));
        s.setServerVersion("v0.0.0-embedded");
        c.setStatus(s);
        Object object = Serialization.jsonMapper().convertValue(c, Map.class);

        assertThat(PrinterColumns.ofSecretSyncCluster()).extracting(col -> col.name())
                .containsExactly("READY", "REASON", "VERSION", "AGE");
        assertThat(PrinterColumns.ofSecretSyncCluster()).extracting(col -> String.valueOf(
                DemoScenario.jsonPath(object, col.jsonPath())))
                .containsExactly("True", "Connected", "v0.0.0-embedded", "2026-11-28T10:00:00Z");
    }

    /** syncedReplicas counts every cluster; the demo's local check subtracts the remote shares. */
    @Test
    void localSyncedReplicasLeaveOutTheRemoteClusters() {
        SecretSyncPolicyStatus s = new SecretSyncPolicyStatus();
        s.setSyncedReplicas(3);
        assertThat(DemoScenario.localSyncedReplicas(s)).isEqualTo(3);
        s.setSyncedReplicas(5);
        s.setClusters(List.of(new ClusterSyncStatus("demo-remote", true, 2, 2, 0)));
        assertThat(DemoScenario.localSyncedReplicas(s)).isEqualTo(3);
    }
}
