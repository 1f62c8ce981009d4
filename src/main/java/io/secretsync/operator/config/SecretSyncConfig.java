package io.secretsync.operator.config;

import java.time.Duration;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "secretsync")
public interface SecretSyncConfig {

    /** Namespaces that are never targets, whatever a policy says. */
    @WithDefault("kube-system,kube-public,kube-node-lease")
    Set<String> excludedNamespaces();

    /** Replica writes in flight at once, across all policies. */
    @WithDefault("8")
    int writeConcurrency();

    /** How often a policy looks again for spec.target.namespacesWith kinds that are not installed. */
    @WithDefault("30s")
    Duration missingKindRecheckInterval();
}
