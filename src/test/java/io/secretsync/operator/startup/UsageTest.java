package io.secretsync.operator.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.demo.DemoMode;
import io.secretsync.operator.ha.LeaderElectionSettings;
import io.secretsync.operator.tanzu.TanzuBuildServiceSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code --help} says what the code reads: every setting with its default, every argument. */
class UsageTest {

    @Test
    void listsEverySettingOfTheOperatorWithItsDefault() {
        String text = Usage.text();
        for (Class<?> mapping : List.of(SecretSyncConfig.class, LeaderElectionSettings.class,
                TanzuBuildServiceSettings.class)) {
            assertListed(text, mapping.getAnnotation(ConfigMapping.class).prefix(), mapping);
        }
    }

    /** Every property of a mapping, and of the groups it nests (secretsync.shutdown.*). */
    private static void assertListed(String text, String prefix, Class<?> mapping) {
        for (Method m : mapping.getDeclaredMethods()) {
            if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String property = prefix + "." + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            if (m.getReturnType().isInterface() && m.getReturnType().getEnclosingClass() == mapping) {
                assertListed(text, property, m.getReturnType());
                continue;
            }
            assertThat(text).as("--help lists %s", property).containsPattern("(?m)^\\s+" + java.util.regex.Pattern.quote(property) + "\\s");
            WithDefault def = m.getAnnotation(WithDefault.class);
            if (def != null) {
                String line = text.lines().filter(l -> l.trim().startsWith(property + " ")).findFirst().orElseThrow();
                assertThat(line).as("--help gives the default of %s", property).contains("(" + def.value() + ")");
            }
        }
    }

    @Test
    void listsEveryArgumentTheProcessReads() throws Exception {
        String text = Usage.text();
        assertThat(text).contains(SecretSyncMain.DEMO_FLAG);
        for (String name : List.of("EXIT_FLAG", "API_PORT_ARG", "TIMEOUT_ARG")) {
            Field f = DemoMode.class.getDeclaredField(name);
            f.setAccessible(true);
            assertThat(text).as("--help lists DemoMode.%s", name).contains((String) f.get(null));
        }
    }

    @Test
    void helpIsAskedByEitherFlagAnywhereOnTheLine() {
        assertThat(Usage.requested("--help")).isTrue();
        assertThat(Usage.requested("--demo", "-h")).isTrue();
        assertThat(Usage.requested("--demo", "--exit-after-report")).isFalse();
        assertThat(Usage.requested()).isFalse();
    }
}
