package io.secretsync.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.reliability.UnreadablePolicies.Case;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * The packaged application (target/quarkus-app/quarkus-run.jar, in a child process, as
 * {@link KillMidRolloutIT} runs it) starts with every kind of unreadable policy present, reaches
 * ready, reports each of them and serves the good ones; it is stopped, a policy is created while it
 * is down, and a second start with the unreadable policies still there reaches ready and serves it.
 * This is the path the informer takes in production (the client's own ObjectMapper), not a model.
 */
class UnreadablePoliciesRestartIT extends PackagedOperatorHarness {

    @Test
    void startsReadyWithUnreadablePoliciesPresentReportsThemAndServesTheOthersAcrossARestart() throws Exception {
        for (String ns : List.of("default", "ur-src", "ur-older", "ur-newer", "ur-while-down")) {
            client.namespaces().resource(Fixtures.namespace(ns)).create();
        }
        client.secrets().inNamespace("ur-src").resource(Fixtures.opaque("ur-src", "creds", Canary.value("ur-it")))
                .create();
        createGood("ur-older");
        List<Case> cases = UnreadablePolicies.all("ur-src");
        for (Case c : cases) {
            client.namespaces().resource(Fixtures.namespace(c.target())).create();
            UnreadablePolicies.create(client, c);
        }

        int port1 = freePort();
        Process first = startOperator(port1, "target/unreadable-policies-1.log");
        awaitReady(first, port1, "target/unreadable-policies-1.log");
        assertThat(get(port1, "/q/health/live")).isEqualTo(200);
        awaitSynced("ur-older");
        awaitReported(cases);
        createGood("ur-newer");
        awaitSynced("ur-newer");
        assertThat(get(port1, "/q/health/ready")).as("readiness with unreadable policies present").isEqualTo(200);

        stop(first, "the first operator");
        createGood("ur-while-down");

        int port2 = freePort();
        Process second = startOperator(port2, "target/unreadable-policies-2.log");
        awaitReady(second, port2, "target/unreadable-policies-2.log");
        awaitSynced("ur-while-down");
        awaitReported(cases);
        assertThat(get(port2, "/q/health/live")).isEqualTo(200);
        for (Case c : cases) {
            assertThat(client.secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, c.policy()).list()
                    .getItems()).as("replicas of %s", c.policy()).isEmpty();
            assertThat(client.secrets().inNamespace(c.target()).withName("creds").get()).as(c.target()).isNull();
        }
        Canary.assertAbsent("log of the first process", Files.readString(BASEDIR.resolve("target/unreadable-policies-1.log")));
        Canary.assertAbsent("log of the second process", Files.readString(BASEDIR.resolve("target/unreadable-policies-2.log")));
    }

    void createGood(String name) {
        client.resources(SecretSyncPolicy.class).resource(Fixtures.policy(name,
                Fixtures.spec("ur-src", List.of("creds"), null, List.of(name), null))).create();
    }

    void awaitSynced(String name) {
        await(name + " synced").atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(client.secrets().inNamespace(name).withName("creds").get()).isNotNull();
            assertThat(ready(name)).as("Ready of %s", name).isNotNull(); // not written yet: wait, do not throw
            assertThat(ready(name)).extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("True", "Synced");
        });
    }

    void awaitReported(List<Case> cases) {
        await("every unreadable policy reported").atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    for (Case c : cases) {
                        Condition ready = ready(c.policy());
                        assertThat(ready).as(c.policy()).isNotNull();
                        assertThat(ready.getReason()).as(c.policy()).isEqualTo("InvalidSpec");
                        assertThat(ready.getMessage()).as(c.policy()).contains(c.problem());
                    }
                });
    }

}
