package io.secretsync.operator.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

/** What monitoring/ reads (the alert expressions, the dashboard's queries) and what /q/metrics serves. */
final class MonitoringQueries {
    /** Made by Prometheus itself for every scrape target, not by the operator. */
    static final Set<String> SYNTHETIC = Set.of("up");

    private MonitoringQueries() {
    }

    static Path monitoring(Path project, String file) {
        return project.resolve("monitoring").resolve(file);
    }

    /** The PrometheusRule of monitoring/ as a tree. */
    static JsonNode rules(Path project) throws IOException {
        return Serialization.jsonMapper().valueToTree(Serialization.unmarshal(
                Files.readString(monitoring(project, "prometheusrule.yaml")), GenericKubernetesResource.class));
    }

    /** Where (rule or panel) -> the metric names its PromQL reads. */
    static Map<String, Set<String>> usedByMonitoring(Path project) throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        rules(project).path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> used.put(
                "rule " + r.path("alert").asText(r.path("record").asText()), PromQl.metricNames(r.path("expr")
                        .asText()))));
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(monitoring(project,
                "grafana-dashboard.json")));
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

    /** The metric names of a Prometheus text exposition. */
    static Set<String> exported(String body) {
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
}
