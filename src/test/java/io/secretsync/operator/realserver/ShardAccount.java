package io.secretsync.operator.realserver;

import java.nio.file.Path;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The identity of one shard's operator process on a real cluster: a ServiceAccount of its own
 * bound to the shipped ClusterRole, and to a Role for its shard's Lease only, so that the audit
 * log tells the shards' writes apart (the unsharded process runs as the shipped ServiceAccount).
 */
public final class ShardAccount {

    private ShardAccount() {
    }

    /** The ServiceAccount of shard {@code shard}. */
    public static String name(String shard) {
        return "secretsync-shard-" + shard;
    }

    /** How the audit log names the requests of shard {@code shard}. */
    public static String user(String shard) {
        return "system:serviceaccount:" + ShippedOperator.NAMESPACE + ":" + name(shard);
    }

    /** Creates the account with the shipped cluster-wide rights and its shard's Lease; returns its kubeconfig. */
    public static Path create(RealCluster cluster, String shard) {
        KubernetesClient admin = cluster.admin();
        String sa = name(shard);
        String lease = "secretsync-operator-lease-" + shard;
        String ns = ShippedOperator.NAMESPACE;
        admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName(sa)
                .endMetadata().build()).create();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(sa)
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "secretsync-operator")
                .addNewSubject().withKind("ServiceAccount").withName(sa).withNamespace(ns).endSubject().build()).create();
        admin.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName(lease).endMetadata()
                .addNewRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("create").endRule()
                .addNewRule().withApiGroups("coordination.k8s.io").withResources("leases").withResourceNames(lease)
                .withVerbs("get", "update", "patch").endRule().build()).create();
        admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName(lease)
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", lease).addNewSubject()
                .withKind("ServiceAccount").withName(sa).withNamespace(ns).endSubject().build()).create();
        return cluster.kubeconfigForServiceAccount(ns, sa);
    }
}
