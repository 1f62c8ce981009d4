import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The headers the check writes for the builder, from declarations shaped like the builder's own. */
class CHeadersTest {

    static final String DIRECTIVES = """
            package p;
            class ThingDirectives implements CContext.Directives {
                public List<String> getHeaderFiles() {
                    return Collections.singletonList(ProjectHeaderFile.resolve("com.oracle.svm.native.libchelper", "include/thing.h"));
                }
            }
            """;
    static final String HELPER = """
            package p;
            @CContext(ThingDirectives.class)
            class ThingHelper {
                // Checkstyle: stop
                @CConstant
                static native int THING_OK();
                @CConstant
                static native int THING_FAILED();
                @CStruct(value = "thing_props_t")
                interface Props extends PointerBase {
                    @CField(value = "display_name")
                    CCharPointer displayName();
                    @AllowNarrowingCast
                    @CField
                    boolean fAVX();
                    @AllowNarrowingCast
                    @CField()
                    boolean fSSE4_1();
                    @CField
                    long size();
                }
            }
            """;
    static final String UNRELATED = """
            package p;
            @CStruct
            interface Other extends PointerBase {
                @CField
                int x();
            }
            """;

    @Test
    void everyStructAndConstantOfTheHeadersUsersIsDeclared(@TempDir Path dir) throws Exception {
        Map<String, String> headers = CHeaders.generate(Map.of("p/ThingDirectives.java", DIRECTIVES,
                "p/ThingHelper.java", HELPER, "p/Other.java", UNRELATED));

        assertThat(headers).containsOnlyKeys("thing.h");
        String header = headers.get("thing.h");
        assertThat(header).contains("#define THING_OK 0\n", "#define THING_FAILED 1\n",
                "typedef struct {\n    char *display_name;\n    unsigned char fAVX;\n    unsigned char fSSE4_1;\n"
                        + "    long long size;\n} thing_props_t;\n")
                .doesNotContain("Other");

        // what the builder does with it: compile a query program against it
        Files.writeString(dir.resolve("thing.h"), header);
        Files.writeString(dir.resolve("query.c"), "#include \"thing.h\"\n#include <stddef.h>\n"
                + "int main(void) { return (int) (sizeof(thing_props_t) + offsetof(thing_props_t, size) + THING_FAILED); }\n");
        Process gcc = new ProcessBuilder("gcc", "-Wall", "-Werror", "-o", dir.resolve("query").toString(),
                dir.resolve("query.c").toString()).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as(output).isZero();
    }

    @Test
    void aFieldTypeWithoutACTypeStopsTheCheck() {
        String helper = HELPER.replace("long size();", "Object size();");
        assertThatThrownBy(() -> CHeaders.generate(Map.of("p/ThingDirectives.java", DIRECTIVES, "p/ThingHelper.java", helper)))
                .hasMessageContaining("Object").hasMessageContaining("size");
    }

    @Test
    void aHeaderWithoutDeclarationsStopsTheCheck() {
        assertThatThrownBy(() -> CHeaders.generate(Map.of("p/ThingDirectives.java", DIRECTIVES)))
                .hasMessageContaining("thing.h");
    }
}
