package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.ClusterSyncStatus;
import io.secretsync.operator.crd.v1alpha1.ClusterTargets;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * Policies writing into a remote cluster (contract section 7), on real API servers: the packaged
 * operator on cluster L, a remote cluster R registered as SecretSyncCluster "r" (stage=prod), and
 * for the two-origins case a second cluster L2 with its own operator, whose origin is its own
 * kube-system UID, pushing into the same R.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemotePoliciesIT extends RealServerTest {
    private static final String SRC = "rp-src";
    private RealCluster remote;
    private RemoteAccess access;

    @Override
    protected List<String> operatorOptions() {
        return List.of("-Dsecretsync.remote.probe-interval=5s", "-Dsecretsync.origin=origin-l");
    }

    @BeforeAll
    void startRemote() {
        remote = RealCluster.start("remotepoliciesit-r");
        access = new RemoteAccess(remote);
        access.register(admin, "r", Map.of("stage", "prod"));
        RemoteAccess.awaitCluster(admin, "r", "Connected", operator, CONVERGE);
        admin.namespaces().resource(Fixtures.namespace(SRC)).create();
        for (String s : List.of("creds", "ca", "roll", "tok", "del", "orph", "wait")) {
            admin.secrets().inNamespace(SRC).resource(Fixtures.opaque(SRC, s, "v1")).create();
        }
    }

    @AfterAll
    void stopRemote() {
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    @Order(1)
    void onePolicyKeepsReplicasRightInBothClusters() {
        createNamespaces(admin, "both-l", 2, "both=yes");
        createNamespaces(remote.admin(), "both-r", 2, "both=yes");
        create("both", "creds", Fixtures.selector("both=yes"), new ClusterTargets(null, List.of("r"), null));

        awaitReason("both", "Synced");
        SecretSyncPolicy p = policy("both");
        assertThat(p.getStatus().getTargetNamespaces()).isEqualTo(4);
        assertThat(p.getStatus().getSyncedReplicas()).isEqualTo(4);
        assertThat(p.getStatus().getClusters()).containsExactly(new ClusterSyncStatus("r", true, 2, 2, 0));
        assertThat(remoteReplicas("both")).hasSize(2).allSatisfy(r -> assertThat(r.getMetadata().getAnnotations())
                .containsEntry(ReplicaMetadata.ORIGIN_ANNOTATION, "origin-l"));
        assertThat(replicas("both")).hasSize(2).allSatisfy(r -> assertThat(r.getMetadata().getAnnotations())
                .doesNotContainKey(ReplicaMetadata.ORIGIN_ANNOTATION));

        // an update rolls out to both clusters
        updateSource("creds", "v2");
        await("v2 in both clusters; " + operator.log()).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> values(replicas("both")).equals(List.of("v2", "v2"))
                        && values(remoteReplicas("both")).equals(List.of("v2", "v2")));

        // a replica tampered with in the remote cluster is repaired
        Secret tampered = remote.admin().secrets().inNamespace("both-r-0").withName("creds").get();
        tampered.setData(Map.of("value", encode("evil")));
        remote.admin().secrets().inNamespace("both-r-0").resource(tampered).update();
        await("the tampered remote replica repaired").atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> "v2".equals(Fixtures.decode(remote.admin().secrets().inNamespace("both-r-0")
                        .withName("creds").get().getData().get("value"))));

        // a new namespace in the remote cluster is picked up
        createNamespaces(remote.admin(), "both-r-new", 1, "both=yes");
        await("the new remote namespace served").atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> remote.admin().secrets().inNamespace("both-r-new-0").withName("creds").get() != null);
        await("status counts the new namespace").atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> new ClusterSyncStatus("r", true, 3, 3, 0).equals(policy("both").getStatus().getClusters().get(0)));
    }

    @Test
    @Order(2)
    void aClusterSelectorChoosesClustersAndDroppingAClusterReleasesItsReplicas() {
        createNamespaces(remote.admin(), "sel-r", 2, "sel=yes");
        createNamespaces(admin, "sel-l", 1, "sel=yes");
        create("sel", "ca", Fixtures.selector("sel=yes"), new ClusterTargets(false, null,
                new LabelSelectorBuilder().addToMatchLabels("stage", "prod").build()));

        awaitReason("sel", "Synced");
        assertThat(replicas("sel")).as("this cluster is not selected (local: false)").isEmpty();
        assertThat(remoteReplicas("sel")).hasSize(2);
        assertThat(policy("sel").getStatus().getClusters()).extracting(ClusterSyncStatus::getName).containsExactly("r");

        // the selector no longer matches r, and this cluster is selected again
        SecretSyncPolicy p = policy("sel");
        p.getSpec().getTarget().setClusters(new ClusterTargets(true, null,
                new LabelSelectorBuilder().addToMatchLabels("stage", "dev").build()));
        admin.resources(SecretSyncPolicy.class).resource(p).update();
        await("the replicas in r released, this cluster served; " + operator.log()).atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> remoteReplicas("sel").isEmpty() && replicas("sel").size() == 1
                        && policy("sel").getStatus().getClusters() == null);
        awaitReason("sel", "Synced");
    }

    @Test
    @Order(3)
    void aRemoteClusterGoingAwayMidRolloutIsAFailureOfThatClusterOnly() {
        createNamespaces(remote.admin(), "roll-r", 40, "roll=yes");
        createNamespaces(admin, "roll-l", 2, "roll=yes");
        long mark = remote.audit().mark();
        create("roll", "roll", Fixtures.selector("roll=yes"), new ClusterTargets(null, List.of("r"), null));
        remote.stopComponent("apiserver");

        await("roll reports r unreachable; " + operator.log()).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> failures(admin, "roll").stream().anyMatch(f -> "r".equals(f.getCluster())
                        && "ClusterUnreachable".equals(f.getReason()) && f.getNamespace() == null));
        Condition ready = ready("roll");
        assertThat(ready.getReason()).isEqualTo("PartiallySynced");
        assertThat(ready.getMessage()).contains("cluster r");
        assertThat(replicas("roll")).as("this cluster is served meanwhile").hasSize(2);
        RemoteAccess.awaitCluster(admin, "r", "Unreachable", operator, CONVERGE);
        // another policy, of this cluster only, is served as usual
        create("local-only", "tok", Fixtures.selector("roll=yes"), null);
        awaitReason("local-only", "Synced");
        assertThat(replicas("local-only")).hasSize(2);

        remote.startComponent("apiserver");
        RemoteAccess.awaitCluster(admin, "r", "Connected", operator, CONVERGE);
        awaitReason("roll", "Synced");
        assertThat(remoteReplicas("roll")).hasSize(40);
        // no replica written twice: creates only, at most one per namespace (a create the cut
        // interrupted may be missing from the audit log, never repeated)
        Map<String, Long> writes = AuditLog.secretWrites(remote.audit().since(mark)).stream()
                .filter(e -> e.name().equals("roll"))
                .collect(Collectors.groupingBy(e -> e.verb() + " " + e.namespace(), Collectors.counting()));
        assertThat(writes).isNotEmpty().allSatisfy((k, n) -> {
            assertThat(k).startsWith("create ");
            assertThat(n).isEqualTo(1L);
        });
    }

    @Test
    @Order(4)
    void twoOriginsNeverTakeEachOthersReplicas() throws Exception {
        RealCluster second = RealCluster.start("remotepoliciesit-l2");
        try {
            ShippedOperator.install(second);
            KubernetesClient admin2 = second.admin();
            try (ShippedOperator.Process operator2 = ShippedOperator.start(ShippedOperator.kubeconfig(second),
                    "RemotePoliciesIT-l2", "-Dsecretsync.remote.probe-interval=5s").awaitReady()) {
                access.register(admin2, "r", Map.of());
                RemoteAccess.awaitCluster(admin2, "r", "Connected", operator2, CONVERGE);
                admin2.namespaces().resource(Fixtures.namespace(SRC)).create();
                admin2.secrets().inNamespace(SRC).resource(Fixtures.opaque(SRC, "shared", "from-l2")).create();
                admin.secrets().inNamespace(SRC).resource(Fixtures.opaque(SRC, "shared", "from-l")).create();
                createNamespaces(remote.admin(), "two", 2);

                // L's policy writes two-0 first
                create("x", "shared", null, new ClusterTargets(false, List.of("r"), null), List.of("two-0"));
                awaitReason("x", "Synced");
                // L2's policy of the same name wants two-0 and two-1: two-0 is L's
                SecretSyncPolicy x2 = policyObject("x", "shared", null, new ClusterTargets(false, List.of("r"), null),
                        List.of("two-0", "two-1"));
                admin2.resources(SecretSyncPolicy.class).resource(x2).create();
                await("L2's policy reports L's replica; " + operator2.log()).atMost(CONVERGE)
                        .pollInterval(Duration.ofMillis(250)).until(() -> failures(admin2, "x").stream()
                                .anyMatch(f -> "two-0".equals(f.getNamespace())
                                        && "OwnedByAnotherPolicy".equals(f.getReason())));
                // now L's policy wants two-1 too, which L2's holds
                SecretSyncPolicy x = policy("x");
                x.getSpec().getTarget().setNamespaces(List.of("two-0", "two-1"));
                admin.resources(SecretSyncPolicy.class).resource(x).update();
                await("L's policy reports L2's replica; " + operator.log()).atMost(CONVERGE)
                        .pollInterval(Duration.ofMillis(250)).until(() -> failures(admin, "x").stream()
                                .anyMatch(f -> "two-1".equals(f.getNamespace())
                                        && "OwnedByAnotherPolicy".equals(f.getReason())));
                Secret first = remote.admin().secrets().inNamespace("two-0").withName("shared").get();
                Secret second0 = remote.admin().secrets().inNamespace("two-1").withName("shared").get();
                assertThat(Fixtures.decode(first.getData().get("value"))).isEqualTo("from-l");
                assertThat(first.getMetadata().getAnnotations()).containsEntry(ReplicaMetadata.ORIGIN_ANNOTATION, "origin-l");
                assertThat(Fixtures.decode(second0.getData().get("value"))).isEqualTo("from-l2");
                assertThat(second0.getMetadata().getAnnotations().get(ReplicaMetadata.ORIGIN_ANNOTATION))
                        .isEqualTo(admin2.namespaces().withName("kube-system").get().getMetadata().getUid());
                // neither wrote the other's replica after its first write
                List<AuditLog.Entry> writes = AuditLog.secretWrites(remote.audit().entries()).stream()
                        .filter(e -> e.name().equals("shared")).toList();
                assertThat(writes).extracting(e -> e.verb() + " " + e.namespace())
                        .containsExactlyInAnyOrder("create two-0", "create two-1");
                admin2.resources(SecretSyncPolicy.class).withName("x").delete();
                await("L2's policy released").atMost(CONVERGE).until(
                        () -> admin2.resources(SecretSyncPolicy.class).withName("x").get() == null);
                assertThat(remote.admin().secrets().inNamespace("two-0").withName("shared").get())
                        .as("L's replica survives L2's release").isNotNull();
            }
        } finally {
            second.close();
        }
    }

    @Test
    @Order(5)
    void deletionReleasesRemoteReplicasAndWaitsForAClusterThatIsAway() {
        createNamespaces(remote.admin(), "del-r", 2, "del=yes");
        create("del", "del", Fixtures.selector("del=yes"), new ClusterTargets(false, List.of("r"), null));
        SecretSyncPolicy orph = policyObject("orph", "orph", Fixtures.selector("del=yes"),
                new ClusterTargets(false, List.of("r"), null), null);
        orph.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
        admin.resources(SecretSyncPolicy.class).resource(orph).create();
        create("wait", "wait", Fixtures.selector("del=yes"), new ClusterTargets(false, List.of("r"), null));
        for (String p : List.of("del", "orph", "wait")) {
            awaitReason(p, "Synced");
        }

        admin.resources(SecretSyncPolicy.class).withName("del").delete();
        admin.resources(SecretSyncPolicy.class).withName("orph").delete();
        await("del and orph released").atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> policy("del") == null && policy("orph") == null);
        assertThat(remote.admin().secrets().inNamespace("del-r-0").withName("del").get()).isNull();
        Secret orphaned = remote.admin().secrets().inNamespace("del-r-0").withName("orph").get();
        assertThat(orphaned.getMetadata().getLabels()).doesNotContainKey(ReplicaMetadata.MANAGED_BY_LABEL);

        remote.stopComponent("apiserver");
        RemoteAccess.awaitCluster(admin, "r", "Unreachable", operator, CONVERGE);
        admin.resources(SecretSyncPolicy.class).withName("wait").delete();
        await("the deletion waits and says so; " + operator.log()).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    Condition c = ready("wait");
                    return c != null && c.getMessage().startsWith("being deleted") && c.getMessage().contains("cluster r");
                });
        assertThat(policy("wait").getMetadata().getFinalizers()).isNotEmpty();
        remote.startComponent("apiserver");
        await("released once r is back; " + operator.log()).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(() -> policy("wait") == null);
        assertThat(remote.admin().secrets().inNamespace("del-r-0").withName("wait").get()).isNull();
    }

    private void create(String name, String source, io.fabric8.kubernetes.api.model.LabelSelector selector,
            ClusterTargets clusters) {
        admin.resources(SecretSyncPolicy.class).resource(policyObject(name, source, selector, clusters, null)).create();
    }

    private void create(String name, String source, io.fabric8.kubernetes.api.model.LabelSelector selector,
            ClusterTargets clusters, List<String> namespaces) {
        admin.resources(SecretSyncPolicy.class).resource(policyObject(name, source, selector, clusters, namespaces))
                .create();
    }

    private static SecretSyncPolicy policyObject(String name, String source,
            io.fabric8.kubernetes.api.model.LabelSelector selector, ClusterTargets clusters, List<String> namespaces) {
        SecretSyncPolicySpec spec = Fixtures.spec(SRC, List.of(source), null, namespaces, selector);
        spec.getTarget().setClusters(clusters);
        return Fixtures.policy(name, spec);
    }

    private void updateSource(String name, String value) {
        Secret s = admin.secrets().inNamespace(SRC).withName(name).get();
        s.setData(Map.of("value", encode(value)));
        admin.secrets().inNamespace(SRC).resource(s).update();
    }

    private List<Secret> remoteReplicas(String policy) {
        return remote.admin().secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, policy).list()
                .getItems();
    }

    private static List<String> values(List<Secret> secrets) {
        return secrets.stream().map(s -> Fixtures.decode(s.getData().get("value"))).toList();
    }

    private static List<ReplicaFailure> failures(KubernetesClient client, String policy) {
        SecretSyncPolicy p = client.resources(SecretSyncPolicy.class).withName(policy).get();
        return p == null || p.getStatus() == null || p.getStatus().getFailures() == null ? List.of()
                : p.getStatus().getFailures();
    }

    private static void createNamespaces(KubernetesClient client, String prefix, int count, String... labels) {
        for (int i = 0; i < count; i++) {
            client.namespaces().resource(Fixtures.namespace(prefix + "-" + i, labels)).create();
        }
    }

    private static String encode(String value) {
        return java.util.Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
