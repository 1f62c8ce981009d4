package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.PendingChange;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** Create it suspended, read what it would do, then resume. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SuspendedPreviewTest extends OperatorTestSupport {

    @Test
    void aSuspendedPolicyShowsItsPendingWritesKeepsThemCurrentAndDropsThemOnResume() {
        createNamespace("pv-src");
        List<String> targets = IntStream.range(0, 60).mapToObj(i -> String.format("pv-t%02d", i)).toList();
        targets.forEach(this::createNamespace);
        createSecret(opaque("pv-src", "creds", "v"));
        SecretSyncPolicySpec spec = spec("pv-src", List.of("creds"), null, targets, null);
        spec.setSuspend(true);
        createPolicy("pv", spec);

        SecretSyncPolicyStatus status = awaitReady("pv", "False", "Suspended");
        assertThat(status.getPendingChanges()).isEqualTo(60);
        assertThat(status.getPending()).hasSize(50);
        assertThat(status.getPending().get(0)).isEqualTo(new PendingChange("pv-t00", "creds", "Create"));
        assertThat(status.getPending()).extracting(PendingChange::getNamespace).isSorted();
        assertThat(client.secrets().inAnyNamespace().withLabel("secretsync.io/policy", "pv").list().getItems())
                .isEmpty();

        // the world changes while it stays suspended: the preview follows
        createNamespace("pv-extra");
        updatePolicy("pv", s -> s.getTarget().setNamespaces(List.of("pv-t00", "pv-extra")));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            var p = policy("pv");
            assertThat(p.getStatus().getObservedGeneration()).isEqualTo(p.getMetadata().getGeneration());
            assertThat(p.getStatus().getPendingChanges()).isEqualTo(2);
            assertThat(p.getStatus().getPending()).containsExactly(new PendingChange("pv-extra", "creds", "Create"),
                    new PendingChange("pv-t00", "creds", "Create"));
        });
        createSecret(opaque("pv-src", "second", "v"));
        updatePolicy("pv", s -> s.getSource().setNames(List.of("creds", "second")));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(policy("pv").getStatus().getPendingChanges())
                .isEqualTo(4));

        updatePolicy("pv", s -> s.setSuspend(false));
        awaitReady("pv", "True", "Synced");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            SecretSyncPolicyStatus resumed = policy("pv").getStatus();
            assertThat(resumed.getPendingChanges()).isNull();
            assertThat(resumed.getPending()).isNull();
        });
        awaitSecret("pv-extra", "second");

        // suspended again with replicas in place: removing a target previews a Delete
        updatePolicy("pv", s -> {
            s.setSuspend(true);
            s.getTarget().setNamespaces(List.of("pv-t00"));
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(policy("pv").getStatus().getPending())
                .containsExactly(new PendingChange("pv-extra", "creds", "Delete"),
                        new PendingChange("pv-extra", "second", "Delete")));
        awaitSecret("pv-extra", "creds");
    }

    @Test
    void everySpecEditOfASuspendedPolicyRightAfterASourceChangeIsObserved() {
        createNamespace("pe-src");
        List<String> targets = List.of("pe-a", "pe-b", "pe-c");
        targets.forEach(this::createNamespace);
        createSecret(opaque("pe-src", "creds", "v0"));
        SecretSyncPolicySpec spec = spec("pe-src", List.of("creds"), null, List.of("pe-a"), null);
        spec.setSuspend(true);
        createPolicy("pe", spec);
        awaitReady("pe", "False", "Suspended");
        for (int round = 1; round <= 6; round++) {
            String value = "v" + round;
            List<String> wanted = targets.subList(0, 1 + round % 3);
            // the source changes, and the spec edit lands right behind it
            editSecret("pe-src", "creds", s -> s.getData().put("value", io.secretsync.operator.testsupport.Fixtures.b64(value)));
            updatePolicy("pe", s -> s.getTarget().setNamespaces(wanted));
            int r = round;
            await("round " + r + ": the edit observed and previewed").atMost(java.time.Duration.ofSeconds(5))
                    .pollInterval(java.time.Duration.ofMillis(50)).untilAsserted(() -> {
                        var p = policy("pe");
                        assertThat(p.getStatus().getObservedGeneration()).isEqualTo(p.getMetadata().getGeneration());
                        assertThat(p.getStatus().getPendingChanges()).isEqualTo(wanted.size());
                    });
        }
    }
}
