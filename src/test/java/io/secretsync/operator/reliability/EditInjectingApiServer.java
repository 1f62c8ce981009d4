package io.secretsync.operator.reliability;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;

/**
 * A CRUD test API server that lands a user's spec edit exactly where a race puts it: when the
 * operator sends the status patch of an armed policy, the server first applies the edit (it
 * landed between the operator's read and its status write) or applies it right after the status
 * write, before answering. Both are orders a real API server can produce; here they happen every
 * time instead of once in a while.
 */
public class EditInjectingApiServer implements QuarkusTestResourceLifecycleManager {
    /** An edit waiting for the next status patch of its policy. */
    public record Edit(String policy, boolean beforeStatusWrite, List<String> targetNamespaces,
            CompletableFuture<Long> landedAtNanos) {
        String path() {
            return "/apis/" + SecretSyncPolicy.API_VERSION + "/secretsyncpolicies/" + policy;
        }
    }

    static final AtomicReference<Edit> ARMED = new AtomicReference<>();
    static volatile KubernetesMockServer server;
    static volatile KubernetesClient direct;

    /** Lands this edit at the policy's next status write. */
    public static Edit arm(String policy, boolean beforeStatusWrite, List<String> targetNamespaces) {
        Edit edit = new Edit(policy, beforeStatusWrite, targetNamespaces, new CompletableFuture<>());
        if (!ARMED.compareAndSet(null, edit)) {
            throw new IllegalStateException("an edit is armed already");
        }
        return edit;
    }

    static final class Dispatcher extends KubernetesMixedDispatcher {
        Dispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
            super(responses);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            Edit edit = ARMED.get();
            if (edit == null || !"PATCH".equals(request.getMethod())
                    || !request.getPath().startsWith(edit.path() + "/status")
                    || !ARMED.compareAndSet(edit, null)) {
                return super.dispatch(request);
            }
            if (edit.beforeStatusWrite()) {
                land(edit);
                return super.dispatch(request);
            }
            MockResponse statusWrite = super.dispatch(request);
            land(edit);
            return statusWrite;
        }

        private void land(Edit edit) {
            // a JSON patch: the test server merges lists on a merge patch where a real server replaces them
            String patch = "[{\"op\":\"replace\",\"path\":\"/spec/target/namespaces\",\"value\":"
                    + Serialization.asJson(edit.targetNamespaces()) + "}]";
            MockResponse response = super.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, edit.path(),
                    Headers.builder().add("Content-Type", "application/json-patch+json").build(),
                    new Buffer(patch.getBytes(StandardCharsets.UTF_8))));
            if (response.code() / 100 != 2) {
                edit.landedAtNanos().completeExceptionally(new IllegalStateException("edit refused: " + response.code()));
            } else {
                edit.landedAtNanos().complete(System.nanoTime());
            }
        }
    }

    @Override
    public Map<String, String> start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(Serialization.jsonMapper()),
                new MockWebServer(), responses, new Dispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        direct = server.createClient();
        return Map.of("quarkus.kubernetes-client.api-server-url", server.url("/").replaceAll("/$", ""),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        if (direct != null) {
            direct.close();
        }
        if (server != null) {
            server.destroy();
        }
    }
}
