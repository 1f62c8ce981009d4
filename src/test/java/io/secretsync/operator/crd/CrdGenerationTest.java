package io.secretsync.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The CRD the build generates, read back the way kubectl apply would read it. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CrdGenerationTest {
    static CustomResourceDefinition crd;
    static CustomResourceDefinitionVersion v1alpha1;

    @BeforeAll
    static void load() throws IOException {
        // QuarkusTest builds the application first, which writes the CRD
        try (InputStream in = new FileInputStream("target/kubernetes/secretsyncpolicies.secretsync.io-v1.yml")) {
            crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
        v1alpha1 = crd.getSpec().getVersions().get(0);
    }

    static JSONSchemaProps spec() {
        return v1alpha1.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    @Test
    void namesScopeAndSubresource() {
        assertThat(crd.getMetadata().getName()).isEqualTo("secretsyncpolicies.secretsync.io");
        assertThat(crd.getSpec().getGroup()).isEqualTo("secretsync.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("SecretSyncPolicy");
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("secretsyncpolicies");
        assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("secretsyncpolicy");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("ssp");
        assertThat(v1alpha1.getName()).isEqualTo("v1alpha1");
        assertThat(v1alpha1.getServed()).isTrue();
        assertThat(v1alpha1.getStorage()).isTrue();
        assertThat(v1alpha1.getSubresources().getStatus()).isNotNull();
    }

    @Test
    void printerColumnsInContractOrder() {
        assertThat(v1alpha1.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("READY", "REASON", "SOURCES", "NAMESPACES", "REPLICAS", "AGE");
        Map<String, String> paths = new java.util.HashMap<>();
        v1alpha1.getAdditionalPrinterColumns().forEach(c -> paths.put(c.getName(), c.getJsonPath()));
        assertThat(paths).containsEntry("READY", ".status.conditions[?(@.type==\"Ready\")].status")
                .containsEntry("REASON", ".status.conditions[?(@.type==\"Ready\")].reason")
                .containsEntry("SOURCES", ".status.sourceSecrets")
                .containsEntry("NAMESPACES", ".status.targetNamespaces")
                .containsEntry("REPLICAS", ".status.syncedReplicas")
                .containsEntry("AGE", ".metadata.creationTimestamp");
    }

    @Test
    void requiredFields() {
        assertThat(spec().getRequired()).containsExactlyInAnyOrder("source", "target");
        assertThat(spec().getProperties().get("source").getRequired()).containsExactly("namespace");
        JSONSchemaProps with = spec().getProperties().get("target").getProperties().get("namespacesWith").getItems()
                .getSchema();
        assertThat(with.getRequired()).containsExactlyInAnyOrder("apiVersion", "kind");
    }

    @Test
    void enumsWithDefaults() {
        JSONSchemaProps conflict = spec().getProperties().get("conflictPolicy");
        assertThat(conflict.getEnum()).extracting(Object::toString).containsExactlyInAnyOrder("\"Skip\"", "\"Overwrite\"");
        assertThat(conflict.getDefault().asText()).isEqualTo("Skip");
        JSONSchemaProps deletion = spec().getProperties().get("deletionPolicy");
        assertThat(deletion.getEnum()).extracting(Object::toString).containsExactlyInAnyOrder("\"Delete\"", "\"Orphan\"");
        assertThat(deletion.getDefault().asText()).isEqualTo("Delete");
        assertThat(spec().getProperties().get("suspend").getDefault().asBoolean()).isFalse();
    }

    @Test
    void celRulesForSourceAndTargetSelection() {
        List<ValidationRule> source = spec().getProperties().get("source").getXKubernetesValidations();
        assertThat(source).singleElement().satisfies(r -> {
            assertThat(r.getRule()).contains("has(self.names)").contains("has(self.selector)");
            assertThat(r.getMessage()).isEqualTo("spec.source needs names or selector");
        });
        List<ValidationRule> target = spec().getProperties().get("target").getXKubernetesValidations();
        assertThat(target).singleElement().satisfies(r -> {
            assertThat(r.getRule()).contains("has(self.namespaces)").contains("has(self.namespaceSelector)")
                    .contains("has(self.namespacesWith)");
            assertThat(r.getMessage()).contains("spec.target needs");
        });
    }

    @Test
    void schemaAndCelRulesForSpecReplica() {
        JSONSchemaProps replica = spec().getProperties().get("replica");
        for (String map : List.of("labels", "annotations")) {
            JSONSchemaProps m = replica.getProperties().get(map);
            assertThat(m.getMaxProperties()).as(map).isEqualTo(64L);
            assertThat(m.getXKubernetesValidations()).as(map).anySatisfy(r -> {
                assertThat(r.getRule()).contains("'app.kubernetes.io/managed-by'").contains("'secretsync.io/'");
                assertThat(r.getMessage()).startsWith("spec.replica." + map);
            });
        }
        assertThat(replica.getProperties().get("labels").getXKubernetesValidations())
                .anySatisfy(r -> assertThat(r.getRule()).contains("size(self[k]) <= 63"));
        JSONSchemaProps keys = replica.getProperties().get("keys");
        assertThat(keys.getMinItems()).isEqualTo(1L);
        assertThat(keys.getMaxItems()).isEqualTo(64L);
        assertThat(keys.getXKubernetesValidations()).extracting(ValidationRule::getMessage)
                .containsExactlyInAnyOrder("spec.replica.keys lists the same key twice",
                        "spec.replica.keys gives two keys the same targetKey");
        JSONSchemaProps key = keys.getItems().getSchema();
        assertThat(key.getRequired()).containsExactly("key");
        assertThat(key.getProperties().get("key").getPattern()).isEqualTo("^[-._a-zA-Z0-9]+$");
        assertThat(key.getProperties().get("targetKey").getPattern()).isEqualTo("^[-._a-zA-Z0-9]+$");
    }

    @Test
    void everySpecFieldIsDescribed() {
        spec().getProperties().forEach((name, props) -> assertThat(props.getDescription()).as(name).isNotBlank());
        spec().getProperties().get("source").getProperties()
                .forEach((name, props) -> assertThat(props.getDescription()).as("source." + name).isNotBlank());
        spec().getProperties().get("target").getProperties()
                .forEach((name, props) -> assertThat(props.getDescription()).as("target." + name).isNotBlank());
        spec().getProperties().get("replica").getProperties()
                .forEach((name, props) -> assertThat(props.getDescription()).as("replica." + name).isNotBlank());
    }

    @Test
    void statusFieldsOfTheContract() {
        assertThat(v1alpha1.getSchema().getOpenAPIV3Schema().getProperties().get("status").getProperties())
                .containsKeys("observedGeneration", "conditions", "sourceSecrets", "targetNamespaces",
                        "syncedReplicas", "failedReplicas", "failures", "lastSyncTime", "pendingChanges", "pending");
    }
}
