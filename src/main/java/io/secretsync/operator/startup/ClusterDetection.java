package io.secretsync.operator.startup;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether this process was given a Kubernetes cluster to work on, the way the fabric8 client
 * (and so Quarkus) would find one: an explicit API server URL, a kubeconfig, or the in-cluster
 * service environment.
 */
public final class ClusterDetection {
    private ClusterDetection() {
    }

    /** Where the cluster configuration comes from, or empty when there is none. */
    public static Optional<String> configuredCluster(Map<String, String> env, Properties sys) {
        if (notBlank(sys.getProperty("quarkus.kubernetes-client.api-server-url"))) {
            return Optional.of("quarkus.kubernetes-client.api-server-url");
        }
        if (notBlank(env.get("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL"))) {
            return Optional.of("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL");
        }
        if (notBlank(sys.getProperty("kubernetes.master")) || notBlank(env.get("KUBERNETES_MASTER"))) {
            return Optional.of("kubernetes.master");
        }
        if (notBlank(env.get("KUBERNETES_SERVICE_HOST"))) {
            return Optional.of("in-cluster service account (KUBERNETES_SERVICE_HOST)");
        }
        String kubeconfig = firstNonBlank(sys.getProperty("kubeconfig"), env.get("KUBECONFIG"));
        if (kubeconfig != null) {
            for (String f : kubeconfig.split(File.pathSeparator)) {
                if (!f.isBlank() && Files.isRegularFile(Path.of(f))) {
                    return Optional.of("kubeconfig " + f);
                }
            }
            return Optional.empty(); // KUBECONFIG set but naming no file: the client finds nothing either
        }
        String home = sys.getProperty("user.home");
        if (home != null) {
            Path def = Path.of(home, ".kube", "config");
            if (Files.isRegularFile(def)) {
                return Optional.of("kubeconfig " + def);
            }
        }
        return Optional.empty();
    }

    private static String firstNonBlank(String a, String b) {
        return notBlank(a) ? a : notBlank(b) ? b : null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
