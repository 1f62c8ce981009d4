package io.secretsync.operator.reconciler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * Our replicas, in every namespace. JOSDK maps an update to the owner named by the new object
 * only; when someone relabels a replica to claim another policy, the policy it was taken from
 * must wake too (to restore its replica), so an update also wakes the old object's owner. The
 * claimed policy then deletes the replica it does not want; that deletion names only the claimed
 * policy, so the policy it was taken from is remembered until then and woken again.
 */
final class ReplicaEventSource extends InformerEventSource<Secret, SecretSyncPolicy> {
    /** Replicas relabelled to another policy, with the policy they were taken from. */
    private final Map<ResourceID, String> takenFrom = new ConcurrentHashMap<>();

    ReplicaEventSource(InformerEventSourceConfiguration<Secret> configuration,
            EventSourceContext<SecretSyncPolicy> context) {
        super(configuration, context);
    }

    @Override
    public void onUpdate(Secret oldObject, Secret newObject) {
        super.onUpdate(oldObject, newObject);
        String before = ReplicaMetadata.owningPolicy(oldObject);
        if (before != null && !before.equals(ReplicaMetadata.owningPolicy(newObject))) {
            takenFrom.put(ResourceID.fromResource(newObject), before);
            wake(before);
        }
    }

    @Override
    public void onDelete(Secret resource, boolean deletedFinalStateUnknown) {
        super.onDelete(resource, deletedFinalStateUnknown);
        String before = takenFrom.remove(ResourceID.fromResource(resource));
        if (before != null) {
            wake(before);
        }
    }

    private void wake(String policy) {
        if (getEventHandler() != null) {
            getEventHandler().handleEvent(new Event(new ResourceID(policy)));
        }
    }
}
