package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static io.secretsync.operator.realserver.UserEdits.retryOnConflict;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.secretsync.operator.tanzu.TanzuBuildServiceConvention;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.Kpack;

/**
 * The Tanzu Build Service "synced secrets" convention on a real cluster, as users meet it: the
 * operator starts before kpack is installed (its kinds are missing: no error, looked for again),
 * then kpack's CRDs appear, builds run in some namespaces, and a labelled docker-registry Secret in
 * {@code build-service} reaches those namespaces and the ServiceAccounts the builds run as.
 */
class TanzuConventionIT extends RealServerTest {
    private static final String POLICY = TanzuBuildServiceConvention.POLICY_NAME;

    @Override
    protected List<String> operatorOptions() {
        // what users set too: look for kinds installed later every 2 s instead of every 30 s
        return List.of("-Dsecretsync.legacy.enabled=true", "-Dsecretsync.missing-kind-recheck-interval=2s");
    }

    @Test
    void aLabelledRegistrySecretReachesEveryNamespaceWithBuildsInstalledAfterTheOperatorStarted() {
        await("the convention's policy created by the operator").atMost(CONVERGE).until(() -> policy(POLICY) != null);
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("builds.kpack.io").get())
                .as("kpack is not installed yet").isNull();

        admin.namespaces().resource(Fixtures.namespace("build-service")).create();
        admin.secrets().inNamespace("build-service").resource(registrySecret("registry-creds", "v1")).create();
        admin.secrets().inNamespace("build-service").resource(Fixtures.opaque("build-service", "not-a-registry",
                "x", TanzuBuildServiceConvention.SYNC_LABEL + "=true")).create();
        admin.secrets().inNamespace("build-service").resource(Fixtures.secret("build-service", "unlabelled",
                Fixtures.DOCKERCONFIGJSON, Map.of(".dockerconfigjson", dockerJson("other")))).create();
        for (String ns : List.of("team-a", "team-b", "no-builds")) {
            admin.namespaces().resource(Fixtures.namespace(ns)).create();
        }
        admin.serviceAccounts().inNamespace("team-b").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("kpack-builder").withNamespace("team-b").endMetadata().build()).create();

        // the convention's policy has looked for kpack's kinds and found them missing: no error
        await("the policy reports kpack's kinds as not installed").atMost(CONVERGE).until(() -> ready(POLICY) != null
                && ready(POLICY).getMessage().contains("not installed: kpack.io/v1alpha1/Build"));

        // kpack installed now, with the operator running; builds appear
        RealKpack.install(admin);
        Kpack.create(admin, Kpack.build("kpack.io/v1alpha2", "team-a", "app-build-1", null));
        Kpack.create(admin, Kpack.object("kpack.io/v1alpha2", "Image", "team-b", "app-image", "kpack-builder"));

        await("team-a and team-b get registry-creds, their build ServiceAccounts the reference; operator log "
                + operator.log()).atMost(CONVERGE).until(() -> replicaData("team-a", "v1") && replicaData("team-b", "v1")
                        && pullSecrets("team-a", "default").contains("registry-creds")
                        && pullSecrets("team-b", "kpack-builder").contains("registry-creds"));
        awaitReason(POLICY, "Synced");
        assertThat(replicas(POLICY)).extracting(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
                .containsExactlyInAnyOrder("team-a/registry-creds", "team-b/registry-creds");
        assertThat(replicas(POLICY)).allSatisfy(r -> assertThat(r.getType()).isEqualTo(Fixtures.DOCKERCONFIGJSON));
        assertThat(pullSecrets("team-a", "default")).containsExactly("registry-creds");
        assertThat(pullSecrets("team-b", "kpack-builder")).containsExactly("registry-creds");
        assertThat(pullSecrets("team-b", "default")).as("no build of team-b runs as default").isEmpty();
        assertThat(admin.secrets().inNamespace("no-builds").withName("registry-creds").get()).isNull();
        assertThat(ready(POLICY).getMessage()).as("the labelled Opaque Secret is named as not copied")
                .contains("not-a-registry");

        // a namespace's first Build: it gets the replica
        admin.namespaces().resource(Fixtures.namespace("team-c")).create();
        Kpack.create(admin, Kpack.build("kpack.io/v1alpha2", "team-c", "first", null));
        // the Secret updated: the change rolls out
        retryOnConflict(() -> admin.secrets().inNamespace("build-service").withName("registry-creds").edit(s -> {
            s.getData().put(".dockerconfigjson", Fixtures.b64(dockerJson("v2")));
            return s;
        }));
        await("v2 in team-a, team-b and team-c").atMost(CONVERGE).until(() -> replicaData("team-a", "v2")
                && replicaData("team-b", "v2") && replicaData("team-c", "v2")
                && pullSecrets("team-c", "default").contains("registry-creds"));

        // the label removed: the sync stops, replicas and references go
        retryOnConflict(() -> admin.secrets().inNamespace("build-service").withName("registry-creds").edit(s -> {
            s.getMetadata().getLabels().remove(TanzuBuildServiceConvention.SYNC_LABEL);
            return s;
        }));
        await("replicas and references removed").atMost(CONVERGE).until(() -> replicas(POLICY).isEmpty()
                && pullSecrets("team-a", "default").isEmpty() && pullSecrets("team-b", "kpack-builder").isEmpty()
                && pullSecrets("team-c", "default").isEmpty());
        assertThat(admin.secrets().inNamespace("build-service").withName("registry-creds").get())
                .as("the source itself").isNotNull();
    }

    private static String dockerJson(String password) {
        return "{\"auths\":{\"registry.example.com\":{\"username\":\"reader\",\"password\":\"" + password + "\"}}}";
    }

    private static Secret registrySecret(String name, String password) {
        return Fixtures.secret("build-service", name, Fixtures.DOCKERCONFIGJSON,
                Map.of(".dockerconfigjson", dockerJson(password)), TanzuBuildServiceConvention.SYNC_LABEL + "=true");
    }

    /** True when the namespace's replica of registry-creds carries the password. */
    private boolean replicaData(String namespace, String password) {
        Secret r = admin.secrets().inNamespace(namespace).withName("registry-creds").get();
        return r != null && Fixtures.decode(r.getData().get(".dockerconfigjson")).contains("\"" + password + "\"");
    }

    private List<String> pullSecrets(String namespace, String name) {
        ServiceAccount sa = admin.serviceAccounts().inNamespace(namespace).withName(name).get();
        return sa == null || sa.getImagePullSecrets() == null ? List.of()
                : sa.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
    }
}
