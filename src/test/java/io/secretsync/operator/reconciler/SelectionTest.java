package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.selector;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** Which Secrets are sources (never tokens or replicas) and which namespaces are targets. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SelectionTest extends OperatorTestSupport {

    @Test
    void sourcesByNamesSelectorExpressionsAndTypes() {
        createNamespace("sel-src");
        createNamespace("sel-a");
        createSecret(opaque("sel-src", "named", "1"));
        createSecret(opaque("sel-src", "labelled", "2", "team=builds", "tier=gold"));
        createSecret(opaque("sel-src", "wrong-tier", "3", "team=builds", "tier=bronze"));
        createSecret(Fixtures.secret("sel-src", "registry", Fixtures.DOCKERCONFIGJSON, Map.of(".dockerconfigjson", "{}"),
                "team=builds", "tier=gold"));
        createSecret(opaque("sel-src", "unrelated", "4"));
        var spec = spec("sel-src", List.of("named"), new LabelSelectorBuilder().withMatchLabels(Map.of("team", "builds"))
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("gold").endMatchExpression()
                .build(), List.of("sel-a"), null);
        createPolicy("sel-sources", spec);
        awaitReady("sel-sources", "True", "Synced");
        awaitSecret("sel-a", "named");
        awaitSecret("sel-a", "labelled");
        awaitSecret("sel-a", "registry");
        assertThat(secret("sel-a", "wrong-tier")).as("In expression excludes tier=bronze").isNull();
        assertThat(secret("sel-a", "unrelated")).isNull();
        assertThat(policy("sel-sources").getStatus().getSourceSecrets()).isEqualTo(3);

        createPolicy("sel-types", with(spec("sel-src", null, selector("team=builds"), List.of("sel-types-a"), null),
                List.of(Fixtures.DOCKERCONFIGJSON)));
        createNamespace("sel-types-a");
        awaitSecret("sel-types-a", "registry");
        await().atMost(TIMEOUT).until(() -> policy("sel-types").getStatus() != null
                && Integer.valueOf(1).equals(policy("sel-types").getStatus().getSyncedReplicas()));
        assertThat(secret("sel-types-a", "labelled")).as("Opaque is not in types").isNull();
    }

    @Test
    void serviceAccountTokensAndReplicasAreNeverSources() {
        createNamespace("tok-src");
        createNamespace("tok-a");
        createNamespace("tok-b");
        createSecret(Fixtures.secret("tok-src", "sa-token", "kubernetes.io/service-account-token", Map.of("token", "t"),
                "sync=yes"));
        createSecret(opaque("tok-src", "plain", "p", "sync=yes"));
        createPolicy("tok-first", spec("tok-src", null, selector("sync=yes"), List.of("tok-a"), null));
        awaitSecret("tok-a", "plain");
        // a second policy reading tok-a, where a replica now lives: the replica must not be copied on
        createPolicy("tok-chain", spec("tok-a", null, selector(), List.of("tok-b"), null));
        awaitReady("tok-chain", "False", "SourceNotFound");
        awaitReady("tok-first", "True", "Synced");
        assertThat(secret("tok-a", "sa-token")).isNull();
        assertThat(secret("tok-b", "plain")).isNull();
        assertThat(policy("tok-first").getStatus().getConditions().get(0).getMessage())
                .contains("sa-token (type kubernetes.io/service-account-token is never copied)");
    }

    @Test
    void targetsByNameAndSelectorMinusExclusions() {
        createNamespace("tgt-src");
        createNamespace("tgt-named");
        createNamespace("tgt-labelled", "builds=enabled");
        createNamespace("tgt-excluded", "builds=enabled");
        createNamespace("tgt-optout", "builds=enabled", "secretsync.io/exclude=true");
        createNamespace("tgt-other");
        createNamespace("kube-system", "builds=enabled");
        var terminating = Fixtures.namespace("tgt-terminating", "builds=enabled");
        terminating.setStatus(new io.fabric8.kubernetes.api.model.NamespaceStatusBuilder().withPhase("Terminating").build());
        client.namespaces().resource(terminating).create();
        createSecret(opaque("tgt-src", "creds", "c"));
        var spec = spec("tgt-src", List.of("creds"), null, List.of("tgt-named"), selector("builds=enabled"));
        spec.getTarget().setExcludeNamespaces(List.of("tgt-excluded"));
        createPolicy("tgt", spec);
        awaitReady("tgt", "True", "Synced");
        awaitSecret("tgt-named", "creds");
        awaitSecret("tgt-labelled", "creds");
        assertThat(policy("tgt").getStatus().getTargetNamespaces()).isEqualTo(2);
        for (String ns : List.of("tgt-excluded", "tgt-optout", "tgt-other", "kube-system", "tgt-terminating")) {
            assertThat(secret(ns, "creds")).as(ns).isNull();
        }
    }

    @Test
    void emptyNamespaceSelectorMeansEveryNamespaceButTheSource() {
        createNamespace("all-src");
        createSecret(opaque("all-src", "everywhere", "e"));
        createNamespace("all-x");
        createNamespace("all-y", "team=anything");
        createPolicy("all", spec("all-src", List.of("everywhere"), null, null, selector()));
        awaitSecret("all-x", "everywhere");
        awaitSecret("all-y", "everywhere");
        awaitReady("all", "True", "Synced");
        assertThat(secret("all-src", "everywhere").getMetadata().getLabels()).as("the source stays a plain Secret")
                .doesNotContainKey("app.kubernetes.io/managed-by");
        // what a user counts with kubectl get secrets -A -l secretsync.io/policy=all is what the status says
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(policy("all").getStatus().getTargetNamespaces())
                .isEqualTo(replicasOf("all")).isGreaterThanOrEqualTo(2));
        int before = replicasOf("all");

        // any namespace that appears later, whatever its labels, is a target too
        createNamespace("all-later", "unrelated=label");
        awaitSecret("all-later", "everywhere");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(replicasOf("all")).isEqualTo(before + 1);
            assertThat(policy("all").getStatus().getTargetNamespaces()).isEqualTo(before + 1);
        });
    }

    private int replicasOf(String policy) {
        return client.secrets().inAnyNamespace().withLabel("secretsync.io/policy", policy).list().getItems().size();
    }

    static io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec with(
            io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec spec, List<String> types) {
        spec.getSource().setTypes(types);
        return spec;
    }
}
