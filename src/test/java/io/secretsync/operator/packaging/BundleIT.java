package io.secretsync.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.CRDDescription;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersionSpec;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.InstallMode;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDetailsDeployment;

/**
 * The committed OLM bundle and catalog are what the build generates, and pass the checks
 * operator-sdk bundle validate makes (required CSV fields, owned CRDs present, alm-examples,
 * install modes, bundle annotations consistent with bundle.Dockerfile) plus the catalog's
 * references between package, channel and bundle.
 */
class BundleIT {
    static final Pattern SEMVER = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-.]+)?$");
    static final Set<String> ICON_TYPES = Set.of("image/gif", "image/jpeg", "image/png", "image/svg+xml");

    final Path project = Manifests.projectDir();
    final BundleGenerator generator = new BundleGenerator(project);
    final List<HasMetadata> kubernetes = Manifests.load(Manifests.kubernetesYml());

    @Test
    void committedBundleAndCatalogAreWhatTheBuildGenerates() throws IOException {
        Map<String, String> expected = generator.generate();
        Set<String> committed = new TreeSet<>();
        for (String dir : List.of("bundle", "olm/catalog", "olm/install")) {
            try (Stream<Path> s = Files.walk(project.resolve(dir))) {
                s.filter(Files::isRegularFile).forEach(p -> committed.add(project.relativize(p).toString()
                        .replace('\\', '/')));
            }
        }
        committed.add("olm/catalog.Dockerfile");
        String hint = "; regenerate with: mvn -B package -DskipTests -Pregenerate-bundle";
        assertThat(committed).as("files" + hint).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(Files.readString(project.resolve(e.getKey()))).as(e.getKey() + hint).isEqualTo(e.getValue());
        }
    }

    @Test
    void bundleAnnotationsMatchTheDockerfileLabels() throws IOException {
        Map<String, String> annotations = annotations();
        assertThat(annotations).containsEntry("operators.operatorframework.io.bundle.mediatype.v1", "registry+v1")
                .containsEntry("operators.operatorframework.io.bundle.manifests.v1", "manifests/")
                .containsEntry("operators.operatorframework.io.bundle.metadata.v1", "metadata/")
                .containsKeys("operators.operatorframework.io.bundle.package.v1",
                        "operators.operatorframework.io.bundle.channels.v1");
        List<String> channels = List.of(annotations.get("operators.operatorframework.io.bundle.channels.v1")
                .split(","));
        assertThat(channels).contains(annotations.get("operators.operatorframework.io.bundle.channel.default.v1"));

        String dockerfile = Files.readString(project.resolve("bundle/bundle.Dockerfile"));
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^LABEL\\s+(\\S+?)=(\\S+)\\s*$").matcher(dockerfile);
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        assertThat(labels.entrySet().stream().filter(e -> e.getKey().startsWith("operators.operatorframework.io.bundle."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                .isEqualTo(annotations);
        assertThat(dockerfile).contains("COPY " + dir(annotations, "manifests") + " /manifests/")
                .contains("COPY " + dir(annotations, "metadata") + " /metadata/");
        assertThat(annotations.get("operators.operatorframework.io.bundle.package.v1"))
                .isEqualTo(BundleGenerator.PACKAGE);
    }

    @Test
    void csvHasTheRequiredFields() throws IOException {
        ClusterServiceVersion csv = csv();
        ClusterServiceVersionSpec spec = csv.getSpec();
        assertThat(csv.getApiVersion()).isEqualTo("operators.coreos.com/v1alpha1");
        assertThat(spec.getVersion()).matches(SEMVER);
        assertThat(csv.getMetadata().getName()).isEqualTo(BundleGenerator.PACKAGE + ".v" + spec.getVersion());
        assertThat(spec.getDisplayName()).isNotBlank();
        assertThat(spec.getDescription()).isNotBlank();
        assertThat(spec.getKeywords()).isNotEmpty();
        assertThat(spec.getMaturity()).isNotBlank();
        assertThat(spec.getMinKubeVersion()).matches(SEMVER);
        assertThat(spec.getProvider().getName()).isNotBlank();
        assertThat(spec.getMaintainers()).isNotEmpty()
                .allSatisfy(mt -> assertThat(mt.getEmail()).contains("@"))
                .allSatisfy(mt -> assertThat(mt.getName()).isNotBlank());
        assertThat(spec.getLinks()).isNotEmpty().allSatisfy(l -> assertThat(l.getUrl()).startsWith("https://"));
        assertThat(spec.getIcon()).hasSize(1).allSatisfy(i -> {
            assertThat(ICON_TYPES).contains(i.getMediatype());
            assertThat(Base64.getDecoder().decode(i.getBase64data())).isNotEmpty();
        });
        assertThat(csv.getMetadata().getAnnotations()).containsKeys("capabilities", "categories", "description",
                "containerImage", "alm-examples");

        Map<String, Boolean> modes = spec.getInstallModes().stream()
                .collect(Collectors.toMap(InstallMode::getType, InstallMode::getSupported));
        assertThat(modes).containsExactlyInAnyOrderEntriesOf(Map.of("OwnNamespace", false, "SingleNamespace", false,
                "MultiNamespace", false, "AllNamespaces", true));

        Deployment deployment = Manifests.single(kubernetes, Deployment.class);
        String image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertThat(csv.getMetadata().getAnnotations().get("containerImage")).isEqualTo(image);
        assertThat(spec.getRelatedImages()).anyMatch(r -> r.getImage().equals(image));
    }

    @Test
    void installStrategyIsTheGeneratedDeploymentAndRbac() throws IOException {
        ClusterServiceVersion csv = csv();
        assertThat(csv.getSpec().getInstall().getStrategy()).isEqualTo("deployment");
        StrategyDetailsDeployment install = csv.getSpec().getInstall().getSpec();
        Deployment deployment = Manifests.single(kubernetes, Deployment.class);
        assertThat(install.getDeployments()).hasSize(1);
        assertThat(install.getDeployments().get(0).getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(install.getDeployments().get(0).getSpec()).isEqualTo(deployment.getSpec());
        String sa = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(install.getPermissions()).allSatisfy(p -> assertThat(p.getServiceAccountName()).isEqualTo(sa));
        assertThat(install.getClusterPermissions()).allSatisfy(p -> assertThat(p.getServiceAccountName())
                .isEqualTo(sa));
        assertThat(install.getPermissions().stream().flatMap(p -> p.getRules().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(Manifests.ofKind(kubernetes, Role.class).stream()
                        .flatMap(r -> r.getRules().stream()).toList());
        assertThat(install.getClusterPermissions().stream().flatMap(p -> p.getRules().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(Manifests.ofKind(kubernetes, ClusterRole.class).stream()
                        .flatMap(r -> r.getRules().stream()).toList());
    }

    @Test
    void everyCrdIsOwnedAndDescribed() throws IOException {
        ClusterServiceVersion csv = csv();
        List<CustomResourceDefinition> crds = new ArrayList<>();
        int csvs = 0;
        try (Stream<Path> files = Files.list(project.resolve("bundle/manifests"))) {
            for (Path f : files.toList()) {
                HasMetadata o = Serialization.unmarshal(Files.readString(f));
                if (o instanceof CustomResourceDefinition crd) {
                    crds.add(crd);
                } else if (o instanceof ClusterServiceVersion) {
                    csvs++;
                }
            }
        }
        assertThat(csvs).as("CSVs in the bundle").isEqualTo(1);
        List<CRDDescription> owned = csv.getSpec().getCustomresourcedefinitions().getOwned();
        assertThat(crds).isNotEmpty();
        assertThat(owned.stream().map(CRDDescription::getName).toList())
                .containsExactlyInAnyOrderElementsOf(crds.stream().map(c -> c.getMetadata().getName()).toList());
        for (CRDDescription d : owned) {
            CustomResourceDefinition crd = crds.stream().filter(c -> c.getMetadata().getName().equals(d.getName()))
                    .findFirst().orElseThrow();
            assertThat(d.getKind()).isEqualTo(crd.getSpec().getNames().getKind());
            var version = crd.getSpec().getVersions().stream().filter(v -> v.getName().equals(d.getVersion()))
                    .findFirst().orElseThrow(() -> new AssertionError("owned version " + d.getVersion()));
            assertThat(version.getServed()).isTrue();
            assertThat(d.getDisplayName()).isNotBlank();
            assertThat(d.getDescription()).isNotBlank();
            JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
            assertThat(d.getSpecDescriptors()).isNotEmpty().allSatisfy(sd -> assertThat(
                    hasPath(schema.getProperties().get("spec"), sd.getPath())).as("spec path %s", sd.getPath())
                    .isTrue());
            assertThat(d.getStatusDescriptors()).isNotEmpty().allSatisfy(sd -> assertThat(
                    hasPath(schema.getProperties().get("status"), sd.getPath())).as("status path %s", sd.getPath())
                    .isTrue());
        }
    }

    @Test
    void almExamplesAreValidPoliciesIncludingTheLegacyOne() throws IOException {
        ClusterServiceVersion csv = csv();
        JsonNode examples = Serialization.jsonMapper().readTree(csv.getMetadata().getAnnotations().get("alm-examples"));
        assertThat(examples.isArray()).isTrue();
        CRDDescription owned = csv.getSpec().getCustomresourcedefinitions().getOwned().get(0);
        String group = owned.getName().substring(owned.getName().indexOf('.') + 1);
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        examples.forEach(e -> {
            assertThat(e.path("apiVersion").asText()).isEqualTo(group + "/" + owned.getVersion());
            assertThat(e.path("kind").asText()).isEqualTo(owned.getKind());
            byName.put(e.path("metadata").path("name").asText(), e);
        });
        assertThat(byName).containsKeys("registry-creds", "tanzu-build-service-sync");
        JsonNode legacy = byName.get("tanzu-build-service-sync").path("spec");
        assertThat(legacy.at("/source/namespace").asText()).isEqualTo("build-service");
        assertThat(legacy.at("/source/selector/matchLabels/com.vmware.tanzu.buildservice.sync").asText())
                .isEqualTo("true");
        assertThat(legacy.at("/source/types").toString())
                .isEqualTo("[\"kubernetes.io/dockercfg\",\"kubernetes.io/dockerconfigjson\"]");
        List<String> kinds = new ArrayList<>();
        legacy.at("/target/namespacesWith").forEach(k -> kinds.add(k.path("apiVersion").asText() + " "
                + k.path("kind").asText()));
        assertThat(kinds).containsExactlyInAnyOrder("kpack.io/v1alpha2 Build", "kpack.io/v1alpha2 Image",
                "kpack.io/v1alpha1 Build", "kpack.io/v1alpha1 Image");
        assertThat(legacy.at("/imagePullSecrets/workloadServiceAccounts").asBoolean()).isTrue();
    }

    @Test
    void catalogReferencesAreConsistent() throws IOException {
        ClusterServiceVersion csv = csv();
        List<GenericKubernetesResource> docs = new ArrayList<>();
        for (String doc : Files.readString(project.resolve("olm/catalog/secretsync-operator/catalog.yaml"))
                .split("(?m)^---\\s*$")) {
            if (!doc.replaceAll("(?m)^#.*$", "").isBlank()) {
                docs.add(Serialization.unmarshal(doc, GenericKubernetesResource.class));
            }
        }
        Map<String, List<Map<String, Object>>> bySchema = docs.stream().map(d -> d.getAdditionalProperties())
                .collect(Collectors.groupingBy(p -> (String) p.get("schema")));
        assertThat(bySchema).containsOnlyKeys("olm.package", "olm.channel", "olm.bundle");
        Map<String, Object> pkg = bySchema.get("olm.package").get(0);
        assertThat(pkg.get("name")).isEqualTo(BundleGenerator.PACKAGE);
        Map<String, String> annotations = annotations();
        assertThat(pkg.get("defaultChannel"))
                .isEqualTo(annotations.get("operators.operatorframework.io.bundle.channel.default.v1"));
        Set<String> bundles = bySchema.get("olm.bundle").stream().map(b -> (String) b.get("name"))
                .collect(Collectors.toSet());
        assertThat(bundles).contains(csv.getMetadata().getName());
        assertThat(bySchema.get("olm.channel")).anySatisfy(c -> assertThat(c.get("name"))
                .isEqualTo(pkg.get("defaultChannel")));
        for (Map<String, Object> channel : bySchema.get("olm.channel")) {
            assertThat(channel.get("package")).isEqualTo(BundleGenerator.PACKAGE);
            ((List<?>) channel.get("entries")).forEach(e -> assertThat(bundles).contains((String) ((Map<?, ?>) e)
                    .get("name")));
        }
        Map<String, Object> bundle = bySchema.get("olm.bundle").get(0);
        assertThat(bundle.get("package")).isEqualTo(BundleGenerator.PACKAGE);
        assertThat((String) bundle.get("image")).isNotBlank();
        String properties = Serialization.asJson(bundle.get("properties"));
        assertThat(properties).contains("\"olm.package\"").contains("\"version\":\"" + csv.getSpec().getVersion() + "\"")
                .contains("\"olm.gvk\"").contains("\"kind\":\"SecretSyncPolicy\"");
    }

    @Test
    void installManifestsSubscribeToTheCatalogForAllNamespaces() throws IOException {
        Map<String, GenericKubernetesResource> byKind = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(project.resolve("olm/install"))) {
            for (Path f : files.sorted().toList()) {
                GenericKubernetesResource r = Serialization.unmarshal(Files.readString(f),
                        GenericKubernetesResource.class);
                byKind.put(r.getKind(), r);
            }
        }
        assertThat(byKind).containsOnlyKeys("Namespace", "CatalogSource", "OperatorGroup", "Subscription");
        GenericKubernetesResource og = byKind.get("OperatorGroup");
        GenericKubernetesResource sub = byKind.get("Subscription");
        GenericKubernetesResource cs = byKind.get("CatalogSource");
        assertThat(og.getMetadata().getNamespace()).isEqualTo(byKind.get("Namespace").getMetadata().getName());
        assertThat(sub.getMetadata().getNamespace()).isEqualTo(og.getMetadata().getNamespace());
        assertThat(((Map<?, ?>) og.getAdditionalProperties().get("spec")).containsKey("targetNamespaces")).isFalse();
        Map<?, ?> subSpec = (Map<?, ?>) sub.getAdditionalProperties().get("spec");
        assertThat(subSpec.get("source")).isEqualTo(cs.getMetadata().getName());
        assertThat(subSpec.get("sourceNamespace")).isEqualTo(cs.getMetadata().getNamespace());
        assertThat(subSpec.get("name")).isEqualTo(BundleGenerator.PACKAGE);
        assertThat(subSpec.get("channel"))
                .isEqualTo(annotations().get("operators.operatorframework.io.bundle.channel.default.v1"));
    }

    private static boolean hasPath(JSONSchemaProps schema, String path) {
        JSONSchemaProps node = schema;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return false;
            }
            if (node.getItems() != null && node.getItems().getSchema() != null) {
                node = node.getItems().getSchema();
            }
            node = node.getProperties() == null ? null : node.getProperties().get(part);
        }
        return node != null;
    }

    private static String dir(Map<String, String> annotations, String what) {
        String d = annotations.get("operators.operatorframework.io.bundle." + what + ".v1");
        return d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> annotations() throws IOException {
        GenericKubernetesResource parsed = Serialization.unmarshal(
                Files.readString(project.resolve("bundle/metadata/annotations.yaml")), GenericKubernetesResource.class);
        return (Map<String, String>) parsed.getAdditionalProperties().get("annotations");
    }

    private ClusterServiceVersion csv() throws IOException {
        return Serialization.unmarshal(Files.readString(project.resolve(BundleGenerator.CSV_FILE)),
                ClusterServiceVersion.class);
    }
}
