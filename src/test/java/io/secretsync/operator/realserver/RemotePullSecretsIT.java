package io.secretsync.operator.realserver;

import static io.secretsync.operator.realserver.UserEdits.retryOnConflict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.secretsync.operator.crd.v1alpha1.ClusterTargets;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.sync.PullSecretPlanner;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * imagePullSecrets in a remote cluster (contract section 7), on real API servers: the packaged
 * operator on cluster L, a remote cluster R registered as SecretSyncCluster "r" with the shipped
 * remote-side RBAC (ServiceAccounts: get, list, watch, patch). R's controller manager creates the
 * {@code default} ServiceAccounts and updates them itself, as in a real cluster.
 */
class RemotePullSecretsIT extends RealServerTest {
    private static final String SRC = "rps-src";
    private static final String REMOTE_USER = "system:serviceaccount:" + RemoteAccess.REMOTE_NS + ":"
            + RemoteAccess.REMOTE_SA;
    private RealCluster remote;

    @Override
    protected List<String> operatorOptions() {
        return List.of("-Dsecretsync.remote.probe-interval=5s", "-Dsecretsync.origin=origin-l");
    }

    @BeforeAll
    void startRemote() {
        remote = RealCluster.start("remotepullsecretsit-r");
        new RemoteAccess(remote).register(admin, "r", Map.of());
        RemoteAccess.awaitCluster(admin, "r", "Connected", operator, CONVERGE);
        admin.namespaces().resource(Fixtures.namespace(SRC)).create();
        admin.secrets().inNamespace(SRC).resource(Fixtures.opaque(SRC, "regcred", "v1")).create();
    }

    @AfterAll
    void stopRemote() {
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void theRemoteDefaultServiceAccountsGetOurReferenceKeepTheirsAndLoseOursWithThePolicy() {
        long mark = remote.audit().mark();
        remote.admin().namespaces().resource(Fixtures.namespace("rps-a", "pulls=yes")).create();
        awaitRemoteServiceAccount("rps-a", "default");
        // someone else's reference, which the operator must keep
        retryOnConflict(() -> remote.admin().serviceAccounts().inNamespace("rps-a").withName("default").edit(sa -> {
            List<LocalObjectReference> refs = new ArrayList<>(
                    sa.getImagePullSecrets() == null ? List.of() : sa.getImagePullSecrets());
            refs.add(new LocalObjectReference("their-pull-secret"));
            sa.setImagePullSecrets(refs);
            return sa;
        }));

        SecretSyncPolicySpec spec = Fixtures.spec(SRC, List.of("regcred"), null, null, Fixtures.selector("pulls=yes"));
        spec.getTarget().setClusters(new ClusterTargets(false, List.of("r"), null));
        ImagePullSecretsSpec pulls = new ImagePullSecretsSpec();
        pulls.setServiceAccounts(List.of("default"));
        spec.setImagePullSecrets(pulls);
        spec.setDeletionPolicy(DeletionPolicy.Delete);
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("rpulls", spec)).create();

        await("rps-a's default ServiceAccount in r refers to regcred; " + operator.log()).atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(250)).until(() -> remotePullSecrets("rps-a").contains("regcred"));
        assertThat(remotePullSecrets("rps-a")).containsExactlyInAnyOrder("their-pull-secret", "regcred");
        assertThat(remoteAnnotation("rps-a")).as("recorded as this origin's policy")
                .isEqualTo("rpulls@origin-l/regcred");

        // a namespace created in r now: its default ServiceAccount appears and gets the reference
        remote.admin().namespaces().resource(Fixtures.namespace("rps-b", "pulls=yes")).create();
        await("rps-b's default ServiceAccount in r refers to regcred; " + operator.log()).atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(250)).until(() -> remotePullSecrets("rps-b").contains("regcred"));
        awaitReason("rpulls", "Synced");
        assertThat(remotePullSecrets("rps-b")).containsExactly("regcred");
        assertThat(policy("rpulls").getStatus().getFailures()).isNullOrEmpty();
        assertThat(replicas("rpulls")).as("this cluster is not selected").isEmpty();
        assertThat(admin.serviceAccounts().inAnyNamespace().list().getItems()).as("this cluster's ServiceAccounts")
                .allSatisfy(sa -> assertThat(sa.getMetadata().getAnnotations() == null ? Map.of()
                        : sa.getMetadata().getAnnotations()).doesNotContainKey(PullSecretPlanner.ANNOTATION));

        // deleted with deletionPolicy Delete: the replicas go, and our references; theirs stay
        admin.resources(SecretSyncPolicy.class).withName("rpulls").delete();
        await("rpulls released; " + operator.log()).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> policy("rpulls") == null);
        assertThat(remotePullSecrets("rps-a")).containsExactly("their-pull-secret");
        assertThat(remotePullSecrets("rps-b")).isEmpty();
        assertThat(remoteAnnotation("rps-a")).isNull();
        assertThat(remoteAnnotation("rps-b")).isNull();
        assertThat(remote.admin().secrets().inNamespace("rps-a").withName("regcred").get()).isNull();
        assertThat(remote.admin().secrets().inNamespace("rps-b").withName("regcred").get()).isNull();

        // what the operator did to r's ServiceAccounts: reads and patches, all allowed by the remote ClusterRole
        List<AuditLog.Entry> requests = remote.audit().since(mark).stream().filter(AuditLog.by(REMOTE_USER)).toList();
        assertThat(AuditLog.forbidden(requests)).as("requests r's authorizer refused").isEmpty();
        List<AuditLog.Entry> serviceAccountRequests = requests.stream()
                .filter(e -> e.resource().equals("serviceaccounts")).toList();
        assertThat(serviceAccountRequests).extracting(AuditLog.Entry::verb).isSubsetOf("get", "list", "watch", "patch")
                .contains("patch");
    }

    @Test
    void removingImagePullSecretsOrDroppingTheClusterRemovesOurReferenceThere() {
        remote.admin().namespaces().resource(Fixtures.namespace("rps-drop", "drop=yes")).create();
        awaitRemoteServiceAccount("rps-drop", "default");
        SecretSyncPolicySpec spec = Fixtures.spec(SRC, List.of("regcred"), null, null, Fixtures.selector("drop=yes"));
        spec.getTarget().setClusters(new ClusterTargets(false, List.of("r"), null));
        ImagePullSecretsSpec pulls = new ImagePullSecretsSpec();
        pulls.setServiceAccounts(List.of("default"));
        spec.setImagePullSecrets(pulls);
        spec.setDeletionPolicy(DeletionPolicy.Delete);
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("rdrop", spec)).create();
        await("rps-drop's default ServiceAccount in r refers to regcred; " + operator.log()).atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(250)).until(() -> remotePullSecrets("rps-drop").contains("regcred"));

        // imagePullSecrets removed from the policy: our reference goes, the replica stays
        SecretSyncPolicy p = policy("rdrop");
        p.getSpec().setImagePullSecrets(null);
        admin.resources(SecretSyncPolicy.class).resource(p).update();
        await("the reference removed; " + operator.log()).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> remotePullSecrets("rps-drop").isEmpty() && remoteAnnotation("rps-drop") == null);
        assertThat(remote.admin().secrets().inNamespace("rps-drop").withName("regcred").get()).isNotNull();

        // asked for again, then r dropped from the policy: the replica and our reference go
        SecretSyncPolicy again = policy("rdrop");
        again.getSpec().setImagePullSecrets(pulls);
        admin.resources(SecretSyncPolicy.class).resource(again).update();
        await("the reference back; " + operator.log()).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> remotePullSecrets("rps-drop").contains("regcred"));
        SecretSyncPolicy dropped = policy("rdrop");
        dropped.getSpec().getTarget().setClusters(new ClusterTargets(true, List.of(), null));
        admin.resources(SecretSyncPolicy.class).resource(dropped).update();
        await("r released; " + operator.log()).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> remotePullSecrets("rps-drop").isEmpty()
                        && remote.admin().secrets().inNamespace("rps-drop").withName("regcred").get() == null);
        assertThat(remoteAnnotation("rps-drop")).isNull();
        await("the policy no longer lists r").atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> policy("rdrop").getStatus().getClusters() == null);
    }

    private void awaitRemoteServiceAccount(String namespace, String name) {
        await(namespace + "/" + name + " created by r's controller manager").atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> remote.admin().serviceAccounts().inNamespace(namespace).withName(name).get() != null);
    }

    /** The imagePullSecrets names of r's default ServiceAccount in namespace, duplicates kept. */
    private List<String> remotePullSecrets(String namespace) {
        ServiceAccount sa = remote.admin().serviceAccounts().inNamespace(namespace).withName("default").get();
        return sa == null || sa.getImagePullSecrets() == null ? List.of()
                : sa.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
    }

    private String remoteAnnotation(String namespace) {
        ServiceAccount sa = remote.admin().serviceAccounts().inNamespace(namespace).withName("default").get();
        return sa.getMetadata().getAnnotations() == null ? null
                : sa.getMetadata().getAnnotations().get(PullSecretPlanner.ANNOTATION);
    }
}
