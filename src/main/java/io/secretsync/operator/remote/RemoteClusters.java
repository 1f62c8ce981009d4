package io.secretsync.operator.remote;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The registered remote clusters, as the SecretSyncCluster controller last saw them. Policies
 * read it; only that controller writes it. Listeners hear of every change of a cluster (state,
 * client, labels, removal) so that the policies using it are reconciled again.
 */
@ApplicationScoped
public class RemoteClusters {
    private final Map<String, RemoteCluster> clusters = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public Optional<RemoteCluster> get(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    /** Every registered cluster, sorted by name. */
    public List<RemoteCluster> all() {
        return clusters.values().stream().sorted(Comparator.comparing(RemoteCluster::name)).toList();
    }

    public void put(RemoteCluster cluster) {
        RemoteCluster before = clusters.put(cluster.name(), cluster);
        if (!cluster.equals(before)) {
            listeners.forEach(l -> l.accept(cluster.name()));
        }
    }

    public void remove(String name) {
        if (clusters.remove(name) != null) {
            listeners.forEach(l -> l.accept(name));
        }
    }

    /** @param listener told the name of a cluster that changed or went away */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }
}
