package io.secretsync.operator.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SourceSpec;
import io.secretsync.operator.crd.v1alpha1.TargetSpec;

/** Builders for the objects tests talk about. */
public final class Fixtures {
    public static final String DOCKERCONFIGJSON = "kubernetes.io/dockerconfigjson";
    /**
     * Every Secret built here carries a "canary" key whose value starts with this prefix, so a scan
     * of everything the operator emitted during the test suite can prove that no Secret data leaked.
     * 18 characters: the base64 of every canary value starts with the base64 of the prefix.
     */
    public static final String CANARY_PREFIX = "ssc-canary-7f3a9c-";

    private Fixtures() {
    }

    public static Namespace namespace(String name, String... labels) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(map(labels)).endMetadata().build();
    }

    public static Secret secret(String namespace, String name, String type, Map<String, String> plainData,
            String... labels) {
        Map<String, String> data = new LinkedHashMap<>();
        plainData.forEach((k, v) -> data.put(k, b64(v)));
        data.putIfAbsent("canary", b64(CANARY_PREFIX + namespace + "." + name));
        return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .withUid("uid-" + namespace + "-" + name).withLabels(map(labels)).endMetadata()
                .withType(type).withData(data).build();
    }

    public static Secret opaque(String namespace, String name, String value, String... labels) {
        return secret(namespace, name, "Opaque", Map.of("value", value), labels);
    }

    public static SecretSyncPolicySpec spec(String sourceNamespace, List<String> names, LabelSelector selector,
            List<String> targetNamespaces, LabelSelector namespaceSelector) {
        SecretSyncPolicySpec spec = new SecretSyncPolicySpec();
        spec.setSource(new SourceSpec(sourceNamespace, names, selector, null));
        spec.setTarget(new TargetSpec(targetNamespaces, namespaceSelector, null, null));
        return spec;
    }

    public static SecretSyncPolicy policy(String name, SecretSyncPolicySpec spec) {
        SecretSyncPolicy p = new SecretSyncPolicy();
        p.getMetadata().setName(name);
        p.setSpec(spec);
        return p;
    }

    public static LabelSelector selector(String... labels) {
        return new LabelSelectorBuilder().withMatchLabels(map(labels)).build();
    }

    public static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    /** "k=v" pairs to a map. */
    public static Map<String, String> map(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            m.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return m;
    }
}
