package io.secretsync.operator.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The run command without a cluster: starts an embedded demo API server in this process, runs
 * the operator on it, seeds the Tanzu Build Service scenario once the operator has started,
 * prints what kubectl would show once it converged, and keeps running until interrupted. A
 * second embedded API server plays a remote cluster (SecretSyncCluster demo-remote) that the
 * general policy writes into too; the report shows it as a step of its own.
 * Arguments: {@code --exit-after-report} exits after that first report (status 0 when
 * converged, 1 otherwise, 2 when the demo itself failed); {@code --api-port=N} and
 * {@code --timeout-seconds=N} tune it.
 * <p>
 * {@link #start} runs before Quarkus and configures it (the client's API server, the profile,
 * {@value #ENABLED}); the bean then does nothing unless that property says this process is the
 * demo, so tests and real clusters never see it. (It is not a QuarkusApplication: the Quarkus
 * Operator SDK does not start the operator by itself when the application provides one.)
 */
@ApplicationScoped
public class DemoMode {
    /** Set by {@link #start} only. */
    static final String ENABLED = "secretsync.demo.enabled";
    static final String EXIT_FLAG = "--exit-after-report";
    static final String API_PORT_ARG = "--api-port=";
    static final String TIMEOUT_ARG = "--timeout-seconds=";
    // held here: java.util.logging keeps loggers only weakly, and with them the level set on them
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    private static final Logger LOG = Logger.getLogger(DemoMode.class.getName());
    /** The remote cluster's bearer token: the embedded server takes any token. */
    static final String REMOTE_TOKEN = "embedded-demo-token";
    /** The second embedded server, started with the first; read by the demo thread. */
    private static volatile EmbeddedApiServer remote;

    /** Whether this process is the demo ({@value #ENABLED}). */
    @ConfigMapping(prefix = "secretsync.demo")
    public interface Settings {
        @WithDefault("false")
        boolean enabled();
    }

    /** Starts the embedded server, points the operator's client at it and runs the application. */
    public static void start(String... args) {
        // the mock server logs every request at INFO; the demo shows its own report instead
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
        System.setProperty("quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN");
        EmbeddedApiServer server = EmbeddedApiServer.start(intArg(List.of(args), API_PORT_ARG, 0));
        remote = EmbeddedApiServer.start(0);
        server.clientProperties().forEach(System::setProperty);
        // the embedded "remote" cluster serves plain HTTP on 127.0.0.1 (an in-process mock, no
        // certificate to trust); a real remote cluster's kubeconfig needs https and its CA
        if (System.getProperty("secretsync.remote.allow-insecure-tls") == null) {
            System.setProperty("secretsync.remote.allow-insecure-tls", "true");
        }
        // the mock has no kube-system namespace whose UID would name this operator
        if (System.getProperty("secretsync.origin") == null) {
            System.setProperty("secretsync.origin", "demo");
        }
        // one process, one in-memory API server: no Lease to elect a leader on (leader election
        // is tied to the prod profile, and the demo server cannot answer its permission check)
        if (System.getProperty("quarkus.profile") == null) {
            System.setProperty("quarkus.profile", "demo");
        }
        if (System.getProperty("quarkus.http.port") == null && !portFree(8080)) {
            System.setProperty("quarkus.http.port", "0");
        }
        server.register(Crds.secretSyncPolicy());
        server.register(Crds.secretSyncCluster());
        server.register(Crds.kpackBuilds());
        server.register(Crds.kpackImages());
        System.setProperty(ENABLED, "true");
        System.out.println(banner(server.url(), remote.url()));
        Quarkus.run(args);
    }

    /** Once the operator has started: seed, wait, report, on a thread of its own. */
    void onStart(@Observes StartupEvent event, Settings settings, @CommandLineArguments String[] args,
            KubernetesClient client) {
        if (!settings.enabled()) {
            return;
        }
        Thread t = new Thread(() -> run(List.of(args), client), "secretsync-demo");
        t.setDaemon(true);
        t.start();
    }

    private static void run(List<String> args, KubernetesClient client) {
        boolean exit = args.contains(EXIT_FLAG);
        int exitCode;
        try {
            DemoScenario scenario = new DemoScenario(client, remote.client(),
                    remote.kubeconfig(DemoScenario.REMOTE_CLUSTER, REMOTE_TOKEN));
            scenario.seed();
            Duration timeout = Duration.ofSeconds(intArg(args, TIMEOUT_ARG, 60));
            Instant deadline = Instant.now().plus(timeout);
            boolean converged = DemoScenario.awaitUntil(scenario::converged, deadline);
            boolean remoteConverged = DemoScenario.awaitUntil(scenario::remoteConverged, deadline);
            String url = client.getMasterUrl().toString().replaceAll("/$", "");
            System.out.println(report(url, scenario, converged, timeout));
            System.out.println(remoteReport(remote.url(), scenario, remoteConverged, timeout));
            if (!exit) {
                System.out.println("The operator keeps running against the embedded demo API server."
                        + " Press Ctrl+C to stop.");
            }
            System.out.flush();
            exitCode = converged && remoteConverged ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.severe("The demo failed: " + e);
            exitCode = 2;
        }
        if (exit) {
            Quarkus.asyncExit(exitCode);
        }
    }

    static String banner(String url, String remoteUrl) {
        return """

                ======================================================================
                 No Kubernetes cluster configured (no kubeconfig, not in a cluster).
                 Starting an EMBEDDED DEMO API SERVER: fabric8's in-process CRUD mock
                 server at %s. It is NOT a real cluster; everything lives
                 in this process's memory and is gone when it stops.
                 A second one at %s plays a remote cluster.
                ======================================================================
                """.formatted(url, remoteUrl);
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int intArg(List<String> args, String prefix, int defaultValue) {
        for (String a : args) {
            if (a.startsWith(prefix)) {
                return Integer.parseInt(a.substring(prefix.length()));
            }
        }
        return defaultValue;
    }

    /**
     * The remote step: the SecretSyncCluster as kubectl would list it, and the replicas the
     * general policy wrote into the second embedded server.
     */
    static String remoteReport(String url, DemoScenario scenario, boolean converged, Duration timeout) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n============ secretsync demo report: remote cluster ============\n");
        sb.append("Remote cluster ").append(DemoScenario.REMOTE_CLUSTER).append(": EMBEDDED DEMO API SERVER at ")
                .append(url).append(", registered by a kubeconfig (bearer token, no exec, no files) in Secret ")
                .append(DemoScenario.REMOTE_KUBECONFIG_SECRET).append(" of the operator's namespace\n");
        sb.append(converged ? "Remote state: converged\n"
                : "Remote state: NOT converged within " + timeout.getSeconds() + "s (showing what is there)\n");
        sb.append("\n$ kubectl get secretsyncclusters\n");
        sb.append(scenario.clusterTable(Instant.now()));
        sb.append("\nReplicas per namespace in ").append(DemoScenario.REMOTE_CLUSTER)
                .append(" (names, types, origins and content hashes only):\n");
        sb.append(scenario.remoteReplicaListing());
        sb.append("Policy ").append(DemoScenario.POLICY).append(" targets this cluster and ")
                .append(DemoScenario.REMOTE_CLUSTER).append(" (spec.target.clusters); its namespaces labelled ")
                .append(DemoScenario.TARGET_LABEL).append("=enabled get the replicas there.\n");
        sb.append("================================================================\n");
        return sb.toString();
    }

    static String report(String url, DemoScenario scenario, boolean converged, Duration timeout) {
        String http = ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", String.class).orElse("8080");
        StringBuilder sb = new StringBuilder();
        sb.append("\n==================== secretsync demo report ====================\n");
        sb.append("API server: EMBEDDED DEMO API SERVER at ").append(url)
                .append(" (in-process fabric8 CRUD mock, not a real cluster)\n");
        sb.append(converged ? "State: converged\n"
                : "State: NOT converged within " + timeout.getSeconds() + "s (showing what is there)\n");
        sb.append("\n$ kubectl get secretsyncpolicies\n");
        sb.append(scenario.policyTable(Instant.now()));
        sb.append("\nReplicas per namespace (names, types and content hashes only; Secret data is never shown):\n");
        sb.append(scenario.replicaListing());
        sb.append("\nSecret ").append(DemoScenario.SOURCE_NAMESPACE).append('/')
                .append(DemoScenario.SOURCE_SECRET).append(" is labelled ").append(DemoScenario.SYNC_LABEL)
                .append("=true: policy ").append(DemoScenario.CONVENTION_POLICY)
                .append(" (created by the operator) copies it to every namespace with kpack builds.\n")
                .append("Policy ").append(DemoScenario.POLICY).append(" copies ").append(DemoScenario.CA_NAMESPACE)
                .append('/').append(DemoScenario.CA_SECRET).append(" to the namespaces labelled ")
                .append(DemoScenario.TARGET_LABEL).append("=enabled.\n");
        sb.append("The policy ").append(DemoScenario.POLICY).append(" also targets the remote cluster ")
                .append(DemoScenario.REMOTE_CLUSTER).append(": see the remote cluster report below.\n");
        sb.append("Metrics: http://localhost:").append(http).append("/q/metrics   Health: http://localhost:")
                .append(http).append("/q/health\n");
        sb.append("================================================================\n");
        return sb.toString();
    }
}
