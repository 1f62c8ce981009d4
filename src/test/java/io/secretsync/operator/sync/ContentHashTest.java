package io.secretsync.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.secretsync.operator.testsupport.Fixtures;

class ContentHashTest {

    @Test
    void dependsOnTypeAndData() {
        String h = ContentHash.of("Opaque", Map.of("k", Fixtures.b64("v")));
        assertThat(h).matches("sha256:[0-9a-f]{64}");
        assertThat(ContentHash.of("Opaque", Map.of("k", Fixtures.b64("v")))).isEqualTo(h);
        assertThat(ContentHash.of("kubernetes.io/basic-auth", Map.of("k", Fixtures.b64("v")))).isNotEqualTo(h);
        assertThat(ContentHash.of("Opaque", Map.of("k", Fixtures.b64("w")))).isNotEqualTo(h);
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        assertThat(ContentHash.of("Opaque", Map.of("ab", Fixtures.b64("c"))))
                .isNotEqualTo(ContentHash.of("Opaque", Map.of("a", Fixtures.b64("bc"))));
    }

    @Test
    void stringDataCountsLikeData() {
        var withData = new SecretBuilder().withType("Opaque").withData(Map.of("k", Fixtures.b64("v"))).build();
        var withStringData = new SecretBuilder().withType("Opaque").withStringData(Map.of("k", "v")).build();
        assertThat(ContentHash.of(withStringData)).isEqualTo(ContentHash.of(withData));
    }
}
