package io.secretsync.operator.realserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * One real Kubernetes cluster (etcd, kube-apiserver and kube-controller-manager 1.20 on
 * 127.0.0.1) started by the project's script {@code realserver/real-apiserver.sh}, which builds
 * the binaries on first use and keeps them in a cache outside the checkout. Every instance has
 * its own directory, ports and data, so several clusters can run at once. The admin client
 * authenticates with a static token in group {@code system:masters}; the operator gets a
 * ServiceAccount token through TokenRequest ({@link #kubeconfigForServiceAccount}), so the real
 * authorizer judges exactly the RBAC the project ships.
 */
public final class RealCluster implements AutoCloseable {
    public static final Path BASEDIR = Path.of(System.getProperty("project.basedir", "."));
    static final Path SCRIPT = BASEDIR.resolve("realserver/real-apiserver.sh");
    /** A cold build of the binaries takes about 5 minutes on 2 cores; a warm start seconds. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(20);

    private final String name;
    private final Path dir;
    private final Map<String, String> env;
    private final KubernetesClient admin;

    private RealCluster(String name, Path dir, Map<String, String> env) {
        this.name = name;
        this.dir = dir;
        this.env = env;
        this.admin = new KubernetesClientBuilder().withConfig(config(read(path("ADMIN_KUBECONFIG")))).build();
    }

    /** Starts a new cluster named {@code name}, its files under target/real-clusters/. */
    public static RealCluster start(String name) {
        return start(name, Map.of());
    }

    /**
     * @param extraEnv for the script, e.g. {@code APISERVER_EXTRA_ARGS=--watch-cache-sizes=secrets#5}
     */
    public static RealCluster start(String name, Map<String, String> extraEnv) {
        try {
            Path dir = Files.createDirectories(BASEDIR.resolve("target/real-clusters"))
                    .resolve(name + "-" + System.nanoTime());
            script(extraEnv, "start", dir.toString(), name);
            return new RealCluster(name, dir, readEnv(dir.resolve("cluster.env")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public String apiUrl() {
        return env.get("API_URL");
    }

    /** A client with cluster-admin rights (group system:masters). */
    public KubernetesClient admin() {
        return admin;
    }

    /** The audit log: every request of every ServiceAccount (the operator runs as one). */
    public AuditLog audit() {
        return new AuditLog(path("AUDIT_LOG"));
    }

    /** Stops one component (etcd, apiserver, controller-manager), keeping its data and ports. */
    public void stopComponent(String component) {
        script(Map.of(), "stop-one", dir.toString(), component);
    }

    /** Starts a component stopped with {@link #stopComponent(String)} again, waiting until it serves. */
    public void startComponent(String component) {
        script(Map.of(), "start-one", dir.toString(), component);
    }

    /**
     * A kubeconfig for {@code namespace/serviceAccount}, holding a token from the TokenRequest API
     * (valid for an hour), the cluster's CA, and {@code namespace} as the context's namespace (the
     * operator's own namespace, where it keeps its Lease): what a pod of that ServiceAccount has.
     */
    public Path kubeconfigForServiceAccount(String namespace, String serviceAccount) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
        String token = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request)
                .getStatus().getToken();
        return writeKubeconfig(serviceAccount + "@" + namespace, namespace, token);
    }

    /** The same, reaching the API server through {@code serverUrl} (a proxy in front of it). */
    public Path kubeconfigForServiceAccount(String namespace, String serviceAccount, String serverUrl) {
        Path file = kubeconfigForServiceAccount(namespace, serviceAccount);
        try {
            Path proxied = file.resolveSibling("proxied-" + file.getFileName());
            Files.writeString(proxied, Files.readString(file).replace("server: " + apiUrl(), "server: " + serverUrl));
            return proxied;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value of the cluster's cluster.env (ETCD_PORT, API_PORT, ...). */
    public String env(String key) {
        return env.get(key);
    }

    Path writeKubeconfig(String user, String namespace, String token) {
        String ca = Base64.getEncoder().encodeToString(read(path("CA_FILE")).getBytes(StandardCharsets.UTF_8));
        String text = String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "  - name: " + name,
                "    cluster:",
                "      server: " + apiUrl(),
                "      certificate-authority-data: " + ca,
                "users:",
                "  - name: " + user,
                "    user:",
                "      token: " + token,
                "contexts:",
                "  - name: " + name,
                "    context: {cluster: " + name + ", user: " + user + ", namespace: " + namespace + "}",
                "current-context: " + name,
                "");
        Path file = dir.resolve(user.replaceAll("[^a-zA-Z0-9.-]", "_") + ".kubeconfig");
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A client that acts as the given kubeconfig's user (to see what that user may do). */
    public static KubernetesClient clientFor(Path kubeconfig) {
        return new KubernetesClientBuilder().withConfig(config(read(kubeconfig))).build();
    }

    @Override
    public void close() {
        admin.close();
        script(Map.of(), "stop", dir.toString());
    }

    private static Config config(String kubeconfig) {
        return Config.fromKubeconfig(kubeconfig);
    }

    private Path path(String key) {
        return Path.of(env.get(key));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1).replaceAll("^\"|\"$", ""));
            }
        }
        return env;
    }

    /** Runs the script and fails with its output when it does. */
    static void script(Map<String, String> extraEnv, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("real-apiserver", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(extraEnv);
            Process p = pb.start();
            if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroy();
                throw new IllegalStateException(String.join(" ", args) + " did not finish in " + START_TIMEOUT
                        + ":\n" + Files.readString(out));
            }
            String output = Files.readString(out);
            Files.deleteIfExists(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("realserver/real-apiserver.sh " + String.join(" ", args)
                        + " failed (exit " + p.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
