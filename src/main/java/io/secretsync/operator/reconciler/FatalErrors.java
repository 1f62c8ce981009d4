package io.secretsync.operator.reconciler;

import org.jboss.logging.Logger;

/**
 * An {@link Error} (OutOfMemoryError, StackOverflowError, a broken class path, ...) leaves the
 * process in an unknown state: it ends the process with a non-zero code so that Kubernetes
 * restarts it, instead of being reported as one replica's failure while the operator limps on.
 * Shutdown hooks (leader lease release) get a few seconds; then the JVM halts.
 */
public final class FatalErrors {
    public static final int EXIT_CODE = 70;
    private static final Logger LOG = Logger.getLogger(FatalErrors.class);
    private static final long HALT_AFTER_MILLIS = 10_000;
    private static final java.util.concurrent.atomic.AtomicBoolean EXITING = new java.util.concurrent.atomic.AtomicBoolean();

    private FatalErrors() {
    }

    /**
     * Errors thrown where no code of ours catches them (JOSDK's reconcile threads run our
     * reconciler with execute(); an Error there would leave the policy "in progress" forever)
     * reach the default handler: it ends the process too.
     */
    public static void install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, t) -> {
            if (t instanceof Error error) {
                exit(error);
            } else if (previous != null) {
                previous.uncaughtException(thread, t);
            } else {
                LOG.errorf(t, "uncaught exception in thread %s", thread.getName());
            }
        });
    }

    /** True once an Error started ending the process (exit code {@link #EXIT_CODE}). */
    public static boolean exiting() {
        return EXITING.get();
    }

    /** Ends the process when t is, or was caused by, an Error; returns otherwise. */
    public static void exitIfFatal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Error error) {
                throw exit(error);
            }
        }
    }

    /** Never returns: declared to return the Error so that callers can write {@code throw exit(e)}. */
    public static Error exit(Error error) {
        if (!EXITING.compareAndSet(false, true)) {
            throw error;
        }
        try {
            LOG.errorf("fatal %s in thread %s: the operator exits (code %d) to be restarted",
                    error.getClass().getName(), Thread.currentThread().getName(), EXIT_CODE);
        } catch (Throwable ignored) {
            // even logging may fail after an OutOfMemoryError; exiting matters more
        }
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(EXIT_CODE);
        }, "fatal-error-halt");
        halt.setDaemon(true);
        Thread exit = new Thread(() -> System.exit(EXIT_CODE), "fatal-error-exit");
        try {
            halt.start();
            exit.start(); // System.exit blocks its caller until shutdown hooks end: not this thread
        } catch (Throwable cannotStartThreads) {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
        throw error;
    }
}
