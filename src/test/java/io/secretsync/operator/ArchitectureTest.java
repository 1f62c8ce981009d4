package io.secretsync.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layering the package-info files describe, checked on the sources: every type a main class
 * names (imports, static imports, and fully qualified names written in code) must be one its
 * package may use. A violation names the file and the type.
 */
class ArchitectureTest {
    static final Path MAIN = Path.of("src", "main", "java");
    static final String OPERATOR = "io.secretsync.operator.";

    /** A rule: which references a package may make. */
    record Rule(String pkg, String says, Predicate<String> allowed) {
        boolean covers(String sourcePackage) {
            return sourcePackage.equals(pkg) || sourcePackage.startsWith(pkg + ".");
        }
    }

    static boolean within(String reference, String... prefixes) {
        return Stream.of(prefixes).anyMatch(p -> reference.startsWith(p));
    }

    static final List<Rule> RULES = List.of(
            new Rule(OPERATOR + "sync",
                    "sync/ is pure: java.*, the Kubernetes model and the policy model only (no client, reconciler,"
                            + " metrics, demo, SDK or framework)",
                    r -> within(r, "java.", "io.fabric8.kubernetes.api.model.", OPERATOR + "crd.v1alpha1.",
                            OPERATOR + "sync.")),
            new Rule(OPERATOR + "crd.v1alpha1",
                    "the policy model is data: java.*, Jackson, the Kubernetes model and the CRD annotations only",
                    r -> within(r, "java.", "com.fasterxml.jackson.", "io.fabric8.kubernetes.api.model.",
                            "io.fabric8.kubernetes.model.annotation.", "io.fabric8.generator.annotation.",
                            "io.fabric8.crd.generator.annotation.", "io.fabric8.kubernetes.client.CustomResource",
                            OPERATOR + "crd.v1alpha1.")),
            new Rule(OPERATOR + "ha",
                    "ha/ announces leadership and knows none of the features that listen for it (it reads the"
                            + " operator's settings: the shard chooses the Lease)",
                    r -> !within(r, OPERATOR) || within(r, OPERATOR + "ha.", OPERATOR + "config.")),
            new Rule(OPERATOR + "tanzu",
                    "the convention is served by an ordinary policy: it never reaches into the reconciler or the demo",
                    r -> !within(r, OPERATOR + "reconciler.", OPERATOR + "demo.", OPERATOR + "startup.")),
            new Rule("io.secretsync.operator",
                    "production code never depends on the demo; only startup/ hands over to it",
                    r -> !within(r, OPERATOR + "demo.")));

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?;");
    private static final Pattern QUALIFIED = Pattern.compile("\\b((?:java|javax|jakarta|io|org|com)(?:\\.[a-z_][\\w]*)+\\.[A-Z]\\w*)");
    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])'",
            Pattern.DOTALL);

    /** Types a source file names: its imports and the fully qualified names in its code. */
    static Set<String> references(String source) {
        Set<String> refs = new LinkedHashSet<>();
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
            refs.add(imports.group(1));
        }
        String code = COMMENTS_AND_STRINGS.matcher(IMPORT.matcher(source).replaceAll("")).replaceAll(" ");
        code = PACKAGE.matcher(code).replaceAll("");
        Matcher qualified = QUALIFIED.matcher(code);
        while (qualified.find()) {
            refs.add(qualified.group(1));
        }
        return refs;
    }

    /** The references of a source file that its package may not make, each with the rule it breaks. */
    static List<String> violations(String file, String source) {
        Matcher m = PACKAGE.matcher(source);
        String pkg = m.find() ? m.group(1) : "";
        if (file.endsWith("/startup/SecretSyncMain.java")) {
            return List.of(); // the one place that hands over to the demo
        }
        List<String> found = new ArrayList<>();
        if (pkg.startsWith(OPERATOR + "demo")) {
            return found;
        }
        for (String ref : references(source)) {
            RULES.stream().filter(r -> r.covers(pkg) && !r.allowed().test(ref)).findFirst()
                    .ifPresent(r -> found.add(file + " uses " + ref + ": " + r.says()));
        }
        return found;
    }

    @Test
    void everyMainClassKeepsToItsLayer() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(MAIN)) {
            for (Path p : paths.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                files++;
                found.addAll(violations(MAIN.relativize(p).toString().replace('\\', '/'), Files.readString(p)));
            }
        }
        assertThat(files).as("main sources scanned").isGreaterThan(40);
        assertThat(found).isEmpty();
    }

    @Test
    void theRulesCatchWhatTheyForbid() {
        String sync = """
                package io.secretsync.operator.sync;

                import java.util.List;
                import io.fabric8.kubernetes.client.KubernetesClient;
                import io.secretsync.operator.metrics.SyncMetrics;

                /** mentions io.secretsync.operator.reconciler.ReplicaWriter in a comment only */
                class Leaky {
                    io.secretsync.operator.demo.DemoScenario scenario;
                    String s = "io.secretsync.operator.reconciler.PolicyCaches";
                }
                """;
        assertThat(violations("io/secretsync/operator/sync/Leaky.java", sync))
                .hasSize(3)
                .anyMatch(v -> v.contains("io.fabric8.kubernetes.client.KubernetesClient"))
                .anyMatch(v -> v.contains("io.secretsync.operator.metrics.SyncMetrics"))
                .anyMatch(v -> v.contains("io.secretsync.operator.demo.DemoScenario"))
                .noneMatch(v -> v.contains("ReplicaWriter") || v.contains("PolicyCaches"));
        String ha = """
                package io.secretsync.operator.ha;

                import io.secretsync.operator.tanzu.TanzuBuildServiceConvention;
                """;
        assertThat(violations("io/secretsync/operator/ha/Callback.java", ha)).singleElement()
                .asString().contains("TanzuBuildServiceConvention");
        String reconciler = """
                package io.secretsync.operator.reconciler;

                import io.secretsync.operator.demo.Crds;
                import io.secretsync.operator.sync.SyncPlanner;
                """;
        assertThat(violations("io/secretsync/operator/reconciler/X.java", reconciler)).singleElement()
                .asString().contains("io.secretsync.operator.demo.Crds");
    }
}
