package io.secretsync.operator.sync;

import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import io.secretsync.operator.crd.v1alpha1.ClusterTargets;

/** spec.target.clusters turned into the clusters a policy writes into. Pure. */
public final class ClusterSelection {

    /** A registered SecretSyncCluster as selection reads it. */
    public record Registered(String name, Map<String, String> labels) {
    }

    /**
     * @param local this cluster is a target
     * @param remotes SecretSyncCluster names, sorted; a name listed in spec.target.clusters.names
     *        is here even when no such SecretSyncCluster exists (the policy reports it)
     */
    public record Result(boolean local, SortedSet<String> remotes) {
    }

    private ClusterSelection() {
    }

    public static Result select(ClusterTargets targets, Collection<Registered> registered) {
        if (targets == null) {
            return new Result(true, new TreeSet<>());
        }
        SortedSet<String> remotes = new TreeSet<>();
        if (targets.getNames() != null) {
            remotes.addAll(targets.getNames());
        }
        if (targets.getSelector() != null) {
            registered.stream().filter(c -> LabelSelectors.matches(targets.getSelector(), c.labels()))
                    .forEach(c -> remotes.add(c.name()));
        }
        return new Result(targets.includesLocal(), remotes);
    }
}
