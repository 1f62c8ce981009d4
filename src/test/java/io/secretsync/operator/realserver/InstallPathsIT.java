package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secretsync.operator.packaging.Manifests;
import io.secretsync.operator.packaging.OlmLoaders;

/**
 * Every way in that docs/install.md describes, against a fresh real API server (1.20) instead of
 * a renderer: the plain manifests and the CRD, the Helm chart installed and uninstalled by Helm's
 * own library (helm-java), the OLM bundle's CRD, and a server-side dry run ({@code dryRun=All}:
 * admission and validation, nothing stored) of every object the chart renders and of the bundle's
 * manifests. The server validates and stores the Deployments, but their Pods never run: these
 * clusters have no kubelet and no scheduler, so a Deployment is checked as an object, not as a
 * running operator (the real-server classes run the packaged jar as a process for that).
 *
 * <p>Not sent to this server, and why (asserted below, so nothing is left out silently): the
 * bundle's ClusterServiceVersion (an OLM kind, operators.coreos.com, whose CRD comes with OLM,
 * which is not installed here; BundleIT checks it as OLM's loaders read it), the chart's
 * ServiceMonitor and PrometheusRule (monitoring.coreos.com kinds whose CRDs come with the
 * Prometheus Operator; off by default) and the chart's helm-test Pod (a hook, which helm-java
 * does not render; HelmChartIT reads its template).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallPathsIT {
    static final String CRD = "secretsyncpolicies.secretsync.io";
    static final String CLUSTER_CRD = "secretsyncclusters.secretsync.io";
    static final Path PROJECT = Manifests.projectDir();
    static final Path CHART = PROJECT.resolve("helm/secretsync-operator");
    static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
            "Namespace");

    RealCluster cluster;
    KubernetesClient admin;

    @BeforeAll
    void start() {
        cluster = RealCluster.start("installpaths");
        admin = cluster.admin();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Each install path starts from a cluster without the CRDs, as a first install does. */
    @BeforeEach
    void withoutTheCrds() {
        for (String crd : List.of(CRD, CLUSTER_CRD)) {
            admin.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
            await("the CRD " + crd + " gone").atMost(Duration.ofSeconds(60))
                    .until(() -> admin.apiextensions().v1().customResourceDefinitions().withName(crd).get() == null);
        }
    }

    @Test
    void thePlainManifestsAndTheCrdAreAccepted() {
        List<HasMetadata> plain = Manifests.load(Manifests.kubernetesYml());
        try {
            ShippedOperator.install(cluster); // CRD (created, as kubectl create does), then every object of kubernetes.yml
            for (HasMetadata item : plain) {
                assertThat(admin.resource(item).inNamespace(ShippedOperator.NAMESPACE).get())
                        .as("%s %s stored", item.getKind(), item.getMetadata().getName()).isNotNull();
            }
            assertEstablished();
            // and applied again, server-side (kubectl apply --server-side; an upgrade): accepted
            for (HasMetadata item : Manifests.load(Manifests.kubernetesYml())) {
                item.getMetadata().setManagedFields(null);
                admin.resource(item).inNamespace(ShippedOperator.NAMESPACE).fieldManager("install-paths-it")
                        .forceConflicts().serverSideApply();
            }
        } finally {
            for (HasMetadata item : plain) {
                admin.resource(item).inNamespace(ShippedOperator.NAMESPACE).delete();
            }
            await("the plain objects gone").atMost(Duration.ofSeconds(60)).until(() -> plain.stream()
                    .allMatch(item -> admin.resource(item).inNamespace(ShippedOperator.NAMESPACE).get() == null));
        }
    }

    @Test
    void theHelmChartInstallsAndUninstallsLeavingTheCrdAsDocumented() {
        String namespace = "secretsync-helm";
        Path kubeconfig = cluster.dir().resolve("admin.kubeconfig");
        Release release = new Helm(CHART).install().withName("secretsync-operator").withNamespace(namespace)
                .createNamespace().withKubeConfig(kubeconfig).call();
        assertThat(release.getStatus()).isEqualTo("deployed");

        List<GenericKubernetesResource> rendered = rendered(template(namespace));
        assertThat(rendered).extracting(GenericKubernetesResource::getKind).containsExactlyInAnyOrder("ServiceAccount",
                "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Role", "RoleBinding", "Service",
                "Deployment");
        for (GenericKubernetesResource o : rendered) {
            assertThat(admin.resource(o).get()).as("%s %s installed by Helm", o.getKind(), o.getMetadata().getName())
                    .isNotNull();
        }
        // Helm creates the CRDs from the chart's crds/ on first install
        assertEstablished();
        assertEstablished(CLUSTER_CRD);
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get().getSpec().getNames()
                .getShortNames()).containsExactly("ssp");
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(CLUSTER_CRD).get().getSpec()
                .getNames().getShortNames()).containsExactly("ssc");

        new Helm(CHART).uninstall("secretsync-operator").withNamespace(namespace).withKubeConfig(kubeconfig).call();
        await("every object of the release gone").atMost(Duration.ofSeconds(60))
                .until(() -> rendered.stream().allMatch(o -> admin.resource(o).get() == null));
        // docs/install.md: "Helm keeps CRDs" (and with them every policy); the user deletes it
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get())
                .as("the CRD after helm uninstall").isNotNull();
    }

    @Test
    void theBundleCrdIsAcceptedAndTheBundleAndEveryRenderedChartObjectPassAServerSideDryRun() throws IOException {
        Path manifests = PROJECT.resolve("bundle/manifests");
        List<String> notSent = new ArrayList<>();
        List<GenericKubernetesResource> bundle = new ArrayList<>();
        try (Stream<Path> files = Files.list(manifests)) {
            for (Path f : files.sorted().toList()) {
                JsonNode doc = OlmLoaders.decode(OlmLoaders.documents(Files.readString(f)).get(0));
                bundle.add(Serialization.jsonMapper().convertValue(doc, GenericKubernetesResource.class));
            }
        }
        // the bundle's CRDs, created for real (it is what OLM would create)
        List<GenericKubernetesResource> bundleCrds = bundle.stream()
                .filter(o -> o.getKind().equals("CustomResourceDefinition")).toList();
        assertThat(bundleCrds).extracting(o -> o.getMetadata().getName()).containsExactlyInAnyOrder(CRD, CLUSTER_CRD);
        for (GenericKubernetesResource bundleCrd : bundleCrds) {
            admin.resource(Serialization.jsonMapper().convertValue(bundleCrd, CustomResourceDefinition.class)).create();
        }
        assertEstablished();
        assertEstablished(CLUSTER_CRD);

        String namespace = "secretsync-dryrun";
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(NonDeletingOperation::update);
        List<GenericKubernetesResource> toDryRun = new ArrayList<>();
        for (GenericKubernetesResource o : bundle) {
            if (o.getKind().equals("ClusterServiceVersion")) {
                notSent.add("bundle " + o.getKind());
            } else if (!o.getKind().equals("CustomResourceDefinition")) { // created above
                toDryRun.add(o);
            }
        }
        // every object the chart renders: the defaults, with the dashboard, without leader election,
        // and the remote side of a SecretSyncCluster (its ServiceAccount, ClusterRole, binding, token Secret)
        List<TemplateCommand> renders = List.of(template(namespace),
                template(namespace).set("remoteAccess.enabled", true).set("remoteAccess.longLivedToken", true),
                template(namespace).set("monitoring.dashboard.enabled", true),
                template(namespace).set("leaderElection.enabled", false).set("replicaCount", 1),
                template(namespace).set("monitoring.serviceMonitor.enabled", true)
                        .set("monitoring.prometheusRule.enabled", true));
        for (TemplateCommand render : renders) {
            for (GenericKubernetesResource o : rendered(render)) {
                if (o.getApiVersion().startsWith("monitoring.coreos.com/")) {
                    notSent.add("chart " + o.getKind());
                } else {
                    toDryRun.add(o);
                }
            }
        }
        for (GenericKubernetesResource o : toDryRun) {
            if (!CLUSTER_SCOPED.contains(o.getKind())) {
                o.getMetadata().setNamespace(namespace);
            }
            HasMetadata answer = admin.resource(o).dryRun().create();
            assertThat(answer).as("dry run of %s %s", o.getKind(), o.getMetadata().getName()).isNotNull();
            assertThat(admin.resource(o).get()).as("a dry run stores nothing: %s", o.getKind()).isNull();
        }
        assertThat(toDryRun).extracting(GenericKubernetesResource::getKind).contains("Service", "Deployment",
                "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap", "Secret");
        assertThat(toDryRun).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains("ClusterRole/secretsync-remote", "ClusterRoleBinding/secretsync-remote",
                        "ServiceAccount/secretsync-remote", "Secret/secretsync-remote-token",
                        "Role/secretsync-operator-kubeconfigs", "RoleBinding/secretsync-operator-kubeconfigs");
        assertThat(Set.copyOf(notSent)).as("what this server cannot take (CRDs of OLM and the Prometheus Operator)")
                .containsExactlyInAnyOrder("bundle ClusterServiceVersion", "chart ServiceMonitor", "chart PrometheusRule");
    }

    private void assertEstablished() {
        assertEstablished(CRD);
    }

    private void assertEstablished(String crd) {
        await("the CRD " + crd + " established").atMost(Duration.ofSeconds(30)).until(() -> {
            CustomResourceDefinition c = admin.apiextensions().v1().customResourceDefinitions().withName(crd).get();
            return c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                    .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus()));
        });
    }

    private static TemplateCommand template(String namespace) {
        return new Helm(CHART).template().withName("secretsync-operator").withNamespace(namespace);
    }

    private static List<GenericKubernetesResource> rendered(TemplateCommand command) {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        for (String doc : OlmLoaders.documents(command.call())) {
            JsonNode o = OlmLoaders.decode(doc);
            if (o.size() > 0) {
                objects.add(Serialization.jsonMapper().convertValue(o, GenericKubernetesResource.class));
            }
        }
        return objects;
    }
}
