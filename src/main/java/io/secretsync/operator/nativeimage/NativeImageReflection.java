package io.secretsync.operator.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.secretsync.operator.crd.v1alpha1.ClusterSyncStatus;
import io.secretsync.operator.crd.v1alpha1.ClusterTargets;
import io.secretsync.operator.crd.v1alpha1.ConflictPolicy;
import io.secretsync.operator.crd.v1alpha1.DeletionPolicy;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.KeyMapping;
import io.secretsync.operator.crd.v1alpha1.PendingChange;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;
import io.secretsync.operator.crd.v1alpha1.ReplicaSpec;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterSpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterStatus;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.crd.v1alpha1.SourceSpec;
import io.secretsync.operator.crd.v1alpha1.SpecShape;
import io.secretsync.operator.crd.v1alpha1.TargetSpec;
import io.secretsync.operator.crd.v1alpha1.TolerantSpecDeserializer;
import io.secretsync.operator.crd.v1alpha1.TolerantStatusDeserializer;
import io.secretsync.operator.crd.v1alpha1.UnreadableSpec;

/**
 * Jackson (de)serializes the policy model by reflection. The Quarkus Operator SDK registers the
 * custom resource with its spec and status classes; the nested types they refer to are listed
 * here so that a native image can read and write every field. Keep this list in step with
 * crd/v1alpha1 (a JVM test checks that it names every class there).
 */
@RegisterForReflection(targets = {
        SecretSyncPolicy.class,
        SecretSyncPolicySpec.class,
        SecretSyncPolicyStatus.class,
        SourceSpec.class,
        TargetSpec.class,
        ResourceKind.class,
        ImagePullSecretsSpec.class,
        ReplicaFailure.class,
        ReplicaSpec.class,
        KeyMapping.class,
        PendingChange.class,
        ConflictPolicy.class,
        DeletionPolicy.class,
        UnreadableSpec.class,
        TolerantSpecDeserializer.class,
        TolerantStatusDeserializer.class,
        SpecShape.class,
        ClusterTargets.class,
        ClusterSyncStatus.class,
        SecretSyncCluster.class,
        SecretSyncClusterSpec.class,
        SecretSyncClusterStatus.class,
})
public final class NativeImageReflection {
    private NativeImageReflection() {
    }
}
