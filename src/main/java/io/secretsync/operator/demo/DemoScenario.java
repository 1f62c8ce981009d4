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
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.secretsync.operator.crd.PrinterColumns;
import io.secretsync.operator.crd.v1alpha1.ClusterSyncStatus;
import io.secretsync.operator.crd.v1alpha1.ClusterTargets;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterSpec;
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
 * builds=enabled, in this cluster and in a second embedded API server registered as the
 * SecretSyncCluster demo-remote (contract section 7). Prints names, types and content hashes
 * only, never Secret data (nor the remote cluster's token).
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
    /** The remote cluster: a SecretSyncCluster of that name, its kubeconfig in the operator's namespace. */
    public static final String REMOTE_CLUSTER = "demo-remote";
    public static final String REMOTE_KUBECONFIG_SECRET = "demo-remote-kubeconfig";
    /** The remote cluster's namespaces labelled builds=enabled; its sandbox has no label. */
    public static final List<String> REMOTE_NAMESPACES = List.of("team-d", "team-e");

    private static final Pattern JSON_PATH_STEP = Pattern.compile("\\.(\\w+)(?:\\[\\?\\(@\\.(\\w+)==\"([^\"]*)\"\\)\\])?");

    static final ResourceDefinitionContext KPACK_BUILDS = new ResourceDefinitionContext.Builder()
            .withGroup(Crds.KPACK_GROUP).withVersion("v1alpha2").withKind("Build").withPlural("builds")
            .withNamespaced(true).build();

    private final KubernetesClient client;
    private final KubernetesClient remote;
    private final String remoteKubeconfig;

    /**
     * @param client the operator's cluster
     * @param remote the remote cluster, seeded with namespaces and read for the report
     * @param remoteKubeconfig how the operator reaches the remote cluster (put into a Secret)
     */
    public DemoScenario(KubernetesClient client, KubernetesClient remote, String remoteKubeconfig) {
        this.client = client;
        this.remote = remote;
        this.remoteKubeconfig = remoteKubeconfig;
    }

    public void seed() {
        seedRemote();
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

    /**
     * The remote cluster's namespaces, and its registration here: the kubeconfig in a Secret of
     * the operator's own namespace (the namespace of the operator's client), then the cluster.
     */
    private void seedRemote() {
        for (String ns : REMOTE_NAMESPACES) {
            remote.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels(TARGET_LABEL, "enabled").endMetadata().build()).create();
        }
        remote.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(BYSTANDER_NAMESPACE)
                .endMetadata().build()).create();
        String operatorNamespace = client.getConfiguration().getNamespace();
        client.secrets().inNamespace(operatorNamespace).resource(new SecretBuilder()
                .withNewMetadata().withName(REMOTE_KUBECONFIG_SECRET).withNamespace(operatorNamespace).endMetadata()
                .withType("Opaque")
                .addToData(SecretSyncClusterSpec.KubeconfigSecretRef.DEFAULT_KEY, b64(remoteKubeconfig))
                .build()).create();
        client.resources(SecretSyncCluster.class).resource(cluster()).create();
    }

    static SecretSyncCluster cluster() {
        SecretSyncCluster c = new SecretSyncCluster();
        c.getMetadata().setName(REMOTE_CLUSTER);
        c.getMetadata().setLabels(Map.of("demo", "true"));
        SecretSyncClusterSpec spec = new SecretSyncClusterSpec();
        spec.setKubeconfigSecretRef(new SecretSyncClusterSpec.KubeconfigSecretRef(REMOTE_KUBECONFIG_SECRET, null));
        c.setSpec(spec);
        return c;
    }

    static SecretSyncPolicy policy() {
        SecretSyncPolicy p = new SecretSyncPolicy();
        p.getMetadata().setName(POLICY);
        SecretSyncPolicySpec spec = new SecretSyncPolicySpec();
        spec.setSource(new SourceSpec(CA_NAMESPACE, List.of(CA_SECRET), null, null));
        TargetSpec target = new TargetSpec(null, new LabelSelectorBuilder().addToMatchLabels(TARGET_LABEL, "enabled")
                .build(), null, null);
        target.setClusters(new ClusterTargets(true, List.of(REMOTE_CLUSTER), null));
        spec.setTarget(target);
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
        long replicas = replicas(client).stream().filter(r -> name.equals(ReplicaMetadata.owningPolicy(r))).count();
        return replicas == BUILD_NAMESPACES.size()
                && Objects.equals(localSyncedReplicas(policy.getStatus()), BUILD_NAMESPACES.size());
    }

    /** syncedReplicas counts every cluster; status.clusters holds the remote clusters' shares. */
    static int localSyncedReplicas(SecretSyncPolicyStatus s) {
        int all = s.getSyncedReplicas() == null ? 0 : s.getSyncedReplicas();
        int remote = s.getClusters() == null ? 0 : s.getClusters().stream()
                .mapToInt(c -> c.getSyncedReplicas() == null ? 0 : c.getSyncedReplicas()).sum();
        return all - remote;
    }

    /**
     * The remote cluster is Connected, the general policy reports it ready with a replica in
     * each of its labelled namespaces, and those replicas are there, carrying an origin.
     */
    public boolean remoteConverged() {
        SecretSyncCluster cluster = client.resources(SecretSyncCluster.class).withName(REMOTE_CLUSTER).get();
        if (cluster == null || cluster.getStatus() == null || !Conditions.TRUE.equals(Conditions
                .find(cluster.getStatus().getConditions(), Conditions.READY).map(Condition::getStatus).orElse(null))) {
            return false;
        }
        SecretSyncPolicy policy = client.resources(SecretSyncPolicy.class).withName(POLICY).get();
        List<ClusterSyncStatus> clusters = policy == null || policy.getStatus() == null ? null
                : policy.getStatus().getClusters();
        boolean reported = clusters != null && clusters.stream().anyMatch(c -> REMOTE_CLUSTER.equals(c.getName())
                && Boolean.TRUE.equals(c.getReady())
                && Objects.equals(c.getSyncedReplicas(), REMOTE_NAMESPACES.size()));
        List<Secret> replicas = replicas(remote).stream().filter(r -> POLICY.equals(ReplicaMetadata.owningPolicy(r))
                && r.getMetadata().getAnnotations() != null
                && r.getMetadata().getAnnotations().containsKey(ReplicaMetadata.ORIGIN_ANNOTATION)).toList();
        return reported && replicas.size() == REMOTE_NAMESPACES.size();
    }

    /** Polls until the check holds or the deadline passes; returns whether it held. */
    public static boolean awaitUntil(BooleanSupplier check, Instant deadline)
            throws InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            try {
                if (check.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException e) {
                // the API may not be ready yet; try again
            }
            Thread.sleep(200);
        }
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<Secret> replicas(KubernetesClient c) {
        return c.secrets().inAnyNamespace()
                .withLabel(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE).list().getItems();
    }

    /** What `kubectl get secretsyncclusters` would show, and each cluster's Ready message. */
    public String clusterTable(Instant now) {
        List<SecretSyncCluster> clusters = new ArrayList<>(client.resources(SecretSyncCluster.class).list().getItems());
        clusters.sort(Comparator.comparing(c -> c.getMetadata().getName()));
        StringBuilder out = new StringBuilder(printerTable(clusters, PrinterColumns.ofSecretSyncCluster(), now));
        for (SecretSyncCluster c : clusters) {
            if (c.getStatus() != null) {
                Conditions.find(c.getStatus().getConditions(), Conditions.READY).ifPresent(r -> out.append("  ")
                        .append(c.getMetadata().getName()).append(": ").append(r.getMessage()).append('\n'));
            }
        }
        return out.toString();
    }

    /** The remote cluster's replicas per namespace: names, types, owning policy, origin and content hash. */
    public String remoteReplicaListing() {
        Map<String, List<Secret>> byNamespace = new TreeMap<>();
        for (Namespace ns : remote.namespaces().list().getItems()) {
            byNamespace.put(ns.getMetadata().getName(), new ArrayList<>());
        }
        for (Secret r : replicas(remote)) {
            byNamespace.computeIfAbsent(r.getMetadata().getNamespace(), k -> new ArrayList<>()).add(r);
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAMESPACE", "REPLICA", "TYPE", "POLICY", "ORIGIN", "CONTENT-HASH"));
        byNamespace.forEach((ns, secrets) -> {
            if (secrets.isEmpty()) {
                rows.add(List.of(ns, "-", "", "", "", ""));
            }
            secrets.sort(Comparator.comparing(s -> s.getMetadata().getName()));
            for (Secret s : secrets) {
                Map<String, String> a = s.getMetadata().getAnnotations() == null ? Map.of()
                        : s.getMetadata().getAnnotations();
                rows.add(List.of(ns, s.getMetadata().getName(), String.valueOf(s.getType()),
                        String.valueOf(ReplicaMetadata.owningPolicy(s)),
                        a.getOrDefault(ReplicaMetadata.ORIGIN_ANNOTATION, "-"),
                        shortHash(a.getOrDefault(ReplicaMetadata.CONTENT_HASH_ANNOTATION, ""))));
            }
        });
        return table(rows);
    }

    /** What `kubectl get secretsyncpolicies` would show: the CRD's printer columns, read from each policy. */
    public String policyTable(Instant now) {
        List<SecretSyncPolicy> policies = new ArrayList<>(client.resources(SecretSyncPolicy.class).list().getItems());
        policies.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        StringBuilder out = new StringBuilder(printerTable(policies, PrinterColumns.ofSecretSyncPolicy(), now));
        for (SecretSyncPolicy p : policies) {
            if (p.getStatus() != null) {
                ready(p.getStatus()).ifPresent(c -> out.append("  ").append(p.getMetadata().getName()).append(": ")
                        .append(c.getMessage()).append('\n'));
            }
        }
        return out.toString();
    }

    /** One row per object: its name, then each printer column read from it as kubectl would. */
    private String printerTable(List<? extends HasMetadata> objects, List<AdditionalPrinterColumn> columns,
            Instant now) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("NAME"));
        columns.forEach(c -> header.add(c.name()));
        rows.add(header);
        for (HasMetadata o : objects) {
            Object object = client.getKubernetesSerialization().convertValue(o, Map.class);
            List<String> row = new ArrayList<>(List.of(o.getMetadata().getName()));
            for (AdditionalPrinterColumn c : columns) {
                Object value = jsonPath(object, c.jsonPath());
                row.add(c.type() == AdditionalPrinterColumn.Type.DATE ? age(value == null ? null : value.toString(), now)
                        : value == null ? "" : value.toString());
            }
            rows.add(row);
        }
        return table(rows);
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
        for (Secret r : replicas(client)) {
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
