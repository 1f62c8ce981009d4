package io.secretsync.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The Helm chart (helm/secretsync-operator), linted and rendered by Helm itself (helm-java
 * bundles Helm's Go library). Its default render has exactly the RBAC of the plain manifests
 * (target/kubernetes/kubernetes.yml) and a Deployment that runs the operator as they do; a
 * values file that changes every value shows each change in the rendered objects.
 */
class HelmChartIT {
    static final String RELEASE = BundleGenerator.PACKAGE;
    static final List<String> RBAC_KINDS = List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
            "RoleBinding");

    final Path project = Manifests.projectDir();
    final Path chart = project.resolve(BundleGenerator.CHART);
    final List<HasMetadata> plain = Manifests.load(Manifests.kubernetesYml());
    final Deployment plainDeployment = Manifests.single(plain, Deployment.class);
    final String plainNamespace = plainDeployment.getMetadata().getNamespace();

    @Test
    void helmLintsTheChartWithoutWarnings() {
        LintResult result = new Helm(chart).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void defaultRbacIsExactlyThePlainManifestsRbac() {
        List<JsonNode> rendered = render(template(plainNamespace));
        for (String kind : RBAC_KINDS) {
            assertThat(withoutLabelsAndAnnotations(ofKind(rendered, kind))).as("%s of the chart", kind)
                    .containsExactlyInAnyOrderElementsOf(withoutLabelsAndAnnotations(ofKind(plainTrees(), kind)));
        }
    }

    @Test
    void defaultDeploymentRunsTheOperatorAsThePlainManifestsDo() {
        List<JsonNode> rendered = render(template(plainNamespace));
        Deployment d = deployment(rendered);
        assertThat(d.getMetadata().getName()).isEqualTo(plainDeployment.getMetadata().getName());
        assertThat(d.getMetadata().getNamespace()).isEqualTo(plainNamespace);
        assertThat(d.getSpec().getReplicas()).isEqualTo(plainDeployment.getSpec().getReplicas());
        assertThat(d.getSpec().getStrategy()).isEqualTo(plainDeployment.getSpec().getStrategy());
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsAllEntriesOf(prometheusAnnotations(plainDeployment));

        PodSpec pod = d.getSpec().getTemplate().getSpec();
        PodSpec plainPod = plainDeployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo(plainPod.getServiceAccountName());
        assertThat(pod.getAutomountServiceAccountToken()).isEqualTo(plainPod.getAutomountServiceAccountToken());
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(plainPod.getTerminationGracePeriodSeconds());
        assertThat(pod.getSecurityContext()).isEqualTo(plainPod.getSecurityContext());
        assertThat(pod.getVolumes()).isEqualTo(plainPod.getVolumes());
        assertThat(pod.getContainers()).hasSameSizeAs(plainPod.getContainers());

        Container c = pod.getContainers().get(0);
        Container p = plainPod.getContainers().get(0);
        assertThat(c.getName()).isEqualTo(p.getName());
        assertThat(c.getImage()).isEqualTo(p.getImage());
        assertThat(c.getImagePullPolicy()).isEqualTo(p.getImagePullPolicy());
        assertThat(c.getCommand()).isEqualTo(p.getCommand());
        assertThat(c.getArgs()).as("args (JVM options included)").isEqualTo(p.getArgs());
        assertThat(c.getEnv()).as("env (JVM options included)").containsExactlyInAnyOrderElementsOf(p.getEnv());
        assertThat(c.getEnvFrom()).isEqualTo(p.getEnvFrom());
        assertThat(c.getPorts()).isEqualTo(p.getPorts());
        assertThat(c.getStartupProbe()).isEqualTo(p.getStartupProbe());
        assertThat(c.getLivenessProbe()).isEqualTo(p.getLivenessProbe());
        assertThat(c.getReadinessProbe()).isEqualTo(p.getReadinessProbe());
        assertThat(c.getResources()).isEqualTo(p.getResources());
        assertThat(c.getSecurityContext()).isEqualTo(p.getSecurityContext());
        assertThat(c.getVolumeMounts()).isEqualTo(p.getVolumeMounts());
    }

    @Test
    void defaultServiceAndCrdAreThePlainOnesAndMonitoringIsOff() throws IOException {
        List<JsonNode> rendered = render(template(plainNamespace));
        JsonNode service = ofKind(rendered, "Service").get(0);
        JsonNode plainService = ofKind(plainTrees(), "Service").get(0);
        assertThat(service.at("/spec/ports")).isEqualTo(plainService.at("/spec/ports"));
        assertThat(service.at("/metadata/name")).isEqualTo(plainService.at("/metadata/name"));
        assertThat(rendered.stream().map(o -> o.path("kind").asText()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                        "RoleBinding", "Service", "Deployment");
        for (Path crd : Manifests.crdYmls()) {
            String name = crd.getFileName().toString().replace("-v1.yml", ".yaml");
            assertThat(Files.readString(chart.resolve("crds/" + name))).as("the chart's CRD %s", name)
                    .isEqualTo(Files.readString(crd));
        }
        assertThat(Manifests.crdYmls()).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("secretsyncpolicies.secretsync.io-v1.yml",
                        "secretsyncclusters.secretsync.io-v1.yml");
    }

    @Test
    void theReleaseNamespaceIsTheOperatorsNamespaceEverywhere() {
        List<JsonNode> rendered = render(template("platform-operators"));
        for (JsonNode o : rendered) {
            if (!List.of("ClusterRole", "ClusterRoleBinding").contains(o.path("kind").asText())) {
                assertThat(o.at("/metadata/namespace").asText()).as("namespace of %s", o.path("kind").asText())
                        .isEqualTo("platform-operators");
            }
            o.path("subjects").forEach(s -> assertThat(s.path("namespace").asText()).isEqualTo("platform-operators"));
        }
    }

    @Test
    void everyValueChangesTheRenderedObjects() throws IOException {
        List<JsonNode> rendered = render(template(plainNamespace)
                .withValuesFile(project.resolve("src/test/resources/helm/changed-values.yaml")));
        Deployment d = deployment(rendered);
        assertThat(d.getMetadata().getName()).isEqualTo("ssync");
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example.com/mirror/secretsync-operator:9.9.9");
        assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("mirror-pull");
        assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
        assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
        assertThat(env(c)).containsEntry("SECRETSYNC_EXCLUDED_NAMESPACES", "kube-system,secret-vault")
                .containsEntry("SECRETSYNC_WRITE_CONCURRENCY", "16")
                .containsEntry("SECRETSYNC_WRITE_RATE_LIMIT", "50")
                .containsEntry("JAVA_OPTS_APPEND", "-XX:+ExitOnOutOfMemoryError -XX:MaxRAMPercentage=50 -XX:+UseSerialGC")
                .containsEntry("SECRETSYNC_ALLOWED_SOURCE_NAMESPACES", "platform-secrets,tbs")
                .containsEntry("SECRETSYNC_LEGACY_ENABLED", "false")
                .containsEntry("SECRETSYNC_LEGACY_NAMESPACE", "tbs")
                .containsEntry("SECRETSYNC_ORIGIN", "mgmt-eu-1")
                .containsEntry("SECRETSYNC_REMOTE_ALLOW_INSECURE_TLS", "true")
                .containsEntry("SECRETSYNC_REMOTE_PROBE_INTERVAL", "10s")
                .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG")
                .doesNotContainKey("QUARKUS_PROFILE");
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(c.getSecurityContext().getRunAsGroup()).isEqualTo(10001L);
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getTolerations()).extracting(t -> t.getKey()).containsExactly("dedicated");
        assertThat(pod.getAffinity().getPodAntiAffinity()).isNotNull();
        assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("example.com/owner",
                "platform");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "platform");
        assertThat(pod.getServiceAccountName()).isEqualTo("ssync");

        JsonNode clusterRole = named(ofKind(rendered, "ClusterRole"), "ssync");
        assertThat(clusterRole.path("rules").toString())
                .contains("{\"apiGroups\":[\"tekton.dev\"],\"resources\":[\"pipelineruns\",\"taskruns\"],"
                        + "\"verbs\":[\"list\",\"watch\"]}");
        assertThat(named(ofKind(rendered, "ClusterRoleBinding"), "ssync").at("/subjects/0/name").asText())
                .isEqualTo("ssync");
        assertThat(named(ofKind(rendered, "RoleBinding"), "ssync-kubeconfigs").at("/subjects/0/name").asText())
                .isEqualTo("ssync");
        assertThat(named(ofKind(rendered, "ClusterRoleBinding"), "ssync-remote").at("/subjects/0/name").asText())
                .isEqualTo("ssync-remote");
        assertThat(named(ofKind(rendered, "Secret"), "ssync-remote-token")
                .at("/metadata/annotations/kubernetes.io~1service-account.name").asText()).isEqualTo("ssync-remote");

        JsonNode monitor = ofKind(rendered, "ServiceMonitor").get(0);
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        JsonNode service = ofKind(rendered, "Service").get(0);
        monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(e -> assertThat(service
                .at("/metadata/labels/" + e.getKey().replace("/", "~1"))).as("Service label %s", e.getKey())
                .isEqualTo(e.getValue()));

        JsonNode rule = ofKind(rendered, "PrometheusRule").get(0);
        JsonNode monitoringRule = OlmLoaders.decode(Files.readString(project.resolve("monitoring/prometheusrule.yaml")));
        assertThat(rule.path("spec")).as("the chart's alerts are monitoring/prometheusrule.yaml's")
                .isEqualTo(monitoringRule.path("spec"));
        assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");

        JsonNode dashboard = ofKind(rendered, "ConfigMap").get(0);
        assertThat(dashboard.at("/metadata/labels/team").asText()).isEqualTo("platform");
        assertThat(new ObjectMapper().readTree(dashboard.at("/data/secretsync-operator.json").asText()))
                .as("the chart's dashboard is monitoring/grafana-dashboard.json")
                .isEqualTo(new ObjectMapper().readTree(Files.readString(project.resolve(
                        "monitoring/grafana-dashboard.json"))));
    }

    /** helm-java renders no hooks, so the helm test Pod is read from its template. */
    @Test
    void helmTestAsksTheOperatorsReadinessThroughItsService() throws IOException {
        String test = Files.readString(chart.resolve("templates/tests/test-ready.yaml"));
        assertThat(test).contains("helm.sh/hook: test", "image: {{ .Values.tests.image }}",
                "http://{{ include \"secretsync-operator.fullname\" . }}:80/q/health/ready");
        JsonNode service = ofKind(render(template(plainNamespace)), "Service").get(0);
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(80);
        assertThat(plainDeployment.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe()
                .getHttpGet().getPath()).isEqualTo("/q/health/ready");
    }

    @Test
    void theNativeImageRunsWithItsOwnTagOptionsAndResourcesAndNoJvmOptions() {
        Deployment d = deployment(render(template(plainNamespace).set("native.enabled", true)));
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        Container jvm = plainDeployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo(jvm.getImage() + "-native");
        assertThat(c.getArgs()).containsExactly("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");
        assertThat(env(c)).doesNotContainKey("JAVA_OPTS_APPEND");
        assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("192Mi");
        assertThat(c.getResources().getRequests().get("memory").toString()).isEqualTo("128Mi");
        assertThat(c.getReadinessProbe()).isEqualTo(jvm.getReadinessProbe());

        Container tuned = deployment(render(template(plainNamespace).set("native.enabled", true)
                .set("native.options", "-Xmx96m  -XX:+ExitOnOutOfMemoryError"))).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(tuned.getArgs()).containsExactly("-Xmx96m", "-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void withoutLeaderElectionOneReplicaRunsWithoutALease() {
        List<JsonNode> rendered = render(template(plainNamespace).set("leaderElection.enabled", false)
                .set("replicaCount", 1));
        Deployment d = deployment(rendered);
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(env(d.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("QUARKUS_PROFILE", "standalone");
        assertThat(ofKind(rendered, "Role")).extracting(o -> o.at("/metadata/name").asText())
                .as("no Lease Role").containsExactly(RELEASE + "-kubeconfigs");
        assertThat(ofKind(rendered, "RoleBinding")).extracting(o -> o.at("/metadata/name").asText())
                .containsExactly(RELEASE + "-kubeconfigs");

        assertThatThrownBy(() -> template(plainNamespace).set("leaderElection.enabled", false).call())
                .hasMessageContaining("leaderElection.enabled=false needs replicaCount: 1");
    }

    @Test
    void eachShardKeyAddsADeploymentServingItsPoliciesOnItsOwnLease() {
        List<JsonNode> rendered = render(template(plainNamespace).set("shards[0]", "team-a").set("shards[1]", "team-b"));
        List<Deployment> deployments = ofKind(rendered, "Deployment").stream()
                .map(o -> Serialization.jsonMapper().convertValue(o, Deployment.class)).toList();
        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactly(RELEASE,
                RELEASE + "-shard-team-a", RELEASE + "-shard-team-b");
        assertThat(env(deployments.get(0).getSpec().getTemplate().getSpec().getContainers().get(0)))
                .doesNotContainKey("SECRETSYNC_SHARD");
        Deployment teamA = deployments.get(1);
        assertThat(env(teamA.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("SECRETSYNC_SHARD", "team-a");
        // distinct pods: each Deployment selects only its own
        assertThat(teamA.getSpec().getSelector().getMatchLabels()).containsEntry("secretsync.io/shard", "team-a");
        assertThat(teamA.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("secretsync.io/shard",
                "team-a");
        assertThat(named(ofKind(rendered, "Role"), RELEASE + "-leader-election").path("rules").get(1).path("resourceNames").toString())
                .isEqualTo("[\"secretsync-operator-lease\",\"secretsync-operator-lease-team-a\","
                        + "\"secretsync-operator-lease-team-b\"]");

        assertThatThrownBy(() -> template(plainNamespace).set("shards[0]", "Team_A").call())
                .hasMessageContaining("\"Team_A\" is not a valid shard key");
    }

    /**
     * Contract section 7: the remote cluster needs only Secrets (list/watch/get/create/update/
     * patch/delete), Namespaces (list/watch) and ServiceAccounts (get/list/watch/patch). The
     * chart renders exactly that, for the remote cluster, only when asked.
     */
    @Test
    void remoteAccessRendersTheRemoteSidesLeastPrivilegeOnlyWhenAsked() {
        List<JsonNode> defaults = render(template(plainNamespace));
        assertThat(defaults).noneMatch(o -> o.at("/metadata/name").asText().equals("secretsync-remote"));

        List<JsonNode> rendered = render(template("secretsync-remote").set("remoteAccess.enabled", true));
        JsonNode sa = named(ofKind(rendered, "ServiceAccount"), "secretsync-remote");
        assertThat(sa.at("/metadata/namespace").asText()).isEqualTo("secretsync-remote");

        JsonNode role = named(ofKind(rendered, "ClusterRole"), "secretsync-remote");
        Map<String, List<String>> rules = new LinkedHashMap<>();
        role.path("rules").forEach(r -> {
            assertThat(r.has("resourceNames") || r.has("nonResourceURLs")).as("rule %s", r).isFalse();
            assertThat(r.path("apiGroups").toString()).as("rule %s", r).isEqualTo("[\"\"]");
            r.path("resources").forEach(res -> {
                List<String> verbs = new ArrayList<>();
                r.path("verbs").forEach(v -> verbs.add(v.asText()));
                assertThat(rules.put(res.asText(), verbs)).as("one rule for %s", res.asText()).isNull();
            });
        });
        assertThat(rules).containsOnlyKeys("secrets", "namespaces", "serviceaccounts");
        assertThat(rules.get("secrets")).containsExactlyInAnyOrder("list", "watch", "get", "create", "update",
                "patch", "delete");
        assertThat(rules.get("namespaces")).containsExactlyInAnyOrder("list", "watch");
        assertThat(rules.get("serviceaccounts")).containsExactlyInAnyOrder("get", "list", "watch", "patch");

        JsonNode binding = named(ofKind(rendered, "ClusterRoleBinding"), "secretsync-remote");
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("ClusterRole");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo("secretsync-remote");
        assertThat(binding.path("subjects")).hasSize(1);
        assertThat(binding.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("secretsync-remote");
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo("secretsync-remote");
        assertThat(ofKind(rendered, "Secret")).as("no long-lived token unless asked").isEmpty();

        JsonNode token = named(ofKind(render(template("secretsync-remote").set("remoteAccess.enabled", true)
                .set("remoteAccess.longLivedToken", true)), "Secret"), "secretsync-remote-token");
        assertThat(token.path("type").asText()).isEqualTo("kubernetes.io/service-account-token");
        assertThat(token.at("/metadata/annotations/kubernetes.io~1service-account.name").asText())
                .isEqualTo("secretsync-remote");
        assertThat(token.has("data")).as("Kubernetes fills in the token").isFalse();

        assertThatThrownBy(() -> template(plainNamespace).set("remoteAccess.enabled", true)
                .set("remoteAccess.serviceAccountName", "").call())
                .hasMessageContaining("remoteAccess.serviceAccountName is required");
    }

    /** The operator reads kubeconfigs in its own namespace only: a Role there, nothing cluster-wide. */
    @Test
    void kubeconfigSecretsAreReadableInTheReleaseNamespaceOnly() {
        List<JsonNode> rendered = render(template("platform-operators"));
        JsonNode role = named(ofKind(rendered, "Role"), RELEASE + "-kubeconfigs");
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo("platform-operators");
        assertThat(role.path("rules").toString())
                .isEqualTo("[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\",\"list\",\"watch\"]}]");
        JsonNode binding = named(ofKind(rendered, "RoleBinding"), RELEASE + "-kubeconfigs");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(RELEASE + "-kubeconfigs");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(RELEASE);
        assertThat(render(template(plainNamespace).set("leaderElection.enabled", false).set("replicaCount", 1)))
                .as("without leader election too").anyMatch(o -> o.path("kind").asText().equals("Role")
                        && o.at("/metadata/name").asText().equals(RELEASE + "-kubeconfigs"));
    }

    private static JsonNode named(List<JsonNode> objects, String name) {
        return objects.stream().filter(o -> o.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no object named " + name + " among " + objects.stream()
                        .map(o -> o.at("/metadata/name").asText()).toList()));
    }

    private TemplateCommand template(String namespace) {
        return new Helm(chart).template().withName(RELEASE).withNamespace(namespace);
    }

    private static List<JsonNode> render(TemplateCommand command) {
        List<JsonNode> objects = new ArrayList<>();
        for (String doc : OlmLoaders.documents(command.call())) {
            JsonNode o = OlmLoaders.decode(doc);
            if (o.size() > 0) {
                objects.add(o);
            }
        }
        return objects;
    }

    private List<JsonNode> plainTrees() {
        return plain.stream().map(o -> (JsonNode) Serialization.jsonMapper().valueToTree(o)).toList();
    }

    private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    /** Helm's and Quarkus' bookkeeping labels and annotations differ by nature; everything else must not. */
    private static List<JsonNode> withoutLabelsAndAnnotations(List<JsonNode> objects) {
        return objects.stream().map(o -> {
            ObjectNode copy = o.deepCopy();
            ((ObjectNode) copy.path("metadata")).remove(List.of("labels", "annotations"));
            return (JsonNode) copy;
        }).toList();
    }

    private static Deployment deployment(List<JsonNode> rendered) {
        List<JsonNode> deployments = ofKind(rendered, "Deployment");
        assertThat(deployments).hasSize(1);
        return Serialization.jsonMapper().convertValue(deployments.get(0), Deployment.class);
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValue());
        }
        return env;
    }

    private static Map<String, String> prometheusAnnotations(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getAnnotations().entrySet().stream()
                .filter(e -> e.getKey().startsWith("prometheus.io/"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
