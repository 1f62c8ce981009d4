package io.secretsync.operator.crd.v1alpha1;

public enum ConflictPolicy {
    Skip,
    Overwrite
}
