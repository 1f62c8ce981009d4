package io.secretsync.operator.bench;

import java.nio.file.Path;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.realserver.RealCluster;
import io.secretsync.operator.realserver.ShippedOperator;

/**
 * The plain-client baseline's identity on a real cluster: a ServiceAccount of its own bound to
 * cluster-admin, so that the API server audits its requests as it audits the operator's.
 */
final class BaselineAccount {
    static final String NAME = "bench-baseline";
    /** How the audit log names the baseline's requests. */
    static final String USER = "system:serviceaccount:" + ShippedOperator.NAMESPACE + ":" + NAME;

    private BaselineAccount() {
    }

    /** Creates the account (and its namespace where the operator is not installed); returns its kubeconfig. */
    static Path create(RealCluster cluster) {
        KubernetesClient admin = cluster.admin();
        if (admin.namespaces().withName(ShippedOperator.NAMESPACE).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ShippedOperator.NAMESPACE)
                    .endMetadata().build()).create();
        }
        admin.serviceAccounts().inNamespace(ShippedOperator.NAMESPACE).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(NAME).endMetadata().build()).create();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName(NAME).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole").withName("cluster-admin").endRoleRef().addNewSubject()
                .withKind("ServiceAccount").withName(NAME).withNamespace(ShippedOperator.NAMESPACE).endSubject()
                .build()).create();
        return cluster.kubeconfigForServiceAccount(ShippedOperator.NAMESPACE, NAME);
    }
}
