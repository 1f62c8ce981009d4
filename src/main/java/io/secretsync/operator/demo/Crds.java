package io.secretsync.operator.demo;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secretsync.operator.crd.PrinterColumns;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;

/** The CustomResourceDefinitions an embedded API server needs: ours and kpack's. */
public final class Crds {
    public static final String KPACK_GROUP = "kpack.io";
    static final String GENERATED_CRD = "kubernetes/secretsyncpolicies.secretsync.io-v1.yml";
    static final String GENERATED_CLUSTER_CRD = "kubernetes/secretsyncclusters.secretsync.io-v1.yml";

    private Crds() {
    }

    /**
     * Our CRD as the build generated it (target/kubernetes/), found next to the application or
     * under the working directory; a minimal equivalent when the build output is not at hand.
     */
    public static CustomResourceDefinition secretSyncPolicy() {
        return generated(GENERATED_CRD).orElseGet(Crds::minimalSecretSyncPolicy);
    }

    /** The SecretSyncCluster CRD, found and with a fallback like {@link #secretSyncPolicy()}. */
    public static CustomResourceDefinition secretSyncCluster() {
        return generated(GENERATED_CLUSTER_CRD).orElseGet(Crds::minimalSecretSyncCluster);
    }

    private static Optional<CustomResourceDefinition> generated(String file) {
        for (Path candidate : generatedCrdCandidates(file)) {
            if (Files.isRegularFile(candidate)) {
                try (InputStream in = Files.newInputStream(candidate)) {
                    return Optional.of(Serialization.unmarshal(in, CustomResourceDefinition.class));
                } catch (Exception e) {
                    // fall through to the next candidate
                }
            }
        }
        return Optional.empty();
    }

    static List<Path> generatedCrdCandidates(String file) {
        List<Path> candidates = new ArrayList<>();
        codeLocation().ifPresent(p -> {
            // target/quarkus-app/app/<jar> or target/classes
            for (Path dir = p; dir != null; dir = dir.getParent()) {
                if (dir.getFileName() != null && dir.getFileName().toString().equals("target")) {
                    candidates.add(dir.resolve(file));
                    break;
                }
            }
        });
        candidates.add(Path.of("target").resolve(file));
        return candidates;
    }

    private static Optional<Path> codeLocation() {
        try {
            var source = Crds.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static CustomResourceDefinition minimalSecretSyncPolicy() {
        return minimal("SecretSyncPolicy", "secretsyncpolicies", "secretsyncpolicy", "ssp",
                PrinterColumns.ofSecretSyncPolicy());
    }

    static CustomResourceDefinition minimalSecretSyncCluster() {
        return minimal("SecretSyncCluster", "secretsyncclusters", "secretsynccluster", "ssc",
                PrinterColumns.ofSecretSyncCluster());
    }

    /** Cluster-scoped, with the status subresource and the printer columns; any field accepted. */
    private static CustomResourceDefinition minimal(String kind, String plural, String singular, String shortName,
            List<AdditionalPrinterColumn> printerColumns) {
        List<CustomResourceColumnDefinition> columns = printerColumns.stream()
                .map(c -> new CustomResourceColumnDefinitionBuilder().withName(c.name()).withType(c.type().getValue())
                        .withJsonPath(c.jsonPath()).build())
                .toList();
        CustomResourceDefinitionVersion v = new CustomResourceDefinitionVersionBuilder()
                .withName(SecretSyncPolicy.VERSION).withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .withAdditionalPrinterColumns(columns)
                .build();
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + SecretSyncPolicy.GROUP).endMetadata()
                .withNewSpec().withGroup(SecretSyncPolicy.GROUP).withScope("Cluster")
                .withNewNames().withKind(kind).withPlural(plural)
                .withSingular(singular).withShortNames(shortName).endNames()
                .withVersions(v).endSpec().build();
    }

    /** kpack's Build CRD (namespaced; v1alpha2 stored, v1alpha1 served). */
    public static CustomResourceDefinition kpackBuilds() {
        return kpack("Build", "builds", "build", "bld");
    }

    /** kpack's Image CRD (namespaced; v1alpha2 stored, v1alpha1 served). */
    public static CustomResourceDefinition kpackImages() {
        return kpack("Image", "images", "image", "img");
    }

    private static CustomResourceDefinition kpack(String kind, String plural, String singular, String shortName) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + KPACK_GROUP).endMetadata()
                .withNewSpec().withGroup(KPACK_GROUP).withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(singular).withShortNames(shortName)
                .endNames()
                .withVersions(kpackVersion("v1alpha2", true), kpackVersion("v1alpha1", false))
                .endSpec().build();
    }

    private static CustomResourceDefinitionVersion kpackVersion(String name, boolean storage) {
        return new CustomResourceDefinitionVersionBuilder().withName(name).withServed(true).withStorage(storage)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().build();
    }
}
