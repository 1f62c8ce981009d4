package io.secretsync.operator.reconciler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.secretsync.operator.config.SecretSyncConfig;

/**
 * secretsync.write-rate-limit: at most that many writes per second across the operator, evenly
 * spaced (no bursts). Unset, the default, means no limit beyond secretsync.write-concurrency.
 */
@ApplicationScoped
public class WriteRateLimiter {
    private static final long GIVE_UP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
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
        acquire(() -> false);
    }

    /**
     * Waits until the next write may start, or until {@code giveUp} says the write is no longer
     * wanted (the operator is stopping), checked at least every 50 ms.
     *
     * @return true when the write may start, false when it was given up
     */
    public boolean acquire(BooleanSupplier giveUp) {
        if (intervalNanos == 0) {
            return !giveUp.getAsBoolean();
        }
        long at;
        synchronized (this) {
            long now = System.nanoTime();
            at = Math.max(now, next);
            next = at + intervalNanos;
        }
        for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
            if (giveUp.getAsBoolean()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(wait, GIVE_UP_CHECK_NANOS));
        }
        return !giveUp.getAsBoolean();
    }
}
