package io.secretsync.operator.testsupport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.secretsync.operator.packaging.Manifests;
import io.secretsync.operator.packaging.RbacRules;

/**
 * fabric8's CRUD mock API server in this JVM, with the generated CRD and the operator's
 * namespace. Operators authenticate with their name as bearer token, so the request log says who
 * sent what; the SDK's Lease permission check is answered from the generated Role, as an RBAC
 * authorizer would. {@link #goDown()} shuts it down: connections are refused from then on.
 */
public final class MockApiServer implements ApiServerUnderTest {
    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final RbacRules rbac;
    private final int port;
    private boolean down;

    private MockApiServer() {
        List<HasMetadata> manifests = Manifests.load(Manifests.kubernetesYml());
        rbac = RbacRules.of(manifests, "secretsync-operator", OPERATOR_NS);
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(responses) {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String auth = request.getHeader("Authorization");
                String token = auth == null ? "" : auth.replace("Bearer ", "");
                String who = token.startsWith("operator-") ? token : "test";
                MockResponse response = super.dispatch(request);
                requests.add(new Request(who, request.getMethod(), request.getPath(), response.code(),
                        System.nanoTime()));
                return response;
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, crud, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        port = server.getPort();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReply(201, r -> leaseReview()).always();
        client = server.createClient();
        Manifests.crds().forEach(crd -> client.resource(crd).create());
        client.namespaces().resource(Fixtures.namespace(OPERATOR_NS)).create();
    }

    public static MockApiServer start() {
        return new MockApiServer();
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public List<String> operatorOptions(String who) {
        return List.of("-Dquarkus.kubernetes-client.api-server-url=http://127.0.0.1:" + port,
                "-Dquarkus.kubernetes-client.token=" + who,
                "-Dquarkus.kubernetes-client.namespace=" + OPERATOR_NS);
    }

    @Override
    public synchronized void goDown() {
        if (!down) {
            down = true;
            server.destroy();
        }
    }

    @Override
    public Optional<List<Request>> requests() {
        return Optional.of(List.copyOf(requests));
    }

    @Override
    public void close() {
        client.close();
        goDown();
    }

    /** The Lease rules the generated Role grants in the operator namespace. */
    private SelfSubjectRulesReview leaseReview() {
        List<ResourceRule> rules = rbac.grants().stream()
                .filter(g -> OPERATOR_NS.equals(g.namespace()))
                .map(g -> new ResourceRuleBuilder().withApiGroups(g.rule().getApiGroups())
                        .withResources(g.rule().getResources()).withResourceNames(g.rule().getResourceNames())
                        .withVerbs(g.rule().getVerbs()).build())
                .toList();
        return new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(OPERATOR_NS).endSpec()
                .withNewStatus().withIncomplete(false).withResourceRules(rules).endStatus().build();
    }

    @Override
    public String toString() {
        return "mock API server";
    }
}
