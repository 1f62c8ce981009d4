import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The builder's modules use internals of the JDK modules they read (class loading, JVMCI, the
 * module system). A GraalVM JDK is built with those packages exported to them; Temurin is not,
 * so the check grants each builder module every unexported package of each JDK module it
 * requires, which is what the {@code native-image} launcher of a distribution arranges.
 */
final class BuilderJvm {
    private BuilderJvm() {
    }

    static List<String> addExports(List<Path> builderJars) {
        ModuleFinder system = ModuleFinder.ofSystem();
        Map<String, TreeSet<String>> exports = new TreeMap<>(); // module/package -> builder modules
        for (ModuleReference builderModule : ModuleFinder.of(builderJars.toArray(Path[]::new)).findAll()) {
            ModuleDescriptor descriptor = builderModule.descriptor();
            for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                Optional<ModuleReference> jdkModule = system.find(requires.name());
                if (jdkModule.isEmpty()) {
                    continue; // another builder module
                }
                ModuleDescriptor jdk = jdkModule.get().descriptor();
                for (String pkg : jdk.packages()) {
                    if (!exportedToAll(jdk, pkg)) {
                        exports.computeIfAbsent(jdk.name() + "/" + pkg, k -> new TreeSet<>()).add(descriptor.name());
                    }
                }
            }
        }
        // one option per package: the JVM takes at most 1000 --add-exports
        List<String> options = new ArrayList<>();
        exports.forEach((pkg, modules) -> options.add("--add-exports=" + pkg + "=" + String.join(",", modules)));
        return options;
    }

    private static boolean exportedToAll(ModuleDescriptor module, String pkg) {
        return module.exports().stream().anyMatch(e -> e.source().equals(pkg) && !e.isQualified());
    }
}
