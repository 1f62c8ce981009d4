import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the link needs from a GraalVM distribution, made here instead (native-check/README.md,
 * "The link"): the project's C stand-ins for GraalVM's C runtime ({@code runtime/*.c}) compiled
 * with gcc into the static archives the builder asks for by name, a stand-in {@code libjvm.so} for
 * the JDK's shared libraries, and the linker options that link the image dynamically against the
 * shared libraries of the JDK the builder runs on.
 */
final class NativeRuntime {
    /** The JDK shared libraries the image's Java_* functions and JNI_OnLoad_* forwarders come from. */
    static final List<String> JDK_LIBRARIES = List.of("java", "nio", "net", "zip", "extnet", "management_ext");
    /** The JNI libraries the image treats as built in: the builder requires lib&lt;name&gt;.a of each. */
    static final List<String> BUILTIN_JNI_LIBRARIES = List.of("java", "nio", "net", "zip", "extnet");
    /** The version node of the JVM functions the JDK's libraries import. */
    static final String JVM_VERSION_NODE = "SUNWprivate_1.1";
    /** Imports of libjvm.so that runtime/libjvm_so.c and runtime/libjvm.c implement. */
    static final Set<String> JVM_IMPLEMENTED = Set.of("JVM_FindLibraryEntry", "JVM_Halt", "jio_vsnprintf", "jio_vfprintf",
            "JVM_ActiveProcessorCount");

    private NativeRuntime() {
    }

    /** The stand-ins and where they are. */
    record Built(Path archives, Path sharedDir, List<String> linkerOptions) {
    }

    /**
     * Compiles the stand-ins: {@code liblibchelper.a}, {@code libjvm.a}, {@code libsvm_container.a},
     * {@code libjava.a} (the JNI_OnLoad_* forwarders) and empty {@code libnio.a}, ... into
     * {@code archives} (the builder's {@code -H:CLibraryPath}, where the headers are too), and
     * {@code libjvm.so} into {@code sharedDir}, a directory of its own so that the builder's
     * {@code -ljvm} keeps finding the archive.
     */
    static Built build(Path sources, Path jdk, Path archives, Path sharedDir, Path work) throws IOException, InterruptedException {
        Files.createDirectories(archives);
        Files.createDirectories(sharedDir);
        Path objects = Files.createDirectories(work.resolve("objects"));
        List<String> cflags = List.of("-O2", "-fPIC", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror",
                "-I" + archives.resolve("include"), "-I" + jdk.resolve("include"), "-I" + jdk.resolve("include/linux"));

        archive(archives.resolve("liblibchelper.a"), objects, cflags, sources.resolve("libchelper.c"));
        archive(archives.resolve("libjvm.a"), objects, cflags, sources.resolve("libjvm.c"));
        archive(archives.resolve("libsvm_container.a"), objects, cflags, sources.resolve("svm_container.c"));
        archive(archives.resolve("libjava.a"), objects, cflags, sources.resolve("jni_onload.c"));
        for (String library : BUILTIN_JNI_LIBRARIES) {
            if (!library.equals("java")) {
                archive(archives.resolve("lib" + library + ".a"), objects, cflags);
            }
        }

        Set<String> imports = new TreeSet<>();
        for (String library : JDK_LIBRARIES) {
            imports.addAll(jvmImports(output(List.of("nm", "-D", "--undefined-only", jdk.resolve("lib/lib" + library + ".so").toString()))));
        }
        Path unreached = work.resolve("libjvm_unreached.c");
        Files.writeString(unreached, unreachedSource(imports));
        Path versionScript = work.resolve("libjvm.map");
        Files.writeString(versionScript, versionScript(imports));
        List<String> command = new ArrayList<>(List.of("gcc", "-shared"));
        command.addAll(cflags);
        command.addAll(List.of("-Wl,-soname,libjvm.so", "-Wl,--version-script=" + versionScript,
                "-o", sharedDir.resolve("libjvm.so").toString(),
                sources.resolve("libjvm_so.c").toString(), sources.resolve("libjvm.c").toString(), unreached.toString()));
        run(command);
        return new Built(archives, sharedDir, linkerOptions(sharedDir, jdk.resolve("lib")));
    }

    /**
     * The builder's {@code -H:NativeLinkerOption}s, in order: link the stand-in libjvm.so and the
     * JDK's libraries by file name ({@code -l:}, since plain {@code -ljava} would take the archive),
     * keep them all as needed entries ({@code --no-as-needed}: the image references none of
     * libjvm.so's symbols, yet libjava.so needs it loaded), and find them beside the executable at
     * run time through an RPATH ({@code --disable-new-dtags}: a RUNPATH would not apply to the
     * libraries' own dependency on libjvm.so).
     */
    static List<String> linkerOptions(Path sharedDir, Path jdkLib) {
        List<String> options = new ArrayList<>(List.of("-Wl,--no-as-needed", "-L" + sharedDir, "-l:libjvm.so", "-L" + jdkLib));
        for (String library : JDK_LIBRARIES) {
            options.add("-l:lib" + library + ".so");
        }
        options.addAll(List.of("-Wl,--disable-new-dtags", "-Wl,-rpath,$ORIGIN"));
        return options;
    }

    /** The libraries the executable loads from its own directory ({@code $ORIGIN}). */
    static List<Path> besideTheExecutable(Path sharedDir, Path jdkLib) {
        List<Path> files = new ArrayList<>(List.of(sharedDir.resolve("libjvm.so")));
        for (String library : JDK_LIBRARIES) {
            files.add(jdkLib.resolve("lib" + library + ".so"));
        }
        return files;
    }

    static void copyBeside(Path executable, List<Path> libraries) throws IOException {
        for (Path library : libraries) {
            Files.copy(library, executable.resolveSibling(library.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The libjvm.so imports in {@code nm -D --undefined-only} output: {@code name@SUNWprivate_1.1}. */
    static Set<String> jvmImports(String nmOutput) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\bU\\s+(\\w+)@" + Pattern.quote(JVM_VERSION_NODE) + "\\b").matcher(nmOutput);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** One aborting function per import that the stand-in does not implement. */
    static String unreachedSource(Set<String> imports) {
        StringBuilder c = new StringBuilder("""
                /* Written by the native check (NativeRuntime.java) from the JDK libraries' imports of libjvm.so:
                 * each function the image is not expected to reach prints its name and aborts. */
                #include <stdio.h>
                #include <stdlib.h>

                static void unreached(const char *name) {
                    fprintf(stderr, "secretsync native runtime stand-in: libjvm.so's %s was called, which the stand-in"
                            " does not implement (native-check/runtime/libjvm_so.c)\\n", name);
                    abort();
                }

                #define UNREACHED(name) void name(void) { unreached(#name); }

                """);
        for (String name : imports) {
            if (!JVM_IMPLEMENTED.contains(name)) {
                c.append("UNREACHED(").append(name).append(")\n");
            }
        }
        return c.toString();
    }

    /** Exports every import under the JDK's version node, and nothing else. */
    static String versionScript(Set<String> imports) {
        StringBuilder map = new StringBuilder(JVM_VERSION_NODE).append(" {\n  global:\n");
        for (String name : imports) {
            map.append("    ").append(name).append(";\n");
        }
        return map.append("  local:\n    *;\n};\n").toString();
    }

    private static void archive(Path archive, Path objects, List<String> cflags, Path... sources) throws IOException, InterruptedException {
        List<String> ar = new ArrayList<>(List.of("ar", "rcs", archive.toString()));
        for (Path source : sources) {
            Path object = objects.resolve(source.getFileName().toString().replace(".c", ".o"));
            List<String> command = new ArrayList<>(List.of("gcc", "-c"));
            command.addAll(cflags);
            command.addAll(List.of("-o", object.toString(), source.toString()));
            run(command);
            ar.add(object.toString());
        }
        Files.deleteIfExists(archive);
        run(ar);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", command));
        }
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", command));
        }
        return out;
    }
}
