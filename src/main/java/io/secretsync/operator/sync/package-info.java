/**
 * Planning, pure: from desired state (a policy's spec) and observed state (Secrets, Namespaces,
 * ServiceAccounts, as the caches hold them) to the writes to make, and from what happened to the
 * status and Events to report. Selection of sources and targets, spec validation, the replica
 * and pull-secret planners, content hashing, conditions, status and event composition.
 * <p>
 * No I/O, no clock, no randomness: every rule has a table-driven test. Classes here may import
 * {@code java.*}, the Kubernetes model ({@code io.fabric8.kubernetes.api.model}) and the policy
 * model ({@code io.secretsync.operator.crd.v1alpha1}), nothing else: not the Kubernetes client,
 * the reconciler, metrics, the demo, the SDK or the framework. {@code ArchitectureTest} fails
 * when one does.
 */
package io.secretsync.operator.sync;
