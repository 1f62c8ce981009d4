package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.MockServerRequests;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** A converged cluster sees zero writes from the operator, and the operator caches only what it owns. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class IdleAndCachingTest extends OperatorTestSupport {
    private static final Logger LOG = Logger.getLogger(IdleAndCachingTest.class);
    private static final List<String> TARGETS = List.of("idle-a", "idle-b", "idle-c");

    @Test
    void convergedClusterSeesZeroRequestsAndAResyncWritesNothing() {
        createNamespace("idle-src");
        TARGETS.forEach(this::createNamespace);
        createSecret(opaque("idle-src", "one", "1"));
        createSecret(opaque("idle-src", "two", "2"));
        createPolicy("idle", spec("idle-src", List.of("one", "two"), null, TARGETS, null));
        awaitReady("idle", "True", "Synced");
        await().atMost(TIMEOUT).until(() -> Integer.valueOf(6).equals(policy("idle").getStatus().getSyncedReplicas()));
        Map<String, String> versions = replicaVersions();
        String policyVersion = policy("idle").getMetadata().getResourceVersion();

        // idle: nothing changes, so nobody should talk to the API server at all
        MockServerRequests.drain(mockServer());
        List<RecordedRequest> idle = new ArrayList<>();
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> {
            idle.addAll(MockServerRequests.drain(mockServer()));
            return idle.isEmpty();
        });
        LOG.infof("idle period of 5 s after convergence: %d requests, %d writes", idle.size(),
                MockServerRequests.writes(idle).size());
        assertThat(idle).extracting(MockServerRequests::describe).isEmpty();

        // a resync (any namespace event reconciles every policy) finds nothing to write
        editNamespace("idle-a", ns -> ns.getMetadata().setLabels(Map.of("touched", "yes")));
        List<RecordedRequest> afterResync = new ArrayList<>();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
            afterResync.addAll(MockServerRequests.writes(MockServerRequests.drain(mockServer())).stream()
                    .filter(r -> !r.getPath().startsWith("/api/v1/namespaces/idle-a?")
                            && !r.getPath().equals("/api/v1/namespaces/idle-a"))
                    .toList());
            return afterResync.isEmpty();
        });
        assertThat(afterResync).extracting(MockServerRequests::describe).isEmpty();
        assertThat(replicaVersions()).isEqualTo(versions);
        assertThat(policy("idle").getMetadata().getResourceVersion()).isEqualTo(policyVersion);
    }

    @Test
    void secretInformersAreLabelFilteredOrScopedToSourceNamespaces() {
        createNamespace("cache-src");
        createNamespace("cache-a");
        createNamespace("cache-b");
        createSecret(opaque("cache-a", "unrelated", "not ours"));
        createSecret(opaque("cache-src", "creds", "c"));
        createPolicy("cache", spec("cache-src", List.of("creds"), null, List.of("cache-a", "cache-b"), null));
        awaitReady("cache", "True", "Synced");

        List<RecordedRequest> secretListsAndWatches = MockServerRequests.all(mockServer()).stream()
                .filter(r -> "GET".equals(r.getMethod()))
                .filter(r -> r.getPath().matches("^/api/v1/(namespaces/[^/]+/)?secrets(\\?.*)?$"))
                .toList();
        assertThat(secretListsAndWatches).as("the operator lists and watches Secrets").isNotEmpty();
        for (RecordedRequest r : secretListsAndWatches) {
            String path = r.getPath();
            if (path.startsWith("/api/v1/secrets")) {
                assertThat(path).as("cluster-wide Secret list/watch must be label-filtered to our replicas")
                        .contains("labelSelector=app.kubernetes.io%2Fmanaged-by%3Dsecretsync-operator");
            } else {
                assertThat(path).as("namespaced Secret list/watch only in source namespaces")
                        .doesNotStartWith("/api/v1/namespaces/cache-a/").doesNotStartWith("/api/v1/namespaces/cache-b/");
            }
        }
        assertThat(secretListsAndWatches).extracting(RecordedRequest::getPath)
                .anySatisfy(p -> assertThat(p).startsWith("/api/v1/namespaces/cache-src/secrets"));
    }

    private Map<String, String> replicaVersions() {
        Map<String, String> versions = new HashMap<>();
        for (String ns : TARGETS) {
            for (String name : List.of("one", "two")) {
                versions.put(ns + "/" + name, secret(ns, name).getMetadata().getResourceVersion());
            }
        }
        return versions;
    }
}
