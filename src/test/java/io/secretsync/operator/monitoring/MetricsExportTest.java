package io.secretsync.operator.monitoring;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.utils.Serialization;
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
    /** Made by Prometheus itself for every scrape target, not by the operator. */
    static final Set<String> SYNTHETIC = Set.of("up");

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
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> names = new TreeSet<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    static Map<String, Set<String>> usedByMonitoring() throws IOException {
        Map<String, Set<String>> used = new java.util.TreeMap<>();
        rules().path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> used.put(
                "rule " + r.path("alert").asText(r.path("record").asText()), PromQl.metricNames(r.path("expr")
                        .asText()))));
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("monitoring/grafana-dashboard.json")));
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        });
        for (JsonNode p : panels) {
            p.path("targets").forEach(t -> used.put("panel " + p.path("title").asText() + " " + t.path("refId")
                    .asText(), PromQl.metricNames(t.path("expr").asText())));
        }
        return used;
    }

    static JsonNode rules() throws IOException {
        return Serialization.jsonMapper().valueToTree(Serialization.unmarshal(
                Files.readString(Path.of("monitoring/prometheusrule.yaml")),
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class));
    }
}
