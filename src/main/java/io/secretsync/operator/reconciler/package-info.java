/**
 * The thin layer that talks to the cluster for one SecretSyncPolicy: the caches and the events
 * that wake a policy ({@code PolicyCaches} and its event sources, read in one call into an
 * {@code Observation} and told of our own writes through {@code OwnWrites}), the reconciler that
 * runs observe, plan ({@code io.secretsync.operator.sync}), apply, report, and the writers that
 * apply a plan (replicas, ServiceAccount references, Events), with their error descriptions.
 * <p>
 * It may import the Kubernetes client, the Java Operator SDK, the policy model, {@code sync},
 * {@code metrics}, {@code config}, the Tanzu Build Service convention (told when its policy is
 * deleted) and the announcements of {@code ha} (a lost Lease stops the writes, {@code Stopping}).
 * Decisions belong in {@code sync}; this package only gathers what they need and
 * carries them out. It never imports the demo ({@code ArchitectureTest}).
 */
package io.secretsync.operator.reconciler;
