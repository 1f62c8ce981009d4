package io.secretsync.operator.tanzu;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Tanzu Build Service "synced secrets" label convention. The properties keep their first
 * name, {@code secretsync.legacy.*}, so that existing deployments keep their settings.
 */
@ConfigMapping(prefix = "secretsync.legacy")
public interface TanzuBuildServiceSettings {

    /** Serve the convention: create its policy at start-up when it is missing. */
    @WithDefault("true")
    boolean enabled();

    /** Where labelled source Secrets live. */
    @WithDefault("build-service")
    String namespace();
}
