package io.secretsync.operator.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * No GraalVM here, so the native build cannot run in CI. What can be checked in JVM mode: every
 * model class is registered for reflection, and the code uses none of the reflection and
 * class-path tricks a closed-world native image rejects or needs extra configuration for.
 */
class NativeImageReadinessTest {
    static final Path MAIN = Path.of("src/main/java");
    static final Path MODEL = MAIN.resolve("io/secretsync/operator/crd/v1alpha1");
    static final List<String> FORBIDDEN = List.of("Class.forName(", ".setAccessible(", ".getDeclaredField(",
            ".getDeclaredMethod(", ".getDeclaredConstructor(", "ServiceLoader.", "java.lang.reflect.Proxy",
            "MethodHandles.lookup(", "ClassLoader().getResources(", "classLoader.getResources(", ".newInstance(", "URLClassLoader");

    @Test
    void everyModelClassIsRegisteredForReflection() throws IOException {
        Set<String> registered = Arrays.stream(NativeImageReflection.class.getAnnotation(RegisterForReflection.class)
                .targets()).map(Class::getSimpleName).collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(MODEL)) {
            Set<String> model = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .filter(n -> !n.equals("package-info.java")).map(n -> n.substring(0, n.length() - 5))
                    .collect(Collectors.toSet());
            assertThat(registered).containsExactlyInAnyOrderElementsOf(model);
        }
    }

    @Test
    void noReflectionOrClassPathTricks() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String code = Files.readString(f);
                for (String trick : FORBIDDEN) {
                    assertThat(code).as("%s uses %s", f, trick).doesNotContain(trick);
                }
            }
        }
    }
}
