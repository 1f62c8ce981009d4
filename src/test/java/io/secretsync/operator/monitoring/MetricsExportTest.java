package io.secretsync.operator.monitoring;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * Every metric that an alert or a dashboard panel reads is one the operator really exports at
 * /q/metrics, read after a policy has reconciled, written replicas and reported its status.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MetricsExportTest extends OperatorTestSupport {
    static final Set<String> SYNTHETIC = MonitoringQueries.SYNTHETIC;

    @Test
    void alertsAndDashboardUseOnlyExportedMetrics() throws IOException {
        createNamespace("metrics-src");
        createNamespace("metrics-a");
        createSecret(Fixtures.opaque("metrics-src", "creds", "v"));
        createPolicy("metrics", Fixtures.spec("metrics-src", List.of("creds"), null, List.of("metrics-a"), null));
        awaitSecret("metrics-a", "creds");
        awaitReady("metrics", "True", "Synced");

        Set<String> exported = await().atMost(TIMEOUT).until(MetricsExportTest::exported,
                names -> names.contains("secretsync_policy_ready") && names.contains("secretsync_replicas"));
        assertThat(exported).contains("secretsync_replicas", "secretsync_replica_failures",
                "secretsync_replica_writes_total", "secretsync_policy_ready");
        assertThat(exported).as("JOSDK reconciliation metrics")
                .anyMatch(n -> n.startsWith("reconciliations_"));

        Map<String, Set<String>> used = usedByMonitoring();
        assertThat(used).isNotEmpty();
        used.forEach((where, names) -> names.forEach(n -> assertThat(SYNTHETIC.contains(n) || exported.contains(n))
                .as("%s reads %s, which /q/metrics does not export; exported: %s", where, n, exported).isTrue()));
    }

    @Test
    void theRulesCoverTheThreeAlerts() throws IOException {
        List<String> alerts = new ArrayList<>();
        rules().path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert")
                .asText())));
        assertThat(alerts).contains("SecretSyncPolicyNotReady", "SecretSyncReplicaFailures", "SecretSyncOperatorDown");
        rules().path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> {
            if (r.path("alert").asText().equals("SecretSyncPolicyNotReady")) {
                assertThat(r.path("for").asText()).isEqualTo("10m");
            }
        }));
    }

    static Set<String> exported() {
        return MonitoringQueries.exported(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    static Map<String, Set<String>> usedByMonitoring() throws IOException {
        return MonitoringQueries.usedByMonitoring(Path.of(""));
    }

    static JsonNode rules() throws IOException {
        return MonitoringQueries.rules(Path.of(""));
    }
}
