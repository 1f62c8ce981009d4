package io.secretsync.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.Fixtures;

class PullSecretPlannerTest {
    static final String P = "creds-policy";

    static ServiceAccount sa(String ns, String name, String annotation, String... refs) {
        ServiceAccountBuilder b = new ServiceAccountBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .endMetadata();
        if (annotation != null) {
            b.editMetadata().addToAnnotations(PullSecretPlanner.ANNOTATION, annotation).endMetadata();
        }
        Arrays.stream(refs).forEach(r -> b.addToImagePullSecrets(new LocalObjectReference(r)));
        return b.build();
    }

    static Stream<Arguments> cases() {
        Map<String, Set<String>> wantDefault = Map.of("a", Set.of("default"));
        Map<String, Set<String>> replicaReg = Map.of("a", Set.of("reg"));
        return Stream.of(
                Arguments.of("adds a missing reference", wantDefault, replicaReg,
                        List.of(sa("a", "default", null)), List.of("a/default +[reg] -[]")),
                Arguments.of("never duplicates one that is there, ours or not", wantDefault, replicaReg,
                        List.of(sa("a", "default", null, "reg")), List.of()),
                Arguments.of("keeps references it did not add", wantDefault, replicaReg,
                        List.of(sa("a", "default", P + "/reg", "reg", "someone-elses")), List.of()),
                Arguments.of("removes ours when the replica goes", wantDefault, Map.of(),
                        List.of(sa("a", "default", P + "/reg", "reg", "someone-elses")), List.of("a/default +[] -[reg]")),
                Arguments.of("never removes one it did not add", wantDefault, Map.of(),
                        List.of(sa("a", "default", null, "reg")), List.of()),
                Arguments.of("ServiceAccount no longer wanted: ours removed", Map.of(), replicaReg,
                        List.of(sa("a", "default", P + "/reg", "reg")), List.of("a/default +[] -[reg]")),
                Arguments.of("another policy's entries are not ours", wantDefault, Map.of(),
                        List.of(sa("a", "default", "other/reg", "reg")), List.of()),
                Arguments.of("restores ours removed by hand", wantDefault, replicaReg,
                        List.of(sa("a", "default", P + "/reg")), List.of("a/default +[reg] -[]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plans(String name, Map<String, Set<String>> wanted, Map<String, Set<String>> replicas,
            List<ServiceAccount> observed, List<String> expected) {
        List<String> actual = new ArrayList<>();
        PullSecretPlanner.plan(P, wanted, replicas, observed)
                .forEach(c -> actual.add(c.namespace() + "/" + c.serviceAccount() + " +" + c.add() + " -" + c.remove()));
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void applyAddsOnceRecordsOwnershipAndRemovesOnlyOurs() {
        ServiceAccount sa = sa("a", "default", "other/x", "x", "mine-by-hand");
        assertThat(PullSecretPlanner.apply(P, new PullSecretPlanner.Change("a", "default", Set.of("reg"), Set.of()), sa))
                .isTrue();
        assertThat(sa.getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("x", "mine-by-hand", "reg");
        assertThat(sa.getMetadata().getAnnotations().get(PullSecretPlanner.ANNOTATION)).isEqualTo(P + "/reg,other/x");
        // applying the same change again changes nothing
        assertThat(PullSecretPlanner.apply(P, new PullSecretPlanner.Change("a", "default", Set.of("reg"), Set.of()), sa))
                .isFalse();
        // a removal of a name that is not ours leaves it
        PullSecretPlanner.apply(P, new PullSecretPlanner.Change("a", "default", Set.of(), Set.of("reg", "mine-by-hand")), sa);
        assertThat(sa.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("x", "mine-by-hand");
        assertThat(sa.getMetadata().getAnnotations().get(PullSecretPlanner.ANNOTATION)).isEqualTo("other/x");
    }

    @Test
    void wantedServiceAccountsAreTheListedOnesPlusWhatWorkloadsRunAs() {
        io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec ips = new io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec();
        ips.setServiceAccounts(List.of("deployer"));
        Map<String, Set<String>> workloads = Map.of("a", Set.of("kp-sa"), "b", Set.of("default"));
        assertThat(PullSecretPlanner.wantedServiceAccounts(ips, List.of("a", "c"), workloads))
                .isEqualTo(Map.of("a", Set.of("deployer"), "c", Set.of("deployer")));
        ips.setWorkloadServiceAccounts(true);
        assertThat(PullSecretPlanner.wantedServiceAccounts(ips, List.of("a", "c"), workloads))
                .isEqualTo(Map.of("a", Set.of("deployer", "kp-sa"), "c", Set.of("deployer")));
        assertThat(PullSecretPlanner.wantedServiceAccounts(null, List.of("a"), workloads)).isEmpty();
    }

    @Test
    void onlyReplicasThatAreInSyncAreReferenced() {
        var spec = io.secretsync.operator.testsupport.Fixtures.spec("src", List.of("one", "two"), null, List.of("a", "b"), null);
        Plan plan = SyncPlanner.plan(new SyncPlanner.Input(P, spec, List.of(io.secretsync.operator.testsupport.Fixtures.opaque("src", "one", "1"),
                io.secretsync.operator.testsupport.Fixtures.opaque("src", "two", "2")),
                List.of(io.secretsync.operator.testsupport.Fixtures.namespace("a"), io.secretsync.operator.testsupport.Fixtures.namespace("b")),
                Set.of(), List.of(), Map.of(), Set.of()));
        var failed = new io.secretsync.operator.crd.v1alpha1.ReplicaFailure("b", "two", "WriteFailed", "m");
        assertThat(PullSecretPlanner.replicasInSync(plan, List.of(failed)))
                .isEqualTo(Map.of("a", Set.of("one", "two"), "b", Set.of("one")));
    }

    @Test
    void theCacheIndexAndThePlannerReadTheAnnotationAlike() {
        // hand-edited: spaces around entries, an empty one, one without a policy
        ServiceAccount edited = sa("a", "default", " " + P + "/reg , other/x,, /orphan", "reg", "x");

        assertThat(PullSecretPlanner.policiesReferencedBy(edited)).containsExactlyInAnyOrder(P, "other");
        assertThat(PullSecretPlanner.carriesOurs(edited, P)).isTrue();
        assertThat(PullSecretPlanner.releaseAll(P, List.of(edited))).singleElement()
                .satisfies(c -> assertThat(c.remove()).containsExactly("reg"));
    }

    // ---- a remote cluster: the same planner per (cluster, namespace), entries owned by policy@origin

    static final String US = "origin-us";
    static final String OURS_THERE = P + "@" + US;

    record RemoteCase(String name, boolean pullSecrets, List<Secret> remoteReplicas, List<String> failedWrites,
            List<ServiceAccount> observed, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RemoteCase> remoteCases() {
        Secret ourA = RemoteClusterPlanningTest.replica(P, "team-a", US);
        Secret ourB = RemoteClusterPlanningTest.replica(P, "team-b", US);
        return Stream.of(
                new RemoteCase("adds each replica in sync to the named ServiceAccounts, keeping someone else's", true,
                        List.of(ourA, ourB), List.of(),
                        List.of(sa("team-a", "default", null, "theirs"), sa("team-b", "default", null)),
                        List.of("team-a/default +[a] -[]", "team-b/default +[a] -[]")),
                new RemoteCase("replicas created by this reconcile are referenced, a refused one is not", true,
                        List.of(), List.of("team-b/a"),
                        List.of(sa("team-a", "default", null), sa("team-b", "default", null)),
                        List.of("team-a/default +[a] -[]")),
                new RemoteCase("converged: nothing to write", true, List.of(ourA, ourB), List.of(),
                        List.of(sa("team-a", "default", OURS_THERE + "/a", "a"),
                                sa("team-b", "default", OURS_THERE + "/a", "theirs", "a")),
                        List.of()),
                new RemoteCase("a ServiceAccount not named is left alone", true, List.of(ourA, ourB), List.of(),
                        List.of(sa("team-a", "builder", null)), List.of()),
                new RemoteCase("another origin's replica there (a conflict) is not referenced; its entry stays", true,
                        List.of(RemoteClusterPlanningTest.replica(P, "team-a", "origin-them"), ourB), List.of(),
                        List.of(sa("team-a", "default", P + "@origin-them/a", "a"), sa("team-b", "default", null)),
                        List.of("team-b/default +[a] -[]")),
                new RemoteCase("a namespace no longer targeted: only our origin's entry is removed", true,
                        List.of(ourA, ourB), List.of(),
                        List.of(sa("gone", "default", OURS_THERE + "/a", "a"),
                                sa("gone-too", "default", P + "/a," + P + "@origin-them/a", "a")),
                        List.of("gone/default +[] -[a]")),
                new RemoteCase("imagePullSecrets removed from the policy: our references go, theirs stay", false,
                        List.of(ourA, ourB), List.of(),
                        List.of(sa("team-a", "default", OURS_THERE + "/a", "theirs", "a")),
                        List.of("team-a/default +[] -[a]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("remoteCases")
    void plansARemoteClustersServiceAccounts(RemoteCase c) {
        SecretSyncPolicySpec spec = Fixtures.spec(RemoteClusterPlanningTest.SRC, List.of("a"), null, null, null);
        spec.getTarget().setNamespaceSelector(new LabelSelectorBuilder().build());
        ImagePullSecretsSpec ips = new ImagePullSecretsSpec();
        ips.setServiceAccounts(List.of("default"));
        spec.setImagePullSecrets(c.pullSecrets() ? ips : null);
        SyncPlanner.Input local = new SyncPlanner.Input(P, spec, List.of(RemoteClusterPlanningTest.A),
                List.of(Fixtures.namespace(RemoteClusterPlanningTest.SRC)), Set.of(), List.of(), Map.of(),
                Set.of("kube-system"), Set.of(P));
        Plan plan = SyncPlanner.plan(local.inCluster(RemoteClusterPlanningTest.REMOTE_NS, c.remoteReplicas(),
                Map.of(), US));
        List<ReplicaFailure> failures = c.failedWrites().stream().map(k -> new ReplicaFailure(k.split("/")[0],
                k.split("/")[1], FailureReasons.WRITE_FAILED, "refused").inCluster("eu-1")).toList();

        List<String> actual = new ArrayList<>();
        PullSecretPlanner.planInCluster(PullSecretPlanner.owner(P, US), spec.getImagePullSecrets(), plan, failures,
                c.observed()).forEach(ch -> actual.add(ch.namespace() + "/" + ch.serviceAccount() + " +" + ch.add()
                        + " -" + ch.remove()));
        assertThat(actual).containsExactlyElementsOf(c.expected());
    }

    @Test
    void aRemoteEntryIsRecordedUnderPolicyAtOriginAndNeverReadAsThisClustersPolicy() {
        ServiceAccount sa = sa("team-a", "default", null, "theirs");
        String owner = PullSecretPlanner.owner(P, US);
        PullSecretPlanner.apply(owner, new PullSecretPlanner.Change("team-a", "default", Set.of("a"), Set.of()), sa);

        assertThat(sa.getMetadata().getAnnotations().get(PullSecretPlanner.ANNOTATION)).isEqualTo(P + "@" + US + "/a");
        assertThat(PullSecretPlanner.carriesOurs(sa, P)).isFalse();
        assertThat(PullSecretPlanner.policiesReferencedBy(sa)).containsExactly(owner);
        // an origin with characters the annotation's format uses cannot break it
        assertThat(PullSecretPlanner.owner(P, "a/b, c")).isEqualTo(P + "@a_b__c");
    }

    @Test
    void aClustersUnregistrationReleasesEveryEntryOfOurOriginOnly() {
        List<ServiceAccount> observed = List.of(
                sa("team-a", "default", OURS_THERE + "/a,other@" + US + "/b," + P + "@origin-them/a", "a", "b", "x"),
                sa("team-b", "deployer", P + "/a", "a"),
                sa("team-c", "default", "other@" + US + "/b", "b"));

        Map<String, List<PullSecretPlanner.Change>> release = PullSecretPlanner.releaseOrigin(US, observed);

        assertThat(release).containsOnlyKeys(OURS_THERE, "other@" + US);
        assertThat(release.get(OURS_THERE)).map(ch -> ch.namespace() + "/" + ch.serviceAccount() + " -" + ch.remove())
                .containsExactly("team-a/default -[a]");
        assertThat(release.get("other@" + US)).map(ch -> ch.namespace() + "/" + ch.serviceAccount() + " -" + ch.remove())
                .containsExactly("team-a/default -[b]", "team-c/default -[b]");
    }
}
