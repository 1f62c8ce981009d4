/**
 * High availability: leader election on a Lease so that only one replica writes. Leadership is
 * announced as a CDI event ({@link io.secretsync.operator.ha.LeadershipAcquired}); this package
 * knows none of the features that listen for it ({@code ArchitectureTest}). It reads the
 * operator's settings (config/): each shard elects its leader on a Lease of its own.
 */
package io.secretsync.operator.ha;
