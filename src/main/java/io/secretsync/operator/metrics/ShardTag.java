package io.secretsync.operator.metrics;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.secretsync.operator.config.SecretSyncConfig;

/**
 * Every metric carries the process's shard ({@code shard=""} for the unsharded process), so that
 * the series of several shards scraped side by side stay apart (contract section 8).
 */
@Singleton
public class ShardTag {

    @Produces
    @Singleton
    MeterFilter shardTag(SecretSyncConfig config) {
        return MeterFilter.commonTags(List.of(Tag.of("shard", config.shardKey().orElse(""))));
    }
}
