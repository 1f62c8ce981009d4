package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** The status of the contract, written only when it changes, and the Events a change deserves. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class StatusAndEventsTest extends OperatorTestSupport {

    @Test
    void statusOfTheContract() {
        createNamespace("st-src");
        createNamespace("st-a");
        createNamespace("st-b");
        createSecret(opaque("st-src", "one", "1"));
        createSecret(opaque("st-src", "two", "2"));
        createPolicy("st", spec("st-src", List.of("one", "two"), null, List.of("st-a", "st-b"), null));
        SecretSyncPolicyStatus s = awaitReady("st", "True", "Synced");
        long generation = policy("st").getMetadata().getGeneration();
        assertThat(s.getObservedGeneration()).isEqualTo(generation);
        assertThat(s.getSourceSecrets()).isEqualTo(2);
        assertThat(s.getTargetNamespaces()).isEqualTo(2);
        assertThat(s.getSyncedReplicas()).isEqualTo(4);
        assertThat(s.getFailedReplicas()).isZero();
        assertThat(s.getFailures()).isNull();
        assertThat(s.getLastSyncTime()).isNotBlank();
        Condition ready = ready(s).orElseThrow();
        assertThat(ready.getMessage()).isEqualTo("2 secrets synced to 2 namespaces");
        assertThat(ready.getObservedGeneration()).isEqualTo(generation);
        assertThat(ready.getLastTransitionTime()).isNotBlank();
    }

    @Test
    void transitionTimeIsKeptWhileReadyStaysTheSame() {
        createNamespace("tt-src");
        createNamespace("tt-a");
        createSecret(opaque("tt-src", "creds", "1"));
        createPolicy("tt", spec("tt-src", List.of("creds"), null, List.of("tt-a"), null));
        String transition = ready(awaitReady("tt", "True", "Synced")).orElseThrow().getLastTransitionTime();
        createNamespace("tt-b");
        updatePolicy("tt", s -> s.getTarget().setNamespaces(List.of("tt-a", "tt-b")));
        await().atMost(TIMEOUT).until(() -> Integer.valueOf(2).equals(policy("tt").getStatus().getSyncedReplicas()));
        assertThat(ready(policy("tt").getStatus()).orElseThrow().getLastTransitionTime()).isEqualTo(transition);
    }

    @Test
    void failuresAreCappedAtFiftyAndCountedExactly() {
        createNamespace("cap-src");
        createSecret(opaque("cap-src", "creds", "ours"));
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String ns = String.format("cap-%02d", i);
            createNamespace(ns);
            createSecret(opaque(ns, "creds", "theirs"));
            targets.add(ns);
        }
        createPolicy("cap", spec("cap-src", List.of("creds"), null, targets, null));
        awaitReady("cap", "False", "PartiallySynced");
        // the first reconcile may see only the namespaces its informer has delivered so far
        SecretSyncPolicyStatus s = await().atMost(TIMEOUT).until(() -> policy("cap").getStatus(),
                st -> st.getFailedReplicas() == 60);
        assertThat(s.getFailures()).hasSize(50);
        assertThat(s.getSyncedReplicas()).isZero();
        // one Warning for sixty conflicts, not sixty
        await().atMost(TIMEOUT).until(() -> !eventsFor("cap").isEmpty());
        assertThat(eventsFor("cap").stream().filter(e -> "Conflict".equals(e.getReason()))).hasSize(1);
    }

    @Test
    void statusIsWrittenOnlyWhenItChangesAndReadyTransitionsAreEvents() {
        createNamespace("once-src");
        createNamespace("once-a");
        createPolicy("once", spec("once-src", List.of("creds"), null, List.of("once-a"), null));
        awaitReady("once", "False", "SourceNotFound");
        createSecret(opaque("once-src", "creds", "1"));
        awaitReady("once", "True", "Synced");
        String resourceVersion = policy("once").getMetadata().getResourceVersion();

        // events that change nothing for this policy: other namespaces come and go
        createNamespace("once-unrelated-1");
        createNamespace("once-unrelated-2");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> resourceVersion.equals(policy("once").getMetadata().getResourceVersion()));

        List<Event> events = eventsFor("once");
        assertThat(events).filteredOn(e -> "SourceNotFound".equals(e.getReason())).hasSize(1)
                .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
        assertThat(events).filteredOn(e -> "Synced".equals(e.getReason())).hasSize(1)
                .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Normal"));
    }
}
