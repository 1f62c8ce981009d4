/**
 * The SecretSyncPolicy resource, {@code secretsync.io/v1alpha1}: spec, status and the types they
 * nest, with the annotations the CRD is generated from (schema, CEL rules, printer columns).
 * The user-facing contract; field names and meanings are documented in README.
 * <p>
 * Data only: classes here may import {@code java.*}, Jackson, the Kubernetes model and the CRD
 * generator's annotations, and nothing else of the operator ({@code ArchitectureTest}). Every
 * class here is listed in {@code NativeImageReflection}.
 */
package io.secretsync.operator.crd.v1alpha1;
