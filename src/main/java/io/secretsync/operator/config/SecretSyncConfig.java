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

    /** How often a policy looks again for spec.target.namespacesWith kinds that are not installed. */
    @WithDefault("30s")
    Duration missingKindRecheckInterval();
}
