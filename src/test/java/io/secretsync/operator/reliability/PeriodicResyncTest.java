package io.secretsync.operator.reliability;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * The periodic resync (quarkus.operator-sdk.controllers.secretsyncpolicy.max-reconciliation-interval,
 * 10 minutes by default, 3 s here) bounds how long a change that no watch reports can go unnoticed.
 * Such a change exists by design: the operator does not watch Secrets it did not create (that would
 * mean caching every Secret of the cluster), so when a user deletes the unmanaged Secret that blocked
 * a replica, no event arrives; the next resync re-reads it and creates the replica.
 */
@QuarkusTest
@TestProfile(PeriodicResyncTest.ShortResync.class)
@WithKubernetesTestServer(crud = true)
class PeriodicResyncTest extends OperatorTestSupport {

    public static class ShortResync implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.controllers.secretsyncpolicy.max-reconciliation-interval", "3s");
        }
    }

    @Test
    void aChangeNoWatchDeliversIsPickedUpByTheNextResync() {
        createNamespace("resync-src");
        createNamespace("resync-a");
        createSecret(opaque("resync-src", "creds", Canary.value("resync")));
        createSecret(opaque("resync-a", "creds", "theirs"));
        createPolicy("resync", spec("resync-src", List.of("creds"), null, List.of("resync-a"), null));
        var status = awaitReady("resync", "False", "PartiallySynced");
        assertThat(status.getFailures()).singleElement().satisfies(f -> assertThat(f.getReason()).isEqualTo("Conflict"));
        // the conflict is settled: the operator has nothing left to retry, and stays that way
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> secret("resync-a", "creds") != null
                && !labels(secret("resync-a", "creds")).containsKey("app.kubernetes.io/managed-by"));

        // the user removes their Secret: no informer of the operator sees this
        client.secrets().inNamespace("resync-a").withName("creds").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(secret("resync-a", "creds")).isNotNull();
            assertThat(labels(secret("resync-a", "creds"))).containsEntry("secretsync.io/policy", "resync");
        });
        awaitReady("resync", "True", "Synced");
    }
}
