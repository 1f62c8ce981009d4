package io.secretsync.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.secretsync.operator.crd.PrinterColumns;
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
}
