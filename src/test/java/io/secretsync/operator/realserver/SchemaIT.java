package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * What the shipped CRD's schema does on a real API server (1.20), and what is left to the operator.
 * <ul>
 * <li>Policies the OpenAPI schema rejects (enums, types, required fields, patterns, sizes) are
 * refused at create time with HTTP 422 whose message names the field: nothing reaches the operator.
 * <li>The CRD's CEL rules ({@code x-kubernetes-validations}) need 1.25; a 1.20 server drops them
 * when the CRD is created, so policies that break only them are stored, and the operator reports
 * each as {@code Ready False InvalidSpec} naming the field, writing nothing.
 * <li>A field the installed CRD does not know is pruned by the server before it is stored (the CRUD
 * test server kept it, and the operator refused it as an unknown field): a misspelt field is simply
 * absent for the operator. A field that a newer installed CRD knows but this operator does not (the
 * version-skew case) is kept by the server and refused by the operator as {@code InvalidSpec}.
 * </ul>
 */
class SchemaIT extends RealServerTest {

    @BeforeAll
    void sourceAndTargets() {
        admin.namespaces().resource(Fixtures.namespace("schema-src")).create();
        admin.namespaces().resource(Fixtures.namespace("schema-a", "schema=yes")).create();
        admin.secrets().inNamespace("schema-src")
                .resource(Fixtures.secret("schema-src", "reg", "Opaque", Map.of("value", "v1"))).create();
    }

    static Stream<Arguments> refusedBySchema() {
        return Stream.of(
                Arguments.of("conflict-enum", "conflictPolicy: Adopt", "spec.conflictPolicy", "Unsupported value: \"Adopt\""),
                Arguments.of("deletion-enum", "deletionPolicy: Retain", "spec.deletionPolicy", "Unsupported value: \"Retain\""),
                Arguments.of("suspend-string", "suspend: \"no\"", "spec.suspend", "must be of type boolean"),
                Arguments.of("names-string", null, "spec.source.names", "must be of type array"),
                Arguments.of("no-source-namespace", null, "spec.source.namespace", "Required value"),
                Arguments.of("bad-source-namespace", null, "spec.source.namespace", "should match"),
                Arguments.of("no-target", null, "spec.target", "Required value"),
                Arguments.of("bad-key", "replica: {keys: [{key: \"a b\"}]}", "spec.replica.keys", "should match"),
                Arguments.of("bad-target-key", "replica: {keys: [{key: ca, targetKey: \"x/y\"}]}", "spec.replica.keys",
                        "should match"),
                Arguments.of("empty-keys", "replica: {keys: []}", "spec.replica.keys", "should have at least 1 items"),
                Arguments.of("key-missing", "replica: {keys: [{targetKey: ca}]}", "spec.replica.keys", "Required value"),
                Arguments.of("label-not-string", "replica: {labels: {team: 7}}", "spec.replica.labels",
                        "must be of type string"),
                Arguments.of("kind-without-kind", null, "spec.target.namespacesWith", "Required value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBySchema")
    void refusedAtCreateWith422NamingTheField(String name, String extra, String field, String what) {
        String spec = switch (name) {
            case "names-string" -> "source: {namespace: schema-src, names: reg}\n  target: {namespaces: [schema-a]}";
            case "no-source-namespace" -> "source: {names: [reg]}\n  target: {namespaces: [schema-a]}";
            case "bad-source-namespace" -> "source: {namespace: Schema_Src, names: [reg]}\n  target: {namespaces: [schema-a]}";
            case "no-target" -> "source: {namespace: schema-src, names: [reg]}";
            case "kind-without-kind" -> "source: {namespace: schema-src, names: [reg]}\n"
                    + "  target: {namespacesWith: [{apiVersion: kpack.io/v1alpha2}]}";
            default -> validSpec() + "\n  " + extra;
        };
        KubernetesClientException e = null;
        try {
            policies().resource(policy("bad-" + name, spec)).create();
        } catch (KubernetesClientException refused) {
            e = refused;
        }
        assertThat(e).as("the API server refuses %s", name).isNotNull();
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getMessage()).contains(field).contains(what);
        assertThat(policies().withName("bad-" + name).get()).as("nothing stored").isNull();
    }

    static Stream<Arguments> leftToTheOperator() {
        return Stream.of(
                Arguments.of("neither-names-nor-selector", "source: {namespace: schema-src}\n  target: {namespaces: [schema-a]}",
                        "spec.source needs names or selector"),
                Arguments.of("no-target-selection",
                        "source: {namespace: schema-src, names: [reg]}\n  target: {excludeNamespaces: [schema-a]}",
                        "spec.target needs at least one of namespaces, namespaceSelector or namespacesWith"),
                Arguments.of("duplicate-key", validSpec() + "\n  replica: {keys: [{key: value}, {key: value, targetKey: v2}]}",
                        "spec.replica.keys[1].key: \"value\" is listed twice"),
                Arguments.of("duplicate-target-key",
                        validSpec() + "\n  replica: {keys: [{key: value}, {key: canary, targetKey: value}]}",
                        "spec.replica.keys[1].targetKey: two keys would both be \"value\""),
                Arguments.of("reserved-label", validSpec() + "\n  replica: {labels: {secretsync.io/policy: other}}",
                        "spec.replica.labels: \"secretsync.io/policy\" is the operator's own"),
                Arguments.of("reserved-managed-by",
                        validSpec() + "\n  replica: {labels: {app.kubernetes.io/managed-by: argocd}}",
                        "spec.replica.labels: \"app.kubernetes.io/managed-by\" is the operator's own"),
                Arguments.of("reserved-annotation",
                        validSpec() + "\n  replica: {annotations: {secretsync.io/content-hash: x}}",
                        "spec.replica.annotations: \"secretsync.io/content-hash\" is the operator's own"),
                Arguments.of("long-label-value", validSpec() + "\n  replica: {labels: {team: " + "x".repeat(64) + "}}",
                        "spec.replica.labels[\"team\"]: the value is not a valid label value"));
    }

    /** One case per x-kubernetes-validations rule of the CRD (the CEL rules a 1.20 server drops). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("leftToTheOperator")
    void acceptedByA120ServerAndReportedByTheOperatorAsInvalidSpec(String name, String spec, String message) {
        policies().resource(policy("cel-" + name, spec)).create();
        Condition ready = awaitReason("cel-" + name, "InvalidSpec");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).startsWith("invalid spec, nothing is written: ").contains(message);
        assertThat(replicas("cel-" + name)).as("nothing written").isEmpty();
    }

    @Test
    void aMisspeltFieldIsPrunedByTheServerAndTheOperatorJudgesWhatIsLeft() {
        // "name" for "names": the server drops it, leaving a source without a selection
        policies().resource(policy("typo-names",
                "source: {namespace: schema-src, name: [reg]}\n  target: {namespaces: [schema-a]}")).create();
        assertThat(stored("typo-names", "source")).as("stored spec.source").doesNotContainKey("name");
        assertThat(awaitReason("typo-names", "InvalidSpec").getMessage()).contains("spec.source needs names or selector");
        assertThat(replicas("typo-names")).isEmpty();

        // a field of a newer CRD (contract, section 7) that the installed CRD does not know: dropped,
        // the rest of the policy is served as the installed CRD describes it
        policies().resource(policy("newer-field", "source: {namespace: schema-src, names: [reg]}\n"
                + "  target: {namespaces: [schema-a], remoteClusters: {names: [eu-prod-1]}}")).create();
        assertThat(stored("newer-field", "target")).as("stored spec.target").doesNotContainKey("remoteClusters");
        awaitReason("newer-field", "Synced");
        assertThat(replicas("newer-field")).extracting(s -> s.getMetadata().getNamespace()).containsExactly("schema-a");
    }

    @Test
    void aFieldANewerInstalledCrdKnowsIsKeptByTheServerAndRefusedByThisOperator() {
        String crdName = "secretsyncpolicies.secretsync.io";
        JSONSchemaProps regions = new JSONSchemaPropsBuilder().withType("object")
                .withXKubernetesPreserveUnknownFields(true).build();
        admin.apiextensions().v1().customResourceDefinitions().withName(crdName).edit(crd -> {
            crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                    .getProperties().get("target").getProperties().put("regions", regions);
            return crd;
        });
        try {
            // The server rebuilds its handler for the new schema, but a watch opened before the update
            // goes on delivering objects pruned by the old schema until it ends. A user upgrades the CRD
            // and creates policies afterwards: wait until the operator sees the new field (a suspended
            // probe, relabelled on each try so that every try is an event on whichever watch is current).
            int[] tries = {0};
            // the probe is rewritten without its resourceVersion: a write of the operator in between
            // (finalizer, status) answers 409, and the next try writes it again
            await("the operator sees spec.target.regions of the newer CRD").atMost(CONVERGE)
                    .ignoreExceptionsMatching(e -> e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
                            && k.getCode() == 409)
                    .pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
                        GenericKubernetesResource probe = policy("skew-probe", "suspend: true\n"
                                + "  source: {namespace: schema-src, names: [reg]}\n"
                                + "  target: {namespaces: [schema-a], regions: {names: [eu-west]}}");
                        probe.getMetadata().setLabels(Map.of("try", Integer.toString(++tries[0])));
                        policies().resource(probe).createOr(NonDeletingOperation::update);
                        Condition c = ready("skew-probe");
                        return c != null && c.getMessage() != null && c.getMessage().contains("spec.target.regions");
                    });
            policies().resource(policy("skew", "source: {namespace: schema-src, names: [reg]}\n"
                    + "  target: {namespaces: [schema-a], regions: {names: [eu-west]}}")).create();
            assertThat(target(policies().withName("skew").get())).as("stored spec.target").containsKey("regions");
            assertThat(awaitReason("skew", "InvalidSpec").getMessage()).contains("spec.target.regions: unknown field",
                    "upgrade the operator, or remove the field");
            assertThat(replicas("skew")).as("nothing written for a spec it cannot fully read").isEmpty();
        } finally {
            admin.apiextensions().v1().customResourceDefinitions().withName(crdName).edit(crd -> {
                crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                        .getProperties().get("target").getProperties().remove("regions");
                return crd;
            });
        }
    }

    static String validSpec() {
        return "source: {namespace: schema-src, names: [reg]}\n  target: {namespaces: [schema-a]}";
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> policies() {
        return admin.genericKubernetesResources("secretsync.io/v1alpha1", "SecretSyncPolicy");
    }

    private static GenericKubernetesResource policy(String name, String spec) {
        return Serialization.unmarshal("apiVersion: secretsync.io/v1alpha1\nkind: SecretSyncPolicy\nmetadata:\n  name: "
                + name + "\nspec:\n  " + spec + "\n", GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> stored(String name, String specField) {
        Map<String, Object> spec = (Map<String, Object>) policies().withName(name).get().getAdditionalProperties().get("spec");
        return (Map<String, Object>) spec.get(specField);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> target(GenericKubernetesResource p) {
        return (Map<String, Object>) ((Map<String, Object>) p.getAdditionalProperties().get("spec")).get("target");
    }
}
