package io.secretsync.operator.reliability;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A CRUD test API server with a {@link TcpProxy} in front: the operator talks to the proxy, the
 * test talks to the server directly (so it can change the cluster while the operator is cut off).
 */
public class ProxiedApiServer implements QuarkusTestResourceLifecycleManager {
    static volatile KubernetesMockServer server;
    static volatile TcpProxy proxy;
    static volatile KubernetesClient direct;

    @Override
    public Map<String, String> start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        // what a real API server sends to a watch resuming from a compacted resourceVersion
        server.expect().get().withPath(TcpProxy.EXPIRED_WATCH_PATH).andUpgradeToWebSocket().open()
                .immediately().andEmit(new WatchEvent(new StatusBuilder().withStatus("Failure").withCode(410)
                        .withReason("Expired").withMessage("too old resource version").build(), "ERROR"))
                .done().always();
        try {
            proxy = new TcpProxy(server.getHostName(), server.getPort());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        direct = server.createClient();
        return Map.of("quarkus.kubernetes-client.api-server-url", proxy.url(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        if (direct != null) {
            direct.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.destroy();
        }
    }
}
