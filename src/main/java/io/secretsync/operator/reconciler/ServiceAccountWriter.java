package io.secretsync.operator.reconciler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.sync.FailureReasons;
import io.secretsync.operator.sync.PullSecretPlanner;

/**
 * Applies imagePullSecrets changes. Each change is applied to the ServiceAccount as read just
 * before the write, and the write carries its resourceVersion, so a concurrent edit makes the
 * server answer 409 and we read and apply again instead of losing the other writer's change.
 * <p>
 * The same for a remote cluster ({@link Target}), except the verb: there the write is a JSON
 * merge patch of imagePullSecrets and our annotation that carries the resourceVersion read (the
 * same optimistic lock as an update), because the remote ClusterRole grants patch only.
 */
@ApplicationScoped
public class ServiceAccountWriter {
    private static final Logger LOG = Logger.getLogger(ServiceAccountWriter.class);
    static final int ATTEMPTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final WriteRateLimiter rateLimit;
    private final Stopping stopping;

    public ServiceAccountWriter(KubernetesClient client, WriteRateLimiter rateLimit, Stopping stopping) {
        this.client = client;
        this.stopping = stopping;
        this.rateLimit = rateLimit;
    }

    /** @param writes ServiceAccounts actually updated (a change found already made is no write) */
    public record Result(List<ReplicaFailure> failures, int writes) {
    }

    /**
     * The cluster the changes go to.
     *
     * @param cluster a SecretSyncCluster's name; null for this cluster
     * @param origin this operator's origin in a remote cluster (the owner of its entries there); null here
     */
    public record Target(String cluster, KubernetesClient client, String origin) {
        String owner(String policy) {
            return PullSecretPlanner.owner(policy, origin);
        }
    }

    public Result apply(String policy, List<PullSecretPlanner.Change> changes) {
        return apply(new Target(null, client, null), policy, changes);
    }

    /** Applies changes planned for owner {@code target.owner(policy)} in the target's cluster. */
    public Result apply(Target target, String policy, List<PullSecretPlanner.Change> changes) {
        List<ReplicaFailure> failures = new ArrayList<>();
        int writes = 0;
        for (PullSecretPlanner.Change change : changes) {
            if (stopping.isStopping()) {
                break; // each update is whole; the next leader makes the rest
            }
            Outcome outcome = applyOne(target, policy, change);
            if (outcome instanceof Outcome.Written) {
                writes++;
            } else if (outcome instanceof Outcome.Failed failed) {
                String secret = change.add().isEmpty() ? String.join(",", change.remove()) : String.join(",", change.add());
                ReplicaFailure failure = new ReplicaFailure(change.namespace(), secret,
                        FailureReasons.SERVICE_ACCOUNT_FAILED, "ServiceAccount " + change.namespace() + "/"
                                + change.serviceAccount() + where(target) + ": " + failed.message());
                failures.add(target.cluster() == null ? failure : failure.inCluster(target.cluster()));
            }
        }
        return new Result(failures, writes);
    }

    /** What applying one change came to. */
    private sealed interface Outcome {
        /** The ServiceAccount was updated. */
        record Written() implements Outcome {
        }

        /** It is gone, or already carries the change: no write. */
        record NothingToDo() implements Outcome {
        }

        /** The server refused the write; message is data-free (see ApiErrors). */
        record Failed(String message) implements Outcome {
        }
    }

    private Outcome applyOne(Target target, String policy, PullSecretPlanner.Change change) {
        KubernetesClient c = target.client();
        for (int attempt = 1; ; attempt++) {
            try {
                ServiceAccount sa = c.serviceAccounts().inNamespace(change.namespace())
                        .withName(change.serviceAccount()).get();
                if (sa == null || !PullSecretPlanner.apply(target.owner(policy), change, sa)) {
                    return new Outcome.NothingToDo(); // gone, or the change is already there
                }
                if (!rateLimit.acquire(stopping::isStopping)) {
                    return new Outcome.NothingToDo(); // the operator stops writing
                }
                if (target.cluster() == null) {
                    c.serviceAccounts().inNamespace(change.namespace()).resource(sa).update();
                } else {
                    // on the resource read: by name alone, the client would read it once more first
                    c.serviceAccounts().inNamespace(change.namespace()).resource(sa)
                            .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch(sa));
                }
                LOG.debugf("policy %s: ServiceAccount %s/%s%s imagePullSecrets +%s -%s", policy, change.namespace(),
                        change.serviceAccount(), where(target), change.add(), change.remove());
                return new Outcome.Written();
            } catch (Exception e) {
                FatalErrors.exitIfFatal(e);
                if (ApiErrors.is(e, 409) && attempt < ATTEMPTS) {
                    LOG.debugf("policy %s: ServiceAccount %s/%s%s changed under us, applying again", policy,
                            change.namespace(), change.serviceAccount(), where(target));
                    continue;
                }
                String message = ApiErrors.describe(target.cluster() == null ? "update" : "patch", e);
                LOG.warnf("policy %s: ServiceAccount %s/%s%s: %s", policy, change.namespace(),
                        change.serviceAccount(), where(target), message);
                return new Outcome.Failed(message);
            }
        }
    }

    private static String where(Target target) {
        return target.cluster() == null ? "" : " in cluster " + target.cluster();
    }

    /**
     * The changed fields of sa, as read and changed, with its resourceVersion: the server refuses
     * the patch (409) when the ServiceAccount changed since. A merge patch replaces the whole
     * imagePullSecrets list; a null annotation value removes ours.
     */
    static String mergePatch(ServiceAccount sa) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resourceVersion", sa.getMetadata().getResourceVersion());
        Map<String, String> annotation = new HashMap<>();
        annotation.put(PullSecretPlanner.ANNOTATION, sa.getMetadata().getAnnotations() == null ? null
                : sa.getMetadata().getAnnotations().get(PullSecretPlanner.ANNOTATION));
        metadata.put("annotations", annotation);
        List<Map<String, String>> refs = new ArrayList<>();
        if (sa.getImagePullSecrets() != null) {
            sa.getImagePullSecrets().forEach(r -> refs.add(Map.of("name", r.getName())));
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", metadata);
        patch.put("imagePullSecrets", refs);
        try {
            return JSON.writeValueAsString(patch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a ServiceAccount patch", e); // names and strings only
        }
    }
}
