package io.secretsync.operator.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the image builder cannot see. The native check ({@code mvn -B verify -Pnative-check},
 * native-check/README.md) runs the builder on the operator through every stage and the link and
 * fails on everything decided at build time: a class that does not link, a class initialised
 * at build time that must not be, an object that must not be in the image heap, a registration
 * that names nothing. What is decided only when the executable runs, it cannot see: which classes
 * Jackson reflects on (that depends on the data it reads) and lookups by a name computed at run
 * time. Those fail in a native executable, not in the builder: the executable's tests
 * (*ExecutableIT) exercise the paths they know, and this test checks in JVM mode, on every
 * {@code mvn -B verify}, that the code has none that they could miss.
 */
class NativeImageReadinessTest {
    static final Path MAIN = Path.of("src/main/java");
    static final Path MODEL = MAIN.resolve("io/secretsync/operator/crd/v1alpha1");
    /** Code that resolves classes, members or resources at run time, and why a native executable fails on it. */
    static final Map<String, String> RUN_TIME_LOOKUPS = Map.ofEntries(
            Map.entry("Class.forName(", "a class looked up by name must be registered for reflection"),
            Map.entry(".getDeclaredField(", "a field looked up by name must be registered for reflection"),
            Map.entry(".getDeclaredMethod(", "a method looked up by name must be registered for reflection"),
            Map.entry(".getDeclaredConstructor(", "a constructor looked up reflectively must be registered"),
            Map.entry(".newInstance(", "reflective instantiation needs a registered constructor"),
            Map.entry("MethodHandles.lookup(", "a method handle looked up at run time needs a registered member"),
            Map.entry("java.lang.reflect.Proxy", "a proxy class must be defined when the image is built"),
            Map.entry("ServiceLoader.", "Quarkus turns the builder's service-loader support off: only services Quarkus registers are found"),
            Map.entry("ClassLoader().getResources(", "a resource must be registered to be in the image"),
            Map.entry("classLoader.getResources(", "a resource must be registered to be in the image"),
            Map.entry("URLClassLoader", "a native executable cannot load classes"));

    /** Jackson reads and writes the policy model by reflection; only the model's package says which classes that is. */
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
    void noLookupsThatOnlyARunningExecutableWouldReject() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String code = Files.readString(f);
                RUN_TIME_LOOKUPS.forEach((lookup, why) ->
                        assertThat(code).as("%s uses %s: %s", f, lookup, why).doesNotContain(lookup));
            }
        }
    }
}
