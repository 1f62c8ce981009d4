package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.ReplicaFailure;

/**
 * Which imagePullSecrets references a policy adds to and removes from ServiceAccounts. The
 * references it added are recorded on the ServiceAccount (annotation
 * secretsync.io/image-pull-secrets, entries policy/secret), so it removes only those, and a
 * reference someone else wrote is never touched. Pure, like the replica planner.
 * <p>
 * In a remote cluster the entries are policy@origin/secret ({@link #owner}): operators of two
 * origins may have policies of the same name writing there, and neither removes the other's.
 */
public final class PullSecretPlanner {
    public static final String ANNOTATION = "secretsync.io/image-pull-secrets";

    /** One ServiceAccount to change: references to add, and references of ours to remove. */
    public record Change(String namespace, String serviceAccount, Set<String> add, Set<String> remove) {
    }

    private PullSecretPlanner() {
    }

    /**
     * @param wantedServiceAccounts namespace -> ServiceAccounts that should reference the replicas
     * @param replicas namespace -> names of this policy's replicas that exist and are ours
     * @param observed ServiceAccounts in the target namespaces, and any carrying our annotation
     */
    public static List<Change> plan(String policy, Map<String, Set<String>> wantedServiceAccounts,
            Map<String, Set<String>> replicas, Collection<ServiceAccount> observed) {
        List<Change> changes = new ArrayList<>();
        for (ServiceAccount sa : observed) {
            String ns = sa.getMetadata().getNamespace();
            String name = sa.getMetadata().getName();
            Set<String> desired = wantedServiceAccounts.getOrDefault(ns, Set.of()).contains(name)
                    ? replicas.getOrDefault(ns, Set.of())
                    : Set.of();
            Set<String> present = references(sa);
            Set<String> ours = ours(sa, policy);
            Set<String> add = new TreeSet<>(desired);
            add.removeAll(present);
            Set<String> remove = new TreeSet<>(ours);
            remove.removeAll(desired);
            if (!add.isEmpty() || !remove.isEmpty()) {
                changes.add(new Change(ns, name, add, remove));
            }
        }
        changes.sort((a, b) -> (a.namespace() + "/" + a.serviceAccount()).compareTo(b.namespace() + "/" + b.serviceAccount()));
        return changes;
    }

    /**
     * The changes after this reconcile's replica writes: the ServiceAccounts of the plan's target
     * namespaces that spec.imagePullSecrets wants reference the replicas now in sync.
     */
    public static List<Change> plan(String policy, ImagePullSecretsSpec ips, Plan plan,
            List<ReplicaFailure> writeFailures, Observation observed) {
        return plan(policy, wantedServiceAccounts(ips, plan.targets(), observed.workloadServiceAccounts()),
                replicasInSync(plan, writeFailures), observed.serviceAccounts());
    }

    /**
     * The changes in one remote cluster after its replica writes: its target namespaces' ServiceAccounts
     * named in spec.imagePullSecrets.serviceAccounts (workloadServiceAccounts is local only) reference
     * the replicas in sync there; references of owner no longer wanted are removed.
     *
     * @param owner the entry owner in that cluster, {@link #owner}(policy, origin)
     * @param ips null when the policy no longer asks for imagePullSecrets: all of owner's references go
     * @param observed that cluster's ServiceAccounts the policy may want, and those carrying owner's entries
     */
    public static List<Change> planInCluster(String owner, ImagePullSecretsSpec ips, Plan clusterPlan,
            List<ReplicaFailure> writeFailures, Collection<ServiceAccount> observed) {
        return plan(owner, wantedServiceAccounts(ips, clusterPlan.targets(), Map.of()),
                replicasInSync(clusterPlan, writeFailures), observed);
    }

    /**
     * Whose entries these are in a remote cluster: the policy of this origin. Characters that
     * would break the annotation's format (",", "/", spaces) are replaced in the origin.
     */
    public static String owner(String policy, String origin) {
        return origin == null ? policy : policy + "@" + origin.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * Every reference of this origin's policies in the observed ServiceAccounts of a remote cluster
     * (the cluster is being unregistered), per owner.
     */
    public static Map<String, List<Change>> releaseOrigin(String origin, Collection<ServiceAccount> observed) {
        String suffix = owner("", origin);
        Map<String, List<Change>> byOwner = new java.util.TreeMap<>();
        observed.stream().flatMap(sa -> policiesReferencedBy(sa).stream()).filter(o -> o.endsWith(suffix)
                && o.length() > suffix.length()).distinct()
                .forEach(o -> byOwner.put(o, releaseAll(o, observed)));
        byOwner.values().removeIf(List::isEmpty);
        return byOwner;
    }

    /** namespace -> ServiceAccounts that should list this policy's replicas in imagePullSecrets. */
    public static Map<String, Set<String>> wantedServiceAccounts(ImagePullSecretsSpec ips,
            Collection<String> targets, Map<String, Set<String>> workloadServiceAccounts) {
        Map<String, Set<String>> wanted = new HashMap<>();
        if (ips == null) {
            return wanted;
        }
        for (String ns : targets) {
            Set<String> names = new HashSet<>(ips.getServiceAccounts() == null ? List.of() : ips.getServiceAccounts());
            if (Boolean.TRUE.equals(ips.getWorkloadServiceAccounts())) {
                names.addAll(workloadServiceAccounts.getOrDefault(ns, Set.of()));
            }
            if (!names.isEmpty()) {
                wanted.put(ns, names);
            }
        }
        return wanted;
    }

    /** namespace -> replicas of this policy that exist and are ours after this reconcile's writes. */
    public static Map<String, Set<String>> replicasInSync(Plan plan, List<ReplicaFailure> writeFailures) {
        Set<String> failed = new HashSet<>();
        plan.conflicts().forEach(f -> failed.add(f.getNamespace() + "/" + f.getSecret()));
        writeFailures.forEach(f -> failed.add(f.getNamespace() + "/" + f.getSecret()));
        Map<String, Set<String>> replicas = new HashMap<>();
        for (String ns : plan.targets()) {
            for (Secret source : plan.sources().selected()) {
                if (!failed.contains(ns + "/" + source.getMetadata().getName())) {
                    replicas.computeIfAbsent(ns, n -> new HashSet<>()).add(source.getMetadata().getName());
                }
            }
        }
        return replicas;
    }

    /** The change applied to a (fresh) ServiceAccount; returns false when nothing needed changing. */
    public static boolean apply(String policy, Change change, ServiceAccount sa) {
        Set<String> ours = ours(sa, policy);
        List<LocalObjectReference> refs = new ArrayList<>(sa.getImagePullSecrets() == null ? List.of()
                : sa.getImagePullSecrets());
        boolean changed = refs.removeIf(r -> change.remove().contains(r.getName()) && ours.contains(r.getName()));
        Set<String> present = refs.stream().map(LocalObjectReference::getName).collect(Collectors.toSet());
        Set<String> entries = entries(sa);
        for (String name : change.remove()) {
            changed |= entries.remove(policy + "/" + name);
        }
        for (String name : change.add()) {
            if (!present.contains(name)) {
                refs.add(new LocalObjectReference(name));
                entries.add(policy + "/" + name);
                changed = true;
            }
        }
        if (changed) {
            sa.setImagePullSecrets(refs);
            Map<String, String> annotations = sa.getMetadata().getAnnotations() == null ? new HashMap<>()
                    : new HashMap<>(sa.getMetadata().getAnnotations());
            if (entries.isEmpty()) {
                annotations.remove(ANNOTATION);
            } else {
                annotations.put(ANNOTATION, String.join(",", entries));
            }
            sa.getMetadata().setAnnotations(annotations);
        }
        return changed;
    }

    /** Every reference a policy added, for releasing them all when it is deleted. */
    public static List<Change> releaseAll(String policy, Collection<ServiceAccount> observed) {
        return plan(policy, Map.of(), Map.of(), observed);
    }

    public static boolean carriesOurs(ServiceAccount sa, String policy) {
        return !ours(sa, policy).isEmpty();
    }

    /** The policies that recorded references on this ServiceAccount (the cache indexes them by this). */
    public static Set<String> policiesReferencedBy(ServiceAccount sa) {
        return entries(sa).stream().filter(e -> e.indexOf('/') > 0).map(e -> e.substring(0, e.indexOf('/')))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> references(ServiceAccount sa) {
        return sa.getImagePullSecrets() == null ? Set.of()
                : sa.getImagePullSecrets().stream().map(LocalObjectReference::getName).collect(Collectors.toSet());
    }

    static Set<String> ours(ServiceAccount sa, String policy) {
        String prefix = policy + "/";
        return entries(sa).stream().filter(e -> e.startsWith(prefix)).map(e -> e.substring(prefix.length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The annotation's policy/secret entries; the one place that reads its format. */
    private static Set<String> entries(ServiceAccount sa) {
        String value = sa.getMetadata().getAnnotations() == null ? null
                : sa.getMetadata().getAnnotations().get(ANNOTATION);
        if (value == null || value.isBlank()) {
            return new LinkedHashSet<>();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
