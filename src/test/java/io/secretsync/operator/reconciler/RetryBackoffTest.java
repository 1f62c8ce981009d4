package io.secretsync.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Failed writes are retried after 2 s, then 4 s, 8 s, ... and never more than 60 s apart (as README says). */
class RetryBackoffTest {

    @Test
    void startsAtTwoSecondsAndDoublesUpToSixty() {
        assertThat(IntStream.rangeClosed(1, 8).mapToObj(SecretSyncPolicyReconciler::backoffMillis).toList())
                .containsExactly(2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 60_000L, 60_000L, 60_000L);
    }
}
