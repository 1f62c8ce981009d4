package io.secretsync.operator.demo;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * An in-process Kubernetes API for demos and benchmarks: fabric8's CRUD mock server, plain HTTP
 * on the loopback address. It is not a cluster: nothing validates schemas, there is no namespace
 * controller and no garbage collection. Every request it served can be observed through a
 * {@link RequestObserver}, called after the request took effect.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    /**
     * What {@code GET /version} answers: a version that no Kubernetes release has, so that no one
     * mistakes the mock server for one (the CRUD dispatcher itself does not serve /version).
     */
    public static final String GIT_VERSION = "v0.0.0-embedded";
    private static final String VERSION_JSON = "{\"major\":\"0\",\"minor\":\"0\",\"gitVersion\":\""
            + GIT_VERSION + "\",\"platform\":\"embedded/demo\"}";

    /** Sees each request after the server answered it. Must be cheap: it runs on the server's threads. */
    @FunctionalInterface
    public interface RequestObserver {
        void served(RecordedRequest request, int status, long nanoTime);
    }

    private final KubernetesMockServer server;
    private final List<RequestObserver> observers = new CopyOnWriteArrayList<>();
    private final Thread drainer;
    private volatile KubernetesClient client;

    private EmbeddedApiServer(int port) {
        MockWebServer web = new MockWebServer();
        KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher(List.of()) {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                MockResponse response = isVersion(request)
                        ? new MockResponse().setResponseCode(200).setBody(VERSION_JSON)
                        : super.dispatch(request);
                if (!observers.isEmpty()) {
                    long now = System.nanoTime();
                    int status = response == null ? 0 : response.code();
                    for (RequestObserver o : observers) {
                        o.served(request, status, now);
                    }
                }
                return response;
            }
        };
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), web, new HashMap<>(), dispatcher,
                false);
        server.init(InetAddress.getLoopbackAddress(), port);
        // the mock server keeps every request it saw; a long-running demo must not keep them all
        drainer = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    server.takeRequest();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "embedded-api-request-log-drain");
        drainer.setDaemon(true);
        drainer.start();
    }

    private static boolean isVersion(RecordedRequest request) {
        String path = request.getPath();
        return path != null && (path.equals("/version") || path.startsWith("/version?"));
    }

    /** Starts a server on 127.0.0.1; port 0 picks a free port. */
    public static EmbeddedApiServer start(int port) {
        return new EmbeddedApiServer(port);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /**
     * A kubeconfig that reaches this server as a remote cluster would be reached: a bearer token
     * (the mock server takes any), everything inline, no exec plugin, no file. Plain HTTP: the
     * mock server has no certificate to verify.
     */
    public String kubeconfig(String clusterName, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: %1$s
                    cluster:
                      server: %2$s
                users:
                  - name: %1$s
                    user:
                      token: %3$s
                contexts:
                  - name: %1$s
                    context:
                      cluster: %1$s
                      user: %1$s
                current-context: %1$s
                """.formatted(clusterName, url(), token);
    }

    public void observe(RequestObserver observer) {
        observers.add(observer);
    }

    /** A client of this server, created once. */
    public synchronized KubernetesClient client() {
        if (client == null) {
            client = server.createClient();
        }
        return client;
    }

    /** Registers a CRD so the server knows its scope and status subresource. */
    public void register(CustomResourceDefinition crd) {
        client().apiextensions().v1().customResourceDefinitions().resource(crd)
                .createOr(NonDeletingOperation::update);
    }

    /**
     * System properties that point a fabric8 client (and so Quarkus' client, whose
     * quarkus.kubernetes-client.api-server-url is fixed at build time) at this server and keep it
     * from looking for any other cluster configuration.
     */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kubernetes.master", url());
        p.put("kubernetes.auth.tryKubeConfig", "false");
        p.put("kubernetes.auth.tryServiceAccount", "false");
        p.put("kubernetes.trust.certificates", "true");
        p.put("kubernetes.namespace", "default");
        p.put("http2.disable", "true");
        return p;
    }

    @Override
    public void close() {
        drainer.interrupt();
        KubernetesClient c = client;
        if (c != null) {
            c.close();
        }
        server.destroy();
    }
}
