package io.secretsync.operator.crd.v1alpha1;

public enum DeletionPolicy {
    Delete,
    Orphan
}
