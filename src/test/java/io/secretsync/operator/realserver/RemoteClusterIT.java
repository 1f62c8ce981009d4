package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.sync.PullSecretPlanner;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * SecretSyncClusters on two real API servers (contract section 7): the packaged operator on cluster
 * L, a remote cluster R reached through a kubeconfig of a ServiceAccount token (TokenRequest) bound
 * to the shipped remote ClusterRole (examples/remote-cluster-rbac.yaml). Connected with R's version;
 * Unreachable while R's API server is down and Connected again after; Unauthorized for a token
 * without RBAC, probed with backoff (R's audit log); exec and insecure-TLS kubeconfigs refused, the
 * exec command never run; deletion releases this origin's replicas in R per their recorded
 * deletionPolicy and waits while R is down. No token in the operator's log, Events or statuses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteClusterIT extends RealServerTest {
    private static final String REMOTE_NS = RemoteAccess.REMOTE_NS;
    private static final String REMOTE_SA = RemoteAccess.REMOTE_SA;
    private static final Duration UNREACHABLE_WITHIN = Duration.ofSeconds(60);
    private RealCluster remote;
    private RemoteAccess access;

    /** Probes every 10 s (the default is 30 s) so that the class runs in about a minute and a half. */
    @Override
    protected List<String> operatorOptions() {
        return List.of("-Dsecretsync.remote.probe-interval=10s");
    }

    @BeforeAll
    void startRemote() {
        remote = RealCluster.start("remoteclusterit-r");
        access = new RemoteAccess(remote);
        remote.admin().serviceAccounts().inNamespace(REMOTE_NS).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("no-rbac").endMetadata().build()).create();
    }

    @AfterAll
    void stopRemote() {
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    @Order(1)
    void connectedWithTheServersVersionThenUnreachableWhileItIsDownThenConnectedAgain() {
        register("r", kubeconfigOf(REMOTE_SA));
        Condition ready = awaitCluster("r", "Connected");
        assertThat(ready.getStatus()).isEqualTo("True");
        SecretSyncCluster r = cluster("r");
        assertThat(r.getStatus().getServerVersion()).startsWith("v1.20.2");
        assertThat(r.getMetadata().getFinalizers()).contains("secretsync.io/finalizer");

        remote.stopComponent("apiserver");
        long stopped = System.nanoTime();
        ready = awaitCluster("r", "Unreachable", UNREACHABLE_WITHIN);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains("cannot reach " + remote.apiUrl()).contains("retries");
        assertThat(cluster("r").getStatus().getServerVersion()).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(UNREACHABLE_WITHIN);

        remote.startComponent("apiserver");
        assertThat(awaitCluster("r", "Connected").getStatus()).isEqualTo("True");
    }

    @Test
    @Order(2)
    void aTokenWithoutRbacIsUnauthorizedAndProbedWithBackoff() {
        long mark = remote.audit().mark();
        register("norbac", kubeconfigOf("no-rbac"));
        Condition ready = awaitCluster("norbac", "Unauthorized");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains("HTTP 403").contains("list Secrets").contains("ClusterRole");
        String user = "system:serviceaccount:" + REMOTE_NS + ":no-rbac";
        // three probes: the first, then after 5 s and 10 s of backoff; never a burst in between
        await("three probes of the unauthorized cluster").atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> versionProbes(mark, user).size() >= 3);
        List<AuditLog.Entry> requests = remote.audit().since(mark).stream().filter(AuditLog.by(user)).toList();
        int probes = versionProbes(mark, user).size();
        assertThat(requests).as("requests per probe: /version and the refused list").hasSizeLessThanOrEqualTo(2 * probes);
        assertThat(requests.stream().filter(e -> e.code() == 403)).as("refused requests").hasSizeLessThanOrEqualTo(probes);
        assertThat(probes).as("probes while the backoff is 5 s, then 10 s").isLessThanOrEqualTo(4);
    }

    private List<AuditLog.Entry> versionProbes(long mark, String user) {
        return remote.audit().since(mark).stream().filter(AuditLog.by(user))
                .filter(e -> e.uri().startsWith("/version")).toList();
    }

    @Test
    @Order(3)
    void anExecKubeconfigIsRefusedAndItsCommandNeverRuns() throws IOException {
        Path proof = Files.createTempDirectory(RealCluster.BASEDIR.resolve("target"), "exec-proof").resolve("ran");
        String kubeconfig = kubeconfigOf(REMOTE_SA).replaceFirst("(?m)^(\\s+)token: .*$",
                "$1exec:\n$1  apiVersion: client.authentication.k8s.io/v1beta1\n$1  command: /bin/sh\n"
                        + "$1  args: [\"-c\", \"touch " + proof + "\"]");
        assertThat(kubeconfig).contains("exec:").doesNotContain("token: ey");
        register("exec", kubeconfig);
        Condition ready = awaitCluster("exec", "InvalidKubeconfig");
        assertThat(ready.getMessage()).contains("exec").contains("never runs a command");
        assertThat(proof).as("the file the exec command would have written").doesNotExist();
    }

    @Test
    @Order(4)
    void insecureSkipTlsVerifyIsRefused() {
        String kubeconfig = kubeconfigOf(REMOTE_SA).replaceFirst("(?m)^(\\s+)certificate-authority-data: .*$",
                "$1insecure-skip-tls-verify: true");
        register("insecure", kubeconfig);
        Condition ready = awaitCluster("insecure", "InvalidKubeconfig");
        assertThat(ready.getMessage()).contains("insecure-skip-tls-verify")
                .contains("secretsync.remote.allow-insecure-tls");
    }

    /**
     * Deleted while R is down: the finalizer stays and the status says why; when R is back, this
     * origin's replicas are released per their recorded deletionPolicy and another origin's are
     * left alone, and so are the imagePullSecrets references: this origin's policies' go, another
     * origin's and someone else's stay; then the SecretSyncCluster is gone.
     */
    @Test
    @Order(5)
    void deletionWaitsForTheClusterThenReleasesThisOriginsReplicas() {
        awaitCluster("r", "Connected");
        String origin = admin.namespaces().withName("kube-system").get().getMetadata().getUid();
        remote.admin().namespaces().resource(Fixtures.namespace("team-a")).create();
        remote.admin().secrets().inNamespace("team-a").resource(replica("deleted", origin, "Delete")).create();
        remote.admin().secrets().inNamespace("team-a").resource(replica("orphaned", origin, "Orphan")).create();
        remote.admin().secrets().inNamespace("team-a").resource(replica("foreign", "another-origin", "Delete")).create();
        await("team-a's default ServiceAccount created by R's controller manager").atMost(CONVERGE)
                .until(() -> remote.admin().serviceAccounts().inNamespace("team-a").withName("default").get() != null);
        UserEdits.retryOnConflict(() -> remote.admin().serviceAccounts().inNamespace("team-a").withName("default")
                .edit(sa -> new io.fabric8.kubernetes.api.model.ServiceAccountBuilder(sa).editMetadata()
                        .addToAnnotations(PullSecretPlanner.ANNOTATION, "p@" + origin + "/deleted,p@another-origin/foreign")
                        .endMetadata().withImagePullSecrets(new LocalObjectReference("deleted"),
                                new LocalObjectReference("foreign"), new LocalObjectReference("theirs"))
                        .build()));

        remote.stopComponent("apiserver");
        admin.resources(SecretSyncCluster.class).withName("r").delete();
        await("the deletion waits for the cluster; " + operator.log()).atMost(UNREACHABLE_WITHIN)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    Condition c = ready(cluster("r"));
                    return c != null && "False".equals(c.getStatus()) && c.getMessage().startsWith("being deleted");
                });
        assertThat(cluster("r").getMetadata().getFinalizers()).contains("secretsync.io/finalizer");

        remote.startComponent("apiserver");
        await("the SecretSyncCluster released and gone; " + operator.log()).atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(500)).until(() -> cluster("r") == null);
        assertThat(remote.admin().secrets().inNamespace("team-a").withName("deleted").get()).isNull();
        Secret orphaned = remote.admin().secrets().inNamespace("team-a").withName("orphaned").get();
        assertThat(orphaned).isNotNull();
        assertThat(orphaned.getMetadata().getLabels()).doesNotContainKey(ReplicaMetadata.MANAGED_BY_LABEL);
        assertThat(Fixtures.decode(orphaned.getData().get("value"))).isEqualTo("v1");
        Secret foreign = remote.admin().secrets().inNamespace("team-a").withName("foreign").get();
        assertThat(foreign.getMetadata().getLabels()).containsEntry(ReplicaMetadata.MANAGED_BY_LABEL,
                ReplicaMetadata.MANAGED_BY_VALUE);
        var sa = remote.admin().serviceAccounts().inNamespace("team-a").withName("default").get();
        assertThat(sa.getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("foreign", "theirs");
        assertThat(sa.getMetadata().getAnnotations()).containsEntry(PullSecretPlanner.ANNOTATION,
                "p@another-origin/foreign");
    }

    @Test
    @Order(6)
    void noTokenInTheOperatorsLogEventsOrStatuses() {
        assertThat(access.tokens()).hasSizeGreaterThanOrEqualTo(2);
        String log = operator.logText();
        StringBuilder visible = new StringBuilder();
        admin.resources(SecretSyncCluster.class).list().getItems()
                .forEach(c -> visible.append(Serialization.asJson(c.getStatus())).append('\n'));
        admin.events().v1().events().inAnyNamespace().list().getItems().stream().map(Event::getNote)
                .forEach(n -> visible.append(n).append('\n'));
        admin.v1().events().inAnyNamespace().list().getItems()
                .forEach(e -> visible.append(e.getMessage()).append('\n'));
        assertThat(visible).as("statuses of the SecretSyncClusters").contains("InvalidKubeconfig");
        for (String token : access.tokens()) {
            assertThat(log).as("the operator's log").doesNotContain(token);
            assertThat(visible.toString()).as("statuses and Events").doesNotContain(token);
            // a JWT's signature alone would be as bad
            assertThat(log).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
    }

    private Secret replica(String name, String origin, String deletionPolicy) {
        Secret s = Fixtures.opaque("team-a", name, "v1");
        s.getMetadata().setUid(null);
        s.getMetadata().setLabels(Map.of(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE,
                ReplicaMetadata.POLICY_LABEL, "p"));
        s.getMetadata().setAnnotations(Map.of(ReplicaMetadata.ORIGIN_ANNOTATION, origin,
                ReplicaMetadata.DELETION_POLICY_ANNOTATION, deletionPolicy,
                ReplicaMetadata.SOURCE_ANNOTATION, "src/" + name));
        return s;
    }

    private String kubeconfigOf(String serviceAccount) {
        return access.kubeconfigOf(REMOTE_NS, serviceAccount);
    }

    private void register(String name, String kubeconfig) {
        access.register(admin, name, Map.of("stage", "test"), kubeconfig);
    }

    private SecretSyncCluster cluster(String name) {
        return RemoteAccess.cluster(admin, name);
    }

    private static Condition ready(SecretSyncCluster c) {
        return RemoteAccess.ready(c);
    }

    private Condition awaitCluster(String name, String reason) {
        return awaitCluster(name, reason, CONVERGE);
    }

    private Condition awaitCluster(String name, String reason, Duration within) {
        return RemoteAccess.awaitCluster(admin, name, reason, operator, within);
    }
}
