package io.secretsync.operator.reconciler;

import static io.restassured.RestAssured.given;
import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** The contract's metrics at /q/metrics, with the values a user expects, and health at /q/health. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MetricsAndHealthTest extends OperatorTestSupport {

    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void replicaGaugesAndWriteCounters() {
        createNamespace("met-src");
        createNamespace("met-a");
        createNamespace("met-b");
        createNamespace("met-c");
        createSecret(opaque("met-src", "creds", "v"));
        createSecret(opaque("met-c", "creds", "theirs"));
        createPolicy("met", spec("met-src", List.of("creds"), null, List.of("met-a", "met-b", "met-c"), null));
        awaitReady("met", "False", "PartiallySynced");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metrics())
                .contains("secretsync_replicas{cluster=\"local\",policy=\"met\",shard=\"\"} 2.0")
                .contains("secretsync_replica_failures{cluster=\"local\",policy=\"met\",shard=\"\"} 1.0")
                .containsPattern("secretsync_replica_writes_total\\{cluster=\"local\",(operation=\"create\",policy=\"met\"|policy=\"met\",operation=\"create\"),shard=\"\"} 2.0"));

        client.secrets().inNamespace("met-a").withName("creds").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metrics())
                .containsPattern("secretsync_replica_writes_total\\{cluster=\"local\",(operation=\"create\",policy=\"met\"|policy=\"met\",operation=\"create\"),shard=\"\"} 3.0"));

        deletePolicy("met");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metrics())
                .doesNotContain("secretsync_replicas{cluster=\"local\",policy=\"met\",")
                .containsPattern("secretsync_replica_writes_total\\{cluster=\"local\",(operation=\"delete\",policy=\"met\"|policy=\"met\",operation=\"delete\"),shard=\"\"} 2.0"));
    }

    @Test
    void operatorSdkReconciliationMetricsAreExported() {
        createNamespace("josdk-src");
        createPolicy("josdk", spec("josdk-src", List.of("creds"), null, List.of("josdk-a"), null));
        awaitReady("josdk", "False", "SourceNotFound");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metrics()).contains("reconciliations_started_total").contains("reconciliations_success_total")
                .contains("controller_name=\"secretsyncpolicy\""));
    }

    @Test
    void healthIsUp() {
        given().get("/q/health").then().statusCode(200);
        // the operator's own liveness check is part of it: the replica writer takes work
        given().get("/q/health/live").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("secretsync-writer"));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
