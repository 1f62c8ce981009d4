package io.secretsync.operator.testsupport;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stops an operator process the way the kubelet does: SIGTERM, then wait. A process still alive
 * {@link #STOP_WITHIN} later fails the test; only then is it killed (SIGKILL), so that it does not
 * outlive the test, and the failure says so. No test stops the operator with SIGKILL except the
 * ones about a crash, which say it.
 */
public final class Stops {
    /** A SIGTERM must end the operator within this long, in every state (see README, leader election). */
    public static final Duration STOP_WITHIN = Duration.ofSeconds(10);
    /** The exit code of a stop on SIGTERM (128 + 15). */
    public static final int SIGTERM_EXIT_CODE = 143;

    private Stops() {
    }

    /** How a stop went: the exit code and the time from SIGTERM to the end of the process. */
    public record Stopped(int exitCode, Duration took) {
        public long millis() {
            return took.toMillis();
        }
    }

    /** SIGTERM, and the process must end within {@link #STOP_WITHIN}; fails the test otherwise. */
    public static Stopped sigterm(Process p, String what) throws InterruptedException {
        if (!p.isAlive()) {
            return fail("%s had already ended (exit code %d) before it was sent SIGTERM", what, p.exitValue());
        }
        long start = System.nanoTime();
        p.destroy(); // SIGTERM
        return awaitEnd(p, what + " after SIGTERM", start);
    }

    /** The process must end by itself within {@link #STOP_WITHIN} from start (System.nanoTime()). */
    public static Stopped awaitEnd(Process p, String what, long start) throws InterruptedException {
        long left = STOP_WITHIN.toNanos() - (System.nanoTime() - start);
        if (!p.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
            p.destroyForcibly().waitFor(); // cleanup only: the test fails below
            return fail("%s: the process was still running %d s later and had to be killed (SIGKILL)", what,
                    STOP_WITHIN.toSeconds());
        }
        return new Stopped(p.exitValue(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Cleanup after a test: SIGTERM whatever still runs. Returns a description of each process that
     * did not end within {@link #STOP_WITHIN} and had to be killed (empty when none), for the caller
     * to report as a failure.
     */
    public static String cleanup(Iterable<Process> processes) throws InterruptedException {
        StringBuilder killed = new StringBuilder();
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            if (!p.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                killed.append("process ").append(p.pid()).append(" ignored SIGTERM for ")
                        .append(STOP_WITHIN.toSeconds()).append(" s and was killed; ");
            }
        }
        return killed.toString();
    }
}
