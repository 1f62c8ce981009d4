package io.secretsync.operator.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsync.operator.reconciler.ServiceAccountWriter;
import io.secretsync.operator.sync.PullSecretPlanner;
import io.secretsync.operator.sync.ReplicaAction;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.sync.Replicas;
import io.secretsync.operator.sync.SyncPlanner;

/**
 * Releases the replicas this operator wrote into a remote cluster that is being unregistered
 * (its SecretSyncCluster deleted): each per the deletionPolicy recorded on it when it was written
 * ({@link SyncPlanner#releaseVanished}), Orphan or Delete. Only replicas carrying our origin: another
 * operator's replicas in the same cluster are not ours to touch. Each action re-checks the Secret
 * on the server first, like the replica writer does, so a replica taken over meanwhile is left alone.
 * <p>
 * Not through the shared replica writer: a cluster's deletion is rare, its releases are few
 * requests to one cluster, and that writer's pool writes to the local cluster.
 * <p>
 * Then the imagePullSecrets references this origin's policies added to the cluster's
 * ServiceAccounts are removed (whatever the deletionPolicy, as when a policy is deleted), through
 * the ServiceAccount writer; references of other origins and of anyone else stay.
 */
final class RemoteRelease {
    private static final Logger LOG = Logger.getLogger(RemoteRelease.class);
    private static final String REPLICAS = ReplicaMetadata.MANAGED_BY_LABEL + "=" + ReplicaMetadata.MANAGED_BY_VALUE;
    private static final long PAGE = 250;

    /** @param failures what could not be released, one line each (no Secret data) */
    record Result(int released, List<String> failures) {
    }

    private RemoteRelease() {
    }

    static Result release(String cluster, KubernetesClient client, String origin, ServiceAccountWriter serviceAccounts) {
        List<Secret> ours = new ArrayList<>();
        String continueToken = null;
        do {
            SecretList page = client.secrets().inAnyNamespace().list(new ListOptionsBuilder()
                    .withLabelSelector(REPLICAS).withLimit(PAGE).withContinue(continueToken).build());
            page.getItems().stream().filter(s -> ofOrigin(s, origin)).map(RemoteRelease::withoutData)
                    .forEach(ours::add);
            continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (continueToken != null && !continueToken.isEmpty());
        Map<String, List<ReplicaAction>> byPolicy = SyncPlanner.releaseVanished(ours, Set.of());
        int released = 0;
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<ReplicaAction>> e : byPolicy.entrySet()) {
            for (ReplicaAction action : e.getValue()) {
                try {
                    if (apply(client, e.getKey(), action, origin)) {
                        released++;
                    }
                } catch (KubernetesClientException ex) {
                    failures.add(action.operation().name().toLowerCase(java.util.Locale.ROOT) + " of Secret "
                            + action.key() + " failed: HTTP " + ex.getCode());
                }
            }
            LOG.infof("SecretSyncCluster %s is being deleted: released the replicas of policy %s written by this"
                    + " operator (%d)", cluster, e.getKey(), e.getValue().size());
        }
        releaseReferences(cluster, client, origin, serviceAccounts, failures);
        return new Result(released, failures);
    }

    private static void releaseReferences(String cluster, KubernetesClient client, String origin,
            ServiceAccountWriter serviceAccounts, List<String> failures) {
        List<ServiceAccount> annotated = new ArrayList<>();
        String continueToken = null;
        do {
            ServiceAccountList page;
            try {
                page = client.serviceAccounts().inAnyNamespace().list(new ListOptionsBuilder()
                        .withLimit(PAGE).withContinue(continueToken).build());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403) {
                    throw e;
                }
                // ServiceAccounts are needed for imagePullSecrets only (contract section 7): a cluster
                // registered without them never got a reference from this operator
                LOG.infof("SecretSyncCluster %s is being deleted: its ServiceAccounts may not be listed (HTTP 403),"
                        + " so no imagePullSecrets reference of this operator is there to remove", cluster);
                return;
            }
            page.getItems().stream().filter(sa -> !PullSecretPlanner.policiesReferencedBy(sa).isEmpty())
                    .forEach(annotated::add);
            continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (continueToken != null && !continueToken.isEmpty());
        String suffix = PullSecretPlanner.owner("", origin);
        ServiceAccountWriter.Target target = new ServiceAccountWriter.Target(cluster, client, origin);
        PullSecretPlanner.releaseOrigin(origin, annotated).forEach((owner, changes) -> {
            String policy = owner.substring(0, owner.length() - suffix.length());
            serviceAccounts.apply(target, policy, changes).failures()
                    .forEach(f -> failures.add(f.getMessage()));
            LOG.infof("SecretSyncCluster %s is being deleted: removed the imagePullSecrets references of policy %s"
                    + " from %d ServiceAccounts", cluster, policy, changes.size());
        });
    }

    /** @return true when the replica was released by this call */
    private static boolean apply(KubernetesClient client, String policy, ReplicaAction action, String origin) {
        String ns = action.key().namespace();
        String name = action.key().name();
        Secret current = client.secrets().inNamespace(ns).withName(name).get();
        if (current == null || !policy.equals(ReplicaMetadata.owningPolicy(current)) || !ofOrigin(current, origin)) {
            return false; // gone, or no longer ours to release
        }
        try {
            switch (action.operation()) {
                case ORPHAN -> client.secrets().inNamespace(ns).resource(Replicas.orphaned(current)).update();
                case DELETE -> client.secrets().inNamespace(ns).withName(name)
                        .lockResourceVersion(current.getMetadata().getResourceVersion()).delete();
                default -> throw new IllegalStateException("a release is an orphan or a delete, not " + action.operation());
            }
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e; // 409: changed since read; the next attempt reads it again
        }
    }

    static boolean ofOrigin(Secret s, String origin) {
        Map<String, String> annotations = s.getMetadata().getAnnotations();
        return annotations != null && origin.equals(annotations.get(ReplicaMetadata.ORIGIN_ANNOTATION));
    }

    /** The planner needs the metadata only; the list's data is not kept. */
    private static Secret withoutData(Secret s) {
        Secret slim = new Secret();
        slim.setMetadata(s.getMetadata());
        slim.setType(s.getType());
        return slim;
    }
}
