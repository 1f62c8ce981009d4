package io.secretsync.operator.reliability;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.OperatorTestSupport;
import io.secretsync.operator.sync.PullSecretPlanner;

/**
 * The other objects the operator watches and reads into a typed model, with the odd content a
 * cluster can hold: a Secret without data (data: null, or only stringData on a server that does not
 * convert it), a Namespace without any label, ServiceAccounts without imagePullSecrets or
 * annotations, or with our annotation holding garbage. Nothing fails; each is served.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OddContentTest extends OperatorTestSupport {

    @Test
    void secretsWithoutDataNamespacesWithoutLabelsAndBareServiceAccountsAreServed() {
        createNamespace("odd-src");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("odd-bare").endMetadata()
                .build()).create();
        createNamespace("odd-labelled", "odd=yes");
        createSecret(opaque("odd-src", "creds", Canary.value("odd")));
        createSecret(opaque("odd-src", "other", Canary.value("odd-other")));
        createSecret(new SecretBuilder().withNewMetadata().withNamespace("odd-src").withName("empty").endMetadata()
                .withType("Opaque").build());
        createSecret(new SecretBuilder().withNewMetadata().withNamespace("odd-src").withName("string-only")
                .endMetadata().withType("Opaque").addToStringData("note", "not converted by this server").build());
        assertThat(secret("odd-src", "empty").getData()).isNullOrEmpty();
        assertThat(client.namespaces().withName("odd-bare").get().getMetadata().getLabels()).isNullOrEmpty();
        client.serviceAccounts().inNamespace("odd-bare").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").withNamespace("odd-bare").endMetadata().build()).create();
        client.serviceAccounts().inNamespace("odd-labelled").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").withNamespace("odd-labelled")
                .addToAnnotations(PullSecretPlanner.ANNOTATION, ",,/,odd/,/x,not-an-entry").endMetadata().build())
                .create();

        // every namespace ({}), so the one without labels too
        SecretSyncPolicySpec everywhere = spec("odd-src", List.of("creds", "empty", "string-only"), null, null,
                new LabelSelector());
        ImagePullSecretsSpec ips = new ImagePullSecretsSpec();
        ips.setServiceAccounts(List.of("default"));
        everywhere.setImagePullSecrets(ips);
        everywhere.getTarget().setExcludeNamespaces(List.of("default"));
        createPolicy("odd-all", everywhere);
        // labelled namespaces only: the one without labels is simply not selected
        createPolicy("odd-labelled", spec("odd-src", List.of("other"), null, null,
                io.secretsync.operator.testsupport.Fixtures.selector("odd=yes")));

        awaitReady("odd-all", "True", "Synced");
        awaitReady("odd-labelled", "True", "Synced");
        for (String ns : List.of("odd-bare", "odd-labelled")) {
            Secret empty = awaitSecret(ns, "empty");
            assertThat(empty.getData()).as("%s/empty", ns).isNullOrEmpty();
            awaitSecret(ns, "creds");
            awaitSecret(ns, "string-only");
            await(ns).untilAsserted(() -> assertThat(refs(ns, "default")).contains("creds", "empty", "string-only"));
        }
        awaitSecret("odd-labelled", "other");
        assertThat(secret("odd-bare", "other")).isNull();
        assertThat(policy("odd-labelled").getStatus().getTargetNamespaces()).isEqualTo(1);
    }

    private static org.awaitility.core.ConditionFactory await(String what) {
        return org.awaitility.Awaitility.await(what).atMost(TIMEOUT);
    }
}
