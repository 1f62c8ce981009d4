import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The native check: runs GraalVM's image builder, taken as jars from Maven Central, on Quarkus's
 * native sources through every stage (analysis, compilation, image heap, object file) and the
 * link, and fails on any builder or linker error. The link is dynamic, against the shared
 * libraries of the JDK the builder runs on and the project's own stand-ins for GraalVM's C runtime
 * ({@link NativeRuntime}), since the static libraries of a GraalVM distribution are not to be had
 * here (native-check/README.md).
 *
 * <pre>
 * java native-check/NativeCheck.java NATIVE_SOURCES BUILDER_JARS BUILDER_SOURCES_JAR WORK_DIR GRAALVM_VERSION
 * </pre>
 *
 * It must run on the JDK the builder runs on (Temurin 25): it starts that JDK's {@code java}. It
 * writes into WORK_DIR the headers, the helper library, the stand-ins, the builder's argument file
 * and log, the relocatable object, the executable with the shared libraries it loads beside it
 * ({@code image/}) and {@code report.json}.
 */
public final class NativeCheck {
    private static final String BUILDER = "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner";
    private static final String COMPILER_JAR = "compiler-";

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: java NativeCheck.java NATIVE_SOURCES BUILDER_JARS BUILDER_SOURCES_JAR WORK_DIR GRAALVM_VERSION");
            System.exit(2);
        }
        Path nativeSources = Path.of(args[0]).toAbsolutePath();
        Path builderJars = Path.of(args[1]).toAbsolutePath();
        Path builderSources = Path.of(args[2]).toAbsolutePath();
        Path work = Path.of(args[3]).toAbsolutePath();
        String graalvmVersion = args[4];
        Path checkDir = Path.of("native-check").toAbsolutePath(); // run from the project's directory

        if (Runtime.version().feature() != 25) {
            fail("the builder " + graalvmVersion + " runs on JDK 25 only; this is " + Runtime.version()
                    + " (mvn -Pnative-check -Dnative-check.jdk=<a JDK 25 home>)");
        }
        Files.createDirectories(work);
        Path realJavaHome = Path.of(System.getProperty("java.home"));

        // 1. What the driver would pass: native-image.args and the jars' META-INF/native-image files.
        List<String> driverArgs = List.of(Files.readString(nativeSources.resolve("native-image.args")).trim().split("\\s+"));
        DriverOptions.Translation translation = DriverOptions.translateArgs(driverArgs);
        Path runnerJar = nativeSources.resolve(translation.jar());
        List<Path> classpath = classpath(runnerJar);
        List<String> jvmOptions = new ArrayList<>(translation.jvmOptions());
        List<String> metaInfOptions = DriverOptions.translateMetaInf(metaInfFiles(classpath), translation.exclusions(), jvmOptions);
        Attributes manifest = manifest(runnerJar);
        List<String> manifestOptions = DriverOptions.manifestOptions(manifest.getValue("Add-Opens"), manifest.getValue("Add-Exports"));

        // 2. What a GraalVM distribution would have: C headers and the helper library.
        Path clibraries = work.resolve("clibraries");
        Files.createDirectories(clibraries.resolve("include"));
        for (Map.Entry<String, String> header : CHeaders.generate(javaSources(builderSources)).entrySet()) {
            Files.writeString(clibraries.resolve("include").resolve(header.getKey()), header.getValue());
        }
        Path javaHome = javaHomeWithHelper(realJavaHome, work.resolve("jdk"), checkDir.resolve("reporterchelper.c"));
        // ... and its C runtime and static JDK libraries: the project's stand-ins (NativeRuntime).
        NativeRuntime.Built runtime = NativeRuntime.build(checkDir.resolve("runtime"), realJavaHome, clibraries,
                work.resolve("runtime/shared"), emptyDirectory(work.resolve("runtime/build")));

        // 3. The builder's command line, in an argument file that can be read and rerun by hand.
        Path output = emptyDirectory(work.resolve("image"));
        Path temp = emptyDirectory(work.resolve("tmp"));
        List<String> command = new ArrayList<>(builderJvmOptions(builderJars, javaHome, graalvmVersion));
        command.addAll(jvmOptions);
        command.addAll(List.of("--module", BUILDER,
                "-imagecp", classpath.stream().map(Path::toString).collect(Collectors.joining(":")),
                "-H:Path=" + output,
                "-H:Name=" + translation.imageName(),
                "-H:Class=" + manifest.getValue("Main-Class"),
                "-H:CLibraryPath=" + clibraries,
                "-H:TempDirectory=" + temp,
                // the driver gives every build an id; here the same one for the same image name
                "-H:ImageBuildID=" + UUID.nameUUIDFromBytes(translation.imageName().getBytes(StandardCharsets.UTF_8)),
                // the builder prints the linker's command line into the log
                "-H:+TraceNativeToolUsage"));
        for (String option : runtime.linkerOptions()) {
            command.add("-H:NativeLinkerOption=" + option);
        }
        command.addAll(translation.builderOptions());
        command.addAll(manifestOptions);
        command.addAll(metaInfOptions);
        Path argFile = work.resolve("builder.args");
        Files.write(argFile, command.stream().map(NativeCheck::quote).toList());

        // 4. Run it, measure it, report (from this run's statistics only).
        Path staleStats = findStats(nativeSources, output);
        if (staleStats != null) {
            Files.delete(staleStats);
        }
        Path log = work.resolve("builder.log");
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(realJavaHome.resolve("bin/java").toString(), "@" + argFile)
                .directory(nativeSources.toFile()).redirectErrorStream(true);
        Process process = builder.start();
        PeakRss peak = PeakRss.watch(process.pid());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter copy = new PrintWriter(Files.newBufferedWriter(log), true)) {
            for (String line; (line = lines.readLine()) != null;) {
                System.out.println(line);
                copy.println(line);
            }
        }
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        long peakRss = peak.stop();

        Path object = findObject(temp, translation.imageName());
        Path stats = findStats(nativeSources, output);
        Path executable = output.resolve(translation.imageName());
        long executableBytes = -1;
        if (exit == 0 && Files.isRegularFile(executable)) {
            executableBytes = Files.size(executable);
            // the executable finds them through its RPATH, $ORIGIN
            NativeRuntime.copyBeside(executable, NativeRuntime.besideTheExecutable(runtime.sharedDir(), realJavaHome.resolve("lib")));
        }
        BuildReport report = BuildReport.of(exit, seconds, peakRss, object == null ? -1 : Files.size(object),
                executableBytes, stats == null ? null : Files.readString(stats), graalvmVersion, Runtime.version().toString());
        Files.writeString(work.resolve("report.json"), report.toJson());
        System.out.println();
        System.out.println("native check: " + report.summary());
        System.out.println("native check: report in " + work.resolve("report.json") + ", builder log in " + log);
        if (!report.ok()) {
            fail("the image builder did not build and link the executable (exit " + exit
                    + "); its errors, and the linker's, are above and in " + log);
        }
        System.out.println("native check: executable " + executable);
    }

    /**
     * The JVM that runs the builder, as a distribution's launcher starts it: JVMCI on (the builder
     * uses Graal through it), the compiler jar upgrading the JDK's, the other builder jars as
     * modules, the builder's system class loader, and the properties the builder reads.
     */
    private static List<String> builderJvmOptions(Path builderJars, Path javaHome, String graalvmVersion) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(builderJars)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        Path compiler = jars.stream().filter(p -> p.getFileName().toString().startsWith(COMPILER_JAR)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no compiler jar in " + builderJars));
        List<String> options = new ArrayList<>(List.of(
                "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler",
                "-XX:+UseParallelGC", "-Xss10m", "-Xshare:off",
                "-Djava.home=" + javaHome,
                "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
                "-Dorg.graalvm.nativeimage.imagecode=buildtime",
                "-Dorg.graalvm.version=" + graalvmVersion,
                // Quarkus's features parse it to learn the builder's version
                "-Dorg.graalvm.vendorversion=GraalVM CE " + graalvmVersion,
                "--upgrade-module-path", compiler.toString(),
                "--module-path", jars.stream().filter(p -> !p.equals(compiler)).map(Path::toString)
                        .collect(Collectors.joining(":")),
                "--add-modules", "ALL-DEFAULT",
                "--enable-native-access=org.graalvm.nativeimage.builder"));
        options.addAll(BuilderJvm.addExports(jars));
        return options;
    }

    /** The runner jar and its manifest's Class-Path, as the driver's {@code -jar} does. */
    static List<Path> classpath(Path runnerJar) throws IOException {
        List<Path> classpath = new ArrayList<>(List.of(runnerJar));
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            String entries = jar.getManifest().getMainAttributes().getValue("Class-Path");
            for (String entry : entries.trim().split("\\s+")) {
                classpath.add(runnerJar.resolveSibling(entry).normalize());
            }
        }
        return classpath;
    }

    private static Attributes manifest(Path runnerJar) throws IOException {
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            return jar.getManifest().getMainAttributes();
        }
    }

    private static List<DriverOptions.MetaInfFile> metaInfFiles(List<Path> classpath) throws IOException {
        List<DriverOptions.MetaInfFile> files = new ArrayList<>();
        for (Path entry : classpath) {
            try (ZipFile zip = new ZipFile(entry.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                    ZipEntry z = e.nextElement();
                    if (!z.isDirectory() && z.getName().startsWith("META-INF/native-image/")) {
                        String content = z.getName().endsWith(".properties")
                                ? new String(zip.getInputStream(z).readAllBytes(), StandardCharsets.ISO_8859_1) : null;
                        files.add(new DriverOptions.MetaInfFile(entry.toString(), z.getName(), content));
                    }
                }
            }
        }
        return files;
    }

    private static Map<String, String> javaSources(Path sourcesJar) throws IOException {
        Map<String, String> sources = new HashMap<>();
        try (ZipFile zip = new ZipFile(sourcesJar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry z = e.nextElement();
                if (z.getName().endsWith(".java")) {
                    sources.put(z.getName(), new String(zip.getInputStream(z).readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return sources;
    }

    /**
     * The builder loads its helper library from {@code <java.home>/lib/svm/builder/lib}. Rather
     * than write into the installed JDK, the check gives the builder a java.home of its own: a
     * directory of links to the JDK's files plus the helper, compiled here with gcc.
     */
    private static Path javaHomeWithHelper(Path realHome, Path home, Path helperSource) throws IOException, InterruptedException {
        deleteRecursively(home);
        Files.createDirectories(home.resolve("lib"));
        try (Stream<Path> entries = Files.list(realHome)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("lib")) {
                    Files.createSymbolicLink(home.resolve(entry.getFileName().toString()), entry);
                }
            }
        }
        try (Stream<Path> entries = Files.list(realHome.resolve("lib"))) {
            for (Path entry : entries.toList()) {
                Files.createSymbolicLink(home.resolve("lib").resolve(entry.getFileName().toString()), entry);
            }
        }
        Path helperDir = Files.createDirectories(home.resolve("lib/svm/builder/lib"));
        run(List.of("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Werror",
                "-I" + realHome.resolve("include"), "-I" + realHome.resolve("include/linux"),
                "-o", helperDir.resolve("libreporterchelper.so").toString(), helperSource.toString()));
        return home;
    }

    private static Path findObject(Path temp, String imageName) throws IOException {
        try (Stream<Path> files = Files.walk(temp)) {
            return files.filter(p -> p.getFileName().toString().equals(imageName + ".o")).findFirst().orElse(null);
        }
    }

    private static Path findStats(Path... dirs) throws IOException {
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir, 3)) {
                var found = files.filter(p -> p.getFileName().toString().endsWith("-build-output-stats.json")).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        return null;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            fail("failed: " + String.join(" ", command));
        }
    }

    /** One argument per line, quoted for the java launcher's argument files. */
    static String quote(String arg) {
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static Path emptyDirectory(Path dir) throws IOException {
        deleteRecursively(dir);
        return Files.createDirectories(dir);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void fail(String message) {
        System.err.println("native check FAILED: " + message);
        System.exit(1);
    }

    /** Peak resident set of the builder process, read from /proc while it runs (VmHWM only grows). */
    static final class PeakRss {
        private final Thread thread;
        private volatile long peak = -1;

        private PeakRss(long pid) {
            Path status = Path.of("/proc/" + pid + "/status");
            thread = new Thread(() -> {
                Pattern hwm = Pattern.compile("VmHWM:\\s+(\\d+) kB");
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Matcher m = hwm.matcher(Files.readString(status));
                        if (m.find()) {
                            peak = Math.max(peak, Long.parseLong(m.group(1)) * 1024);
                        }
                        Thread.sleep(200); // the sampling interval: VmHWM keeps the peak between samples
                    } catch (IOException | InterruptedException e) {
                        return; // the process has ended
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        static PeakRss watch(long pid) {
            return new PeakRss(pid);
        }

        long stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
            return peak;
        }
    }
}
