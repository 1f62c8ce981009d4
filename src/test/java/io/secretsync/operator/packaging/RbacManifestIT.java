package io.secretsync.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;

/**
 * Least privilege, read from the generated target/kubernetes/kubernetes.yml: no wildcard, and
 * exactly the verbs the operator uses, each with the reason it needs it.
 */
class RbacManifestIT {
    static final String LEASE = "secretsync-operator-lease";

    /** group/resource -> verbs the operator uses, and why. */
    static final Map<String, Set<String>> USED = Map.ofEntries(
            // informer (list, watch); JOSDK re-reads (get) and patches the policy to add/remove its
            // finalizer; the Tanzu Build Service convention creates its policy when missing
            Map.entry("secretsync.io/secretsyncpolicies", Set.of("get", "list", "watch", "patch", "create")),
            // status is written with a JSON patch of the status subresource (SSA is off)
            Map.entry("secretsync.io/secretsyncpolicies/status", Set.of("patch")),
            // remote clusters: informer in every process; the unsharded process patches the
            // finalizer (get: re-read after a conflicting patch) and the status
            Map.entry("secretsync.io/secretsyncclusters", Set.of("get", "list", "watch", "patch")),
            Map.entry("secretsync.io/secretsyncclusters/status", Set.of("patch")),
            // informers on replicas and source namespaces; get of one Secret after a 409;
            // replicas created, updated (and orphaned by update), deleted
            Map.entry("/secrets", Set.of("get", "list", "watch", "create", "update", "delete")),
            // namespace informer (targets by name, selector, exclusion label, terminating); the
            // convention reads its namespace and records an admin's deletion of its policy there
            Map.entry("/namespaces", Set.of("get", "list", "watch", "patch")),
            // imagePullSecrets: read fresh, then update with the resourceVersion lock
            Map.entry("/serviceaccounts", Set.of("get", "list", "watch", "update")),
            // Events about policies, in namespace default
            Map.entry("/events", Set.of("create")),
            // target.namespacesWith of the Tanzu Build Service policy (informers only)
            Map.entry("kpack.io/builds", Set.of("list", "watch")),
            Map.entry("kpack.io/images", Set.of("list", "watch")),
            // resolving a namespacesWith kind that API discovery does not list
            Map.entry("apiextensions.k8s.io/customresourcedefinitions", Set.of("list")),
            // leader election: the SDK checks create/get/update before it starts, the lock patches,
            // the leader releases the Lease on a stop with an update carrying its resourceVersion
            Map.entry("coordination.k8s.io/leases", Set.of("create", "get", "update", "patch")));

    private final List<HasMetadata> manifests = Manifests.load(Manifests.kubernetesYml());

    @Test
    void noRuleHasAWildcard() {
        rules().forEach(r -> Stream.of(r.getApiGroups(), r.getResources(), r.getVerbs(), r.getResourceNames(),
                r.getNonResourceURLs()).filter(l -> l != null).forEach(l -> assertThat(l)
                        .as("rule %s", r).noneMatch(v -> v.contains("*"))));
    }

    @Test
    void grantsExactlyTheVerbsTheOperatorUses() {
        Map<String, Set<String>> granted = new TreeMap<>();
        for (PolicyRule r : rules()) {
            assertThat(r.getNonResourceURLs()).as("nonResourceURLs in %s", r).isNullOrEmpty();
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    granted.computeIfAbsent(g + "/" + res, k -> new TreeSet<>()).addAll(r.getVerbs());
                }
            }
        }
        granted.forEach((resource, verbs) -> assertThat(USED).as("granted resource %s", resource)
                .containsKey(resource));
        granted.forEach((resource, verbs) -> assertThat(verbs).as("verbs granted on %s", resource)
                .containsExactlyInAnyOrderElementsOf(USED.get(resource)));
        assertThat(granted.keySet()).as("resources the operator needs").containsAll(USED.keySet());
    }

    @Test
    void leasesOnlyInTheOperatorNamespaceAndOnlyItsOwn() {
        assertThat(Manifests.ofKind(manifests, ClusterRole.class).stream().flatMap(c -> c.getRules().stream()))
                .noneMatch(r -> r.getResources().contains("leases"));
        Role role = Manifests.ofKind(manifests, Role.class).stream()
                .filter(r -> r.getRules().stream().anyMatch(x -> x.getResources().contains("leases"))).findFirst()
                .orElseThrow();
        assertThat(role.getMetadata().getNamespace()).isEqualTo(operatorNamespace());
        role.getRules().stream().filter(r -> !r.getVerbs().equals(List.of("create")))
                .forEach(r -> assertThat(r.getResourceNames()).as("rule %s", r).containsExactly(LEASE));
    }

    /**
     * Kubeconfig Secrets are watched in the operator's namespace by a namespaced informer; a Role
     * there authorizes it on its own, so the kubeconfigs never depend on the cluster-wide Secret
     * rule (which the replicas need, and which a chart may narrow).
     */
    @Test
    void kubeconfigSecretsAreReadThroughARoleInTheOperatorNamespace() {
        Role role = Manifests.ofKind(manifests, Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals("secretsync-operator-kubeconfigs")).findFirst()
                .orElseThrow(() -> new AssertionError("no Role secretsync-operator-kubeconfigs in the manifests"));
        assertThat(role.getMetadata().getNamespace()).isEqualTo(operatorNamespace());
        assertThat(role.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getApiGroups()).containsExactly("");
            assertThat(r.getResources()).containsExactly("secrets");
            assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
        });
        List<HasMetadata> withoutClusterRoles = manifests.stream()
                .filter(m -> !(m instanceof ClusterRole || m instanceof ClusterRoleBinding)).toList();
        RbacRules roleOnly = RbacRules.of(withoutClusterRoles, serviceAccount(), operatorNamespace());
        for (String verb : List.of("get", "list", "watch")) {
            assertThat(roleOnly.allows(new RbacRules.Access("", "secrets", operatorNamespace(), null, verb)))
                    .as("%s secrets in %s through the Role alone", verb, operatorNamespace()).isTrue();
            assertThat(roleOnly.allows(new RbacRules.Access("", "secrets", "default", null, verb)))
                    .as("%s secrets elsewhere through the Role", verb).isFalse();
        }
    }

    @Test
    void everyRuleIsBoundToTheDeploymentsServiceAccount() {
        RbacRules bound = RbacRules.of(manifests, serviceAccount(), operatorNamespace());
        assertThat(bound.grants()).hasSize(rules().size());
    }

    private String serviceAccount() {
        return Manifests.single(manifests, Deployment.class).getSpec().getTemplate().getSpec()
                .getServiceAccountName();
    }

    private String operatorNamespace() {
        return Manifests.single(manifests, Deployment.class).getMetadata().getNamespace();
    }

    private List<PolicyRule> rules() {
        return Stream.concat(
                Manifests.ofKind(manifests, ClusterRole.class).stream().flatMap(c -> c.getRules().stream()),
                Manifests.ofKind(manifests, Role.class).stream().flatMap(c -> c.getRules().stream())).toList();
    }
}
