package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.tanzu.TanzuBuildServiceConvention;
import io.secretsync.operator.testsupport.MockServerRequests;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** secretsync.allowed-source-namespaces: a policy reading another namespace reads nothing and says why. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(AllowedSourceNamespacesTest.OnlyShared.class)
class AllowedSourceNamespacesTest extends OperatorTestSupport {

    public static class OnlyShared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the Tanzu Build Service convention on, reading a namespace the setting does not list
            return Map.of("secretsync.allowed-source-namespaces", "allow-shared,build-service",
                    "secretsync.legacy.enabled", "true", "secretsync.legacy.namespace", "allow-tbs");
        }
    }

    @Test
    void aDisallowedSourceNamespaceIsInvalidAndNeverRead() {
        createNamespace("allow-shared");
        createNamespace("allow-tenant");
        createNamespace("allow-a");
        createSecret(opaque("allow-shared", "creds", "shared"));
        createSecret(opaque("allow-tenant", "creds", "tenant"));
        createPolicy("allow-ok", spec("allow-shared", List.of("creds"), null, List.of("allow-a"), null));
        createPolicy("allow-no", spec("allow-tenant", List.of("creds"), null, List.of("allow-a"), null));

        var status = awaitReady("allow-no", "False", "InvalidSpec");
        assertThat(ready(status).orElseThrow().getMessage())
                .contains("spec.source.namespace: \"allow-tenant\" is not in the operator setting"
                        + " secretsync.allowed-source-namespaces (allow-shared,build-service)");
        awaitReady("allow-ok", "True", "Synced");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(value(secret("allow-a", "creds"), "value")).isEqualTo("shared"));
        // nothing was read from the disallowed namespace: no list or watch of its Secrets
        assertThat(MockServerRequests.all(mockServer())).filteredOn(r -> "GET".equals(r.getMethod()))
                .extracting(r -> r.getPath())
                .noneMatch(p -> p.startsWith("/api/v1/namespaces/allow-tenant/secrets"));
    }

    @Test
    void theTanzuConventionsPolicyRespectsTheSettingToo() {
        createNamespace("allow-tbs");
        createSecret(opaque("allow-tbs", "registry", "r", "com.vmware.tanzu.buildservice.sync=true"));
        var status = awaitReady(TanzuBuildServiceConvention.POLICY_NAME, "False", "InvalidSpec");
        assertThat(ready(status).orElseThrow().getMessage()).contains("spec.source.namespace: \"allow-tbs\"")
                .contains("secretsync.allowed-source-namespaces");
        assertThat(MockServerRequests.all(mockServer())).filteredOn(r -> "GET".equals(r.getMethod()))
                .extracting(r -> r.getPath())
                .noneMatch(p -> p.startsWith("/api/v1/namespaces/allow-tbs/secrets"));
    }
}
