package io.secretsync.operator.reconciler;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.sync.PolicyEvents.PolicyEvent;

/**
 * Writes core/v1 Events about a policy. A policy is cluster-scoped, so its Events live in the
 * "default" namespace, where kubectl describe looks for them.
 */
@ApplicationScoped
public class PolicyEventRecorder {
    static final String COMPONENT = "secretsync-operator";
    private static final String EVENT_NAMESPACE = "default";
    private static final int MAX_MESSAGE = 1024;
    private static final Logger LOG = Logger.getLogger(PolicyEventRecorder.class);

    private final KubernetesClient client;

    public PolicyEventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void record(SecretSyncPolicy policy, List<PolicyEvent> events) {
        for (PolicyEvent e : events) {
            String now = Instant.now().toString();
            String message = "SecretSyncPolicy " + policy.getMetadata().getName() + ": " + e.message();
            try {
                client.v1().events().inNamespace(EVENT_NAMESPACE).resource(new EventBuilder()
                        .withNewMetadata()
                        .withName(policy.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                        .withNamespace(EVENT_NAMESPACE)
                        .endMetadata()
                        .withInvolvedObject(new ObjectReferenceBuilder()
                                .withApiVersion(SecretSyncPolicy.API_VERSION)
                                .withKind("SecretSyncPolicy")
                                .withName(policy.getMetadata().getName())
                                .withUid(policy.getMetadata().getUid())
                                .build())
                        .withType(e.warning() ? "Warning" : "Normal")
                        .withReason(e.reason())
                        .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
                        .withFirstTimestamp(now)
                        .withLastTimestamp(now)
                        .withCount(1)
                        .withNewSource().withComponent(COMPONENT).endSource()
                        .withReportingComponent(COMPONENT)
                        .build()).create();
            } catch (Exception ex) {
                // an Event is a courtesy; losing one must not fail the reconcile
                LOG.warnf("policy %s: could not record event %s: %s", policy.getMetadata().getName(), e.reason(),
                        ApiErrors.describe("create event", ex));
            }
        }
    }
}
