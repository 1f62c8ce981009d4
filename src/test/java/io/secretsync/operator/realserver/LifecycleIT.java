package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * The contract's lifecycle on a real API server, with the packaged operator under its shipped RBAC:
 * what the CRUD mock could only approximate (validation, 409 on stale writes, namespace deletion
 * finished by the controller manager, label selectors evaluated by the server).
 */
class LifecycleIT extends RealServerTest {

    @Test
    void aPolicyCopiesItsSourceIntoTheSelectedNamespacesAndFollowsAnUpdate() {
        admin.namespaces().resource(Fixtures.namespace("life-src")).create();
        for (String ns : List.of("life-a", "life-b")) {
            admin.namespaces().resource(Fixtures.namespace(ns, "life=yes")).create();
        }
        admin.secrets().inNamespace("life-src").resource(Fixtures.opaque("life-src", "reg", "v1")).create();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("life",
                Fixtures.spec("life-src", List.of("reg"), null, null, Fixtures.selector("life=yes")))).create();

        awaitReason("life", "Synced");
        assertThat(replicas("life")).extracting(s -> s.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("life-a", "life-b");

        Secret source = admin.secrets().inNamespace("life-src").withName("reg").get();
        source.getData().put("value", Fixtures.b64("v2"));
        admin.secrets().inNamespace("life-src").resource(source).update();
        await("both replicas carry v2").atMost(CONVERGE).until(() -> replicas("life").stream()
                .allMatch(r -> "v2".equals(Fixtures.decode(r.getData().get("value")))));
        assertThat(replicas("life")).allSatisfy(r -> assertThat(r.getMetadata().getLabels())
                .containsEntry(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE));
    }
}
