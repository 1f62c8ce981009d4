package io.secretsync.operator.crd.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A remote cluster policies may write into (contract section 7). Cluster-scoped: registering a
 * cluster hands its credentials to the operator, a cluster administrator's decision.
 */
@Group(SecretSyncPolicy.GROUP)
@Version(SecretSyncPolicy.VERSION)
@Kind("SecretSyncCluster")
@Plural("secretsyncclusters")
@Singular("secretsynccluster")
@ShortNames("ssc")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "REASON", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".status.serverVersion", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SecretSyncCluster extends CustomResource<SecretSyncClusterSpec, SecretSyncClusterStatus> {
}
