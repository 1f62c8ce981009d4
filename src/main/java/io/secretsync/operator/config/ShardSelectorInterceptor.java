package io.secretsync.operator.config;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Derives the policy controller's label selector from {@code secretsync.shard}, at run time, so
 * that one setting (environment SECRETSYNC_SHARD) chooses the shard: Quarkus Operator SDK reads
 * the selector from its own property, and a property expression cannot say "the label equals the
 * key, or is absent when there is no key". An explicit selector property wins.
 */
@Priority(Priorities.APPLICATION)
public class ShardSelectorInterceptor implements ConfigSourceInterceptor {
    private static final long serialVersionUID = 1L;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !Shard.SELECTOR_PROPERTY.equals(name)) {
            return value;
        }
        ConfigValue shard = context.proceed(Shard.PROPERTY);
        String selector = Shard.policySelector(Shard.key(shard == null ? null : shard.getValue()));
        return ConfigValue.builder().withName(name).withValue(selector).withConfigSourceName("secretsync.shard")
                .build();
    }
}
