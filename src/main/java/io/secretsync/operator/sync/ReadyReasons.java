package io.secretsync.operator.sync;

/** Ready condition reasons of the contract. */
public final class ReadyReasons {
    public static final String SYNCED = "Synced";
    public static final String PARTIALLY_SYNCED = "PartiallySynced";
    public static final String SOURCE_NOT_FOUND = "SourceNotFound";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String SUSPENDED = "Suspended";
    /** The reconcile itself failed (an exception, not a replica): the operator retries with backoff. */
    public static final String RECONCILE_ERROR = "ReconcileError";

    private ReadyReasons() {
    }
}
