package io.secretsync.operator.testsupport;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.demo.Crds;

/** kpack's CRDs and objects, as far as the operator cares about them. */
public final class Kpack {
    private Kpack() {
    }

    /** Registers builds.kpack.io and images.kpack.io, the same CRDs the demo API server gets. */
    public static void registerCrds(KubernetesClient client) {
        for (CustomResourceDefinition crd : List.of(Crds.kpackBuilds(), Crds.kpackImages())) {
            if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            }
        }
    }

    public static void register(KubernetesClient client, String group, String kind, String plural, String... versions) {
        if (client.apiextensions().v1().customResourceDefinitions().withName(plural + "." + group).get() != null) {
            return;
        }
        CustomResourceDefinitionBuilder b = new CustomResourceDefinitionBuilder().withNewMetadata()
                .withName(plural + "." + group).endMetadata().withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames().endSpec();
        for (int i = 0; i < versions.length; i++) {
            b.editSpec().addNewVersion().withName(versions[i]).withServed(true).withStorage(i == 0)
                    .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                    .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                    .endVersion().endSpec();
        }
        CustomResourceDefinition crd = b.build();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    public static GenericKubernetesResource build(String apiVersion, String namespace, String name,
            String serviceAccountName) {
        return object(apiVersion, "Build", namespace, name, serviceAccountName);
    }

    public static GenericKubernetesResource object(String apiVersion, String kind, String namespace, String name,
            String serviceAccountName) {
        GenericKubernetesResourceBuilder b = new GenericKubernetesResourceBuilder().withApiVersion(apiVersion)
                .withKind(kind).withNewMetadata().withNamespace(namespace).withName(name).endMetadata();
        GenericKubernetesResource r = b.build();
        r.setAdditionalProperty("spec", serviceAccountName == null
                ? Map.of("tags", java.util.List.of("registry.example.com/app"))
                : Map.of("serviceAccountName", serviceAccountName, "tags", java.util.List.of("registry.example.com/app")));
        return r;
    }

    public static GenericKubernetesResource create(KubernetesClient client, GenericKubernetesResource r) {
        return client.genericKubernetesResources(context(r.getApiVersion(), r.getKind()))
                .inNamespace(r.getMetadata().getNamespace()).resource(r).create();
    }

    public static void delete(KubernetesClient client, String apiVersion, String kind, String namespace, String name) {
        client.genericKubernetesResources(context(apiVersion, kind)).inNamespace(namespace).withName(name).delete();
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context(String apiVersion, String kind) {
        String[] gv = apiVersion.split("/");
        return new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup(gv[0])
                .withVersion(gv[1]).withKind(kind).withPlural(kind.toLowerCase() + "s").withNamespaced(true).build();
    }
}
