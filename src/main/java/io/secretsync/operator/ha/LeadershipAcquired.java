package io.secretsync.operator.ha;

/**
 * CDI event: this replica may write from now on. Fired once at start-up when leader election is
 * off (the replica is the only writer), and each time this replica wins the Lease when it is on.
 * Features that must write exactly once per writer (the Tanzu Build Service convention's policy)
 * observe it instead of asking how leadership is decided.
 */
public record LeadershipAcquired() {
}
