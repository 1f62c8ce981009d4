import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the C headers of the builder's own C helper library ({@code svm_locale.h},
 * {@code amd64cpufeatures.h}, ...). A GraalVM distribution ships them under
 * {@code lib/svm/clibraries}; the Maven Central jars do not. The builder only compiles small query
 * programs against them to learn struct layouts and constant values, so they are written here
 * from the Java declarations that name them in the builder's sources jar: every
 * {@code @CStruct} interface becomes a typedef with one member per {@code @CField}, every
 * {@code @CConstant} a macro. The constants' values are the check's own numbering: the C
 * stand-ins of the linked executable (runtime/*.c, {@link NativeRuntime}) compile against the
 * same headers, so the image and the stand-ins agree on them.
 */
final class CHeaders {

    private static final Pattern HEADER = Pattern.compile(
            "ProjectHeaderFile\\.resolve\\(\"com\\.oracle\\.svm\\.native\\.libchelper\",\\s*\"include/([\\w.]+\\.h)\"\\)");
    private static final Pattern CONSTANT = Pattern.compile(
            "@CConstant\\s+(?:public\\s+)?static\\s+native\\s+int\\s+(\\w+)\\(\\)");
    private static final Pattern STRUCT = Pattern.compile(
            "@CStruct(?:\\(\\s*(?:value\\s*=\\s*)?\"(\\w+)\"[^)]*\\))?[^{;]*?interface\\s+(\\w+)[^{]*\\{");
    private static final Pattern FIELD = Pattern.compile(
            "@CField\\s*(?:\\(\\s*(?:value\\s*=\\s*)?(?:\"(\\w+)\")?\\s*\\))?\\s+(\\w+)\\s+(\\w+)\\(\\)\\s*;");
    private static final Map<String, String> C_TYPES = Map.of(
            "boolean", "unsigned char",
            "byte", "signed char",
            "short", "short",
            "int", "int",
            "long", "long long",
            "CCharPointer", "char *");

    private CHeaders() {
    }

    /**
     * @param sources the builder's Java sources, by path in the sources jar
     * @return header file name to header text
     */
    static Map<String, String> generate(Map<String, String> sources) {
        Map<String, String> headers = new TreeMap<>();
        for (Map.Entry<String, String> directives : sources.entrySet()) {
            Matcher header = HEADER.matcher(directives.getValue());
            if (!header.find()) {
                continue;
            }
            String directivesClass = simpleName(directives.getKey());
            List<String> users = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                if (source.getValue().contains("@CContext(" + directivesClass + ".class)")) {
                    users.add(source.getKey());
                    body.append(declarations(source.getKey(), source.getValue()));
                }
            }
            if (body.length() == 0) {
                throw new IllegalStateException(header.group(1) + ": no @CStruct or @CConstant found for " + directivesClass);
            }
            String guard = header.group(1).toUpperCase().replaceAll("\\W", "_");
            headers.put(header.group(1), "/* Written by the native check from " + String.join(", ", users) + "\n"
                    + " * of the builder's sources jar, for the builder's layout queries only (see native-check/README.md). */\n"
                    + "#ifndef " + guard + "\n#define " + guard + "\n\n" + body + "#endif\n");
        }
        return headers;
    }

    private static String declarations(String path, String source) {
        StringBuilder out = new StringBuilder();
        Matcher constant = CONSTANT.matcher(source);
        for (int value = 0; constant.find(); value++) {
            out.append("#define ").append(constant.group(1)).append(' ').append(value).append('\n');
        }
        Matcher struct = STRUCT.matcher(source);
        while (struct.find()) {
            String name = struct.group(1) != null ? struct.group(1) : struct.group(2);
            String members = source.substring(struct.end(), closingBrace(source, struct.end()));
            out.append("\ntypedef struct {\n");
            Matcher field = FIELD.matcher(members);
            while (field.find()) {
                String type = C_TYPES.get(field.group(2));
                if (type == null) {
                    throw new IllegalStateException(path + ": no C type for the Java type " + field.group(2)
                            + " of @CField " + field.group(3) + "; add it to CHeaders.C_TYPES");
                }
                String member = field.group(1) != null ? field.group(1) : field.group(3);
                out.append("    ").append(type).append(type.endsWith("*") ? "" : " ").append(member).append(";\n");
            }
            out.append("} ").append(name).append(";\n");
        }
        return out.append('\n').toString();
    }

    private static int closingBrace(String source, int afterOpening) {
        int depth = 1;
        for (int i = afterOpening; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced braces");
    }

    private static String simpleName(String path) {
        return path.substring(path.lastIndexOf('/') + 1, path.length() - ".java".length());
    }
}
