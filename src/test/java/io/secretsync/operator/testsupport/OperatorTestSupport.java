package io.secretsync.operator.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.sync.Conditions;

/** What every operator test does: create objects, then wait for what a user would see. */
@ExtendWith(DumpOnFailure.class)
public abstract class OperatorTestSupport {
    protected static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    protected KubernetesClient client;

    @io.quarkus.test.kubernetes.client.KubernetesTestServer
    protected io.quarkus.test.kubernetes.client.KubernetesServer server;

    protected io.fabric8.kubernetes.client.server.mock.KubernetesMockServer mockServer() {
        return server.getKubernetesMockServer();
    }

    public Namespace createNamespace(String name, String... labels) {
        return client.namespaces().resource(Fixtures.namespace(name, labels)).create();
    }

    protected Secret createSecret(Secret s) {
        s.getMetadata().setUid(null);
        return client.secrets().inNamespace(s.getMetadata().getNamespace()).resource(s).create();
    }

    protected ServiceAccount createServiceAccount(String namespace, String name, String... imagePullSecrets) {
        ServiceAccountBuilder b = new ServiceAccountBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .endMetadata();
        for (String r : imagePullSecrets) {
            b.addToImagePullSecrets(new LocalObjectReference(r));
        }
        return client.serviceAccounts().inNamespace(namespace).resource(b.build()).create();
    }

    /** The names a ServiceAccount lists in imagePullSecrets, in order; empty when it is gone. */
    protected List<String> refs(String namespace, String serviceAccount) {
        ServiceAccount s = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get();
        return s == null || s.getImagePullSecrets() == null ? List.of()
                : s.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
    }

    protected SecretSyncPolicy createPolicy(String name, SecretSyncPolicySpec spec) {
        return client.resources(SecretSyncPolicy.class).resource(Fixtures.policy(name, spec)).create();
    }

    /**
     * Deletes a policy and waits until it is gone. The CRUD test server can lose a pending
     * deletion when a status write crosses it (a real API server never clears
     * deletionTimestamp), so the delete is sent again if the policy shows up undeleted.
     */
    protected void deletePolicy(String name) {
        client.resources(SecretSyncPolicy.class).withName(name).delete();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            SecretSyncPolicy p = policy(name);
            if (p != null && p.getMetadata().getDeletionTimestamp() == null) {
                client.resources(SecretSyncPolicy.class).withName(name).delete();
            }
            return p == null;
        });
    }

    protected SecretSyncPolicy policy(String name) {
        return client.resources(SecretSyncPolicy.class).withName(name).get();
    }

    protected Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    protected Secret awaitSecret(String namespace, String name) {
        return await().atMost(TIMEOUT).until(() -> secret(namespace, name), s -> s != null);
    }

    protected void awaitNoSecret(String namespace, String name) {
        await().atMost(TIMEOUT).until(() -> secret(namespace, name) == null);
    }

    protected SecretSyncPolicyStatus awaitReady(String policy, String status, String reason) {
        return await().atMost(TIMEOUT).until(() -> Optional.ofNullable(policy(policy)).map(SecretSyncPolicy::getStatus)
                .orElse(null), s -> s != null && ready(s).map(c -> status.equals(c.getStatus())
                        && reason.equals(c.getReason())).orElse(false));
    }

    protected static Optional<Condition> ready(SecretSyncPolicyStatus s) {
        return Conditions.find(s.getConditions(), Conditions.READY);
    }

    protected List<Event> eventsFor(String policy) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> policy.equals(e.getInvolvedObject().getName())).toList();
    }

    protected static String value(Secret s, String key) {
        return Fixtures.decode(s.getData().get(key));
    }

    protected static Map<String, String> labels(Secret s) {
        return s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
    }

    protected SecretSyncPolicy updatePolicy(String name, java.util.function.Consumer<SecretSyncPolicySpec> edit) {
        // the operator may write the status at the same moment: retry on 409 like any client
        return retryOnConflict(() -> client.resources(SecretSyncPolicy.class).withName(name).edit(p -> {
            edit.accept(p.getSpec());
            p.getMetadata().setGeneration(p.getMetadata().getGeneration() == null ? 2 : p.getMetadata().getGeneration() + 1);
            return p;
        }));
    }

    protected Secret editSecret(String namespace, String name, java.util.function.Consumer<Secret> edit) {
        return retryOnConflict(() -> client.secrets().inNamespace(namespace).withName(name).edit(s -> {
            edit.accept(s);
            return s;
        }));
    }

    protected Namespace editNamespace(String name, java.util.function.Consumer<Namespace> edit) {
        return retryOnConflict(() -> client.namespaces().withName(name).edit(ns -> {
            edit.accept(ns);
            return ns;
        }));
    }

    protected static <T> T retryOnConflict(java.util.concurrent.Callable<T> write) {
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsMatching(e -> e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
                        && k.getCode() == 409)
                .until(write, r -> r != null);
    }
}
