package io.secretsync.operator.reconciler;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.sync.FailureReasons;
import io.secretsync.operator.sync.PullSecretPlanner;

/**
 * Applies imagePullSecrets changes. Each change is applied to the ServiceAccount as read just
 * before the write, and the write carries its resourceVersion, so a concurrent edit makes the
 * server answer 409 and we read and apply again instead of losing the other writer's change.
 */
@ApplicationScoped
public class ServiceAccountWriter {
    private static final Logger LOG = Logger.getLogger(ServiceAccountWriter.class);
    static final int ATTEMPTS = 5;

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

    public Result apply(String policy, List<PullSecretPlanner.Change> changes) {
        List<ReplicaFailure> failures = new ArrayList<>();
        int writes = 0;
        for (PullSecretPlanner.Change change : changes) {
            if (stopping.isStopping()) {
                break; // each update is whole; the next leader makes the rest
            }
            Outcome outcome = applyOne(policy, change);
            if (outcome instanceof Outcome.Written) {
                writes++;
            } else if (outcome instanceof Outcome.Failed failed) {
                String secret = change.add().isEmpty() ? String.join(",", change.remove()) : String.join(",", change.add());
                failures.add(new ReplicaFailure(change.namespace(), secret, FailureReasons.SERVICE_ACCOUNT_FAILED,
                        "ServiceAccount " + change.namespace() + "/" + change.serviceAccount() + ": "
                                + failed.message()));
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

    private Outcome applyOne(String policy, PullSecretPlanner.Change change) {
        for (int attempt = 1; ; attempt++) {
            try {
                ServiceAccount sa = client.serviceAccounts().inNamespace(change.namespace())
                        .withName(change.serviceAccount()).get();
                if (sa == null || !PullSecretPlanner.apply(policy, change, sa)) {
                    return new Outcome.NothingToDo(); // gone, or the change is already there
                }
                if (!rateLimit.acquire(stopping::isStopping)) {
                    return new Outcome.NothingToDo(); // the operator stops writing
                }
                client.serviceAccounts().inNamespace(change.namespace()).resource(sa).update();
                LOG.debugf("policy %s: ServiceAccount %s/%s imagePullSecrets +%s -%s", policy, change.namespace(),
                        change.serviceAccount(), change.add(), change.remove());
                return new Outcome.Written();
            } catch (Exception e) {
                FatalErrors.exitIfFatal(e);
                if (ApiErrors.is(e, 409) && attempt < ATTEMPTS) {
                    LOG.debugf("policy %s: ServiceAccount %s/%s changed under us, applying again", policy,
                            change.namespace(), change.serviceAccount());
                    continue;
                }
                String message = ApiErrors.describe("update", e);
                LOG.warnf("policy %s: ServiceAccount %s/%s: %s", policy, change.namespace(), change.serviceAccount(),
                        message);
                return new Outcome.Failed(message);
            }
        }
    }
}
