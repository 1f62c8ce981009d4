package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * Issue point 7: the test server, like some real ones, does not validate; the operator refuses
 * bad specs itself, writes nothing for them, and keeps serving the other policies.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class InvalidSpecTest extends OperatorTestSupport {

    static Arguments row(String name, String field, Consumer<SecretSyncPolicySpec> edit) {
        return Arguments.of(name, field, edit);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                row("no-source-selection", "spec.source needs names or selector", s -> s.getSource().setNames(null)),
                row("no-target", "spec.target needs at least one of", s -> s.getTarget().setNamespaces(null)),
                row("bad-operator", "spec.source.selector.matchExpressions[0].operator",
                        s -> s.getSource().setSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("a")
                                .withOperator("Like").withValues("b").endMatchExpression().build())),
                row("bad-name", "spec.source.names[0]: \"Bad_Name\"", s -> s.getSource().setNames(List.of("Bad_Name"))),
                row("bad-target-name", "spec.target.namespaces[0]: \"UPPER\"", s -> s.getTarget().setNamespaces(List.of("UPPER"))),
                row("empty-source-ns", "spec.source.namespace is required", s -> s.getSource().setNamespace("")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusedWithAMessageNamingTheFieldAndNothingWritten(String name, String field,
            Consumer<SecretSyncPolicySpec> edit) {
        String src = "inv-" + name + "-src";
        String target = "inv-" + name + "-a";
        String good = "inv-" + name + "-good";
        createNamespace(src);
        createNamespace(target);
        createNamespace(good);
        createSecret(opaque(src, "creds", "v"));
        SecretSyncPolicySpec bad = spec(src, List.of("creds"), null, List.of(target), null);
        edit.accept(bad);
        createPolicy("inv-" + name, bad);
        createPolicy("inv-" + name + "-ok", spec(src, List.of("creds"), null, List.of(good), null));

        var status = awaitReady("inv-" + name, "False", "InvalidSpec");
        assertThat(ready(status).orElseThrow().getMessage()).contains(field);
        awaitSecret(good, "creds");
        awaitReady("inv-" + name + "-ok", "True", "Synced");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> secret(target, "creds") == null);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsFor("inv-" + name)).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("InvalidSpec");
            assertThat(e.getMessage()).contains("inv-" + name).contains(field);
        }));
    }
}
