package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * Least privilege, judged by the real authorizer. Every other real-server class proves that the
 * shipped RBAC is enough (the base class fails on any 403 answered to the operator); this one takes
 * a single verb away from the shipped ClusterRole on a running cluster ({@code create} on Secrets,
 * {@code update} on ServiceAccounts), as an administrator trimming
 * permissions by mistake would, and shows what a user sees: the policy's Ready condition turns
 * False naming the HTTP 403, who may not do what where and what to grant; the process stays alive
 * and healthy and goes on serving what it may; restoring the verb lets it converge without a restart.
 */
class LeastPrivilegeIT extends RealServerTest {
    static final String CLUSTER_ROLE = "secretsync-operator";

    LeastPrivilegeIT() {
        expectForbidden(); // the 403s are this class's subject
    }

    @Test
    void withoutCreateOnSecretsThePolicyReportsTheForbiddenWriteAndConvergesOnceTheVerbIsBack() {
        admin.namespaces().resource(Fixtures.namespace("priv-src")).create();
        admin.namespaces().resource(Fixtures.namespace("priv-a", "priv=yes")).create();
        admin.secrets().inNamespace("priv-src").resource(Fixtures.opaque("priv-src", "reg", "v1")).create();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("priv",
                Fixtures.spec("priv-src", List.of("reg"), null, null, Fixtures.selector("priv=yes")))).create();
        awaitReason("priv", "Synced");

        List<String> shipped = secretVerbs();
        assertThat(shipped).contains("create");
        setSecretVerbs(shipped.stream().filter(v -> !v.equals("create")).toList());
        long mark = cluster.audit().mark();

        // a namespace starts matching: the replica there needs a create, which is now refused
        admin.namespaces().resource(Fixtures.namespace("priv-b", "priv=yes")).create();

        Condition ready = awaitReason("priv", "PartiallySynced");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).as("the Ready message a user reads with kubectl describe").contains(
                "1 replica not in sync (first: priv-b/reg: WriteFailed)",
                "permission denied (HTTP 403) at priv-b/reg",
                "system:serviceaccount:secretsync-system:secretsync-operator may not create secrets in namespace priv-b",
                "grant that verb to the operator's ServiceAccount in its ClusterRole");
        SecretSyncPolicy p = policy("priv");
        assertThat(p.getStatus().getFailedReplicas()).isEqualTo(1);
        assertThat(p.getStatus().getSyncedReplicas()).as("the replica it may keep").isEqualTo(1);
        ReplicaFailure failure = p.getStatus().getFailures().get(0);
        assertThat(failure.getNamespace()).isEqualTo("priv-b");
        assertThat(failure.getSecret()).isEqualTo("reg");
        assertThat(failure.getReason()).isEqualTo("WriteFailed");
        assertThat(failure.getMessage()).startsWith("create of Secret priv-b/reg failed: HTTP 403 Forbidden: ");
        await("a Warning event WriteFailed on the policy").atMost(CONVERGE).until(() -> warnings("priv").stream()
                .anyMatch(e -> "WriteFailed".equals(e.getReason()) && e.getMessage().contains("HTTP 403")));

        // the refusal really came from the authorizer, and the operator keeps running and serving
        assertThat(cluster.audit().since(mark)).anyMatch(e -> e.user().equals(ShippedOperator.USER)
                && e.code() == 403 && e.verb().equals("create") && e.resource().equals("secrets")
                && e.namespace().equals("priv-b"));
        assertThat(operator.process().isAlive()).as("operator process alive; see %s", operator.log()).isTrue();
        assertThat(operator.get("/q/health/live")).isEqualTo(200);
        assertThat(operator.get("/q/health/ready")).isEqualTo(200);
        assertThat(admin.secrets().inNamespace("priv-a").withName("reg").get()).as("the replica it could write")
                .isNotNull();
        // retried with backoff, not in a hot loop: a handful of attempts over 10 s
        long before = cluster.audit().mark();
        await("at most 6 refused requests in 10 s (backoff from 2 s, doubling)").during(Duration.ofSeconds(10))
                .atMost(Duration.ofSeconds(12)).until(() -> cluster.audit().since(before).stream()
                        .filter(e -> e.user().equals(ShippedOperator.USER) && e.code() == 403).count() <= 6
                        && operator.process().isAlive());

        setSecretVerbs(shipped);
        awaitReason("priv", "Synced");
        assertThat(replicas("priv")).extracting(s -> s.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("priv-a", "priv-b");
        assertThat(policy("priv").getStatus().getFailures()).isNullOrEmpty();
        assertThat(ready("priv").getMessage()).doesNotContain("403");
        assertThat(operator.process().isAlive()).isTrue();
    }

    @Test
    void withoutUpdateOnServiceAccountsTheReplicaIsWrittenTheReferenceReportedAndAddedOnceTheVerbIsBack() {
        admin.namespaces().resource(Fixtures.namespace("priv-sa-src")).create();
        admin.namespaces().resource(Fixtures.namespace("priv-sa")).create();
        admin.secrets().inNamespace("priv-sa-src").resource(Fixtures.opaque("priv-sa-src", "pull", "v1")).create();
        await("the default ServiceAccount (controller manager)").atMost(CONVERGE)
                .until(() -> admin.serviceAccounts().inNamespace("priv-sa").withName("default").get() != null);
        List<String> shipped = verbs("serviceaccounts");
        assertThat(shipped).contains("update");
        setVerbs("serviceaccounts", shipped.stream().filter(v -> !v.equals("update")).toList());

        SecretSyncPolicySpec spec = Fixtures.spec("priv-sa-src", List.of("pull"), null, List.of("priv-sa"), null);
        ImagePullSecretsSpec pull = new ImagePullSecretsSpec();
        pull.setServiceAccounts(List.of("default"));
        spec.setImagePullSecrets(pull);
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("priv-sa", spec)).create();

        Condition ready = awaitReason("priv-sa", "PartiallySynced");
        assertThat(ready.getMessage()).contains("(first: priv-sa/pull: ServiceAccountUpdateFailed)",
                "permission denied (HTTP 403) at priv-sa/pull: ServiceAccount priv-sa/default: update failed: HTTP 403",
                "may not update serviceaccounts in namespace priv-sa",
                "grant that verb to the operator's ServiceAccount in its ClusterRole");
        assertThat(admin.secrets().inNamespace("priv-sa").withName("pull").get()).as("the replica itself").isNotNull();
        assertThat(admin.serviceAccounts().inNamespace("priv-sa").withName("default").get().getImagePullSecrets())
                .isNullOrEmpty();
        assertThat(operator.process().isAlive()).isTrue();
        assertThat(operator.get("/q/health/ready")).isEqualTo(200);

        setVerbs("serviceaccounts", shipped);
        awaitReason("priv-sa", "Synced");
        assertThat(admin.serviceAccounts().inNamespace("priv-sa").withName("default").get().getImagePullSecrets())
                .extracting(r -> r.getName()).containsExactly("pull");
    }

    private List<String> secretVerbs() {
        return verbs("secrets");
    }

    private void setSecretVerbs(List<String> verbs) {
        setVerbs("secrets", verbs);
    }

    private List<String> verbs(String resource) {
        return rule(admin.rbac().clusterRoles().withName(CLUSTER_ROLE).get(), resource).getVerbs();
    }

    private void setVerbs(String resource, List<String> verbs) {
        admin.rbac().clusterRoles().withName(CLUSTER_ROLE).edit(role -> {
            rule(role, resource).setVerbs(new ArrayList<>(verbs));
            return role;
        });
    }

    private static PolicyRule rule(ClusterRole role, String resource) {
        return role.getRules().stream().filter(r -> r.getResources().equals(List.of(resource))).findFirst()
                .orElseThrow();
    }

    private List<Event> warnings(String policy) {
        return admin.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> policy.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())).toList();
    }
}
