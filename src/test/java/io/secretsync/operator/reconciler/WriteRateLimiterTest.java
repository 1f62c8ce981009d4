package io.secretsync.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** secretsync.write-rate-limit spaces writes evenly; unset, it never waits. */
class WriteRateLimiterTest {

    @Test
    void tenWritesAtTwentyPerSecondTakeAtLeastFourHundredFiftyMilliseconds() {
        WriteRateLimiter limiter = new WriteRateLimiter(20.0);
        long t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            limiter.acquire();
        }
        // the first write goes at once, the nine others 50 ms apart; the sleep is the measurement
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
    }

    @Test
    void unsetMeansNoLimit() {
        WriteRateLimiter limiter = new WriteRateLimiter(0);
        long t0 = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire();
        }
        // ten thousand writes at even one per millisecond would take ten seconds
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
}
