package io.secretsync.operator.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.secretsync.operator.crd.PrinterColumns;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.crd.v1alpha1.SourceSpec;
import io.secretsync.operator.crd.v1alpha1.TargetSpec;
import io.secretsync.operator.sync.Conditions;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.tanzu.TanzuBuildServiceConvention;

/**
 * The scenario of the Tanzu Build Service "Synced-Secrets" page, on an embedded API server: a
 * labelled registry Secret in build-service (served by the convention's policy
 * tanzu-build-service-sync, which the operator creates), three namespaces with kpack Builds, and
 * a general SecretSyncPolicy copying a CA bundle from platform into the namespaces labelled
 * builds=enabled. Prints names, types and content hashes only, never Secret data.
 */
public final class DemoScenario {
    public static final String SOURCE_NAMESPACE = "build-service";
    public static final String SOURCE_SECRET = "my-synced-secret";
    public static final String SYNC_LABEL = TanzuBuildServiceConvention.SYNC_LABEL;
    /** The general policy of the demo. */
    public static final String POLICY = "ca-bundle";
    public static final String CA_NAMESPACE = "platform";
    public static final String CA_SECRET = "ca-bundle";
    /** The convention's policy, created by the operator itself. */
    public static final String CONVENTION_POLICY = TanzuBuildServiceConvention.POLICY_NAME;
    public static final String TARGET_LABEL = "builds";
    public static final List<String> BUILD_NAMESPACES = List.of("team-a", "team-b", "team-c");
    /** A namespace with neither the label nor builds: it must stay untouched. */
    public static final String BYSTANDER_NAMESPACE = "sandbox";
    public static final String DOCKERCONFIGJSON = "kubernetes.io/dockerconfigjson";

    private static final Pattern JSON_PATH_STEP = Pattern.compile("\\.(\\w+)(?:\\[\\?\\(@\\.(\\w+)==\"([^\"]*)\"\\)\\])?");

    static final ResourceDefinitionContext KPACK_BUILDS = new ResourceDefinitionContext.Builder()
            .withGroup(Crds.KPACK_GROUP).withVersion("v1alpha2").withKind("Build").withPlural("builds")
            .withNamespaced(true).build();

    private final KubernetesClient client;

    public DemoScenario(KubernetesClient client) {
        this.client = client;
    }

    public void seed() {
        namespace(SOURCE_NAMESPACE, Map.of());
        client.secrets().inNamespace(SOURCE_NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(SOURCE_SECRET).withNamespace(SOURCE_NAMESPACE)
                .addToLabels(SYNC_LABEL, "true").endMetadata()
                .withType(DOCKERCONFIGJSON)
                .addToData(".dockerconfigjson", b64("{\"auths\":{\"registry.example.com\":{\"auth\":\""
                        + b64("read-only-user:demo-password") + "\"}}}"))
                .build()).create();
        for (String ns : BUILD_NAMESPACES) {
            namespace(ns, Map.of(TARGET_LABEL, "enabled"));
            client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("default").withNamespace(ns).endMetadata().build()).create();
            client.genericKubernetesResources(KPACK_BUILDS).inNamespace(ns).resource(build(ns)).create();
        }
        namespace(BYSTANDER_NAMESPACE, Map.of());
        namespace(CA_NAMESPACE, Map.of());
        client.secrets().inNamespace(CA_NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(CA_SECRET).withNamespace(CA_NAMESPACE).endMetadata()
                .withType("Opaque")
                .addToData("ca.crt", b64("-----BEGIN CERTIFICATE-----\ndemo\n-----END CERTIFICATE-----\n"))
                .build()).create();
        client.resources(SecretSyncPolicy.class).resource(policy()).create();
    }

    static SecretSyncPolicy policy() {
        SecretSyncPolicy p = new SecretSyncPolicy();
        p.getMetadata().setName(POLICY);
        SecretSyncPolicySpec spec = new SecretSyncPolicySpec();
        spec.setSource(new SourceSpec(CA_NAMESPACE, List.of(CA_SECRET), null, null));
        spec.setTarget(new TargetSpec(null, new LabelSelectorBuilder().addToMatchLabels(TARGET_LABEL, "enabled").build(),
                null, null));
        p.setSpec(spec);
        return p;
    }

    private static GenericKubernetesResource build(String ns) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(Crds.KPACK_GROUP + "/v1alpha2").withKind("Build")
                .withNewMetadata().withName("app-build-1").withNamespace(ns).endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "serviceAccountName", "default",
                        "tags", List.of("registry.example.com/" + ns + "/app"),
                        "builder", Map.of("image", "registry.example.com/cluster-builder:base"),
                        "source", Map.of("git", Map.of("url", "https://git.example.com/" + ns + "/app.git",
                                "revision", "main"))))
                .build();
    }

    private void namespace(String name, Map<String, String> labels) {
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
        client.namespaces().resource(ns).create();
    }

    /** Every policy has reported on its current generation, and both demo policies are Ready with all their replicas. */
    public boolean converged() {
        List<SecretSyncPolicy> policies = client.resources(SecretSyncPolicy.class).list().getItems();
        if (policies.isEmpty()) {
            return false;
        }
        for (SecretSyncPolicy p : policies) {
            SecretSyncPolicyStatus s = p.getStatus();
            if (s == null || ready(s).isEmpty()
                    || !Objects.equals(s.getObservedGeneration(), p.getMetadata().getGeneration())) {
                return false;
            }
        }
        return readyWithEveryReplica(policies, POLICY) && readyWithEveryReplica(policies, CONVENTION_POLICY);
    }

    private boolean readyWithEveryReplica(List<SecretSyncPolicy> policies, String name) {
        SecretSyncPolicy policy = policies.stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst()
                .orElse(null);
        if (policy == null || !Conditions.TRUE.equals(ready(policy.getStatus()).map(Condition::getStatus).orElse(null))) {
            return false;
        }
        long replicas = replicas().stream().filter(r -> name.equals(ReplicaMetadata.owningPolicy(r))).count();
        return replicas == BUILD_NAMESPACES.size() && Objects.equals(policy.getStatus().getSyncedReplicas(),
                BUILD_NAMESPACES.size());
    }

    /** Polls until converged() or the timeout; returns whether it converged. */
    public boolean awaitConverged(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (converged()) {
                    return true;
                }
            } catch (RuntimeException e) {
                // the API may not be ready yet; try again
            }
            Thread.sleep(200);
        }
        return converged();
    }

    private List<Secret> replicas() {
        return client.secrets().inAnyNamespace()
                .withLabel(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE).list().getItems();
    }

    /** What `kubectl get secretsyncpolicies` would show: the CRD's printer columns, read from each policy. */
    public String policyTable(Instant now) {
        List<SecretSyncPolicy> policies = new ArrayList<>(client.resources(SecretSyncPolicy.class).list().getItems());
        policies.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        List<AdditionalPrinterColumn> columns = PrinterColumns.ofSecretSyncPolicy();
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("NAME"));
        columns.forEach(c -> header.add(c.name()));
        rows.add(header);
        for (SecretSyncPolicy p : policies) {
            Object object = client.getKubernetesSerialization().convertValue(p, Map.class);
            List<String> row = new ArrayList<>(List.of(p.getMetadata().getName()));
            for (AdditionalPrinterColumn c : columns) {
                Object value = jsonPath(object, c.jsonPath());
                row.add(c.type() == AdditionalPrinterColumn.Type.DATE ? age(value == null ? null : value.toString(), now)
                        : value == null ? "" : value.toString());
            }
            rows.add(row);
        }
        StringBuilder out = new StringBuilder(table(rows));
        for (SecretSyncPolicy p : policies) {
            if (p.getStatus() != null) {
                ready(p.getStatus()).ifPresent(c -> out.append("  ").append(p.getMetadata().getName()).append(": ")
                        .append(c.getMessage()).append('\n'));
            }
        }
        return out.toString();
    }

    /**
     * The value at a printer column's JSONPath, as kubectl would find it, for the two forms the
     * columns use: fields ({@code .status.sourceSecrets}) and a list filtered on one field
     * ({@code .status.conditions[?(@.type=="Ready")].status}); null when absent or not understood.
     */
    static Object jsonPath(Object root, String path) {
        Matcher step = JSON_PATH_STEP.matcher(path);
        Object current = root;
        int at = 0;
        while (at < path.length()) {
            if (!step.find(at) || step.start() != at) {
                return null;
            }
            current = current instanceof Map<?, ?> map ? map.get(step.group(1)) : null;
            String key = step.group(2);
            String wanted = step.group(3);
            if (key != null) {
                current = current instanceof List<?> list ? list.stream()
                        .filter(e -> e instanceof Map<?, ?> m && wanted.equals(String.valueOf(m.get(key))))
                        .findFirst().orElse(null) : null;
            }
            at = step.end();
        }
        return current;
    }

    /** Replicas per namespace: names, types, owning policy and content hash; never data. */
    public String replicaListing() {
        Map<String, List<Secret>> byNamespace = new TreeMap<>();
        for (Namespace ns : client.namespaces().list().getItems()) {
            byNamespace.put(ns.getMetadata().getName(), new ArrayList<>());
        }
        for (Secret r : replicas()) {
            byNamespace.computeIfAbsent(r.getMetadata().getNamespace(), k -> new ArrayList<>()).add(r);
        }
        Map<String, Integer> builds = new LinkedHashMap<>();
        for (GenericKubernetesResource b : client.genericKubernetesResources(KPACK_BUILDS).inAnyNamespace().list()
                .getItems()) {
            builds.merge(b.getMetadata().getNamespace(), 1, Integer::sum);
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAMESPACE", "KPACK BUILDS", "REPLICA", "TYPE", "POLICY", "CONTENT-HASH"));
        byNamespace.forEach((ns, secrets) -> {
            String nBuilds = String.valueOf(builds.getOrDefault(ns, 0));
            if (ns.equals(SOURCE_NAMESPACE) || ns.equals(CA_NAMESPACE)) {
                rows.add(List.of(ns, nBuilds, "(source namespace)", "", "", ""));
                return;
            }
            if (secrets.isEmpty()) {
                rows.add(List.of(ns, nBuilds, "-", "", "", ""));
            }
            secrets.sort(Comparator.comparing(s -> s.getMetadata().getName()));
            for (Secret s : secrets) {
                String hash = s.getMetadata().getAnnotations() == null ? ""
                        : s.getMetadata().getAnnotations().getOrDefault(ReplicaMetadata.CONTENT_HASH_ANNOTATION, "");
                rows.add(List.of(ns, nBuilds, s.getMetadata().getName(), String.valueOf(s.getType()),
                        String.valueOf(ReplicaMetadata.owningPolicy(s)), shortHash(hash)));
            }
        });
        return table(rows);
    }

    static String shortHash(String hash) {
        return hash.length() > 19 ? hash.substring(0, 19) + "..." : hash;
    }

    private static Optional<Condition> ready(SecretSyncPolicyStatus s) {
        return Conditions.find(s.getConditions(), Conditions.READY);
    }

    static String age(String creationTimestamp, Instant now) {
        if (creationTimestamp == null) {
            return "<unknown>";
        }
        try {
            long s = Math.max(0, Duration.between(OffsetDateTime.parse(creationTimestamp).toInstant(), now).getSeconds());
            if (s < 120) {
                return s + "s";
            }
            if (s < 7200) {
                return (s / 60) + "m";
            }
            return s < 172800 ? (s / 3600) + "h" : (s / 86400) + "d";
        } catch (RuntimeException e) {
            return "<unknown>";
        }
    }

    static String table(List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(r.get(i));
                if (i < cols - 1) {
                    line.append(" ".repeat(width[i] - r.get(i).length() + 3));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
