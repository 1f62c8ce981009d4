package io.secretsync.operator.startup;

import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.secretsync.operator.ha.Leadership;
import io.secretsync.operator.reconciler.FatalErrors;

/**
 * A stop ends within secretsync.shutdown.timeout, whatever it waits for. The graceful stop (drain
 * the writes, stop the controllers, release the Lease) is bounded step by step and takes about a
 * second; this is the guarantee behind terminationGracePeriodSeconds should a step still hang: a
 * request that neither ends nor fails, or a SIGTERM during start-up, which Quarkus handles only
 * once the start-up is over (with the API server unreachable, the start-up waits on the API
 * client's retries). The JVM is then halted with the exit code the stop would have had.
 * <p>
 * A JVM shutdown hook, installed by the entry point before the application starts, so that it
 * covers the start-up too: it only starts a daemon thread and returns, so it never delays a stop
 * that ends in time (the JVM does not wait for daemon threads). Never installed in tests that run
 * the application inside the test JVM.
 */
public final class StopDeadline {
    /** Exit code of a stop on SIGTERM (128 + 15), as the JVM reports it. */
    public static final int SIGTERM_EXIT_CODE = 143;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(7);
    private static final Logger LOG = Logger.getLogger(StopDeadline.class);

    private StopDeadline() {
    }

    public static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(StopDeadline::arm, "stop-deadline-hook"));
    }

    private static void arm() {
        Duration timeout = timeout();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeout.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            int code = FatalErrors.exiting() ? FatalErrors.EXIT_CODE
                    : Leadership.lostLease() ? Leadership.LEASE_LOST_EXIT_CODE : SIGTERM_EXIT_CODE;
            try {
                String message = "the stop did not end within secretsync.shutdown.timeout (" + timeout
                        + "): halting (exit code " + code + ")";
                System.err.println(message);
                LOG.error(message);
            } finally {
                Runtime.getRuntime().halt(code);
            }
        }, "stop-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** secretsync.shutdown.timeout, or its default when the configuration cannot be read (yet). */
    static Duration timeout() {
        try {
            return ConfigProvider.getConfig().getOptionalValue("secretsync.shutdown.timeout", Duration.class)
                    .orElse(DEFAULT_TIMEOUT);
        } catch (RuntimeException e) {
            return DEFAULT_TIMEOUT;
        }
    }
}
