package io.secretsync.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The alert rules of monitoring/prometheusrule.yaml, checked and unit-tested by Prometheus' own
 * tool: {@code promtool check rules} on the PrometheusRule's groups, and {@code promtool test
 * rules} with src/test/resources/monitoring/alert-rules-test.yaml, in which each alert fires when
 * it should (including a policy whose Ready reason keeps changing) and stays silent otherwise.
 */
class AlertRulesTest {
    static final String INSTALL_HINT = "promtool is not on the PATH. Install it: apt-get install -y prometheus"
            + " (Debian/Ubuntu; .ci/run does this), or put promtool from a Prometheus release on the PATH";

    final Path project = Path.of("").toAbsolutePath();

    @Test
    void promtoolAcceptsTheRules(@TempDir Path dir) throws Exception {
        Path rules = writeRuleGroups(dir);
        Result r = promtool(dir, "check", "rules", rules.toString());
        assertThat(r.exit()).as("promtool check rules:%n%s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void eachAlertFiresWhenItShouldAndOnlyThen(@TempDir Path dir) throws Exception {
        writeRuleGroups(dir);
        Path tests = dir.resolve("alert-rules-test.yaml");
        Files.copy(project.resolve("src/test/resources/monitoring/alert-rules-test.yaml"), tests);
        Result r = promtool(dir, "test", "rules", tests.toString());
        assertThat(r.exit()).as("promtool test rules:%n%s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
        String testText = Files.readString(tests);
        for (String alert : alerts()) {
            assertThat(testText).as("alert-rules-test.yaml tests %s", alert).contains("alertname: " + alert);
        }
    }

    /**
     * An OLM install lives in openshift-operators (or wherever its Subscription is), a Helm
     * install in its release namespace: the monitoring objects name no namespace and so follow
     * the one they are applied to, and the ServiceMonitor selects the Service in its own.
     */
    @Test
    void monitoringObjectsFollowTheNamespaceTheyAreAppliedTo() throws IOException {
        for (String file : List.of("prometheusrule.yaml", "servicemonitor.yaml")) {
            GenericKubernetesResource r = Serialization.unmarshal(Files.readString(project.resolve("monitoring/"
                    + file)), GenericKubernetesResource.class);
            assertThat(r.getMetadata().getNamespace()).as("namespace of monitoring/%s", file).isNull();
            Object spec = r.getAdditionalProperties().get("spec");
            assertThat(((Map<?, ?>) spec).containsKey("namespaceSelector")).as("namespaceSelector of %s", file)
                    .isFalse();
        }
    }

    private List<String> alerts() throws IOException {
        List<String> alerts = new ArrayList<>();
        MonitoringQueries.rules(project).path("spec").path("groups").forEach(g -> g.path("rules")
                .forEach(r -> alerts.add(r.path("alert").asText())));
        return alerts;
    }

    /** The PrometheusRule's spec (its rule groups) as a Prometheus rule file. */
    private Path writeRuleGroups(Path dir) throws IOException {
        JsonNode groups = MonitoringQueries.rules(project).path("spec");
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, Serialization.asYaml(groups), StandardCharsets.UTF_8);
        return rules;
    }

    record Result(int exit, String output) {
    }

    static Result promtool(Path dir, String... args) throws IOException, InterruptedException {
        String promtool = which("promtool").orElseThrow(() -> new AssertionError(INSTALL_HINT));
        List<String> cmd = new ArrayList<>(List.of(promtool));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("promtool.out");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 2 minutes");
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    static Optional<String> which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
