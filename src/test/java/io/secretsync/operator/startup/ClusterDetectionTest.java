package io.secretsync.operator.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterDetectionTest {

    @TempDir
    Path home;

    private Properties sys(String... kv) {
        Properties p = new Properties();
        p.setProperty("user.home", home.toString());
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void nothingConfiguredMeansTheDemo() {
        assertThat(ClusterDetection.configuredCluster(Map.of(), sys())).isEmpty();
    }

    @Test
    void aDefaultKubeconfigIsACluster() throws Exception {
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\nkind: Config\n");
        assertThat(ClusterDetection.configuredCluster(Map.of(), sys())).get().asString().contains("kubeconfig");
    }

    @Test
    void kubeconfigVariableNamingAFile() throws Exception {
        Path f = Files.writeString(home.resolve("kc"), "apiVersion: v1\n");
        assertThat(ClusterDetection.configuredCluster(Map.of("KUBECONFIG", "/nonexistent:" + f), sys())).isPresent();
        assertThat(ClusterDetection.configuredCluster(Map.of("KUBECONFIG", "/nonexistent"), sys())).isEmpty();
    }

    @Test
    void inClusterAndExplicitServers() {
        assertThat(ClusterDetection.configuredCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), sys()))
                .isPresent();
        assertThat(ClusterDetection.configuredCluster(Map.of(), sys("kubernetes.master", "https://k8s:6443")))
                .isPresent();
        assertThat(ClusterDetection.configuredCluster(Map.of(),
                sys("quarkus.kubernetes-client.api-server-url", "https://k8s:6443"))).isPresent();
    }
}
