package io.secretsync.operator.reconciler;

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
 * must wake too (to restore its replica), so an update also wakes the old object's owner.
 */
final class ReplicaEventSource extends InformerEventSource<Secret, SecretSyncPolicy> {

    ReplicaEventSource(InformerEventSourceConfiguration<Secret> configuration,
            EventSourceContext<SecretSyncPolicy> context) {
        super(configuration, context);
    }

    @Override
    public void onUpdate(Secret oldObject, Secret newObject) {
        super.onUpdate(oldObject, newObject);
        String before = ReplicaMetadata.owningPolicy(oldObject);
        if (before != null && !before.equals(ReplicaMetadata.owningPolicy(newObject)) && getEventHandler() != null) {
            getEventHandler().handleEvent(new Event(new ResourceID(before)));
        }
    }
}
