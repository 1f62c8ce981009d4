package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.secretsync.operator.bench.ImageJvm;
import io.secretsync.operator.nativeimage.NativeImageFlags;
import io.secretsync.operator.packaging.Manifests;
import io.secretsync.operator.testsupport.OperatorArtifact;

/**
 * The operator as a user installs and runs it, on a {@link RealCluster}: the generated CRD and
 * every object of {@code target/kubernetes/kubernetes.yml} applied as shipped (the Deployment is
 * accepted and validated, but its Pods never run: these clusters have no kubelet or scheduler),
 * then the packaged jar (or the native executable, {@link Build}) started as a process of this
 * machine with a kubeconfig that holds a TokenRequest token of the {@code secretsync-operator}
 * ServiceAccount: exactly the shipped RBAC, judged by the real authorizer, with the shipped profile
 * (leader election on its Lease) and the memory flags the shipped image gets.
 */
public final class ShippedOperator {
    public static final String NAMESPACE = "secretsync-system";
    public static final String SERVICE_ACCOUNT = "secretsync-operator";
    /** How the API server names the operator's requests in the audit log. */
    public static final String USER = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;
    public static final Duration STARTUP = Duration.ofSeconds(120);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ShippedOperator() {
    }

    /** Applies the CRDs and the shipped manifests (RBAC, ServiceAccount, Deployment) as a user would. */
    public static void install(RealCluster cluster) {
        KubernetesClient admin = cluster.admin();
        for (CustomResourceDefinition crd : Manifests.crds()) {
            // Not server-side apply: a 1.20 server cannot build a typed patch of a CRD that carries
            // x-kubernetes-validations (a field it does not know) and answers 500; a plain create, as
            // `kubectl create`/client-side `kubectl apply` send, is accepted (the rules are dropped).
            admin.resource(crd).createOr(NonDeletingOperation::update);
            await("the CRD " + crd.getMetadata().getName() + " established").atMost(Duration.ofSeconds(30)).until(() -> {
                CustomResourceDefinition c = admin.apiextensions().v1().customResourceDefinitions()
                        .withName(crd.getMetadata().getName()).get();
                return c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                        .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus()));
            });
        }
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build();
        admin.resource(ns).createOr(NonDeletingOperation::update);
        for (HasMetadata item : Manifests.load(Manifests.kubernetesYml())) {
            admin.resource(item).inNamespace(NAMESPACE).createOr(NonDeletingOperation::update);
        }
    }

    /** A kubeconfig for the operator's ServiceAccount, as a pod of the Deployment would have it. */
    public static Path kubeconfig(RealCluster cluster) {
        return cluster.kubeconfigForServiceAccount(NAMESPACE, SERVICE_ACCOUNT);
    }

    /** One packaged operator process. */
    public static final class Process implements AutoCloseable {
        private final java.lang.Process process;
        private final int httpPort;
        private final Path log;

        private Process(java.lang.Process process, int httpPort, Path log) {
            this.process = process;
            this.httpPort = httpPort;
            this.log = log;
        }

        public java.lang.Process process() {
            return process;
        }

        public int httpPort() {
            return httpPort;
        }

        public Path log() {
            return log;
        }

        public String logText() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** HTTP status of GET path on the operator's port, -1 while it does not listen. */
        public int get(String path) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        public String body(String path) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Waits for /q/health/ready, failing at once if the process ends. */
        public Process awaitReady() {
            await("the operator ready; see " + log).atMost(STARTUP).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(process.isAlive()).as("operator process alive; see %s", log).isTrue();
                return get("/q/health/ready") == 200;
            });
            return this;
        }

        /**
         * SIGTERM, as the kubelet sends it, and the exit code; fails when the process is still alive
         * after {@code within}.
         */
        public int terminate(Duration within) throws InterruptedException {
            process.destroy();
            boolean ended = process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(ended).as("the operator ends within %s of SIGTERM; see %s", within, log).isTrue();
            return process.exitValue();
        }

        /**
         * Cleanup after a test that is not about stopping: SIGTERM, and only when that did not end the
         * process within 30 s (a stop defect the stop tests report), SIGKILL so the suite can go on.
         */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }

    /** Starts the packaged jar on {@code kubeconfig}; extra options (-Dkey=value) come last. */
    public static Process start(Path kubeconfig, String logName, String... extraOptions) {
        return launch(Build.jar(), kubeconfig, logName, logName, extraOptions);
    }

    /** The jar with an identity on the Lease (the pod's name) apart from the log's name, for restarts in one pod. */
    public static Process startAs(Path kubeconfig, String logName, String identity, String... extraOptions) {
        return launch(Build.jar(), kubeconfig, logName, identity, extraOptions);
    }

    /** Starts {@code build} on {@code kubeconfig}, its shipped memory flags first, extra options (-Dkey=value) last. */
    public static Process start(Build build, Path kubeconfig, String logName, String... extraOptions) {
        return launch(build, kubeconfig, logName, logName, extraOptions);
    }

    private static Process launch(Build build, Path kubeconfig, String logName, String identity,
            String... extraOptions) {
        List<String> options = new ArrayList<>(build.shippedOptions());
        int port = freePort();
        options.addAll(List.of(
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.log.category.\"io.secretsync\".level=DEBUG"));
        options.addAll(List.of(extraOptions));
        Path log = RealCluster.BASEDIR.resolve("target/" + logName + ".log");
        ProcessBuilder pb = build.artifact().onCluster(kubeconfig, options, List.of())
                .directory(RealCluster.BASEDIR.toFile()).redirectErrorStream(true).redirectOutput(new File(log.toString()));
        // A pod's hostname is its name: the identity on the Lease.
        pb.environment().put("HOSTNAME", identity);
        pb.environment().remove("KUBERNETES_SERVICE_HOST");
        try {
            return new Process(pb.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a user's pod runs: the packaged jar with the JVM flags and heap of the shipped Deployment,
     * or the native executable with the options the native image ships (Dockerfile.native's CMD,
     * the chart's native.options).
     */
    public record Build(OperatorArtifact artifact, List<String> shippedOptions) {
        public static Build jar() {
            return new Build(OperatorArtifact.jar(), ImageJvm.fromDeployment().args());
        }

        public static Build nativeExecutable() {
            return new Build(OperatorArtifact.nativeExecutable(), NativeImageFlags.FLAGS);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
