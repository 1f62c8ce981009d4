package io.secretsync.operator.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SourceSpec;
import io.secretsync.operator.crd.v1alpha1.TargetSpec;

/**
 * The checks a real API server makes through the CRD schema and CEL rules, plus the mistakes
 * that schema cannot see. Each problem names the field and what to do.
 */
public final class SpecValidator {
    public static final int MAX_LIST_ENTRIES = 1000;

    private SpecValidator() {
    }

    public static List<String> problems(SecretSyncPolicySpec spec, Set<String> globalExclusions) {
        return problems(null, spec, globalExclusions, Set.of());
    }

    /**
     * @param policy the policy's name, null when not known
     * @param allowedSourceNamespaces the operator's secretsync.allowed-source-namespaces; empty allows all
     */
    public static List<String> problems(String policy, SecretSyncPolicySpec spec, Set<String> globalExclusions,
            Set<String> allowedSourceNamespaces) {
        List<String> problems = new ArrayList<>();
        if (policy != null && !Names.isLabelValue(policy)) {
            // every replica carries the name as its secretsync.io/policy label value
            problems.add("metadata.name: \"" + policy + "\" is " + policy.length() + " characters; a policy name"
                    + " is a label value on its replicas (at most 63 characters), recreate the policy with a"
                    + " shorter name");
        }
        if (spec == null) {
            problems.add("spec is required");
            return problems;
        }
        if (!spec.readProblems().isEmpty()) {
            // the stored spec does not fit this operator's model: nothing else can be checked
            return new ArrayList<>(spec.readProblems());
        }
        SourceSpec source = spec.getSource();
        if (source == null) {
            problems.add("spec.source is required: set spec.source.namespace and spec.source.names or spec.source.selector");
        } else {
            checkSource(source, problems);
            String ns = source.getNamespace();
            if (ns != null && !allowedSourceNamespaces.isEmpty() && !allowedSourceNamespaces.contains(ns)) {
                problems.add("spec.source.namespace: \"" + ns + "\" is not in the operator setting"
                        + " secretsync.allowed-source-namespaces (" + String.join(",",
                                new java.util.TreeSet<>(allowedSourceNamespaces))
                        + "); nothing is read from it. Use an allowed namespace, or ask the cluster admin to add it");
            }
        }
        TargetSpec target = spec.getTarget();
        if (target == null) {
            problems.add("spec.target is required: set spec.target.namespaces, namespaceSelector or namespacesWith");
        } else {
            checkTarget(target, source == null ? null : source.getNamespace(), globalExclusions, problems);
        }
        checkImagePullSecrets(spec.getImagePullSecrets(), problems);
        checkRemoteSupport(policy, spec, problems);
        ReplicaSpecValidator.check(spec.getReplica(), problems);
        return problems;
    }

    private static void checkSource(SourceSpec source, List<String> problems) {
        String ns = source.getNamespace();
        if (ns == null || ns.isBlank()) {
            problems.add("spec.source.namespace is required");
        } else if (!Names.isDns1123Label(ns)) {
            problems.add("spec.source.namespace: \"" + ns + "\" is not a valid namespace name (DNS-1123 label)");
        }
        boolean noNames = source.getNames() == null || source.getNames().isEmpty();
        if (noNames && source.getSelector() == null) {
            problems.add("spec.source needs names or selector: list the Secrets in spec.source.names or select them"
                    + " with spec.source.selector");
        }
        checkNames("spec.source.names", source.getNames(), true, problems);
        problems.addAll(LabelSelectors.problems("spec.source.selector", source.getSelector()));
        List<String> types = source.getTypes();
        for (int i = 0; types != null && i < types.size(); i++) {
            String type = types.get(i);
            if (type == null || type.isBlank()) {
                problems.add("spec.source.types[" + i + "] is empty");
            } else if (SecretTypes.SERVICE_ACCOUNT_TOKEN.equals(type)) {
                problems.add("spec.source.types[" + i + "]: " + type
                        + " Secrets are never copied; tokens are bound to their own namespace");
            }
        }
    }

    private static void checkTarget(TargetSpec target, String sourceNamespace, Set<String> globalExclusions,
            List<String> problems) {
        boolean noNamespaces = target.getNamespaces() == null || target.getNamespaces().isEmpty();
        boolean noWith = target.getNamespacesWith() == null || target.getNamespacesWith().isEmpty();
        if (noNamespaces && target.getNamespaceSelector() == null && noWith) {
            problems.add("spec.target needs at least one of namespaces, namespaceSelector or namespacesWith"
                    + " (namespaceSelector: {} selects every namespace)");
        }
        checkNames("spec.target.namespaces", target.getNamespaces(), false, problems);
        List<String> namespaces = target.getNamespaces() == null ? List.of() : target.getNamespaces();
        for (int i = 0; i < namespaces.size(); i++) {
            String ns = namespaces.get(i);
            if (ns != null && ns.equals(sourceNamespace)) {
                problems.add("spec.target.namespaces[" + i + "]: \"" + ns
                        + "\" is the source namespace; a Secret cannot be copied onto itself, remove it");
            } else if (ns != null && globalExclusions.contains(ns)) {
                problems.add("spec.target.namespaces[" + i + "]: \"" + ns
                        + "\" is excluded by the operator (secretsync.excluded-namespaces); remove it");
            }
        }
        problems.addAll(LabelSelectors.problems("spec.target.namespaceSelector", target.getNamespaceSelector()));
        List<ResourceKind> with = target.getNamespacesWith();
        for (int i = 0; with != null && i < with.size(); i++) {
            ResourceKind k = with.get(i);
            if (k == null || k.getApiVersion() == null || k.getApiVersion().isBlank()
                    || k.getKind() == null || k.getKind().isBlank()) {
                problems.add("spec.target.namespacesWith[" + i + "] needs apiVersion and kind");
            }
        }
        if (with != null && new HashSet<>(with.stream().map(String::valueOf).toList()).size() != with.size()) {
            problems.add("spec.target.namespacesWith lists the same kind twice; list each kind once");
        }
        checkNames("spec.target.excludeNamespaces", target.getExcludeNamespaces(), false, problems);
        if (target.getClusters() != null) {
            checkNames("spec.target.clusters.names", target.getClusters().getNames(), true, problems);
            problems.addAll(LabelSelectors.problems("spec.target.clusters.selector", target.getClusters().getSelector()));
        }
    }

    /**
     * Remote clusters get replicas by namespaces, namespaceSelector and exclusions, and
     * imagePullSecrets.serviceAccounts; the operator does not watch workloads there, so a policy
     * asking for namespacesWith or workloadServiceAccounts in a remote cluster is told so instead
     * of being served silently in part.
     */
    private static void checkRemoteSupport(String policy, SecretSyncPolicySpec spec, List<String> problems) {
        TargetSpec target = spec.getTarget();
        boolean remote = target != null && target.getClusters() != null
                && ((target.getClusters().getNames() != null && !target.getClusters().getNames().isEmpty())
                        || target.getClusters().getSelector() != null);
        if (!remote) {
            return;
        }
        String which = policy == null ? "this policy" : "policy " + policy;
        if (target.getNamespacesWith() != null && !target.getNamespacesWith().isEmpty()) {
            problems.add("spec.target.namespacesWith cannot be combined with remote clusters (spec.target.clusters)"
                    + " in " + which + ": the operator does not watch workloads in remote clusters; use namespaces"
                    + " or namespaceSelector, or keep namespacesWith in a separate policy for this cluster only");
        }
        if (spec.getImagePullSecrets() != null && Boolean.TRUE.equals(spec.getImagePullSecrets().getWorkloadServiceAccounts())) {
            problems.add("spec.imagePullSecrets.workloadServiceAccounts cannot be combined with remote clusters"
                    + " (spec.target.clusters) in " + which + ": it follows namespacesWith workloads, which the"
                    + " operator does not watch in remote clusters; name the ServiceAccounts in"
                    + " spec.imagePullSecrets.serviceAccounts, or keep workloadServiceAccounts in a separate policy"
                    + " for this cluster only");
        }
    }

    private static void checkImagePullSecrets(ImagePullSecretsSpec ips, List<String> problems) {
        if (ips != null) {
            checkNames("spec.imagePullSecrets.serviceAccounts", ips.getServiceAccounts(), true, problems);
        }
    }

    private static void checkNames(String field, List<String> names, boolean subdomain, List<String> problems) {
        if (names == null) {
            return;
        }
        if (names.size() > MAX_LIST_ENTRIES) {
            problems.add(field + " has " + names.size() + " entries; at most " + MAX_LIST_ENTRIES
                    + " are allowed, use a selector instead");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            boolean valid = subdomain ? Names.isDns1123Subdomain(n) : Names.isDns1123Label(n);
            if (!valid) {
                problems.add(field + "[" + i + "]: \"" + n + "\" is not a valid "
                        + (subdomain ? "name (DNS-1123 subdomain)" : "namespace name (DNS-1123 label)"));
            } else if (!seen.add(n)) {
                problems.add(field + "[" + i + "]: \"" + n + "\" is listed twice; list each name once");
            }
        }
    }
}
