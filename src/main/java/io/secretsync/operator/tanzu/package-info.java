/**
 * The Tanzu Build Service "synced secrets" label convention, a supported feature: Secrets in
 * {@code build-service} labelled {@code com.vmware.tanzu.buildservice.sync=true} reach every
 * namespace with kpack Builds or Images. It is served by an ordinary SecretSyncPolicy
 * ({@code tanzu-build-service-sync}) that this package creates when leadership is announced
 * ({@code io.secretsync.operator.ha.LeadershipAcquired}) and never rewrites. Its settings keep
 * their first names, {@code secretsync.legacy.*}.
 * <p>
 * It may import the Kubernetes client, the policy model and the leadership event; it never
 * reaches into the reconciler, the demo or the start-up code ({@code ArchitectureTest}).
 */
package io.secretsync.operator.tanzu;
