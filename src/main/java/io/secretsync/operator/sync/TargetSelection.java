package io.secretsync.operator.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.Namespace;
import io.secretsync.operator.crd.v1alpha1.TargetSpec;

/** Which existing namespaces receive replicas. */
public final class TargetSelection {
    /** A namespace labelled with this set to "true" is never a target, whatever a policy says. */
    public static final String OPT_OUT_LABEL = "secretsync.io/exclude";

    private TargetSelection() {
    }

    /**
     * @param namespacesWithObjects namespaces holding at least one object of a spec.target.namespacesWith kind
     */
    public static SortedSet<String> select(TargetSpec target, String sourceNamespace, Collection<Namespace> namespaces,
            Set<String> namespacesWithObjects, Set<String> globalExclusions) {
        List<String> named = target.getNamespaces() == null ? List.of() : target.getNamespaces();
        List<String> excluded = target.getExcludeNamespaces() == null ? List.of() : target.getExcludeNamespaces();
        SortedSet<String> targets = new TreeSet<>();
        for (Namespace ns : namespaces) {
            String name = ns.getMetadata().getName();
            boolean wanted = named.contains(name)
                    || LabelSelectors.matches(target.getNamespaceSelector(), ns.getMetadata().getLabels())
                    || namespacesWithObjects.contains(name);
            if (wanted && !name.equals(sourceNamespace) && !excluded.contains(name)
                    && !globalExclusions.contains(name) && !optedOut(ns) && !terminating(ns)) {
                targets.add(name);
            }
        }
        return targets;
    }

    private static boolean optedOut(Namespace ns) {
        Map<String, String> labels = ns.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(OPT_OUT_LABEL));
    }

    private static boolean terminating(Namespace ns) {
        return ns.getMetadata().getDeletionTimestamp() != null
                || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()));
    }
}
