package io.secretsync.operator.reconciler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a policy looks again at Secrets it did not create and may not touch: first after a short
 * while, then ever less often while the conflict stays, so that a deleted conflicting Secret gets
 * its replica soon without watching Secrets the operator does not own.
 */
final class ConflictRecheck {
    private final long firstMillis;
    private final long maxMillis;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    ConflictRecheck(Duration first, Duration max) {
        this.firstMillis = first.toMillis();
        this.maxMillis = Math.max(first.toMillis(), max.toMillis());
    }

    /** Milliseconds until the policy looks again, 0 when it has no conflict (which resets the backoff). */
    long next(String policy, boolean hasConflicts) {
        if (!hasConflicts) {
            attempts.remove(policy);
            return 0;
        }
        int n = attempts.merge(policy, 1, Integer::sum);
        return delayMillis(n);
    }

    /** After the n-th look in a row that still found a conflict: first, doubling, at most max. */
    long delayMillis(int n) {
        long delay = firstMillis;
        for (int i = 1; i < n && delay < maxMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxMillis);
    }

    void forget(String policy) {
        attempts.remove(policy);
    }
}
