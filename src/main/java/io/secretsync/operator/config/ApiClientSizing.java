package io.secretsync.operator.config;

import jakarta.inject.Singleton;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;

/**
 * Sizes the API client for secretsync.write-concurrency. fabric8's per-host request limit
 * defaults to 5, below the default write concurrency of 8; HTTP clients that enforce it would
 * cap writes at 5 whatever is configured. Room is left for the reads, status patches and watches
 * that run next to the writes.
 */
@Singleton
public class ApiClientSizing implements KubernetesConfigCustomizer {
    static final int HEADROOM = 16;
    private final SecretSyncConfig config;

    public ApiClientSizing(SecretSyncConfig config) {
        this.config = config;
    }

    @Override
    public void customize(Config client) {
        int needed = Math.max(1, config.writeConcurrency()) + HEADROOM;
        if (client.getMaxConcurrentRequestsPerHost() == null || client.getMaxConcurrentRequestsPerHost() < needed) {
            client.setMaxConcurrentRequestsPerHost(needed);
        }
        if (client.getMaxConcurrentRequests() == null || client.getMaxConcurrentRequests() < needed) {
            client.setMaxConcurrentRequests(needed);
        }
    }
}
