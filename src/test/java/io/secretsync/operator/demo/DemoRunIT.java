package io.secretsync.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.secretsync.operator.testsupport.OperatorArtifact;

/**
 * The run command as a newcomer runs it: the packaged application on a machine with no cluster
 * configured, here with the flag that exits after the first converged report.
 * {@link DemoRunExecutableIT} runs the same on the native executable.
 */
class DemoRunIT {

    OperatorArtifact artifact() {
        return OperatorArtifact.jar();
    }

    @Test
    void seedsTheEmbeddedServerAndReportsTheConvergedPolicy(@TempDir Path home) throws Exception {
        Path out = home.resolve("demo.out");
        ProcessBuilder pb = new ProcessBuilder(artifact().command(
                List.of("-Duser.home=" + home, "-Dquarkus.http.port=0"), List.of("--exit-after-report")))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        for (String v : OperatorArtifact.CLUSTER_VARIABLES) {
            pb.environment().remove(v);
        }
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        boolean exited = p.waitFor(3, TimeUnit.MINUTES);
        if (!exited) {
            p.destroyForcibly();
        }
        String output = Files.readString(out);
        assertThat(exited).as("demo (%s) exited; output:%n%s", artifact().describe(), output).isTrue();
        assertThat(p.exitValue()).as("exit status; output:%n%s", output).isZero();
        assertThat(output).contains("EMBEDDED DEMO API SERVER", "State: converged", "$ kubectl get secretsyncpolicies")
                .containsPattern("NAME\\s+READY\\s+REASON\\s+SOURCES\\s+NAMESPACES\\s+REPLICAS\\s+AGE")
                .containsPattern("ca-bundle\\s+True\\s+Synced\\s+1\\s+5\\s+5\\s")
                .containsPattern("tanzu-build-service-sync\\s+True\\s+Synced\\s+1\\s+3\\s+3\\s");
        for (String ns : DemoScenario.BUILD_NAMESPACES) {
            assertThat(output).containsPattern(ns + "\\s+1\\s+my-synced-secret\\s+kubernetes.io/dockerconfigjson"
                    + "\\s+tanzu-build-service-sync\\s+sha256:")
                    .containsPattern(ns + "\\s+1\\s+ca-bundle\\s+Opaque\\s+ca-bundle\\s+sha256:");
        }
        assertThat(output).containsPattern("sandbox\\s+0\\s+-")
                .doesNotContain("demo-password", ".dockerconfigjson:", "auths", "BEGIN CERTIFICATE");

        // the remote cluster, a step of its own: registered, listed as kubectl would list it, and
        // its token never shown
        assertThat(output).contains("demo report: remote cluster", "A second one at http://127.0.0.1:",
                "$ kubectl get secretsyncclusters", "Secret " + DemoScenario.REMOTE_KUBECONFIG_SECRET)
                .containsPattern("NAME\\s+READY\\s+REASON\\s+VERSION\\s+AGE")
                .containsPattern("(?m)^" + DemoScenario.REMOTE_CLUSTER + "\\s")
                .contains("Remote state: converged")
                .containsPattern(DemoScenario.REMOTE_CLUSTER + "\\s+True\\s+Connected\\s+v0\\.0\\.0-embedded")
                .containsPattern("team-d\\s+ca-bundle\\s+Opaque\\s+ca-bundle\\s+demo\\s+sha256:")
                .containsPattern("team-e\\s+ca-bundle\\s+Opaque\\s+ca-bundle\\s+demo\\s+sha256:")
                .containsPattern("NAMESPACE\\s+REPLICA\\s+TYPE\\s+POLICY\\s+ORIGIN\\s+CONTENT-HASH")
                .doesNotContain(DemoMode.REMOTE_TOKEN, "token:");
        for (String ns : DemoScenario.REMOTE_NAMESPACES) {
            assertThat(output).containsPattern("(?m)^" + ns + "\\s");
        }
    }
}
