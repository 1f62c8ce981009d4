package io.secretsync.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.UnreadableSpec;
import io.secretsync.operator.sync.SpecValidator;

/**
 * Policies as a newer CRD, or no schema at all, lets them be stored, read with the two mappers a
 * policy meets: fabric8's default one and the one the Quarkus client builds (a plain ObjectMapper
 * that fabric8 configures, FAIL_ON_UNKNOWN_PROPERTIES left on). Reading never throws.
 */
class TolerantReadingTest {
    static final String GOOD_SPEC = "{\"source\":{\"namespace\":\"src\",\"names\":[\"creds\"]},"
            + "\"target\":{\"namespaces\":[\"a\"]}}";

    static Stream<KubernetesSerialization> mappers() {
        return Stream.of(new KubernetesSerialization(), new KubernetesSerialization(new ObjectMapper(), true));
    }

    static String policy(String spec) {
        return "{\"apiVersion\":\"secretsync.io/v1alpha1\",\"kind\":\"SecretSyncPolicy\","
                + "\"metadata\":{\"name\":\"p\",\"resourceVersion\":\"7\"},\"spec\":" + spec + "}";
    }

    /** The good spec with one field replaced: "source.names" -> value. */
    static String with(String path, String json) {
        ObjectMapper m = new ObjectMapper();
        try {
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(GOOD_SPEC);
            String[] parts = path.split("\\.");
            var node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = (com.fasterxml.jackson.databind.node.ObjectNode) node.get(parts[i]);
            }
            node.set(parts[parts.length - 1], m.readTree(json));
            return m.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> unreadable() {
        return Stream.of(
                Arguments.of("conflictPolicy-Adopt", with("conflictPolicy", "\"Adopt\""),
                        "spec.conflictPolicy: \"Adopt\" is not one of Skip, Overwrite"),
                Arguments.of("deletionPolicy-Retain", with("deletionPolicy", "\"Retain\""),
                        "spec.deletionPolicy: \"Retain\" is not one of Delete, Orphan"),
                Arguments.of("suspend-string", with("suspend", "\"yes\""),
                        "spec.suspend: must be true or false, not a string"),
                Arguments.of("suspend-number", with("suspend", "1"), "spec.suspend: must be true or false, not a number"),
                Arguments.of("names-string", with("source.names", "\"creds\""),
                        "spec.source.names: must be a list, not a string"),
                Arguments.of("namespaces-object", with("target.namespaces", "{\"a\":\"b\"}"),
                        "spec.target.namespaces: must be a list, not an object"),
                Arguments.of("name-number", with("source.names", "[1]"), "spec.source.names[0]: must be a string, not a number"),
                Arguments.of("spec-string", "\"copy everything\"", "spec: must be an object, not a string"),
                Arguments.of("unknown-spec", with("newerField", "{\"keys\":[\"a\"]}"), "spec.newerField: unknown field"),
                Arguments.of("unknown-source", with("source.newerField", "[\"a\"]"), "spec.source.newerField: unknown field"),
                Arguments.of("unknown-target", with("target.newerField", "[\"a\"]"), "spec.target.newerField: unknown field"),
                Arguments.of("unknown-ips", with("imagePullSecrets", "{\"serviceAccounts\":[\"default\"],\"newerField\":true}"),
                        "spec.imagePullSecrets.newerField: unknown field"),
                Arguments.of("unknown-kind", with("target.namespacesWith", "[{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"newerField\":\"x\"}]"),
                        "spec.target.namespacesWith[0].newerField: unknown field"),
                Arguments.of("unknown-selector", with("source.selector", "{\"newerField\":{\"a\":\"b\"}}"),
                        "spec.source.selector.newerField: unknown field"),
                Arguments.of("unknown-requirement", with("target.namespaceSelector",
                        "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\",\"newerField\":2}]}"),
                        "spec.target.namespaceSelector.matchExpressions[0].newerField: unknown field"),
                Arguments.of("label-value-list", with("target.namespaceSelector", "{\"matchLabels\":{\"team\":[\"a\"]}}"),
                        "spec.target.namespaceSelector.matchLabels[\"team\"]: must be a string, not a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void anUnreadableSpecIsReadAsItsProblemsAndWrittenBackUnchanged(String name, String spec, String problem) {
        mappers().forEach(mapper -> {
            SecretSyncPolicy p = mapper.unmarshal(policy(spec), SecretSyncPolicy.class);
            assertThat(p.getSpec()).isInstanceOf(UnreadableSpec.class);
            assertThat(p.getSpec().readProblems()).anySatisfy(m -> assertThat(m).startsWith(problem));
            assertThat(SpecValidator.problems(p.getSpec(), java.util.Set.of()))
                    .containsExactlyElementsOf(p.getSpec().readProblems());
            // a clone (what the SDK does before every reconcile) and a write carry the stored spec unchanged
            JsonNode written = mapper.convertValue(p, JsonNode.class).get("spec");
            assertThat(written).isEqualTo(mapper.convertValue(mapper.unmarshal(spec, Object.class), JsonNode.class));
            SecretSyncPolicy clone = mapper.clone(p);
            assertThat(clone.getSpec().readProblems()).isEqualTo(p.getSpec().readProblems());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void noValueLongerThanAWordIsQuoted(String name, String spec, String problem) {
        String secretish = spec.replace("\"a\"", "\"c2VjcmV0IGRhdGEgdGhhdCBtdXN0IG5ldmVyIGJlIGVjaG9lZCBiYWNrIHRvIHRoZSB1c2Vy\"");
        mappers().forEach(mapper -> assertThat(String.join(" ", mapper.unmarshal(policy(secretish),
                SecretSyncPolicy.class).getSpec().readProblems())).doesNotContain("c2VjcmV0"));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void aReadableSpecIsReadAsUsual(KubernetesSerialization mapper) {
        SecretSyncPolicy p = mapper.unmarshal(policy(with("deletionPolicy", "\"Orphan\"")), SecretSyncPolicy.class);
        assertThat(p.getSpec()).isNotInstanceOf(UnreadableSpec.class);
        assertThat(p.getSpec().readProblems()).isEmpty();
        assertThat(p.getSpec().getSource().getNames()).containsExactly("creds");
        assertThat(p.getSpec().effectiveDeletionPolicy()).isEqualTo(DeletionPolicy.Orphan);
        assertThat(mapper.convertValue(p, JsonNode.class).get("spec").toString())
                .isEqualTo(with("deletionPolicy", "\"Orphan\""));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void aSpecUsingReplicaIsReadWithoutAnUnknownField(KubernetesSerialization mapper) {
        String replica = "{\"labels\":{\"team\":\"platform\"},\"annotations\":{\"argocd.argoproj.io/sync-options\":"
                + "\"Prune=false\"},\"keys\":[{\"key\":\"ca.crt\",\"targetKey\":\"trust.pem\"},{\"key\":\"tls.crt\"}]}";
        SecretSyncPolicy p = mapper.unmarshal(policy(with("replica", replica)), SecretSyncPolicy.class);
        assertThat(p.getSpec()).isNotInstanceOf(UnreadableSpec.class);
        assertThat(p.getSpec().readProblems()).isEmpty();
        assertThat(p.getSpec().getReplica().getKeys().get(0).effectiveTargetKey()).isEqualTo("trust.pem");
        assertThat(p.getSpec().getReplica().getLabels()).containsEntry("team", "platform");
        // and a field inside it that this version does not know is still refused, naming it
        SecretSyncPolicy newer = mapper.unmarshal(policy(with("replica", "{\"ttl\":\"1h\"}")), SecretSyncPolicy.class);
        assertThat(newer.getSpec().readProblems()).anySatisfy(m -> assertThat(m).contains("spec.replica.ttl"));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void aNullOrMissingSpecIsNoSpec(KubernetesSerialization mapper) {
        assertThat(mapper.unmarshal(policy("null"), SecretSyncPolicy.class).getSpec()).isNull();
        assertThat(SpecValidator.problems(null, java.util.Set.of())).containsExactly("spec is required");
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void anUnreadablePolicyIsOrphanedOnDeletionUnlessItSaysDelete(KubernetesSerialization mapper) {
        assertThat(mapper.unmarshal(policy(with("conflictPolicy", "\"Adopt\"")), SecretSyncPolicy.class).getSpec()
                .effectiveDeletionPolicy()).isEqualTo(DeletionPolicy.Orphan);
        assertThat(mapper.unmarshal(policy(with("deletionPolicy", "\"Retain\"")), SecretSyncPolicy.class).getSpec()
                .effectiveDeletionPolicy()).isEqualTo(DeletionPolicy.Orphan);
        String saysDelete = with("conflictPolicy", "\"Adopt\"").replace("{\"source\"", "{\"deletionPolicy\":\"Delete\",\"source\"");
        assertThat(mapper.unmarshal(policy(saysDelete), SecretSyncPolicy.class).getSpec().effectiveDeletionPolicy())
                .isEqualTo(DeletionPolicy.Delete);
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void aStatusThatCannotBeReadIsNoStatusAndUnknownStatusFieldsAreIgnored(KubernetesSerialization mapper) {
        String json = policy(GOOD_SPEC);
        String garbage = json.substring(0, json.length() - 1) + ",\"status\":{\"conditions\":\"all good\"}}";
        assertThat(mapper.unmarshal(garbage, SecretSyncPolicy.class).getStatus()).isNull();
        String newer = json.substring(0, json.length() - 1) + ",\"status\":{\"observedGeneration\":3,\"shards\":2}}";
        assertThat(mapper.unmarshal(newer, SecretSyncPolicy.class).getStatus().getObservedGeneration()).isEqualTo(3L);
        assertThat(List.of(mapper.unmarshal(newer, SecretSyncPolicy.class).getSpec().readProblems())).containsExactly(List.of());
    }
}
