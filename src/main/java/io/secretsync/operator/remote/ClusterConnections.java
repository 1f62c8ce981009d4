package io.secretsync.operator.remote;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterSpec.KubeconfigSecretRef;

/**
 * One client per registered cluster, and what its last probe found; publishes each cluster to
 * {@link RemoteClusters}. A client is built when the kubeconfig's content changes (the old one is
 * closed), never per reconcile; the kubeconfig Secret is read from the API server only when its
 * resourceVersion moved, so no cache holds its bytes. Probes run when due: every probe-interval
 * while Connected, after a doubling backoff (5 s up to probe-interval) while not.
 */
@ApplicationScoped
public class ClusterConnections {
    private static final Logger LOG = Logger.getLogger(ClusterConnections.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);

    private final RemoteClusters registry;
    private final SecretSyncConfig config;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    /** What is known of one cluster's kubeconfig, client and last probe. Touched by its reconcile only. */
    private static final class Connection {
        String kubeconfigVersion;
        String kubeconfigHash;
        String server;
        KubernetesClient client;
        ClusterProbe.Result last;
        long nextProbeNanos;
        int failedProbes;

        void close() {
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }

    /** The outcome of a refresh: what policies now see, and when to look again. */
    public record Refreshed(RemoteCluster cluster, Duration nextProbe) {
    }

    public ClusterConnections(RemoteClusters registry, SecretSyncConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /**
     * Brings one cluster up to date: reads its kubeconfig if the Secret changed, rebuilds its client
     * if the content changed, probes when due, and publishes the result.
     *
     * @param kubeconfigVersion resourceVersion of the kubeconfig Secret in the cache, null when there is none
     * @param readKubeconfig reads that Secret from the API server (null when gone)
     * @param operatorNamespace where the Secret lives; null when unknown
     */
    public Refreshed refresh(SecretSyncCluster cluster, String kubeconfigVersion, Supplier<Secret> readKubeconfig,
            String operatorNamespace) {
        String name = cluster.getMetadata().getName();
        Connection c = connections.computeIfAbsent(name, n -> new Connection());
        boolean deleting = cluster.isMarkedForDeletion();
        KubeconfigSecretRef ref = cluster.getSpec() == null ? null : cluster.getSpec().getKubeconfigSecretRef();
        String secretName = ref == null ? null : ref.getName();
        String where = "kubeconfig Secret " + operatorNamespace + "/" + secretName;
        if (operatorNamespace == null) {
            return invalid(cluster, c, "the operator's own namespace, where kubeconfig Secrets live, is unknown: set"
                    + " the environment variable KUBERNETES_NAMESPACE of the operator", deleting);
        }
        if (secretName == null || secretName.isBlank()) {
            return invalid(cluster, c, "spec.kubeconfigSecretRef.name is missing: name the Secret, in the operator's"
                    + " namespace " + operatorNamespace + ", that holds the cluster's kubeconfig", deleting);
        }
        if (kubeconfigVersion == null) {
            return invalid(cluster, c, where + " not found: create it in the operator's namespace (the operator reads"
                    + " kubeconfigs from there only), the kubeconfig under key " + ref.effectiveKey(), deleting);
        }
        if (!kubeconfigVersion.equals(c.kubeconfigVersion)) {
            Secret secret = readKubeconfig.get();
            if (secret == null) {
                return invalid(cluster, c, where + " not found: create it in the operator's namespace, the"
                        + " kubeconfig under key " + ref.effectiveKey(), deleting);
            }
            String text = kubeconfigText(secret, ref.effectiveKey());
            if (text == null) {
                return invalid(cluster, c, where + " has no key " + ref.effectiveKey() + ": put the kubeconfig"
                        + " there, or set spec.kubeconfigSecretRef.key", deleting);
            }
            String hash = sha256(text);
            if (!hash.equals(c.kubeconfigHash)) {
                c.close();
                c.kubeconfigHash = hash;
                c.last = null;
                c.failedProbes = 0;
                try {
                    KubeconfigCheck.Accepted accepted = KubeconfigCheck.check(text, config.remote().allowInsecureTls());
                    c.server = accepted.server();
                    c.client = new KubernetesClientBuilder().withConfig(accepted.config()).build();
                    c.nextProbeNanos = System.nanoTime(); // probe the new client now
                    LOG.infof("SecretSyncCluster %s: kubeconfig read (server %s)", name, accepted.server());
                } catch (InvalidKubeconfig e) {
                    c.kubeconfigVersion = kubeconfigVersion;
                    c.last = new ClusterProbe.Result(ClusterState.InvalidKubeconfig, null,
                            where + " key " + ref.effectiveKey() + ": " + e.getMessage());
                    return publish(cluster, c, deleting, config.remote().probeInterval());
                }
            }
            c.kubeconfigVersion = kubeconfigVersion;
        }
        if (c.client == null) { // an invalid kubeconfig, unchanged
            return publish(cluster, c, deleting, config.remote().probeInterval());
        }
        long now = System.nanoTime();
        if (c.last == null || now - c.nextProbeNanos >= 0) {
            ClusterProbe.Result result = ClusterProbe.probe(c.client, c.server);
            if (c.last == null || c.last.state() != result.state()) {
                if (result.state() == ClusterState.Connected) {
                    LOG.infof("SecretSyncCluster %s: Connected to %s (%s)", name, c.server, result.serverVersion());
                } else {
                    LOG.warnf("SecretSyncCluster %s: %s: %s", name, result.state(), result.message());
                }
            }
            c.last = result;
            c.failedProbes = result.state().usable() ? 0 : c.failedProbes + 1;
            c.nextProbeNanos = System.nanoTime() + probeDelay(c.failedProbes).toNanos();
        }
        return publish(cluster, c, deleting, Duration.ofNanos(Math.max(0, c.nextProbeNanos - System.nanoTime())));
    }

    /** Probe-interval while Connected; after the n-th failure in a row 5 s, doubling, at most probe-interval. */
    Duration probeDelay(int failedProbes) {
        Duration interval = config.remote().probeInterval();
        if (failedProbes == 0) {
            return interval;
        }
        Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(failedProbes - 1, 10));
        return backoff.compareTo(interval) < 0 ? backoff : interval;
    }

    /** The client of a Connected cluster, for the release of its replicas; empty otherwise. */
    public java.util.Optional<KubernetesClient> connectedClient(String name) {
        Connection c = connections.get(name);
        return c == null || c.client == null || c.last == null || !c.last.state().usable()
                ? java.util.Optional.empty() : java.util.Optional.of(c.client);
    }

    /** The cluster is gone: its client is closed, and policies no longer see it. */
    public void forget(String name) {
        Connection c = connections.remove(name);
        if (c != null) {
            c.close();
        }
        registry.remove(name);
    }

    @PreDestroy
    void closeAll() {
        connections.values().forEach(Connection::close);
        connections.clear();
    }

    private Refreshed invalid(SecretSyncCluster cluster, Connection c, String message, boolean deleting) {
        c.close();
        c.kubeconfigVersion = null;
        c.kubeconfigHash = null;
        c.server = null;
        c.failedProbes = 0;
        c.last = new ClusterProbe.Result(ClusterState.InvalidKubeconfig, null, message);
        return publish(cluster, c, deleting, config.remote().probeInterval());
    }

    private Refreshed publish(SecretSyncCluster cluster, Connection c, boolean deleting, Duration next) {
        ClusterProbe.Result r = c.last;
        boolean connected = r.state().usable();
        RemoteCluster published = new RemoteCluster(cluster.getMetadata().getName(),
                Map.copyOf(Objects.requireNonNullElse(cluster.getMetadata().getLabels(), Map.of())), r.state(),
                connected ? null : r.message(), r.serverVersion(), connected ? c.client : null, deleting);
        registry.put(published);
        return new Refreshed(published, next);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kubeconfigText(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            try {
                return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (secret.getStringData() != null) {
            return secret.getStringData().get(key);
        }
        return null;
    }
}
