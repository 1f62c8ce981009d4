package io.secretsync.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** What one setting, secretsync.shard, makes of the policy selector and the Lease. */
class ShardTest {

    @Test
    void withoutAKeyTheProcessServesThePoliciesWithoutTheLabelOnTheOriginalLease() {
        assertThat(Shard.key(null)).isEmpty();
        assertThat(Shard.key("  ")).isEmpty();
        assertThat(Shard.policySelector(Optional.empty())).isEqualTo("!secretsync.io/shard");
        assertThat(Shard.leaseName("secretsync-operator-lease", Optional.empty())).isEqualTo("secretsync-operator-lease");
    }

    @Test
    void aKeySelectsItsLabelAndALeaseOfItsOwn() {
        assertThat(Shard.key(" team-a ")).contains("team-a");
        assertThat(Shard.policySelector(Optional.of("team-a"))).isEqualTo("secretsync.io/shard=team-a");
        assertThat(Shard.leaseName("secretsync-operator-lease", Optional.of("team-a")))
                .isEqualTo("secretsync-operator-lease-team-a");
    }

    @Test
    void aKeyThatCannotBeALabelValueAndLeaseNameStopsStartUpNamingTheSetting() {
        for (String bad : new String[] { "Team-A", "-a", "a-", "a_b", "a.b", "x".repeat(41) }) {
            assertThatThrownBy(() -> Shard.key(bad)).as(bad).hasMessageContaining("secretsync.shard=\"" + bad + "\"");
        }
    }

    @Test
    void theControllerSelectorFollowsTheShardSettingUnlessSetExplicitly() {
        assertThat(config(Map.of()).getValue(Shard.SELECTOR_PROPERTY, String.class)).isEqualTo("!secretsync.io/shard");
        assertThat(config(Map.of("secretsync.shard", "b")).getValue(Shard.SELECTOR_PROPERTY, String.class))
                .isEqualTo("secretsync.io/shard=b");
        assertThat(config(Map.of("secretsync.shard", "b", Shard.SELECTOR_PROPERTY, "team=x"))
                .getValue(Shard.SELECTOR_PROPERTY, String.class)).isEqualTo("team=x");
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100))
                .withInterceptors(new ShardSelectorInterceptor()).build();
    }
}
