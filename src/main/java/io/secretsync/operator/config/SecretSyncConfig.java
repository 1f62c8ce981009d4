package io.secretsync.operator.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "secretsync")
public interface SecretSyncConfig {

    /** Namespaces that are never targets, whatever a policy says. */
    @WithDefault("kube-system,kube-public,kube-node-lease")
    Set<String> excludedNamespaces();

    /** Replica writes in flight at once, across all policies (the API client is sized to allow them). */
    @WithDefault("8")
    int writeConcurrency();

    /** Writes per second at most, across all policies; unset (the default) means no rate limit. */
    Optional<Double> writeRateLimit();

    /**
     * The only namespaces policies may copy from (comma-separated). Unset allows every namespace;
     * a policy reading another one is InvalidSpec and nothing is read from it.
     */
    Optional<Set<String>> allowedSourceNamespaces();

    /** How often replicas whose policy no longer exists are looked for (also once at start-up). */
    @WithDefault("10m")
    Duration vanishedPolicySweepInterval();

    /**
     * A policy with a conflicting unmanaged Secret looks again after this long, doubling up to
     * conflict-recheck-max: nothing watches Secrets the operator does not own, so this is how a
     * deleted conflicting Secret gets its replica without waiting for the periodic resync.
     */
    @WithDefault("30s")
    Duration conflictRecheckFirst();

    @WithDefault("5m")
    Duration conflictRecheckMax();

    /** How often a policy looks again for spec.target.namespacesWith kinds that are not installed. */
    @WithDefault("30s")
    Duration missingKindRecheckInterval();

    /**
     * This process's shard key (contract section 8): it serves exactly the policies labelled
     * secretsync.io/shard=KEY and elects its leader on a Lease of its own. Unset (the default): it
     * serves the policies without that label, and the Tanzu Build Service convention.
     */
    Optional<String> shard();

    /** {@link #shard()} checked: empty for the unsharded process; an invalid key stops start-up. */
    default Optional<String> shardKey() {
        return Shard.key(shard().orElse(null));
    }
}
