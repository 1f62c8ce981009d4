package io.secretsync.operator.reliability;

import java.util.List;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;

/**
 * Policies the shipped CRD's schema rejects but that exist all the same through version skew (a
 * newer CRD, a rolled-back operator) or where nothing validates: the test API server stores them as
 * sent. Each would copy the source Secret "creds" of its source namespace into its own target
 * namespace if it were read as something it is not. Unknown fields are named newerField: one a
 * later version of the model may really add (say spec.replica) would stop being unknown.
 */
public final class UnreadablePolicies {
    /** One stored policy: its name, its spec as JSON, and what its Ready message must say. */
    public record Case(String name, String specJson, String problem) {
        public String policy() {
            return "ur-" + name;
        }

        public String target() {
            return policy() + "-a";
        }
    }

    private UnreadablePolicies() {
    }

    /** A spec that copies src/creds into the case's target, with one part replaced by raw JSON. */
    static String spec(String src, String target, String conflictPolicy, String deletionPolicy, String suspend,
            String names, String namespaces, String extraSpec, String extraSource, String extraTarget) {
        return "{\"source\":{\"namespace\":\"" + src + "\",\"names\":" + names + extraSource + "},"
                + "\"target\":{\"namespaces\":" + (namespaces == null ? "[\"" + target + "\"]" : namespaces)
                + extraTarget + "}"
                + (conflictPolicy == null ? "" : ",\"conflictPolicy\":" + conflictPolicy)
                + (deletionPolicy == null ? "" : ",\"deletionPolicy\":" + deletionPolicy)
                + (suspend == null ? "" : ",\"suspend\":" + suspend)
                + extraSpec + "}";
    }

    public static List<Case> all(String src) {
        String names = "[\"creds\"]";
        return List.of(
                c("conflict-adopt", src, t -> spec(src, t, "\"Adopt\"", null, null, names, null, "", "", ""),
                        "spec.conflictPolicy: \"Adopt\" is not one of Skip, Overwrite"),
                c("deletion-retain", src, t -> spec(src, t, null, "\"Retain\"", null, names, null, "", "", ""),
                        "spec.deletionPolicy: \"Retain\" is not one of Delete, Orphan"),
                c("suspend-string", src, t -> spec(src, t, null, null, "\"no\"", names, null, "", "", ""),
                        "spec.suspend: must be true or false, not a string"),
                c("names-string", src, t -> spec(src, t, null, null, null, "\"creds\"", null, "", "", ""),
                        "spec.source.names: must be a list, not a string"),
                c("namespaces-object", src, t -> spec(src, t, null, null, null, names, "{\"name\":\"" + t + "\"}", "", "", ""),
                        "spec.target.namespaces: must be a list, not an object"),
                c("unknown-in-spec", src, t -> spec(src, t, null, null, null, names, null,
                        ",\"newerField\":{\"keys\":[\"ca.crt\"]}", "", ""), "spec.newerField: unknown field"),
                c("unknown-in-source", src, t -> spec(src, t, null, null, null, names, null, "",
                        ",\"newerField\":[\"ca.crt\"]", ""), "spec.source.newerField: unknown field"),
                c("unknown-in-target", src, t -> spec(src, t, null, null, null, names, null, "", "",
                        ",\"newerField\":[\"eu\"]"), "spec.target.newerField: unknown field"),
                c("unknown-in-pull-secrets", src, t -> spec(src, t, null, null, null, names, null,
                        ",\"imagePullSecrets\":{\"serviceAccounts\":[\"default\"],\"newerField\":true}", "", ""),
                        "spec.imagePullSecrets.newerField: unknown field"),
                c("unknown-in-kind", src, t -> spec(src, t, null, null, null, names, null, "", "",
                        ",\"namespacesWith\":[{\"apiVersion\":\"kpack.io/v1alpha2\",\"kind\":\"Build\",\"newerField\":\"all\"}]"),
                        "spec.target.namespacesWith[0].newerField: unknown field"),
                c("unknown-in-selector", src, t -> spec(src, t, null, null, null, "[]", null, "",
                        ",\"selector\":{\"matchLabels\":{\"app\":\"x\"},\"newerField\":{\"type\":\"Opaque\"}}", ""),
                        "spec.source.selector.newerField: unknown field"),
                c("unknown-in-requirement", src, t -> spec(src, t, null, null, null, names, null, "", "",
                        ",\"namespaceSelector\":{\"matchExpressions\":[{\"key\":\"team\",\"operator\":\"Exists\","
                                + "\"newerField\":2}]}"),
                        "spec.target.namespaceSelector.matchExpressions[0].newerField: unknown field"),
                new Case("spec-null", "null", "spec is required"));
    }

    private static Case c(String name, String src, java.util.function.UnaryOperator<String> spec, String problem) {
        Case draft = new Case(name, "", problem);
        return new Case(name, spec.apply(draft.target()), problem);
    }

    /** Stores the policy exactly as given, as kubectl would on a server that does not validate. */
    public static void create(KubernetesClient client, Case c) {
        String json = "{\"apiVersion\":\"" + SecretSyncPolicy.API_VERSION + "\",\"kind\":\"SecretSyncPolicy\","
                + "\"metadata\":{\"name\":\"" + c.policy() + "\"},\"spec\":" + c.specJson() + "}";
        client.genericKubernetesResources(SecretSyncPolicy.API_VERSION, "SecretSyncPolicy")
                .resource(Serialization.unmarshal(json, GenericKubernetesResource.class)).create();
    }

    /** Replaces a stored policy's spec with raw JSON (a JSON patch, as kubectl patch --type=json). */
    public static void replaceSpec(KubernetesClient client, String policy, String specJson) {
        client.genericKubernetesResources(SecretSyncPolicy.API_VERSION, "SecretSyncPolicy").withName(policy)
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                        "[{\"op\":\"replace\",\"path\":\"/spec\",\"value\":" + specJson + "}]");
    }

    /** The stored spec, as JSON, read without the operator's model. */
    public static String storedSpec(KubernetesClient client, String policy) {
        GenericKubernetesResource r = client.genericKubernetesResources(SecretSyncPolicy.API_VERSION, "SecretSyncPolicy")
                .withName(policy).get();
        return r.getAdditionalProperties().containsKey("spec") ? Serialization.asJson(r.getAdditionalProperties().get("spec"))
                : "<absent>";
    }
}
