package io.secretsync.operator.startup;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.ha.Leadership;
import io.secretsync.operator.reconciler.FatalErrors;

/**
 * A stop ends within secretsync.shutdown.timeout, whatever it waits for. The graceful stop (drain
 * the writes, stop the controllers, release the Lease) is bounded step by step and takes about a
 * second; this is the guarantee behind terminationGracePeriodSeconds should a step still hang (a
 * request that neither ends nor fails, a library that waits forever): the JVM is then halted,
 * with the exit code the stop would have had. It never fires in the tests, which check its log
 * line is absent.
 */
@ApplicationScoped
public class StopDeadline {
    /** Exit code of a stop on SIGTERM (128 + 15), as the JVM reports it. */
    public static final int SIGTERM_EXIT_CODE = 143;
    private static final Logger LOG = Logger.getLogger(StopDeadline.class);

    private final Duration timeout;
    private final Leadership leadership;
    private volatile Thread watchdog;

    public StopDeadline(SecretSyncConfig config, Leadership leadership) {
        this.timeout = config.shutdown().timeout();
        this.leadership = leadership;
    }

    /** First of the shutdown observers: armed before any step of the stop can hang. */
    void arm(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeout.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            int code = FatalErrors.exiting() ? FatalErrors.EXIT_CODE
                    : leadership.lostLease() ? Leadership.LEASE_LOST_EXIT_CODE : SIGTERM_EXIT_CODE;
            try {
                LOG.errorf("the stop did not end within secretsync.shutdown.timeout (%s): halting (exit code %d)",
                        timeout, code);
            } finally {
                Runtime.getRuntime().halt(code);
            }
        }, "stop-deadline");
        watchdog.setDaemon(true);
        this.watchdog = watchdog;
        watchdog.start();
    }

    /**
     * The last step of the application's stop (the CDI container ends): the stop did end. Where the
     * JVM outlives the application (tests that start it again), nothing is halted later.
     */
    @PreDestroy
    void disarm() {
        Thread w = watchdog;
        if (w != null) {
            w.interrupt();
        }
    }
}
