package io.secretsync.operator.sync;

import static io.secretsync.operator.testsupport.Fixtures.selector;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.secretsync.operator.crd.v1alpha1.KeyMapping;
import io.secretsync.operator.crd.v1alpha1.ReplicaSpec;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;

class SpecValidatorTest {
    private static final Set<String> SYSTEM = Set.of("kube-system", "kube-public", "kube-node-lease");

    static SecretSyncPolicySpec valid() {
        return spec("build-service", List.of("creds"), null, List.of("team-a"), null);
    }

    static Arguments row(String expectedFragment, Consumer<SecretSyncPolicySpec> edit) {
        SecretSyncPolicySpec s = valid();
        edit.accept(s);
        return Arguments.of(expectedFragment, s);
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                row("spec.source is required", s -> s.setSource(null)),
                row("spec.source.namespace is required", s -> s.getSource().setNamespace("")),
                row("spec.source.namespace: \"Build_Service\" is not a valid namespace", s -> s.getSource().setNamespace("Build_Service")),
                row("spec.source needs names or selector", s -> s.getSource().setNames(List.of())),
                row("spec.source.names[0]: \"Not/A/Name\" is not a valid name", s -> s.getSource().setNames(List.of("Not/A/Name"))),
                row("spec.source.names[1]: \"creds\" is listed twice", s -> s.getSource().setNames(List.of("creds", "creds"))),
                row("at most 1000", s -> s.getSource().setNames(Collections.nCopies(1001, "x"))),
                row("spec.source.selector.matchExpressions[0].operator: \"Equals\" is not one of",
                        s -> s.getSource().setSelector(new LabelSelectorBuilder().addNewMatchExpression()
                                .withKey("team").withOperator("Equals").withValues("x").endMatchExpression().build())),
                row("spec.source.selector.matchExpressions[0].values: operator In needs at least one value",
                        s -> s.getSource().setSelector(new LabelSelectorBuilder().addNewMatchExpression()
                                .withKey("team").withOperator("In").endMatchExpression().build())),
                row("spec.source.types[0]: kubernetes.io/service-account-token Secrets are never copied",
                        s -> s.getSource().setTypes(List.of("kubernetes.io/service-account-token"))),
                row("spec.target is required", s -> s.setTarget(null)),
                row("spec.target.clusters.names[0]: \"EU_1\" is not a valid name",
                        s -> s.getTarget().setClusters(new io.secretsync.operator.crd.v1alpha1.ClusterTargets(null,
                                List.of("EU_1"), null))),
                row("spec.target.clusters.selector.matchExpressions[0].operator: \"Equals\" is not one of",
                        s -> s.getTarget().setClusters(new io.secretsync.operator.crd.v1alpha1.ClusterTargets(null, null,
                                new LabelSelectorBuilder().addNewMatchExpression().withKey("stage").withOperator("Equals")
                                        .withValues("x").endMatchExpression().build()))),
                row("spec.target.namespacesWith cannot be combined with remote clusters", s -> {
                    s.getTarget().setNamespacesWith(List.of(new ResourceKind("kpack.io/v1alpha2", "Build")));
                    s.getTarget().setClusters(new io.secretsync.operator.crd.v1alpha1.ClusterTargets(null, List.of("eu-1"), null));
                }),
                row("spec.imagePullSecrets.workloadServiceAccounts cannot be combined with remote clusters", s -> {
                    s.setImagePullSecrets(new io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec());
                    s.getImagePullSecrets().setWorkloadServiceAccounts(true);
                    s.getTarget().setClusters(new io.secretsync.operator.crd.v1alpha1.ClusterTargets(null, null,
                            new LabelSelectorBuilder().build()));
                }),
                row("spec.target needs at least one of namespaces, namespaceSelector or namespacesWith",
                        s -> s.getTarget().setNamespaces(List.of())),
                row("spec.target.namespaces[0]: \"Team A\" is not a valid namespace name", s -> s.getTarget().setNamespaces(List.of("Team A"))),
                row("spec.target.namespaces[0]: \"build-service\" is the source namespace", s -> s.getTarget().setNamespaces(List.of("build-service"))),
                row("spec.target.namespaces[0]: \"kube-system\" is excluded by the operator", s -> s.getTarget().setNamespaces(List.of("kube-system"))),
                row("spec.target.namespaceSelector.matchLabels: \"bad key!\" is not a valid label key",
                        s -> s.getTarget().setNamespaceSelector(selector("bad key!=x"))),
                row("spec.target.namespacesWith[0] needs apiVersion and kind",
                        s -> s.getTarget().setNamespacesWith(List.of(new ResourceKind("kpack.io/v1alpha2", "")))),
                row("spec.target.namespacesWith lists the same kind twice",
                        s -> s.getTarget().setNamespacesWith(List.of(new ResourceKind("kpack.io/v1alpha2", "Build"),
                                new ResourceKind("kpack.io/v1alpha2", "Build")))),
                row("spec.target.excludeNamespaces[0]: \"-x\" is not a valid namespace name",
                        s -> s.getTarget().setExcludeNamespaces(List.of("-x"))),
                row("spec.replica.labels: \"app.kubernetes.io/managed-by\" is the operator's own",
                        s -> replica(s).setLabels(Map.of("app.kubernetes.io/managed-by", "argocd"))),
                row("spec.replica.annotations: \"secretsync.io/source\" is the operator's own",
                        s -> replica(s).setAnnotations(Map.of("secretsync.io/source", "x/y"))),
                row("spec.replica.labels: \"secretsync.io/policy\" is the operator's own",
                        s -> replica(s).setLabels(Map.of("secretsync.io/policy", "other"))),
                row("spec.replica.labels: \"bad key!\" is not a valid label key",
                        s -> replica(s).setLabels(Map.of("bad key!", "x"))),
                row("spec.replica.annotations: \"-nope\" is not a valid annotation key",
                        s -> replica(s).setAnnotations(Map.of("-nope", "x"))),
                row("spec.replica.labels[\"team\"]: the value is not a valid label value",
                        s -> replica(s).setLabels(Map.of("team", "x".repeat(64)))),
                row("spec.replica.labels[\"team\"]: the value is not a valid label value",
                        s -> replica(s).setLabels(Map.of("team", "has space"))),
                row("spec.replica.annotations total",
                        s -> replica(s).setAnnotations(Map.of("big", "x".repeat(256 * 1024)))),
                row("spec.replica.keys is empty", s -> replica(s).setKeys(List.of())),
                row("spec.replica.keys[1].key: \"ca.crt\" is listed twice",
                        s -> replica(s).setKeys(List.of(new KeyMapping("ca.crt", null), new KeyMapping("ca.crt", "x")))),
                row("spec.replica.keys[1].targetKey: two keys would both be \"ca.crt\"",
                        s -> replica(s).setKeys(List.of(new KeyMapping("ca.crt", null), new KeyMapping("tls.crt", "ca.crt")))),
                row("spec.replica.keys[0].key: \"a/b\" is not a valid Secret key",
                        s -> replica(s).setKeys(List.of(new KeyMapping("a/b", null)))),
                row("spec.replica.keys[0].targetKey: \"trust pem\" is not a valid Secret key",
                        s -> replica(s).setKeys(List.of(new KeyMapping("ca.crt", "trust pem")))),
                row("spec.replica.keys[0].key is required", s -> replica(s).setKeys(List.of(new KeyMapping(null, "x")))));
    }

    static ReplicaSpec replica(SecretSyncPolicySpec s) {
        if (s.getReplica() == null) {
            s.setReplica(new ReplicaSpec());
        }
        return s.getReplica();
    }

    @org.junit.jupiter.api.Test
    void aSourceNamespaceOutsideTheAllowedOnesIsRefusedNamingTheSetting() {
        assertThat(SpecValidator.problems("p", valid(), SYSTEM, Set.of("build-service", "certs"))).isEmpty();
        assertThat(SpecValidator.problems("p", valid(), SYSTEM, Set.of("certs"))).singleElement().asString()
                .contains("spec.source.namespace: \"build-service\" is not in the operator setting"
                        + " secretsync.allowed-source-namespaces (certs)");
    }

    @org.junit.jupiter.api.Test
    void whatRemoteClustersCannotDoIsRefusedNamingThePolicyAndWhatToDo() {
        SecretSyncPolicySpec s = valid();
        s.getTarget().setNamespacesWith(List.of(new ResourceKind("kpack.io/v1alpha2", "Build")));
        s.setImagePullSecrets(new io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec());
        s.getImagePullSecrets().setServiceAccounts(List.of("default"));
        s.getImagePullSecrets().setWorkloadServiceAccounts(true);
        s.getTarget().setClusters(new io.secretsync.operator.crd.v1alpha1.ClusterTargets(null, List.of("eu-1"), null));

        assertThat(SpecValidator.problems("builds", s, SYSTEM, Set.of())).satisfiesExactly(
                p -> assertThat(p).contains("spec.target.namespacesWith cannot be combined with remote clusters")
                        .contains("policy builds").contains("use namespaces or namespaceSelector"),
                p -> assertThat(p).contains("spec.imagePullSecrets.workloadServiceAccounts cannot be combined")
                        .contains("policy builds").contains("name the ServiceAccounts in"
                                + " spec.imagePullSecrets.serviceAccounts"));
    }

    @org.junit.jupiter.api.Test
    void aPolicyNameLongerThanALabelValueIsRefused() {
        String name = "p".repeat(64);
        assertThat(SpecValidator.problems(name, valid(), SYSTEM, Set.of())).singleElement().asString()
                .contains("metadata.name").contains("64 characters").contains("at most 63");
        assertThat(SpecValidator.problems("p".repeat(63), valid(), SYSTEM, Set.of())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void reportsTheFieldAndWhatToDo(String expectedFragment, SecretSyncPolicySpec spec) {
        assertThat(SpecValidator.problems(spec, SYSTEM)).anySatisfy(p -> assertThat(p).contains(expectedFragment));
    }

    static Stream<SecretSyncPolicySpec> validSpecs() {
        SecretSyncPolicySpec everyNamespace = spec("build-service", null, selector("team=builds"), null, selector());
        SecretSyncPolicySpec namespacesWith = spec("build-service", List.of("creds"), null, null, null);
        namespacesWith.getTarget().setNamespacesWith(List.of(new ResourceKind("kpack.io/v1alpha2", "Build")));
        SecretSyncPolicySpec shaped = valid();
        replica(shaped).setLabels(Map.of("team", "platform", "example.com/tier", ""));
        replica(shaped).setAnnotations(Map.of("argocd.argoproj.io/sync-options", "Prune=false",
                "argocd.argoproj.io/compare-options", "IgnoreExtraneous"));
        replica(shaped).setKeys(List.of(new KeyMapping("ca.crt", "trust.pem"), new KeyMapping("tls.crt", null)));
        SecretSyncPolicySpec remote = valid();
        remote.getTarget().setClusters(new io.secretsync.operator.crd.v1alpha1.ClusterTargets(false, List.of("eu-1"),
                selector("stage=prod")));
        SecretSyncPolicySpec localOnlyWithPullSecrets = valid();
        localOnlyWithPullSecrets.setImagePullSecrets(new io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec());
        localOnlyWithPullSecrets.getTarget().setClusters(new io.secretsync.operator.crd.v1alpha1.ClusterTargets(true, List.of(), null));
        SecretSyncPolicySpec remoteWithPullSecrets = valid();
        remoteWithPullSecrets.setImagePullSecrets(new io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec());
        remoteWithPullSecrets.getImagePullSecrets().setServiceAccounts(List.of("default"));
        remoteWithPullSecrets.getImagePullSecrets().setWorkloadServiceAccounts(false);
        remoteWithPullSecrets.getTarget().setClusters(new io.secretsync.operator.crd.v1alpha1.ClusterTargets(true,
                List.of("eu-1"), null));
        SecretSyncPolicySpec localWorkloadServiceAccounts = spec("build-service", List.of("creds"), null, null, null);
        localWorkloadServiceAccounts.getTarget().setNamespacesWith(List.of(new ResourceKind("kpack.io/v1alpha2", "Build")));
        localWorkloadServiceAccounts.setImagePullSecrets(new io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec());
        localWorkloadServiceAccounts.getImagePullSecrets().setWorkloadServiceAccounts(true);
        return Stream.of(valid(), everyNamespace, namespacesWith, shaped, remote, localOnlyWithPullSecrets,
                remoteWithPullSecrets, localWorkloadServiceAccounts);
    }

    @ParameterizedTest
    @MethodSource("validSpecs")
    void acceptsValidSpecs(SecretSyncPolicySpec spec) {
        assertThat(SpecValidator.problems(spec, SYSTEM)).isEmpty();
    }
}
