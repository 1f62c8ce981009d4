import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The stand-in libjvm.so and the linker options the native check gives the builder. */
class NativeRuntimeTest {

    static final String NM = """
                             U JNU_ThrowByName
                             U JVM_ActiveProcessorCount@SUNWprivate_1.1
                             U JVM_FindLibraryEntry@SUNWprivate_1.1
                             U JVM_GetStackTraceDepth@SUNWprivate_1.1
                             U jio_vsnprintf@SUNWprivate_1.1
                             U malloc@GLIBC_2.2.5
            """;

    @Test
    void theJvmImportsAreThoseOfTheJdksVersionNodeOnly() {
        assertThat(NativeRuntime.jvmImports(NM)).containsExactly("JVM_ActiveProcessorCount", "JVM_FindLibraryEntry",
                "JVM_GetStackTraceDepth", "jio_vsnprintf");
    }

    @Test
    void everyImportNotImplementedByHandAbortsWithItsName() {
        String c = NativeRuntime.unreachedSource(NativeRuntime.jvmImports(NM));
        assertThat(c).contains("UNREACHED(JVM_GetStackTraceDepth)", "abort();", "fprintf(stderr")
                .doesNotContain("UNREACHED(JVM_FindLibraryEntry)", "UNREACHED(jio_vsnprintf)",
                        "UNREACHED(JVM_ActiveProcessorCount)", "JNU_ThrowByName", "malloc");
    }

    @Test
    void theVersionScriptExportsEveryImportUnderTheJdksNodeAndNothingElse() {
        String map = NativeRuntime.versionScript(Set.of("JVM_Halt", "jio_vfprintf"));
        assertThat(map).startsWith("SUNWprivate_1.1 {").contains("    JVM_Halt;", "    jio_vfprintf;", "local:\n    *;");
    }

    @Test
    void theLinkerOptionsLinkTheSharedLibrariesByFileNameAndFindThemBesideTheExecutable() {
        assertThat(NativeRuntime.linkerOptions(Path.of("/s"), Path.of("/jdk/lib"))).containsExactly(
                "-Wl,--no-as-needed", "-L/s", "-l:libjvm.so", "-L/jdk/lib", "-l:libjava.so", "-l:libnio.so",
                "-l:libnet.so", "-l:libzip.so", "-l:libextnet.so", "-l:libmanagement_ext.so",
                "-Wl,--disable-new-dtags", "-Wl,-rpath,$ORIGIN");
        assertThat(NativeRuntime.besideTheExecutable(Path.of("/s"), Path.of("/jdk/lib"))).contains(
                Path.of("/s/libjvm.so"), Path.of("/jdk/lib/libjava.so"), Path.of("/jdk/lib/libmanagement_ext.so"))
                .hasSize(7);
    }
}
