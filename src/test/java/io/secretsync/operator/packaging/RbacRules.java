package io.secretsync.operator.packaging;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;

/**
 * What the manifests grant the operator's ServiceAccount, evaluated the way the API server's
 * RBAC authorizer does (no wildcards are expected; a rule with resourceNames only authorizes
 * requests that name the object).
 */
public final class RbacRules {

    /** One API request, in RBAC terms. */
    public record Access(String group, String resource, String namespace, String name, String verb) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource
                    + (namespace == null ? "" : " in " + namespace) + (name == null ? "" : " " + name);
        }
    }

    /** A rule and the namespace it applies in (null: every namespace). */
    public record Grant(String source, String namespace, PolicyRule rule) {
    }

    private final List<Grant> grants;

    private RbacRules(List<Grant> grants) {
        this.grants = grants;
    }

    public List<Grant> grants() {
        return grants;
    }

    /**
     * Rules bound to serviceAccount (in operatorNamespace): ClusterRoles through
     * ClusterRoleBindings, Roles through RoleBindings of their namespace.
     */
    public static RbacRules of(List<HasMetadata> manifests, String serviceAccount, String operatorNamespace) {
        List<Grant> grants = new ArrayList<>();
        for (ClusterRoleBinding b : Manifests.ofKind(manifests, ClusterRoleBinding.class)) {
            if (binds(b.getSubjects(), serviceAccount, operatorNamespace, operatorNamespace)) {
                clusterRole(manifests, b.getRoleRef().getName()).getRules()
                        .forEach(r -> grants.add(new Grant("ClusterRole/" + b.getRoleRef().getName(), null, r)));
            }
        }
        for (RoleBinding b : Manifests.ofKind(manifests, RoleBinding.class)) {
            String ns = b.getMetadata().getNamespace() == null ? operatorNamespace : b.getMetadata().getNamespace();
            if (!binds(b.getSubjects(), serviceAccount, operatorNamespace, ns)) {
                continue;
            }
            List<PolicyRule> rules = "ClusterRole".equals(b.getRoleRef().getKind())
                    ? clusterRole(manifests, b.getRoleRef().getName()).getRules()
                    : Manifests.ofKind(manifests, Role.class).stream()
                            .filter(r -> r.getMetadata().getName().equals(b.getRoleRef().getName())).findFirst()
                            .orElseThrow(() -> new IllegalStateException("no Role " + b.getRoleRef().getName()))
                            .getRules();
            rules.forEach(r -> grants.add(new Grant(b.getRoleRef().getKind() + "/" + b.getRoleRef().getName(), ns, r)));
        }
        return new RbacRules(grants);
    }

    private static ClusterRole clusterRole(List<HasMetadata> manifests, String name) {
        return Manifests.ofKind(manifests, ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no ClusterRole " + name));
    }

    private static boolean binds(List<Subject> subjects, String sa, String saNamespace, String bindingNamespace) {
        return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && sa.equals(s.getName())
                && saNamespace.equals(s.getNamespace() == null ? bindingNamespace : s.getNamespace()));
    }

    public boolean allows(Access a) {
        return grants.stream().anyMatch(g -> (g.namespace() == null || g.namespace().equals(a.namespace()))
                && matches(g.rule(), a));
    }

    private static boolean matches(PolicyRule r, Access a) {
        return r.getApiGroups().contains(a.group()) && r.getResources().contains(a.resource())
                && r.getVerbs().contains(a.verb())
                && (r.getResourceNames() == null || r.getResourceNames().isEmpty()
                        || (a.name() != null && r.getResourceNames().contains(a.name())));
    }

    /**
     * The RBAC attributes of an HTTP request to the Kubernetes API, or null for requests every
     * authenticated user may make (discovery, version, self-reviews).
     */
    public static Access access(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : URLDecoder.decode(pathAndQuery.substring(q + 1), StandardCharsets.UTF_8);
        String[] s = path.replaceAll("^/+", "").split("/");
        int i;
        String group;
        if (s.length >= 3 && s[0].equals("api")) {
            group = "";
            i = 2;
        } else if (s.length >= 4 && s[0].equals("apis")) {
            group = s[1];
            i = 3;
        } else {
            return null; // /, /version, /api, /apis/group/version: discovery
        }
        if ("authorization.k8s.io".equals(group) && s[i].startsWith("selfsubject")) {
            return null; // granted to every authenticated user (system:basic-user)
        }
        String namespace = null;
        if (s[i].equals("namespaces") && s.length - i >= 3) {
            namespace = s[i + 1];
            i += 2;
        }
        String resource = s[i];
        String name = s.length > i + 1 ? s[i + 1] : null;
        if (s.length > i + 2) {
            resource = resource + "/" + s[i + 2];
        }
        boolean watch = (query.contains("watch=true") || query.contains("watch=1"));
        String verb = switch (method) {
            case "GET" -> name != null ? "get" : watch ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return new Access(group, resource, namespace, name, verb);
    }
}
