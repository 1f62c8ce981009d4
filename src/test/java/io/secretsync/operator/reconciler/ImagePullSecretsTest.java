package io.secretsync.operator.reconciler;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.Kpack;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/** spec.imagePullSecrets: references added once, never others', removed with the replica. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ImagePullSecretsTest extends OperatorTestSupport {

    @BeforeEach
    void kpack() {
        Kpack.registerCrds(client);
    }

    static SecretSyncPolicySpec withServiceAccounts(SecretSyncPolicySpec spec, List<String> serviceAccounts,
            boolean workload) {
        ImagePullSecretsSpec ips = new ImagePullSecretsSpec();
        ips.setServiceAccounts(serviceAccounts);
        ips.setWorkloadServiceAccounts(workload);
        spec.setImagePullSecrets(ips);
        return spec;
    }

    @Test
    void addedOnceOthersKeptLateServiceAccountPatchedRemovedWithTheReplica() {
        createNamespace("ips-src");
        createNamespace("ips-a");
        createSecret(opaque("ips-src", "reg", "v"));
        createServiceAccount("ips-a", "default", "someone-elses");
        createPolicy("ips", withServiceAccounts(spec("ips-src", List.of("reg"), null, List.of("ips-a"), null),
                List.of("default", "deployer"), false));
        await().atMost(TIMEOUT).until(() -> refs("ips-a", "default").equals(List.of("someone-elses", "reg")));

        createServiceAccount("ips-a", "deployer");
        await().atMost(TIMEOUT).until(() -> refs("ips-a", "deployer").equals(List.of("reg")));

        // a resync adds nothing twice
        createNamespace("ips-unrelated");
        awaitReady("ips", "True", "Synced");
        assertThat(refs("ips-a", "default")).containsExactly("someone-elses", "reg");

        client.secrets().inNamespace("ips-src").withName("reg").delete();
        await().atMost(TIMEOUT).until(() -> refs("ips-a", "default").equals(List.of("someone-elses"))
                && refs("ips-a", "deployer").isEmpty());
        awaitNoSecret("ips-a", "reg");
    }

    @Test
    void workloadServiceAccountsFollowTheBuilds() {
        createNamespace("wsa-src");
        createNamespace("wsa-a");
        createSecret(opaque("wsa-src", "reg", "v"));
        createServiceAccount("wsa-a", "default");
        createServiceAccount("wsa-a", "kp-builder");
        SecretSyncPolicySpec spec = spec("wsa-src", List.of("reg"), null, null, null);
        spec.getTarget().setNamespacesWith(List.of(new ResourceKind("kpack.io/v1alpha2", "Build")));
        createPolicy("wsa", withServiceAccounts(spec, null, true));
        Kpack.create(client, Kpack.build("kpack.io/v1alpha2", "wsa-a", "b1", "kp-builder"));
        awaitSecret("wsa-a", "reg");
        await().atMost(TIMEOUT).until(() -> refs("wsa-a", "kp-builder").equals(List.of("reg")));
        assertThat(refs("wsa-a", "default")).isEmpty();

        Kpack.create(client, Kpack.build("kpack.io/v1alpha2", "wsa-a", "b2", null));
        await().atMost(TIMEOUT).until(() -> refs("wsa-a", "default").equals(List.of("reg")));

        deletePolicy("wsa");
        await().atMost(TIMEOUT).until(() -> refs("wsa-a", "default").isEmpty() && refs("wsa-a", "kp-builder").isEmpty());
        awaitNoSecret("wsa-a", "reg");
    }

    @Test
    void concurrentEditsOfTheServiceAccountAreNotLost() {
        createNamespace("race-src");
        createNamespace("race-a");
        createServiceAccount("race-a", "default");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            createSecret(opaque("race-src", "reg-" + i, "v"));
            names.add("reg-" + i);
        }
        // another writer adds its own references while the operator adds ten
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 10; i++) {
                String mine = "other-" + i;
                retryOnConflict(() -> client.serviceAccounts().inNamespace("race-a").withName("default").edit(sa -> {
                    sa.getImagePullSecrets().add(new LocalObjectReference(mine));
                    return sa;
                }));
            }
        });
        createPolicy("race", withServiceAccounts(spec("race-src", names, null, List.of("race-a"), null),
                List.of("default"), false));
        other.join();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<String> refs = refs("race-a", "default");
            assertThat(refs).containsAll(names);
            for (int i = 0; i < 10; i++) {
                assertThat(refs).contains("other-" + i);
            }
            assertThat(refs).doesNotHaveDuplicates().hasSize(20);
        });
    }
}
