package io.secretsync.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tests of the packaged operator start, as Quarkus's {@code @QuarkusIntegrationTest} runs
 * one test against the jar or the native build: the packaged jar
 * (target/quarkus-app/quarkus-run.jar) on this JVM, or the native executable the native check
 * linked (target/native-check/image/..., or {@value #EXECUTABLE_PROPERTY}). Both take runtime options
 * ({@code -Dname=value}, {@code -Xmx...}) before the operator's own arguments.
 */
public interface OperatorArtifact {
    /** Where the native executable is, when not at its default place. */
    String EXECUTABLE_PROPERTY = "secretsync.native.executable";
    String EXECUTABLE_NAME = "secretsync-operator-0.1.0-SNAPSHOT-runner";

    /** "jar" or "native executable", for messages. */
    String describe();

    /** The command line: runtime options, then the operator's arguments. */
    List<String> command(List<String> options, List<String> args);

    /**
     * The operator on the cluster of a kubeconfig (a real API server, say): KUBECONFIG set to it, and
     * no other variable that would choose a cluster.
     */
    default ProcessBuilder onCluster(Path kubeconfig, List<String> options, List<String> args) {
        ProcessBuilder pb = new ProcessBuilder(command(options, args));
        CLUSTER_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
        return pb;
    }

    /** The operator on its embedded demo API server: no variable that would choose a cluster, and a home of its own. */
    default ProcessBuilder onDemo(Path home, List<String> options, List<String> args) {
        List<String> all = new ArrayList<>(List.of("-Duser.home=" + home));
        all.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(command(all, args));
        CLUSTER_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().put("HOME", home.toString());
        return pb;
    }

    static Path projectDir() {
        return Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
    }

    static OperatorArtifact jar() {
        Path jar = projectDir().resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged application (mvn package)").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new OperatorArtifact() {
            @Override
            public String describe() {
                return "jar";
            }

            @Override
            public List<String> command(List<String> options, List<String> args) {
                List<String> command = new ArrayList<>(List.of(java));
                command.addAll(options);
                command.addAll(List.of("-jar", jar.toString()));
                command.addAll(args);
                return command;
            }
        };
    }

    static OperatorArtifact nativeExecutable() {
        Path executable = nativeExecutablePath();
        assertThat(Files.isExecutable(executable))
                .as("the native executable %s (mvn -B verify -Pnative-check links it)", executable).isTrue();
        return new OperatorArtifact() {
            @Override
            public String describe() {
                return "native executable";
            }

            @Override
            public List<String> command(List<String> options, List<String> args) {
                List<String> command = new ArrayList<>(List.of(executable.toString()));
                command.addAll(options);
                command.addAll(args);
                return command;
            }
        };
    }

    static Path nativeExecutablePath() {
        String configured = System.getProperty(EXECUTABLE_PROPERTY);
        return configured != null && !configured.isBlank() ? Path.of(configured).toAbsolutePath()
                : projectDir().resolve("target/native-check/image/" + EXECUTABLE_NAME);
    }

    /** The variables that would point the operator at a cluster: removed, so that it runs its demo. */
    List<String> CLUSTER_VARIABLES = List.of("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_MASTER",
            "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL");
}
