package io.secretsync.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.sync.FailureReasons;
import io.secretsync.operator.sync.PullSecretPlanner;

/**
 * The ServiceAccount writer against a remote cluster's API server: a merge patch locked to the
 * resourceVersion read, read and applied again after a 409, and a refusal reported like a replica
 * failure of that cluster.
 */
class RemoteServiceAccountWriteTest {
    private static final String PATH = "/api/v1/namespaces/team-a/serviceaccounts/default";
    private KubernetesMockServer server;
    private KubernetesClient client;
    private final ServiceAccountWriter writer = new ServiceAccountWriter(null, new WriteRateLimiter(0), new Stopping());
    private final PullSecretPlanner.Change addReg = new PullSecretPlanner.Change("team-a", "default", Set.of("reg"),
            Set.of());

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    static ServiceAccount sa(String resourceVersion, String... refs) {
        ServiceAccountBuilder b = new ServiceAccountBuilder().withNewMetadata().withNamespace("team-a")
                .withName("default").withResourceVersion(resourceVersion).endMetadata();
        for (String r : refs) {
            b.addToImagePullSecrets(new LocalObjectReference(r));
        }
        return b.build();
    }

    @Test
    void aConflictIsReadAndAppliedAgainOnTheNewerVersion() throws Exception {
        server.expect().get().withPath(PATH).andReturn(200, sa("1", "theirs")).once();
        server.expect().get().withPath(PATH).andReturn(200, sa("2", "theirs", "newer")).once();
        server.expect().patch().withPath(PATH).andReturn(409, new StatusBuilder().withCode(409)
                .withReason("Conflict").build()).once();
        server.expect().patch().withPath(PATH).andReturn(200, sa("3", "theirs", "newer", "reg")).once();

        ServiceAccountWriter.Result result = writer.apply(new ServiceAccountWriter.Target("eu-1", client, "o"), "p",
                List.of(addReg));

        assertThat(result.failures()).isEmpty();
        assertThat(result.writes()).isEqualTo(1);
        List<RecordedRequest> requests = requests();
        assertThat(requests).as("a read before each write, and no other request")
                .extracting(RecordedRequest::getMethod).containsExactly("GET", "PATCH", "GET", "PATCH");
        List<RecordedRequest> patches = requests.stream().filter(r -> r.getMethod().equals("PATCH")).toList();
        assertThat(patches.get(0).getHeader("Content-Type")).startsWith("application/merge-patch+json");
        assertThat(patches.get(0).getBody().readUtf8()).contains("\"resourceVersion\":\"1\"")
                .contains("{\"name\":\"theirs\"},{\"name\":\"reg\"}").contains("\"p@o/reg\"");
        assertThat(patches.get(1).getBody().readUtf8()).contains("\"resourceVersion\":\"2\"")
                .contains("{\"name\":\"theirs\"},{\"name\":\"newer\"},{\"name\":\"reg\"}");
    }

    @Test
    void aRefusalIsAFailureOfThatClusterNamingTheServiceAccount() {
        server.expect().get().withPath(PATH).andReturn(200, sa("1")).always();
        server.expect().patch().withPath(PATH).andReturn(403, new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("serviceaccounts \"default\" is forbidden").build()).always();

        ServiceAccountWriter.Result result = writer.apply(new ServiceAccountWriter.Target("eu-1", client, "o"), "p",
                List.of(addReg));

        assertThat(result.writes()).isZero();
        assertThat(result.failures()).singleElement().satisfies((ReplicaFailure f) -> {
            assertThat(f.getCluster()).isEqualTo("eu-1");
            assertThat(f.getNamespace()).isEqualTo("team-a");
            assertThat(f.getSecret()).isEqualTo("reg");
            assertThat(f.getReason()).isEqualTo(FailureReasons.SERVICE_ACCOUNT_FAILED);
            assertThat(f.getMessage()).contains("ServiceAccount team-a/default in cluster eu-1").contains("403");
        });
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (int i = server.getRequestCount(); i > 0; i--) {
            requests.add(server.takeRequest(1, TimeUnit.SECONDS));
        }
        return requests;
    }
}
