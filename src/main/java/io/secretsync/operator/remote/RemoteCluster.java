package io.secretsync.operator.remote;

import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What the operator knows of one SecretSyncCluster: its labels (for policies' cluster selectors),
 * its state, and, while Connected, the one client every use of that cluster shares.
 *
 * @param message why it is not Connected (never a credential); null when Connected
 * @param client non-null only when {@link ClusterState#Connected}
 * @param deleting the SecretSyncCluster is being deleted: policies no longer write into it
 */
public record RemoteCluster(String name, Map<String, String> labels, ClusterState state, String message,
        String serverVersion, KubernetesClient client, boolean deleting) {

    public boolean usable() {
        return state.usable() && client != null && !deleting;
    }
}
