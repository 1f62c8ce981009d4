package io.secretsync.operator.remote;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterStatus;
import io.secretsync.operator.reconciler.ServiceAccountWriter;
import io.secretsync.operator.reconciler.SlimStore;
import io.secretsync.operator.reconciler.Stopping;

/**
 * Keeps each SecretSyncCluster connected, probed and reported (contract section 7).
 * <p>
 * Every process runs it, each shard on its own leader: every process needs the connections of the
 * clusters its policies use, so each keeps {@link RemoteClusters} itself, from the same informers
 * and probes. Only the unsharded process writes the status and releases a deleted cluster's
 * replicas (all of this origin's, whichever shard wrote them); every process marks the cluster
 * deleting as soon as it sees the deletion, so no shard writes into it meanwhile. Two writers of
 * one status would flap it; one releaser releases once.
 * <p>
 * The finalizer is JOSDK's (a Cleaner), so every process's controller adds it if missing (the same
 * name: one finalizer, whoever adds it); only the unsharded process ever removes it, after the
 * release. A shard's cleanup leaves it; the shard closes its client when the deletion completes
 * ({@link ClusterDeletions}). Not generation-aware: a relabelled cluster may enter or leave a
 * policy's cluster selector. (JOSDK's triggerReconcilerOnAllEvents, which would let a shard skip
 * the finalizer, is not passed on by Quarkus Operator SDK 7.7.3.)
 * <p>
 * The kubeconfig Secrets are watched in the operator's own namespace only (a namespaced informer,
 * authorized by a Role there), keeping their metadata only; a changed Secret is read once.
 */
@ControllerConfiguration(name = SecretSyncClusterReconciler.NAME, generationAwareEventProcessing = false)
public class SecretSyncClusterReconciler implements Reconciler<SecretSyncCluster>, Cleaner<SecretSyncCluster> {
    public static final String NAME = "secretsynccluster";
    /** Set in application.properties (quarkus.operator-sdk.controllers.secretsynccluster.finalizer). */
    public static final String FINALIZER = "secretsync.io/finalizer";
    private static final Logger LOG = Logger.getLogger(SecretSyncClusterReconciler.class);
    private static final long CONFLICT_RETRY_MILLIS = 1000;

    private final ClusterConnections connections;
    private final SecretSyncConfig config;
    private final Origin origin;
    private final ServiceAccountWriter serviceAccounts;
    private final Stopping stopping;
    private final boolean owner;
    private final Map<String, Integer> failedReleases = new ConcurrentHashMap<>();
    private volatile InformerEventSource<Secret, SecretSyncCluster> kubeconfigs;
    private volatile String namespace;
    private volatile KubernetesClient local;

    public SecretSyncClusterReconciler(ClusterConnections connections, SecretSyncConfig config, Origin origin,
            Stopping stopping, ServiceAccountWriter serviceAccounts) {
        this.serviceAccounts = serviceAccounts;
        this.connections = connections;
        this.config = config;
        this.origin = origin;
        this.stopping = stopping;
        this.owner = config.shardKey().isEmpty();
    }

    @Override
    public List<EventSource<?, SecretSyncCluster>> prepareEventSources(EventSourceContext<SecretSyncCluster> context) {
        local = context.getClient();
        namespace = operatorNamespace(local);
        if (namespace == null) {
            LOG.warnf("the operator's own namespace is unknown (set the environment variable KUBERNETES_NAMESPACE;"
                    + " the shipped Deployment sets it from metadata.namespace): no kubeconfig of a SecretSyncCluster"
                    + " can be read");
            return List.of(ClusterDeletions.create(context, connections));
        }
        kubeconfigs = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Secret.class, SecretSyncCluster.class)
                .withName("kubeconfigs")
                .withNamespaces(Set.of(namespace))
                .withSecondaryToPrimaryMapper(s -> context.getPrimaryCache()
                        .list(c -> s.getMetadata().getName().equals(kubeconfigName(c)))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(c -> Set.of())
                .withItemStore(new SlimStore<>(SecretSyncClusterReconciler::metadataOnly))
                .build(), context);
        return List.of(kubeconfigs, ClusterDeletions.create(context, connections));
    }

    @Override
    public UpdateControl<SecretSyncCluster> reconcile(SecretSyncCluster cluster, Context<SecretSyncCluster> context) {
        if (stopping.isStopping()) {
            return UpdateControl.noUpdate(); // the next leader takes over
        }
        ClusterConnections.Refreshed refreshed = refresh(cluster);
        if (owner && !writeStatus(cluster, refreshed.cluster(), null, context)) {
            return UpdateControl.<SecretSyncCluster>noUpdate().rescheduleAfter(CONFLICT_RETRY_MILLIS);
        }
        return UpdateControl.<SecretSyncCluster>noUpdate().rescheduleAfter(atLeastOneSecond(refreshed.nextProbe()));
    }

    /**
     * Policies stop writing into the cluster at once (deleting); the unsharded process then
     * releases this origin's replicas there, and lets the finalizer go only when all are released.
     */
    @Override
    public DeleteControl cleanup(SecretSyncCluster cluster, Context<SecretSyncCluster> context) {
        String name = cluster.getMetadata().getName();
        if (stopping.isStopping()) {
            return DeleteControl.noFinalizerRemoval(); // released by the next leader
        }
        ClusterConnections.Refreshed refreshed = refresh(cluster); // marks it deleting in RemoteClusters
        if (!owner) {
            return DeleteControl.noFinalizerRemoval(); // the unsharded process releases
        }
        var client = connections.connectedClient(name);
        String pending;
        if (client.isEmpty()) {
            pending = "the replicas this operator wrote into it are released when it is reachable again (the"
                    + " finalizer stays until then); " + refreshed.cluster().message();
        } else {
            RemoteRelease.Result result;
            try {
                result = RemoteRelease.release(name, client.get(), origin.id(), serviceAccounts);
            } catch (KubernetesClientException e) {
                result = new RemoteRelease.Result(0, List.of("listing the replicas or ServiceAccounts failed: "
                        + ClusterProbe.failure("list Secrets and ServiceAccounts", "the cluster", e).message()));
            }
            if (result.failures().isEmpty() && !stopping.isStopping()) {
                failedReleases.remove(name);
                connections.forget(name);
                LOG.infof("SecretSyncCluster %s deleted: %d replicas of this operator released", name,
                        result.released());
                return DeleteControl.defaultDelete();
            }
            pending = result.failures().size() + " replicas or imagePullSecrets references could not be released yet ("
                    + (result.failures().isEmpty() ? "the operator stops" : result.failures().get(0))
                    + (result.failures().size() > 1 ? ", ..." : "") + "); the operator retries";
            LOG.warnf("SecretSyncCluster %s is being deleted: %s", name, pending);
        }
        writeStatus(cluster, refreshed.cluster(), pending, context);
        int attempt = failedReleases.merge(name, 1, Integer::sum);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(atLeastOneSecond(connections.probeDelay(attempt)));
    }

    private ClusterConnections.Refreshed refresh(SecretSyncCluster cluster) {
        String secretName = kubeconfigName(cluster);
        Secret cached = secretName == null || kubeconfigs == null ? null
                : kubeconfigs.get(new ResourceID(secretName, namespace)).orElse(null);
        return connections.refresh(cluster, cached == null ? null : cached.getMetadata().getResourceVersion(),
                () -> local.secrets().inNamespace(namespace).withName(secretName).get(), namespace);
    }

    /** @return false when the cluster changed since it was read (nothing written; its event follows) */
    private boolean writeStatus(SecretSyncCluster cluster, RemoteCluster state, String releasePending,
            Context<SecretSyncCluster> context) {
        SecretSyncClusterStatus previous = cluster.getStatus();
        Long g = cluster.getMetadata().getGeneration();
        SecretSyncClusterStatus next = ClusterStatusComposer.compose(previous, g == null ? 0 : g, state,
                releasePending, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (next.sameStateAs(previous) || stopping.isStopping()) {
            return true;
        }
        try {
            context.resourceOperations().jsonPatchPrimaryStatus(cluster, c -> {
                c.setStatus(next);
                return c;
            });
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    private static String kubeconfigName(SecretSyncCluster c) {
        return c.getSpec() == null || c.getSpec().getKubeconfigSecretRef() == null ? null
                : c.getSpec().getKubeconfigSecretRef().getName();
    }

    /** The cache keeps what tells a change (resourceVersion), never a Secret's data. */
    private static Secret metadataOnly(Secret s) {
        Secret slim = new Secret();
        slim.setMetadata(new ObjectMetaBuilder().withName(s.getMetadata().getName())
                .withNamespace(s.getMetadata().getNamespace()).withUid(s.getMetadata().getUid())
                .withResourceVersion(s.getMetadata().getResourceVersion()).build());
        return slim;
    }

    /**
     * The operator's own namespace: its client's (in the pod KUBERNETES_NAMESPACE, which the shipped
     * Deployment sets from metadata.namespace; else the kubeconfig context's), as for its Lease.
     */
    static String operatorNamespace(KubernetesClient client) {
        String ns = client.getConfiguration().getNamespace();
        return ns == null || ns.isBlank() ? null : ns;
    }

    private static long atLeastOneSecond(Duration d) {
        return Math.max(1000, d.toMillis());
    }
}
