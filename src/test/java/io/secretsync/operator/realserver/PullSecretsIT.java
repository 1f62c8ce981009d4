package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static io.secretsync.operator.realserver.UserEdits.retryOnConflict;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.TargetSpec;
import io.secretsync.operator.sync.PullSecretPlanner;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.Kpack;

/**
 * imagePullSecrets on a real cluster: the {@code default} ServiceAccount is created by the
 * controller manager, whose token controller then updates it (its {@code secrets}), so the
 * operator's first write may carry a stale resourceVersion and be answered 409; it must still
 * converge, add its reference once, and keep references others added.
 */
class PullSecretsIT extends RealServerTest {
    private static final String DOCKER_JSON = "{\"auths\":{\"registry.example.com\":{\"auth\":\"cmVhZGVyOnJv\"}}}";

    @Test
    void theDefaultServiceAccountsTheControllerManagerCreatesGetTheReferenceOnceAndLoseItWithTheReplica() {
        admin.namespaces().resource(Fixtures.namespace("pull-src")).create();
        admin.secrets().inNamespace("pull-src").resource(registrySecret("pull-src", "regcred")).create();
        admin.namespaces().resource(Fixtures.namespace("pull-a", "pulls=yes")).create();
        admin.namespaces().resource(Fixtures.namespace("pull-b", "pulls=yes")).create();
        // someone else's reference on pull-a's default ServiceAccount, which the operator must keep
        awaitServiceAccount("pull-a", "default");
        retryOnConflict(() -> admin.serviceAccounts().inNamespace("pull-a").withName("default").edit(sa -> {
            List<LocalObjectReference> refs = new ArrayList<>(
                    sa.getImagePullSecrets() == null ? List.of() : sa.getImagePullSecrets());
            refs.add(new LocalObjectReference("their-pull-secret"));
            sa.setImagePullSecrets(refs);
            return sa;
        }));

        SecretSyncPolicySpec spec = Fixtures.spec("pull-src", List.of("regcred"), null, null,
                Fixtures.selector("pulls=yes"));
        ImagePullSecretsSpec pulls = new ImagePullSecretsSpec();
        pulls.setServiceAccounts(List.of("default"));
        spec.setImagePullSecrets(pulls);
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("pulls", spec)).create();
        // a namespace created now: its default ServiceAccount appears and is updated by the token
        // controller while the operator writes the replica and the reference
        admin.namespaces().resource(Fixtures.namespace("pull-c", "pulls=yes")).create();

        await("every default ServiceAccount refers to regcred").atMost(CONVERGE).until(() -> List
                .of("pull-a", "pull-b", "pull-c").stream().allMatch(ns -> pullSecrets(ns, "default").contains("regcred")));
        awaitReason("pulls", "Synced");
        assertThat(pullSecrets("pull-a", "default")).containsExactlyInAnyOrder("their-pull-secret", "regcred");
        assertThat(pullSecrets("pull-b", "default")).containsExactly("regcred");
        assertThat(pullSecrets("pull-c", "default")).containsExactly("regcred");
        assertThat(annotation("pull-c", "default")).isEqualTo("pulls/regcred");
        assertThat(policy("pulls").getStatus().getSyncedReplicas()).isEqualTo(3);
        assertThat(policy("pulls").getStatus().getFailures()).isNullOrEmpty();
        // the token controller has done its update on the new namespace's ServiceAccount too
        // (its secrets list), and our reference survived it
        assertThat(admin.serviceAccounts().inNamespace("pull-c").withName("default").get().getSecrets())
                .isNotEmpty();

        // pull-a stops matching: its replica and our reference go, the other reference stays
        retryOnConflict(() -> admin.namespaces().withName("pull-a").edit(ns -> {
            Map<String, String> labels = new HashMap<>(ns.getMetadata().getLabels());
            labels.remove("pulls");
            ns.getMetadata().setLabels(labels);
            return ns;
        }));
        await("pull-a released").atMost(CONVERGE).until(() -> admin.secrets().inNamespace("pull-a")
                .withName("regcred").get() == null && !pullSecrets("pull-a", "default").contains("regcred"));
        assertThat(pullSecrets("pull-a", "default")).containsExactly("their-pull-secret");
        assertThat(pullSecrets("pull-b", "default")).containsExactly("regcred");

        // pull-b deleted: the controller manager deletes its Secrets and ServiceAccounts under the
        // operator's feet; no failure may stay behind and the policy counts what is left
        admin.namespaces().withName("pull-b").delete();
        await("pull-b deleted by the controller manager").atMost(CONVERGE)
                .until(() -> admin.namespaces().withName("pull-b").get() == null);
        await("pulls counts pull-c only, without failures").atMost(CONVERGE).until(() -> {
            SecretSyncPolicy p = policy("pulls");
            return p.getStatus() != null && Integer.valueOf(1).equals(p.getStatus().getSyncedReplicas())
                    && Integer.valueOf(0).equals(p.getStatus().getFailedReplicas());
        });
        assertThat(awaitReason("pulls", "Synced").getStatus()).isEqualTo("True");
        assertThat(policy("pulls").getStatus().getFailures()).isNullOrEmpty();
        assertThat(pullSecrets("pull-c", "default")).containsExactly("regcred");
    }

    @Test
    void theServiceAccountsBuildsRunAsGetTheReference() {
        RealKpack.install(admin);
        admin.namespaces().resource(Fixtures.namespace("work-src")).create();
        admin.secrets().inNamespace("work-src").resource(registrySecret("work-src", "builder-cred")).create();
        admin.namespaces().resource(Fixtures.namespace("work-a")).create();
        admin.namespaces().resource(Fixtures.namespace("work-b")).create();
        admin.namespaces().resource(Fixtures.namespace("work-none")).create();
        admin.serviceAccounts().inNamespace("work-a").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("builder").withNamespace("work-a").endMetadata().build()).create();
        Kpack.create(admin, Kpack.build("kpack.io/v1alpha2", "work-a", "app-1", "builder"));
        Kpack.create(admin, Kpack.build("kpack.io/v1alpha2", "work-b", "app-2", null));

        SecretSyncPolicySpec spec = Fixtures.spec("work-src", List.of("builder-cred"), null, null, null);
        spec.setTarget(new TargetSpec(null, null, List.of(new ResourceKind("kpack.io/v1alpha2", "Build")), null));
        ImagePullSecretsSpec pulls = new ImagePullSecretsSpec();
        pulls.setWorkloadServiceAccounts(true);
        spec.setImagePullSecrets(pulls);
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("workloads", spec)).create();

        await("builder in work-a and default in work-b refer to builder-cred").atMost(CONVERGE)
                .until(() -> pullSecrets("work-a", "builder").contains("builder-cred")
                        && pullSecrets("work-b", "default").contains("builder-cred"));
        awaitReason("workloads", "Synced");
        assertThat(replicas("workloads")).extracting(s -> s.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("work-a", "work-b");
        assertThat(pullSecrets("work-a", "builder")).containsExactly("builder-cred");
        assertThat(pullSecrets("work-a", "default")).as("no Build runs as default in work-a").isEmpty();
        assertThat(pullSecrets("work-b", "default")).containsExactly("builder-cred");

        // the last Build of work-b goes: its replica and the reference go
        Kpack.delete(admin, "kpack.io/v1alpha2", "Build", "work-b", "app-2");
        await("work-b released").atMost(CONVERGE).until(() -> admin.secrets().inNamespace("work-b")
                .withName("builder-cred").get() == null && pullSecrets("work-b", "default").isEmpty());
        assertThat(pullSecrets("work-a", "builder")).containsExactly("builder-cred");
    }

    @Test
    void serviceAccountsAnotherClientKeepsEditingGetOurReferenceOnceAndKeepTheirChanges() throws Exception {
        admin.namespaces().resource(Fixtures.namespace("race-src")).create();
        admin.secrets().inNamespace("race-src").resource(registrySecret("race-src", "race-cred")).create();
        List<String> namespaces = java.util.stream.IntStream.range(0, 6).mapToObj(i -> "race-" + i).toList();
        namespaces.forEach(ns -> admin.namespaces().resource(Fixtures.namespace(ns, "race=yes")).create());
        namespaces.forEach(ns -> awaitServiceAccount(ns, "default"));
        long mark = cluster.audit().mark();

        // another client (and the controller manager's token controller) keeps writing the same
        // ServiceAccounts while the operator adds its reference: its writes with a resourceVersion
        // read before ours land answer 409, and it must read again, not lose either change
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger otherEdits = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.Future<?> writer = other.submit(() -> {
            while (!stop.get()) {
                for (String ns : namespaces) {
                    retryOnConflict(() -> admin.serviceAccounts().inNamespace(ns).withName("default").edit(sa -> {
                        List<LocalObjectReference> refs = new ArrayList<>(
                                sa.getImagePullSecrets() == null ? List.of() : sa.getImagePullSecrets());
                        if (refs.stream().noneMatch(r -> "theirs".equals(r.getName()))) {
                            refs.add(new LocalObjectReference("theirs"));
                        }
                        sa.setImagePullSecrets(refs);
                        Map<String, String> annotations = new HashMap<>(sa.getMetadata().getAnnotations() == null
                                ? Map.of() : sa.getMetadata().getAnnotations());
                        annotations.put("example.com/touched", String.valueOf(otherEdits.incrementAndGet()));
                        sa.getMetadata().setAnnotations(annotations);
                        return sa;
                    }));
                }
            }
        });
        try {
            SecretSyncPolicySpec spec = Fixtures.spec("race-src", List.of("race-cred"), null, null,
                    Fixtures.selector("race=yes"));
            ImagePullSecretsSpec pulls = new ImagePullSecretsSpec();
            pulls.setServiceAccounts(List.of("default"));
            spec.setImagePullSecrets(pulls);
            admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("race", spec)).create();
            await("every default ServiceAccount refers to race-cred").atMost(CONVERGE).until(() -> namespaces
                    .stream().allMatch(ns -> pullSecrets(ns, "default").contains("race-cred")));
        } finally {
            stop.set(true);
            writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            other.shutdown();
        }
        awaitReason("race", "Synced");
        for (String ns : namespaces) {
            assertThat(pullSecrets(ns, "default")).as(ns).containsExactlyInAnyOrder("theirs", "race-cred");
            assertThat(admin.serviceAccounts().inNamespace(ns).withName("default").get().getMetadata()
                    .getAnnotations()).as(ns).containsKey("example.com/touched");
        }
        assertThat(policy("race").getStatus().getFailures()).isNullOrEmpty();
        List<AuditLog.Entry> saUpdates = cluster.audit().since(mark).stream().filter(AuditLog.by(ShippedOperator.USER))
                .filter(e -> e.resource().equals("serviceaccounts") && e.verb().equals("update")).toList();
        System.out.printf("PullSecretsIT race: %d edits by the other client, operator ServiceAccount updates: %d"
                + " (%d answered 409)%n", otherEdits.get(), saUpdates.size(),
                saUpdates.stream().filter(e -> e.code() == 409).count());
    }

    private static io.fabric8.kubernetes.api.model.Secret registrySecret(String namespace, String name) {
        return Fixtures.secret(namespace, name, Fixtures.DOCKERCONFIGJSON, Map.of(".dockerconfigjson", DOCKER_JSON));
    }

    private void awaitServiceAccount(String namespace, String name) {
        await(namespace + "/" + name + " created by the controller manager").atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> admin.serviceAccounts().inNamespace(namespace).withName(name).get() != null);
    }

    /** The imagePullSecrets names of a ServiceAccount, in order, duplicates kept (empty when it is missing). */
    private List<String> pullSecrets(String namespace, String name) {
        ServiceAccount sa = admin.serviceAccounts().inNamespace(namespace).withName(name).get();
        return sa == null || sa.getImagePullSecrets() == null ? List.of()
                : sa.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
    }

    private String annotation(String namespace, String name) {
        ServiceAccount sa = admin.serviceAccounts().inNamespace(namespace).withName(name).get();
        return sa.getMetadata().getAnnotations() == null ? null
                : sa.getMetadata().getAnnotations().get(PullSecretPlanner.ANNOTATION);
    }
}
