package io.secretsync.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.OperatorTestSupport;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SmokeTest extends OperatorTestSupport {

    @Test
    void copiesANamedSecret() {
        createNamespace("smoke-src");
        createNamespace("smoke-a");
        createSecret(Fixtures.opaque("smoke-src", "creds", "hello"));
        createPolicy("smoke", Fixtures.spec("smoke-src", List.of("creds"), null, List.of("smoke-a"), null));
        var replica = awaitSecret("smoke-a", "creds");
        assertThat(value(replica, "value")).isEqualTo("hello");
        awaitReady("smoke", "True", "Synced");
    }
}
