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

    /** How the process stops (SIGTERM, a lost Lease). */
    Shutdown shutdown();

    interface Shutdown {
        /**
         * Writes already sent when the process is told to stop may take this long to finish;
         * writes not yet started are abandoned at once. Left after that, a write is abandoned
         * (its request either reached the server whole or not at all).
         */
        @WithDefault("2s")
        Duration writeDrainTimeout();

        /**
         * The longest a stop may take: a stop still running after this long (a request that
         * neither ends nor fails, a SIGTERM during start-up) ends with Runtime.halt and the same
         * exit code. Keep it below the pod's terminationGracePeriodSeconds. Read by StopDeadline
         * (whose default, for a stop before the configuration is read, is the same).
         */
        @WithDefault("7s")
        Duration timeout();
    }

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

    /**
     * This operator's identity on replicas it writes into remote clusters (annotation
     * secretsync.io/origin), so two operators pushing into one cluster never take each other's
     * replicas. Unset (the default): the UID of this cluster's kube-system namespace.
     */
    Optional<String> origin();

    /** Remote clusters (contract section 7). */
    Remote remote();

    interface Remote {
        /** Kubeconfigs with insecure-skip-tls-verify are refused (InvalidKubeconfig) unless this is true. */
        @WithDefault("false")
        boolean allowInsecureTls();

        /** How often each registered cluster is probed; a cluster that goes away is Unreachable after at most this long plus the request timeout. */
        @WithDefault("30s")
        Duration probeInterval();
    }
}
