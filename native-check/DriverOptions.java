import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Does what the {@code native-image} driver would do with Quarkus's {@code native-image.args} and
 * with the {@code META-INF/native-image} files of the jars: turns them into options of the image
 * builder ({@code NativeImageGeneratorRunner}) and of the JVM that runs it. The driver is not
 * published with the builder jars, so the check does its part here.
 *
 * <p>Each driver option Quarkus or a library uses is translated by one line of
 * {@link #builderOptions}, after the {@code @APIOption} declaration of the builder option it
 * stands for. An option not in that list stops the check: a silently dropped option would make
 * the check prove less than it claims.
 */
final class DriverOptions {

    /** Builder options per configuration file the builder reads from the class path. */
    static final Map<String, String> CONFIGURATION_FILES = Map.of(
            "reachability-metadata.json", "-H:ReachabilityMetadataResources=",
            "reflect-config.json", "-H:ReflectionConfigurationResources=",
            "resource-config.json", "-H:ResourceConfigurationResources=",
            "jni-config.json", "-H:JNIConfigurationResources=",
            "proxy-config.json", "-H:DynamicProxyConfigurationResources=",
            "serialization-config.json", "-H:SerializationConfigurationResources=",
            "serialization-deny-config.json", "-H:SerializationDenyConfigurationResources=",
            "predefined-classes-config.json", "-H:PredefinedClassesConfigurationResources=");

    /** What the translation yields: options of the builder's JVM, of the builder, and what it builds. */
    record Translation(List<String> jvmOptions, List<String> builderOptions, String jar, String imageName,
            List<Exclusion> exclusions) {
    }

    /** {@code --exclude-config <jar regex> <resource regex>}: a configuration file the driver would skip. */
    record Exclusion(Pattern jar, Pattern resource) {
        boolean excludes(String jarPath, String resourcePath) {
            return jar.matcher(jarPath).find() && resource.matcher(resourcePath).find();
        }
    }

    /** A file under {@code META-INF/native-image/} of a class-path jar. */
    record MetaInfFile(String jarPath, String resourcePath, String content) {
    }

    private DriverOptions() {
    }

    /** Translates the driver arguments of {@code native-image.args} (split at white space). */
    static Translation translateArgs(List<String> args) {
        List<String> jvm = new ArrayList<>();
        List<String> builder = new ArrayList<>();
        List<Exclusion> exclusions = new ArrayList<>();
        String jar = null;
        String imageName = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("-J")) {
                jvm.add(arg.substring(2));
            } else if (arg.equals("--exclude-config")) {
                requireValues(args, i, 2, arg);
                exclusions.add(new Exclusion(Pattern.compile(args.get(i + 1)), Pattern.compile(args.get(i + 2))));
                i += 2;
            } else if (arg.equals("-jar")) {
                requireValues(args, i, 1, arg);
                jar = args.get(++i);
            } else if (arg.startsWith("-")) {
                builder.addAll(builderOptions(arg));
            } else if (imageName == null) {
                imageName = arg;
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' after the image name '" + imageName + "'");
            }
        }
        if (jar == null || imageName == null) {
            throw new IllegalArgumentException("native-image.args names no -jar and image name: " + args);
        }
        return new Translation(jvm, builder, jar, imageName, exclusions);
    }

    /**
     * The builder options for the {@code META-INF/native-image} files of the class path, as the
     * driver derives them: a {@code native-image.properties} contributes its {@code Args} (driver
     * options, translated like the command line) and {@code JavaArgs} (options of the builder's
     * JVM, added to {@code jvmOptions}); a configuration file is named to the builder as a class-path
     * resource. Files excluded by {@code --exclude-config} are skipped.
     */
    static List<String> translateMetaInf(List<MetaInfFile> files, List<Exclusion> exclusions, List<String> jvmOptions) {
        List<String> builder = new ArrayList<>();
        for (MetaInfFile file : files) {
            if (exclusions.stream().anyMatch(e -> e.excludes(file.jarPath(), "/" + file.resourcePath()))) {
                continue;
            }
            String name = file.resourcePath().substring(file.resourcePath().lastIndexOf('/') + 1);
            if (name.equals("native-image.properties")) {
                Properties properties = load(file);
                for (String arg : split(properties.getProperty("Args", ""), file)) {
                    builder.addAll(builderOptions(arg));
                }
                jvmOptions.addAll(split(properties.getProperty("JavaArgs", ""), file));
            } else if (CONFIGURATION_FILES.containsKey(name)) {
                builder.add(CONFIGURATION_FILES.get(name) + file.resourcePath());
            } else if (name.endsWith(".json")) {
                throw new IllegalArgumentException(file.jarPath() + "!/" + file.resourcePath()
                        + ": a configuration file the check does not know; add it to DriverOptions.CONFIGURATION_FILES");
            }
        }
        return builder;
    }

    /**
     * The {@code Add-Opens} and {@code Add-Exports} attributes of the {@code -jar}'s manifest
     * (space-separated {@code module/package}s) apply to the class path, as with {@code java -jar}:
     * the builder grants them both to the code it initialises at build time and to the image.
     */
    static List<String> manifestOptions(String addOpens, String addExports) {
        List<String> builder = new ArrayList<>();
        for (String pkg : words(addOpens)) {
            builder.add("-H:AddOpens=" + pkg + "=ALL-UNNAMED");
        }
        for (String pkg : words(addExports)) {
            builder.add("-H:AddExports=" + pkg + "=ALL-UNNAMED");
        }
        return builder;
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    /** One driver option (not {@code -J}, not {@code --exclude-config}, not {@code -jar}) as builder options. */
    static List<String> builderOptions(String arg) {
        if (arg.startsWith("-H:")) {
            return List.of(arg);
        }
        int eq = arg.indexOf('=');
        String option = eq < 0 ? arg : arg.substring(0, eq);
        String value = eq < 0 ? "" : arg.substring(eq + 1);
        return switch (option) {
            case "--features" -> List.of("-H:Features=" + value);
            case "--initialize-at-run-time" -> List.of("-H:ClassInitialization=" + suffixEach(value, ":run_time"));
            case "--initialize-at-build-time" -> List.of("-H:ClassInitialization=" + suffixEach(value, ":build_time"));
            case "--no-fallback" -> List.of("-H:FallbackThreshold=0");
            case "--link-at-build-time" -> List.of("-H:LinkAtBuildTime=" + value);
            case "--enable-url-protocols" -> List.of("-H:EnableURLProtocols=" + value);
            case "--enable-monitoring" -> List.of("-H:EnableMonitoringFeatures=" + value);
            case "--enable-native-access" -> List.of("-H:EnableNativeAccess=" + value);
            default -> throw new IllegalArgumentException("driver option '" + arg + "' has no translation;"
                    + " add it to DriverOptions.builderOptions after the builder's @APIOption that declares it");
        };
    }

    /** {@code a,b} becomes {@code a:run_time,b:run_time}; an empty list stands for every class. */
    private static String suffixEach(String classes, String suffix) {
        if (classes.isEmpty()) {
            return suffix;
        }
        return Arrays.stream(classes.split(",")).map(c -> c + suffix).collect(Collectors.joining(","));
    }

    private static Properties load(MetaInfFile file) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(file.content()));
        } catch (IOException e) {
            throw new IllegalArgumentException(file.jarPath() + "!/" + file.resourcePath() + ": " + e.getMessage(), e);
        }
        return properties;
    }

    private static List<String> split(String value, MetaInfFile file) {
        if (value.contains("${")) {
            throw new IllegalArgumentException(file.jarPath() + "!/" + file.resourcePath()
                    + ": property substitutions (${...}) are not supported by the check");
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static void requireValues(List<String> args, int index, int count, String option) {
        if (index + count >= args.size()) {
            throw new IllegalArgumentException(option + " needs " + count + " value(s)");
        }
    }
}
