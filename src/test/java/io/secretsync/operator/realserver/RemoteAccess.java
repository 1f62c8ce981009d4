package io.secretsync.operator.realserver;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterSpec.KubeconfigSecretRef;
import io.secretsync.operator.packaging.Manifests;

/**
 * A remote cluster prepared the way docs/install.md tells users to: the shipped remote-side RBAC
 * (examples/remote-cluster-rbac.yaml), a kubeconfig of its ServiceAccount's TokenRequest token,
 * stored in a Secret of the operator's namespace and registered as a SecretSyncCluster. Remembers
 * every token it handed out, for the scans that prove none leaks.
 */
public final class RemoteAccess {
    public static final String REMOTE_NS = "secretsync-remote";
    public static final String REMOTE_SA = "secretsync-operator-remote";
    /** How a remote cluster's audit log names the operator's requests there. */
    public static final String REMOTE_USER = "system:serviceaccount:" + REMOTE_NS + ":" + REMOTE_SA;
    private final RealCluster remote;
    private final List<String> tokens = new ArrayList<>();

    public RemoteAccess(RealCluster remote) {
        this.remote = remote;
        for (HasMetadata item : Manifests.load(RealCluster.BASEDIR.resolve("examples/remote-cluster-rbac.yaml"))) {
            remote.admin().resource(item).create();
        }
    }

    List<String> tokens() {
        return tokens;
    }

    /** A kubeconfig of the remote cluster for one of its ServiceAccounts, its token remembered. */
    String kubeconfigOf(String namespace, String serviceAccount) {
        String text;
        try {
            text = Files.readString(remote.kubeconfigForServiceAccount(namespace, serviceAccount));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tokens.add(text.lines().map(String::trim).filter(l -> l.startsWith("token: ")).findFirst().orElseThrow()
                .substring("token: ".length()));
        return text;
    }

    /** Registers the remote cluster as name on local, through the shipped remote-side ServiceAccount. */
    public void register(KubernetesClient local, String name, Map<String, String> labels) {
        register(local, name, labels, kubeconfigOf(REMOTE_NS, REMOTE_SA));
    }

    void register(KubernetesClient local, String name, Map<String, String> labels, String kubeconfig) {
        local.secrets().inNamespace(ShippedOperator.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(name + "-kubeconfig").endMetadata().addToStringData("kubeconfig", kubeconfig).build()).create();
        SecretSyncCluster c = new SecretSyncCluster();
        c.getMetadata().setName(name);
        c.getMetadata().setLabels(labels);
        SecretSyncClusterSpec spec = new SecretSyncClusterSpec();
        spec.setKubeconfigSecretRef(new KubeconfigSecretRef(name + "-kubeconfig", null));
        c.setSpec(spec);
        local.resources(SecretSyncCluster.class).resource(c).create();
    }

    static SecretSyncCluster cluster(KubernetesClient local, String name) {
        return local.resources(SecretSyncCluster.class).withName(name).get();
    }

    static Condition ready(SecretSyncCluster c) {
        return c == null || c.getStatus() == null || c.getStatus().getConditions() == null ? null
                : c.getStatus().getConditions().stream().filter(x -> "Ready".equals(x.getType())).findFirst()
                        .orElse(null);
    }

    public static Condition awaitCluster(KubernetesClient local, String name, String reason, ShippedOperator.Process operator,
            Duration within) {
        await("SecretSyncCluster " + name + " " + reason + "; operator log " + operator.log()).atMost(within)
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    Condition c = ready(cluster(local, name));
                    return c != null && reason.equals(c.getReason());
                });
        return ready(cluster(local, name));
    }
}
