package io.secretsync.operator.ha;

/**
 * CDI event, fired synchronously: this replica lost its Lease while running (it could not renew
 * it in time, or another replica holds it now). Another replica may write from now on, so what
 * writes stops at once; the process then exits with {@link Leadership#LEASE_LOST_EXIT_CODE} and is
 * restarted as a stand-by. Not fired when the process stops on purpose (SIGTERM): then the Lease
 * is released instead.
 */
public record LeadershipLost() {
}
