package io.secretsync.operator.reconciler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.enterprise.context.ApplicationScoped;

import io.secretsync.operator.config.SecretSyncConfig;

/**
 * secretsync.write-rate-limit: at most that many writes per second across the operator, evenly
 * spaced (no bursts). Unset, the default, means no limit beyond secretsync.write-concurrency.
 */
@ApplicationScoped
public class WriteRateLimiter {
    private final long intervalNanos;
    private long next;

    @jakarta.inject.Inject
    public WriteRateLimiter(SecretSyncConfig config) {
        this(config.writeRateLimit().orElse(0.0));
    }

    /** perSecond 0 or less: no limit. */
    WriteRateLimiter(double perSecond) {
        this.intervalNanos = perSecond > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) / perSecond) : 0;
    }

    /** Waits until the next write may start. */
    public void acquire() {
        if (intervalNanos == 0) {
            return;
        }
        long at;
        synchronized (this) {
            long now = System.nanoTime();
            at = Math.max(now, next);
            next = at + intervalNanos;
        }
        for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }
}
