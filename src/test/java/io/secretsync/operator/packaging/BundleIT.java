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
        for (String dir : BundleGenerator.GENERATED_DIRS) {
            try (Stream<Path> s = Files.walk(project.resolve(dir))) {
                s.filter(Files::isRegularFile).forEach(p -> committed.add(project.relativize(p).toString()
                        .replace('\\', '/')));
            }
        }
        committed.add("olm/catalog.Dockerfile");
        committed.add(BundleGenerator.CHART + "/Chart.yaml");
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
        assertThat(csv.getMetadata().getName()).isEqualTo(BundleGenerator.csvName(spec.getVersion()));
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
        assertThat(spec.getRelatedImages()).as("the native image is offered (and mirrored with the bundle)")
                .anyMatch(r -> r.getName().equals("secretsync-operator-native") && r.getImage().equals(image + "-native"));
    }

    @Test
    void installStrategyIsTheGeneratedDeploymentAndRbac() throws IOException {
        ClusterServiceVersion csv = csv();
        assertThat(csv.getSpec().getInstall().getStrategy()).isEqualTo("deployment");
        StrategyDetailsDeployment install = csv.getSpec().getInstall().getSpec();
        Deployment deployment = Manifests.withEnvSortedByName(Manifests.single(kubernetes, Deployment.class));
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
                JsonNode first = OlmLoaders.bundleManifest(Files.readString(f));
                if (first.path("kind").asText().equals("CustomResourceDefinition")) {
                    crds.add(Serialization.jsonMapper().treeToValue(first, CustomResourceDefinition.class));
                } else if (first.path("kind").asText().equals("ClusterServiceVersion")) {
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
    void almExamplesAreValidPoliciesAndClustersIncludingTheLegacyOne() throws IOException {
        ClusterServiceVersion csv = csv();
        JsonNode examples = Serialization.jsonMapper().readTree(csv.getMetadata().getAnnotations().get("alm-examples"));
        assertThat(examples.isArray()).isTrue();
        Map<String, String> apiVersionOfKind = new LinkedHashMap<>();
        for (CRDDescription owned : csv.getSpec().getCustomresourcedefinitions().getOwned()) {
            apiVersionOfKind.put(owned.getKind(),
                    owned.getName().substring(owned.getName().indexOf('.') + 1) + "/" + owned.getVersion());
        }
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        examples.forEach(e -> {
            assertThat(apiVersionOfKind).as("kinds of the examples").containsKey(e.path("kind").asText());
            assertThat(e.path("apiVersion").asText()).isEqualTo(apiVersionOfKind.get(e.path("kind").asText()));
            byName.put(e.path("kind").asText() + "/" + e.path("metadata").path("name").asText(), e);
        });
        assertThat(byName.values()).extracting(e -> e.path("kind").asText()).as("an example of every kind")
                .containsAll(apiVersionOfKind.keySet());
        assertThat(byName).containsKeys("SecretSyncPolicy/registry-creds", "SecretSyncPolicy/tanzu-build-service-sync",
                "SecretSyncCluster/eu-prod-1", "SecretSyncPolicy/registry-creds-everywhere");
        JsonNode remote = byName.get("SecretSyncPolicy/registry-creds-everywhere").at("/spec/target/clusters");
        assertThat(remote.at("/names/0").asText()).isEqualTo("eu-prod-1");
        assertThat(byName.get("SecretSyncCluster/eu-prod-1").at("/spec/kubeconfigSecretRef/name").asText())
                .isEqualTo("eu-prod-1-kubeconfig");
        assertThat(examples.toString()).as("no Secret (nor its placeholder credentials) in alm-examples")
                .doesNotContain("\"kind\":\"Secret\"");
        JsonNode legacy = byName.get("SecretSyncPolicy/tanzu-build-service-sync").path("spec");
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
    void everyCatalogDocumentIsAnEntryWithASchema() throws IOException {
        List<Path> files = catalogFiles();
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            String text = Files.readString(f);
            List<String> documents = OlmLoaders.documents(text);
            assertThat(OlmLoaders.catalogEntries(text)).as("entries of %s (as opm validate/serve reads it)", f)
                    .hasSameSizeAs(documents);
        }
    }

    @Test
    void catalogReferencesAreConsistent() throws IOException {
        ClusterServiceVersion csv = csv();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Path f : catalogFiles()) {
            OlmLoaders.catalogEntries(Files.readString(f)).forEach(e -> entries.add(OlmLoaders.asMap(e)));
        }
        Map<String, List<Map<String, Object>>> bySchema = entries.stream()
                .collect(Collectors.groupingBy(p -> (String) p.get("schema")));
        assertThat(bySchema).containsOnlyKeys("olm.package", "olm.channel", "olm.bundle");
        assertThat(bySchema.get("olm.package")).hasSize(1);
        Map<String, Object> pkg = bySchema.get("olm.package").get(0);
        assertThat(pkg.get("name")).isEqualTo(BundleGenerator.PACKAGE);
        Map<String, String> annotations = annotations();
        assertThat(pkg.get("defaultChannel"))
                .isEqualTo(annotations.get("operators.operatorframework.io.bundle.channel.default.v1"));
        Set<String> bundles = bySchema.get("olm.bundle").stream().map(b -> (String) b.get("name"))
                .collect(Collectors.toSet());
        assertThat(bundles).contains(csv.getMetadata().getName())
                .allSatisfy(n -> assertThat(OlmLoaders.isDns1123Subdomain(n)).as("bundle name %s", n).isTrue());
        assertThat(bySchema.get("olm.channel")).anySatisfy(c -> assertThat(c.get("name"))
                .isEqualTo(pkg.get("defaultChannel")));
        for (Map<String, Object> channel : bySchema.get("olm.channel")) {
            assertThat(channel.get("package")).isEqualTo(BundleGenerator.PACKAGE);
            assertThat((List<?>) channel.get("entries")).as("entries of channel %s", channel.get("name")).isNotEmpty()
                    .allSatisfy(e -> assertThat(bundles).as("bundles named by channel %s", channel.get("name"))
                            .contains((String) ((Map<?, ?>) e).get("name")));
        }
        Map<String, Object> bundle = bySchema.get("olm.bundle").get(0);
        assertThat(bundle.get("package")).isEqualTo(BundleGenerator.PACKAGE);
        assertThat((String) bundle.get("image")).isNotBlank();
        String properties = Serialization.asJson(bundle.get("properties"));
        assertThat(properties).contains("\"olm.package\"").contains("\"version\":\"" + csv.getSpec().getVersion() + "\"")
                .contains("\"olm.gvk\"").contains("\"kind\":\"SecretSyncPolicy\"")
                .contains("\"kind\":\"SecretSyncCluster\"");
    }

    /** opm render adds it; consoles show a package's description and details from it before installing. */
    @Test
    void catalogBundleCarriesTheCsvMetadata() throws IOException {
        ClusterServiceVersion csv = csv();
        JsonNode bundle = null;
        for (Path f : catalogFiles()) {
            for (JsonNode e : OlmLoaders.catalogEntries(Files.readString(f))) {
                if (e.path("schema").asText().equals("olm.bundle")
                        && e.path("name").asText().equals(csv.getMetadata().getName())) {
                    bundle = e;
                }
            }
        }
        assertThat(bundle).as("catalog bundle %s", csv.getMetadata().getName()).isNotNull();
        List<JsonNode> metadata = new ArrayList<>();
        bundle.path("properties").forEach(p -> {
            if (p.path("type").asText().equals("olm.csv.metadata")) {
                metadata.add(p.path("value"));
            }
        });
        assertThat(metadata).as("olm.csv.metadata properties (opm allows at most one)").hasSize(1);
        JsonNode m = metadata.get(0);
        JsonNode spec = Serialization.jsonMapper().valueToTree(csv.getSpec());
        for (String field : List.of("displayName", "description", "keywords", "links", "maintainers", "maturity",
                "minKubeVersion", "provider", "installModes")) {
            assertThat(m.path(field)).as("olm.csv.metadata %s", field).isEqualTo(spec.path(field));
        }
        assertThat(m.path("crdDescriptions")).isEqualTo(spec.path("customresourcedefinitions"));
        assertThat(m.path("annotations").path("description").asText())
                .isEqualTo(csv.getMetadata().getAnnotations().get("description"));
        assertThat(m.path("annotations").path("alm-examples").asText())
                .isEqualTo(csv.getMetadata().getAnnotations().get("alm-examples"));
    }

    /**
     * The bundle loaders decode only the first document of each manifest: it must be the object,
     * and there must be nothing after it that they would silently drop.
     */
    @Test
    void eachBundleManifestIsOneObjectInItsFirstDocument() throws IOException {
        List<String> kinds = new ArrayList<>();
        try (Stream<Path> files = Files.list(project.resolve("bundle/manifests"))) {
            for (Path f : files.sorted().toList()) {
                String text = Files.readString(f);
                assertThat(OlmLoaders.documents(text)).as("documents of %s", f).hasSize(1);
                JsonNode first = OlmLoaders.bundleManifest(text);
                assertThat(first.path("apiVersion").asText()).as("apiVersion of the first document of %s", f)
                        .isNotBlank();
                assertThat(first.path("metadata").path("name").asText()).as("name in %s", f).isNotBlank();
                kinds.add(first.path("kind").asText());
            }
        }
        assertThat(kinds).as("kinds of the bundle's manifests").containsOnlyOnce("ClusterServiceVersion")
                .contains("CustomResourceDefinition", "Service");
        assertThat(OlmLoaders.bundleManifest(Files.readString(project.resolve(BundleGenerator.CSV_FILE)))
                .path("kind").asText()).isEqualTo("ClusterServiceVersion");
        String annotations = Files.readString(project.resolve("bundle/metadata/annotations.yaml"));
        assertThat(OlmLoaders.documents(annotations)).hasSize(1);
        assertThat(OlmLoaders.bundleManifest(annotations).path("annotations").isObject()).isTrue();
    }

    @Test
    void csvAndBundleNamesAreLowerCaseDns1123Names() throws IOException {
        ClusterServiceVersion csv = csv();
        String name = csv.getMetadata().getName();
        assertThat(OlmLoaders.isDns1123Subdomain(name)).as("CSV name %s", name).isTrue();
        assertThat(name).isEqualTo(BundleGenerator.csvName(generator.version()));
        String olmReadme = Files.readString(project.resolve("olm/README.md"));
        assertThat(olmReadme).as("olm/README.md names no CSV version").doesNotContain(BundleGenerator.PACKAGE + ".v");
    }

    /** The console's scalar input widgets only on fields of that type (no text box on a list). */
    @Test
    void specDescriptorWidgetsFitTheFieldTypes() throws IOException {
        ClusterServiceVersion csv = csv();
        Map<String, CustomResourceDefinition> crds = new LinkedHashMap<>();
        for (Path f : Manifests.crdYmls()) {
            CustomResourceDefinition c = Manifests.single(Manifests.load(f), CustomResourceDefinition.class);
            crds.put(c.getMetadata().getName(), c);
        }
        Map<String, String> widgetType = Map.of("urn:alm:descriptor:com.tectonic.ui:text", "string",
                "urn:alm:descriptor:com.tectonic.ui:password", "string",
                "urn:alm:descriptor:com.tectonic.ui:number", "integer",
                "urn:alm:descriptor:com.tectonic.ui:booleanSwitch", "boolean",
                "urn:alm:descriptor:com.tectonic.ui:checkbox", "boolean",
                "urn:alm:descriptor:com.tectonic.ui:select:", "string");
        assertThat(csv.getSpec().getCustomresourcedefinitions().getOwned()).extracting(CRDDescription::getName)
                .containsExactlyInAnyOrderElementsOf(crds.keySet());
        for (CRDDescription d : csv.getSpec().getCustomresourcedefinitions().getOwned()) {
            JSONSchemaProps spec = crds.get(d.getName()).getSpec().getVersions().stream().filter(v -> v.getName().equals(d.getVersion()))
                    .findFirst().orElseThrow().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
            for (var sd : d.getSpecDescriptors()) {
                JSONSchemaProps field = field(spec, sd.getPath());
                assertThat(field).as("spec path %s", sd.getPath()).isNotNull();
                for (String x : sd.getXDescriptors() == null ? List.<String>of() : sd.getXDescriptors()) {
                    widgetType.forEach((widget, type) -> {
                        if (x.equals(widget) || (widget.endsWith(":") && x.startsWith(widget))) {
                            assertThat(field.getType()).as("type of %s, which has the widget %s", sd.getPath(), x)
                                    .isIn(type, type.equals("integer") ? "number" : type);
                        }
                    });
                }
            }
        }
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

    private List<Path> catalogFiles() throws IOException {
        try (Stream<Path> s = Files.walk(project.resolve("olm/catalog"))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static JSONSchemaProps field(JSONSchemaProps schema, String path) {
        JSONSchemaProps node = schema;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            if (node.getItems() != null && node.getItems().getSchema() != null) {
                node = node.getItems().getSchema();
            }
            node = node.getProperties() == null ? null : node.getProperties().get(part);
        }
        return node;
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

    private Map<String, String> annotations() throws IOException {
        JsonNode parsed = OlmLoaders.bundleManifest(Files.readString(project.resolve("bundle/metadata/annotations.yaml")));
        return Serialization.jsonMapper().convertValue(parsed.path("annotations"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {
                });
    }

    /** The CSV as the bundle loader reads it: the first document of its file. */
    private ClusterServiceVersion csv() throws IOException {
        return Serialization.jsonMapper().treeToValue(
                OlmLoaders.bundleManifest(Files.readString(project.resolve(BundleGenerator.CSV_FILE))),
                ClusterServiceVersion.class);
    }
}
