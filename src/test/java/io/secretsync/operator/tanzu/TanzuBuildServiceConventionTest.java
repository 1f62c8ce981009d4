package io.secretsync.operator.tanzu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.Kpack;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * Replays "Synced-Secrets in Tanzu Build Service" step by step: create the labelled
 * dockerconfigjson Secret in build-service, update it, remove the label, delete it.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestProfile(TanzuBuildServiceConventionTest.ConventionOn.class)
@WithKubernetesTestServer(crud = true)
class TanzuBuildServiceConventionTest extends OperatorTestSupport {
    static final String POLICY = TanzuBuildServiceConvention.POLICY_NAME;
    static final String LABEL = "com.vmware.tanzu.buildservice.sync";

    public static class ConventionOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("secretsync.legacy.enabled", "true");
        }
    }

    @Inject
    TanzuBuildServiceConvention convention;

    static String dockerConfigJson(String user, String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        String json = "{\"auths\":{\"my-registry.io\":{\"username\":\"" + user + "\",\"password\":\"" + password
                + "\",\"auth\":\"" + auth + "\"}}}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The seed document's example Secret, as `kubectl apply` would create it. */
    static Secret seedSecret(String name, String type, String dataKey, String data) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace("build-service")
                .withLabels(Map.of(LABEL, "true")).endMetadata().withType(type)
                .withData(Map.of(dataKey, data)).build();
    }

    @Test
    @Order(1)
    void theSeedDocumentStepByStep() {
        Kpack.registerCrds(client);
        // the operator created the convention's policy at start-up; nothing to sync yet
        awaitReady(POLICY, "False", "SourceNotFound");

        createNamespace("build-service");
        for (String ns : List.of("team-a", "team-b", "team-c", "team-quiet")) {
            createNamespace(ns);
            createServiceAccount(ns, "default");
        }
        createServiceAccount("team-c", "kp-sa");
        Kpack.create(client, Kpack.build("kpack.io/v1alpha2", "team-a", "app-build-1", null));
        Kpack.create(client, Kpack.object("kpack.io/v1alpha2", "Image", "team-b", "app", null));
        Kpack.create(client, Kpack.object("kpack.io/v1alpha1", "Image", "team-c", "legacy-app", "kp-sa"));

        // "Create a Synchronized Secret"
        createSecret(seedSecret("my-synced-secret", "kubernetes.io/dockerconfigjson", ".dockerconfigjson",
                dockerConfigJson("reader", "read-only-1")));
        for (String ns : List.of("team-a", "team-b", "team-c")) {
            Secret replica = awaitSecret(ns, "my-synced-secret");
            assertThat(replica.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(refs("team-a", "default")).containsExactly("my-synced-secret");
            assertThat(refs("team-b", "default")).containsExactly("my-synced-secret");
            assertThat(refs("team-c", "kp-sa")).containsExactly("my-synced-secret");
        });
        assertThat(refs("team-c", "default")).isEmpty();
        assertThat(secret("team-quiet", "my-synced-secret")).isNull();
        awaitReady(POLICY, "True", "Synced");

        // only docker-registry Secrets are synced; the status says why the others are not
        createSecret(seedSecret("plain", "Opaque", "token", "dG9rZW4="));
        createSecret(seedSecret("basic", "kubernetes.io/basic-auth", "username", "dXNlcg=="));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ready(policy(POLICY).getStatus()).orElseThrow()
                .getMessage()).contains("plain (type Opaque is not in spec.source.types")
                .contains("basic (type kubernetes.io/basic-auth is not in spec.source.types"));
        assertThat(secret("team-a", "plain")).isNull();
        assertThat(secret("team-a", "basic")).isNull();

        // "Update a Synchronized Secret": rolled out to every namespace with builds
        String rotated = dockerConfigJson("reader", "read-only-2");
        editSecret("build-service", "my-synced-secret", s -> s.setData(Map.of(".dockerconfigjson", rotated)));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (String ns : List.of("team-a", "team-b", "team-c")) {
                assertThat(secret(ns, "my-synced-secret").getData()).containsEntry(".dockerconfigjson", rotated);
            }
        });

        // a namespace that starts building gets it too
        Kpack.create(client, Kpack.build("kpack.io/v1alpha2", "team-quiet", "first-build", null));
        awaitSecret("team-quiet", "my-synced-secret");

        // "Stop Synchronizing a Secret": remove the label ...
        editSecret("build-service", "my-synced-secret", s -> s.getMetadata().getLabels().remove(LABEL));
        for (String ns : List.of("team-a", "team-b", "team-c", "team-quiet")) {
            awaitNoSecret(ns, "my-synced-secret");
        }
        await().atMost(TIMEOUT).until(() -> refs("team-a", "default").isEmpty() && refs("team-c", "kp-sa").isEmpty());

        // ... or delete it
        editSecret("build-service", "my-synced-secret", s -> s.getMetadata().getLabels().put(LABEL, "true"));
        awaitSecret("team-a", "my-synced-secret");
        client.secrets().inNamespace("build-service").withName("my-synced-secret").delete();
        awaitNoSecret("team-a", "my-synced-secret");
        await().atMost(TIMEOUT).until(() -> refs("team-a", "default").isEmpty());
    }

    /** Runs after the replay: it deletes the convention's policy. */
    @Test
    @Order(2)
    void adminEditsAreKeptAndDeletionIsNotUndone() {
        await().atMost(TIMEOUT).until(() -> policy(POLICY) != null);
        updatePolicy(POLICY, s -> s.setSuspend(true));
        convention.ensurePolicy();
        assertThat(policy(POLICY).getSpec().getSuspend()).as("the operator never rewrites the policy").isTrue();
        // let the operator report the edit before deleting: the test server, unlike a real one,
        // can lose a pending deletion to a status write that crosses it
        awaitReady(POLICY, "False", "Suspended");

        if (client.namespaces().withName("build-service").get() == null) {
            createNamespace("build-service");
        }
        deletePolicy(POLICY);
        await().atMost(TIMEOUT).until(() -> policy(POLICY) == null);
        await().atMost(TIMEOUT).until(() -> "deleted".equals(client.namespaces().withName("build-service").get()
                .getMetadata().getAnnotations().get(TanzuBuildServiceConvention.DELETED_ANNOTATION)));
        convention.ensurePolicy();
        assertThat(policy(POLICY)).as("a deleted convention policy stays deleted").isNull();

        client.namespaces().withName("build-service").edit(ns -> {
            ns.getMetadata().getAnnotations().remove(TanzuBuildServiceConvention.DELETED_ANNOTATION);
            return ns;
        });
        convention.ensurePolicy();
        assertThat(policy(POLICY)).isNotNull();
        assertThat(policy(POLICY).getSpec().getSuspend()).isNull();
    }
}
