package io.secretsync.operator.reconciler;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Whether this process has stopped writing: the process is stopping (SIGTERM, see
 * {@link ReplicaWriter#onShutdown}) or it lost its Lease. From then on no write starts: the
 * replica writer abandons the writes it has not started, the reconciler writes no status, no
 * event and no ServiceAccount reference, and a deleted policy keeps its finalizer. Each write is
 * one request carrying a whole object, so a replica is left either as it was or as planned; the
 * next leader (or the restarted process) plans again from what is on the server and finishes the
 * rollout.
 */
@ApplicationScoped
public class Stopping {
    private static final Logger LOG = Logger.getLogger(Stopping.class);
    private final AtomicReference<String> why = new AtomicReference<>();

    /** @param reason what the log says, e.g. "the operator is stopping" */
    public void begin(String reason) {
        if (why.compareAndSet(null, reason)) {
            LOG.infof("%s: no new writes start from now on", reason);
        }
    }

    public boolean isStopping() {
        return why.get() != null;
    }
}
