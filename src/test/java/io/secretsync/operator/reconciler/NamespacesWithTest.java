package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.Kpack;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** target.namespacesWith: namespaces become targets while they hold objects of a kind. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class NamespacesWithTest extends OperatorTestSupport {
    static final ResourceKind BUILD = new ResourceKind("kpack.io/v1alpha2", "Build");

    @BeforeEach
    void kpack() {
        Kpack.registerCrds(client);
    }

    static SecretSyncPolicySpec withKinds(String src, String name, ResourceKind... kinds) {
        SecretSyncPolicySpec spec = spec(src, List.of(name), null, null, null);
        spec.getTarget().setNamespacesWith(List.of(kinds));
        return spec;
    }

    @Test
    void firstBuildBringsTheReplicaAndTheLastOneTakesItAway() {
        createNamespace("nw-src");
        createNamespace("nw-a");
        createNamespace("nw-idle");
        createSecret(opaque("nw-src", "creds", "v"));
        createPolicy("nw", withKinds("nw-src", "creds", BUILD));
        var status = awaitReady("nw", "True", "Synced");
        assertThat(status.getTargetNamespaces()).isZero();

        Kpack.create(client, Kpack.build("kpack.io/v1alpha2", "nw-a", "build-1", null));
        awaitSecret("nw-a", "creds");
        assertThat(secret("nw-idle", "creds")).isNull();
        Kpack.create(client, Kpack.build("kpack.io/v1alpha2", "nw-a", "build-2", null));

        Kpack.delete(client, "kpack.io/v1alpha2", "Build", "nw-a", "build-1");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> secret("nw-a", "creds") != null);
        Kpack.delete(client, "kpack.io/v1alpha2", "Build", "nw-a", "build-2");
        awaitNoSecret("nw-a", "creds");
    }

    @Test
    void aKindThatIsNotInstalledIsReportedAndPickedUpOnceItIs() {
        createNamespace("widget-src");
        createNamespace("widget-a");
        createNamespace("widget-named");
        createSecret(opaque("widget-src", "creds", "v"));
        SecretSyncPolicySpec spec = withKinds("widget-src", "creds", new ResourceKind("example.com/v1", "Widget"));
        spec.getTarget().setNamespaces(List.of("widget-named"));
        createPolicy("widget", spec);
        // the rest of the policy is served
        awaitSecret("widget-named", "creds");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ready(policy("widget").getStatus()).orElseThrow()
                .getMessage()).contains("not installed: example.com/v1/Widget"));
        assertThat(ready(policy("widget").getStatus()).orElseThrow().getStatus()).isEqualTo("True");

        Kpack.register(client, "example.com", "Widget", "widgets", "v1");
        Kpack.create(client, Kpack.object("example.com/v1", "Widget", "widget-a", "w1", null));
        awaitSecret("widget-a", "creds");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ready(policy("widget").getStatus()).orElseThrow()
                .getMessage()).doesNotContain("not installed"));
    }
}
