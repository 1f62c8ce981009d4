package io.secretsync.operator.reliability;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.KeyMapping;
import io.secretsync.operator.crd.v1alpha1.ReplicaSpec;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * Bad input, end to end: each case is a policy a user could apply. It must get a Ready condition
 * and an Event on the policy that name the policy and the offending field (or Secret, or kind),
 * it must write nothing, and a good policy reading the same source must keep working beside it.
 * The test API server does not validate, so the operator's own checks are what is tested here.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class BadInputTest extends OperatorTestSupport {

    /** What a case does to the cluster and to the policy before it is created. */
    @FunctionalInterface
    interface Setup {
        void apply(BadInputTest t, String src, String target, SecretSyncPolicySpec spec);
    }

    /** The Ready condition, the Event (type, reason) and a part of the message both must carry. */
    record Expect(String status, String reason, String eventType, String eventReason, String messagePart) {
    }

    static Expect invalid(String field) {
        return new Expect("False", "InvalidSpec", "Warning", "InvalidSpec", field);
    }

    static Arguments row(String name, Expect expect, Setup setup) {
        return Arguments.of(name, expect, setup);
    }

    static List<String> many(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                row("empty-names", invalid("spec.source needs names or selector"),
                        (t, src, target, s) -> s.getSource().setNames(List.of())),
                row("empty-target", invalid("spec.target needs at least one of"),
                        (t, src, target, s) -> s.getTarget().setNamespaces(List.of())),
                row("no-names", invalid("spec.source needs names or selector"),
                        (t, src, target, s) -> s.getSource().setNames(null)),
                row("no-target", invalid("spec.target needs at least one of"),
                        (t, src, target, s) -> s.getTarget().setNamespaces(null)),
                row("empty-source-ns", invalid("spec.source.namespace is required"),
                        (t, src, target, s) -> s.getSource().setNamespace("")),
                row("no-source", invalid("spec.source is required"), (t, src, target, s) -> s.setSource(null)),
                row("unknown-ns-selector-op", invalid("spec.target.namespaceSelector.matchExpressions[0].operator"),
                        (t, src, target, s) -> s.getTarget().setNamespaceSelector(new LabelSelectorBuilder()
                                .addNewMatchExpression().withKey("team").withOperator("Matches").withValues("a")
                                .endMatchExpression().build())),
                row("unknown-source-selector-op", invalid("spec.source.selector.matchExpressions[0].operator"),
                        (t, src, target, s) -> s.getSource().setSelector(new LabelSelectorBuilder()
                                .addNewMatchExpression().withKey("team").withOperator("Like").withValues("a")
                                .endMatchExpression().build())),
                row("in-without-values", invalid("spec.source.selector.matchExpressions[0].values"),
                        (t, src, target, s) -> s.getSource().setSelector(new LabelSelectorBuilder()
                                .addNewMatchExpression().withKey("team").withOperator("In").endMatchExpression()
                                .build())),
                row("bad-label-key", invalid("spec.source.selector.matchLabels: \"-bad key\""),
                        (t, src, target, s) -> s.getSource().setSelector(new LabelSelectorBuilder()
                                .addToMatchLabels("-bad key", "x").build())),
                row("bad-secret-name", invalid("spec.source.names[0]: \"Creds_1\""),
                        (t, src, target, s) -> s.getSource().setNames(List.of("Creds_1"))),
                row("bad-source-ns", invalid("spec.source.namespace: \"Build_Service\""),
                        (t, src, target, s) -> s.getSource().setNamespace("Build_Service")),
                row("bad-target-name", invalid("spec.target.namespaces[0]: \"UPPER\""),
                        (t, src, target, s) -> s.getTarget().setNamespaces(List.of("UPPER"))),
                row("bad-exclude-name", invalid("spec.target.excludeNamespaces[0]: \"Not.A.Label\""),
                        (t, src, target, s) -> s.getTarget().setExcludeNamespaces(List.of("Not.A.Label"))),
                row("bad-sa-name", invalid("spec.imagePullSecrets.serviceAccounts[0]: \"Default SA\""),
                        (t, src, target, s) -> {
                            ImagePullSecretsSpec ips = new ImagePullSecretsSpec();
                            ips.setServiceAccounts(List.of("Default SA"));
                            s.setImagePullSecrets(ips);
                        }),
                row("source-as-target", invalid("spec.target.namespaces[1]: \"inv2-source-as-target-src\" is the source"),
                        (t, src, target, s) -> s.getTarget().setNamespaces(List.of(target, src))),
                row("system-ns-as-target", invalid("spec.target.namespaces[1]: \"kube-system\" is excluded"),
                        (t, src, target, s) -> {
                            t.ensureNamespace("kube-system");
                            s.getTarget().setNamespaces(List.of(target, "kube-system"));
                        }),
                row("token-type", invalid("spec.source.types[0]: kubernetes.io/service-account-token"),
                        (t, src, target, s) -> s.getSource().setTypes(List.of("kubernetes.io/service-account-token"))),
                row("huge-names", invalid("spec.source.names has 1001 entries"),
                        (t, src, target, s) -> {
                            List<String> names = new ArrayList<>(many("creds-", 1000));
                            names.add(0, "creds");
                            s.getSource().setNames(names);
                        }),
                row("huge-targets", invalid("spec.target.namespaces has 1001 entries"),
                        (t, src, target, s) -> {
                            List<String> targets = new ArrayList<>(many("ns-", 1000));
                            targets.add(0, target);
                            s.getTarget().setNamespaces(targets);
                        }),
                row("duplicate-names", invalid("spec.source.names[1]: \"creds\" is listed twice"),
                        (t, src, target, s) -> s.getSource().setNames(List.of("creds", "creds"))),
                row("duplicate-targets", invalid("spec.target.namespaces[1]: \"inv2-duplicate-targets-a\" is listed twice"),
                        (t, src, target, s) -> s.getTarget().setNamespaces(List.of(target, target))),
                row("duplicate-kinds", invalid("spec.target.namespacesWith lists the same kind twice"),
                        (t, src, target, s) -> s.getTarget().setNamespacesWith(List.of(
                                new ResourceKind("example.com/v1", "Widget"), new ResourceKind("example.com/v1", "Widget")))),
                row("kind-without-kind", invalid("spec.target.namespacesWith[0] needs apiVersion and kind"),
                        (t, src, target, s) -> s.getTarget().setNamespacesWith(List.of(new ResourceKind("example.com/v1", "")))),
                row("reserved-replica-label", invalid("spec.replica.labels: \"secretsync.io/policy\" is the operator's own"),
                        (t, src, target, s) -> replica(s).setLabels(Map.of("secretsync.io/policy", "other"))),
                row("reserved-managed-by", invalid("spec.replica.labels: \"app.kubernetes.io/managed-by\" is the operator's own"),
                        (t, src, target, s) -> replica(s).setLabels(Map.of("app.kubernetes.io/managed-by", "argocd"))),
                row("reserved-replica-annotation",
                        invalid("spec.replica.annotations: \"secretsync.io/content-hash\" is the operator's own"),
                        (t, src, target, s) -> replica(s).setAnnotations(Map.of("secretsync.io/content-hash", "x"))),
                row("bad-replica-label-key", invalid("spec.replica.labels: \"team name\" is not a valid label key"),
                        (t, src, target, s) -> replica(s).setLabels(Map.of("team name", "x"))),
                row("long-replica-label-value", invalid("spec.replica.labels[\"team\"]: the value is not a valid label value"),
                        (t, src, target, s) -> replica(s).setLabels(Map.of("team", "t".repeat(64)))),
                row("bad-replica-annotation-key", invalid("spec.replica.annotations: \"/x\" is not a valid annotation key"),
                        (t, src, target, s) -> replica(s).setAnnotations(Map.of("/x", "y"))),
                row("empty-replica-keys", invalid("spec.replica.keys is empty"),
                        (t, src, target, s) -> replica(s).setKeys(List.of())),
                row("duplicate-replica-key", invalid("spec.replica.keys[1].key: \"value\" is listed twice"),
                        (t, src, target, s) -> replica(s).setKeys(List.of(new KeyMapping("value", null),
                                new KeyMapping("value", "other")))),
                row("duplicate-replica-target-key", invalid("spec.replica.keys[1].targetKey: two keys would both be \"value\""),
                        (t, src, target, s) -> replica(s).setKeys(List.of(new KeyMapping("value", null),
                                new KeyMapping("canary", "value")))),
                row("bad-replica-key-name", invalid("spec.replica.keys[0].key: \"a b\" is not a valid Secret key"),
                        (t, src, target, s) -> replica(s).setKeys(List.of(new KeyMapping("a b", null)))),
                row("policy-name-too-long-" + "x".repeat(50), invalid("metadata.name: \"inv2-policy-name-too-long-"),
                        (t, src, target, s) -> {
                        }),
                row("source-lacks-listed-key", new Expect("False", "SourceNotFound", "Warning", "SourceNotFound",
                        "not copied: creds (lacks key ca.crt listed in spec.replica.keys)"),
                        (t, src, target, s) -> replica(s).setKeys(List.of(new KeyMapping("ca.crt", null)))),
                // not invalid by design, but refused all the same: nothing is written and the status says why
                row("token-secret-named", new Expect("False", "SourceNotFound", "Warning", "SourceNotFound",
                        "not copied: sa-token (type kubernetes.io/service-account-token is never copied)"),
                        (t, src, target, s) -> {
                            t.createSecret(io.secretsync.operator.testsupport.Fixtures.secret(src, "sa-token",
                                    "kubernetes.io/service-account-token", java.util.Map.of("token", Canary.value("token"))));
                            s.getSource().setNames(List.of("sa-token"));
                        }),
                row("replica-as-source", new Expect("False", "SourceNotFound", "Warning", "SourceNotFound",
                        "not copied: chained (it is itself a replica"),
                        (t, src, target, s) -> {
                            // a real replica in the source namespace, of a policy that exists (a replica
                            // of a vanished policy would be released, and then be an ordinary Secret)
                            String upstream = src + "-up";
                            t.createNamespace(upstream);
                            t.createSecret(opaque(upstream, "chained", Canary.value("chained")));
                            t.createPolicyFor("inv2-replica-as-source-upstream",
                                    spec(upstream, List.of("chained"), null, List.of(src), null));
                            t.awaitSecret(src, "chained");
                            s.getSource().setNames(List.of("chained"));
                        }),
                row("type-not-selected", new Expect("False", "SourceNotFound", "Warning", "SourceNotFound",
                        "not copied: creds (type Opaque is not in spec.source.types"),
                        (t, src, target, s) -> s.getSource().setTypes(List.of("kubernetes.io/dockerconfigjson"))),
                row("unknown-kind", new Expect("True", "Synced", "Normal", "Synced",
                        "not installed: example.com/v1/Widget"),
                        (t, src, target, s) -> {
                            s.getTarget().setNamespaces(null);
                            s.getTarget().setNamespacesWith(List.of(new ResourceKind("example.com/v1", "Widget")));
                        }),
                row("conflicting-policy", new Expect("False", "PartiallySynced", "Warning", "OwnedByAnotherPolicy",
                        "inv2-conflicting-policy-a/creds"),
                        (t, src, target, s) -> {
                            String otherSrc = src + "-other";
                            t.createNamespace(otherSrc);
                            t.createSecret(opaque(otherSrc, "creds", Canary.value("first-owner")));
                            t.createPolicyFor("inv2-conflicting-policy-first",
                                    spec(otherSrc, List.of("creds"), null, List.of(target), null));
                            t.awaitSecret(target, "creds");
                        }));
    }

    static ReplicaSpec replica(SecretSyncPolicySpec s) {
        if (s.getReplica() == null) {
            s.setReplica(new ReplicaSpec());
        }
        return s.getReplica();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void refusedWithConditionAndEventNamingTheFieldNothingWrittenOthersWork(String name, Expect expect, Setup setup) {
        String policy = "inv2-" + name;
        // namespaces and the good policy are named after a prefix that always fits (the long-name case)
        String base = policy.length() > 50 ? policy.substring(0, 30) : policy;
        String src = base + "-src";
        String target = base + "-a";
        String good = base + "-good";
        createNamespace(src);
        createNamespace(target);
        createNamespace(good);
        createSecret(opaque(src, "creds", Canary.value(name)));
        SecretSyncPolicySpec bad = spec(src, List.of("creds"), null, List.of(target), null);
        setup.apply(this, src, target, bad);
        Secret before = secret(target, "creds");
        createPolicy(policy, bad);
        createPolicy(base + "-ok", spec(src, List.of("creds"), null, List.of(good), null));

        var status = awaitReady(policy, expect.status(), expect.reason());
        assertThat(ready(status).orElseThrow().getMessage()).contains(expect.messagePart());
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsFor(policy)).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo(expect.eventType());
            assertThat(e.getReason()).isEqualTo(expect.eventReason());
            assertThat(e.getMessage()).contains("SecretSyncPolicy " + policy + ":").contains(expect.messagePart());
        }));

        // the good policy beside it works
        awaitSecret(good, "creds");
        awaitReady(base + "-ok", "True", "Synced");
        // and the bad one wrote nothing: no replica of it anywhere, the target as it was
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(client.secrets().inAnyNamespace().withLabel("secretsync.io/policy", policy).list().getItems())
                    .isEmpty();
            Secret now = secret(target, "creds");
            if (before == null) {
                assertThat(now).isNull();
            } else {
                assertThat(now.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
            }
        });
        Canary.assertAbsent("status of " + policy, io.fabric8.kubernetes.client.utils.Serialization.asJson(policy(policy)));
        Canary.assertAbsent("events of " + policy, io.fabric8.kubernetes.client.utils.Serialization.asJson(eventsFor(policy)));
    }

    void ensureNamespace(String name) {
        if (client.namespaces().withName(name).get() == null) {
            createNamespace(name);
        }
    }

    void createPolicyFor(String name, SecretSyncPolicySpec spec) {
        createPolicy(name, spec);
    }
}
