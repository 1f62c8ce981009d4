package io.secretsync.operator.sync;

import static io.secretsync.operator.testsupport.Fixtures.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/** What the caches keep of a Secret: no data, the digest of the data it actually had. */
class ObservedSecretTest {

    private static Secret replica(String value, String annotatedHash) {
        return new SecretBuilder().withNewMetadata().withName("creds").withNamespace("team-a")
                .withResourceVersion("42").withUid("u-1")
                .withLabels(Map.of(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE,
                        ReplicaMetadata.POLICY_LABEL, "p"))
                .withAnnotations(Map.of(ReplicaMetadata.CONTENT_HASH_ANNOTATION, annotatedHash, "note", "kept"))
                .withManagedFields(List.of(new ManagedFieldsEntry())).endMetadata()
                .withType("Opaque").withData(Map.of("value", b64(value))).build();
    }

    @Test
    void keepsMetadataAndTheDigestOfTheActualDataButNotTheData() {
        Secret full = replica("good", "sha256:whatever");
        ObservedSecret cached = ObservedSecret.of(full);
        assertThat(cached.getData()).isNull();
        assertThat(cached.getStringData()).isNull();
        assertThat(cached.observedContentHash()).isEqualTo(ContentHash.of(full));
        assertThat(cached.getMetadata().getManagedFields()).isNull();
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(cached.getMetadata().getAnnotations()).containsEntry("note", "kept");
        assertThat(cached.getType()).isEqualTo("Opaque");
    }

    @Test
    void driftIsJudgedOnTheDigestNotOnTheAnnotation() {
        Secret source = new SecretBuilder().withNewMetadata().withName("creds").withNamespace("src").withUid("s-1")
                .endMetadata().withType("Opaque").withData(Map.of("value", b64("good"))).build();
        String hash = ContentHash.of(source);
        Secret desired = Replicas.desired("p", source, "team-a", hash);
        Secret tampered = replica("tampered", hash);
        tampered.getMetadata().setAnnotations(desired.getMetadata().getAnnotations());
        assertThat(Replicas.inSync(ObservedSecret.of(tampered), desired)).isFalse();
        Secret right = replica("good", hash);
        right.getMetadata().setAnnotations(desired.getMetadata().getAnnotations());
        assertThat(Replicas.inSync(ObservedSecret.of(right), desired)).isTrue();
        // an update built from the cached copy carries the desired data and the observed version
        Secret update = Replicas.updated(ObservedSecret.of(tampered), desired);
        assertThat(update.getData()).isEqualTo(desired.getData());
        assertThat(update.getMetadata().getResourceVersion()).isEqualTo("42");
    }

    @Test
    void aCachedCopyCannotBeCopiedForItsDataIsNotThere() {
        assertThatThrownBy(() -> ContentHash.effectiveData(ObservedSecret.of(replica("good", "x"))))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("good");
    }
}
