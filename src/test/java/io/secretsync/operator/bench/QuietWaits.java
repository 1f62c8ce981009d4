package io.secretsync.operator.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import io.secretsync.operator.realserver.AuditLog;

/** Waits before a measurement starts or ends: until a server, or a writer, has gone quiet. */
final class QuietWaits {

    private QuietWaits() {
    }

    /**
     * A window of time in which writes that should not happen are counted (idle, the settling
     * after a restart): the time is what is measured, there is no condition to wait for.
     */
    static void observe(int seconds) throws InterruptedException {
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    }

    /** Until the API server used under a tenth of a core for 2 s (the machine's other work aside). */
    static void server(ProcessProbe apiserver, Duration timeout) {
        long[] last = { apiserver.cpuMillis(), System.nanoTime() };
        Awaitility.await("the API server quiet").atMost(timeout).pollInterval(Duration.ofSeconds(2)).until(() -> {
            long cpu = apiserver.cpuMillis();
            long used = cpu - last[0];
            double window = (System.nanoTime() - last[1]) / 1e6;
            last[0] = cpu;
            last[1] = System.nanoTime();
            return used < window / 10;
        });
    }

    /** Until {@code user} has written nothing but its Lease for 2 s, by the audit log. */
    static void writes(AuditLog audit, String user, Duration timeout) {
        long mark = audit.mark();
        long[] last = { -1, System.nanoTime() };
        Awaitility.await("the operator quiet").atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = audit.since(mark).stream().filter(e -> e.user().equals(user) && e.isWrite()
                    && !e.resource().equals("leases")).count();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
            }
            return System.nanoTime() - last[1] >= TimeUnit.SECONDS.toNanos(2);
        });
    }
}
