package io.secretsync.operator.crd.v1alpha1;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Copies Secrets from one source namespace into many target namespaces. Cluster-scoped on
 * purpose: a policy reads one namespace and writes many, so only cluster admins should own it.
 */
@Group(SecretSyncPolicy.GROUP)
@Version(SecretSyncPolicy.VERSION)
@Kind("SecretSyncPolicy")
@Plural("secretsyncpolicies")
@Singular("secretsyncpolicy")
@ShortNames("ssp")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "REASON", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "SOURCES", jsonPath = ".status.sourceSecrets", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "NAMESPACES", jsonPath = ".status.targetNamespaces", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "REPLICAS", jsonPath = ".status.syncedReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SecretSyncPolicy extends CustomResource<SecretSyncPolicySpec, SecretSyncPolicyStatus> {
    public static final String GROUP = "secretsync.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /**
     * Read tolerantly: a spec this operator cannot read becomes an {@link UnreadableSpec}, which is
     * written back exactly as it was stored.
     */
    @Override
    @JsonDeserialize(using = TolerantSpecDeserializer.class)
    public void setSpec(SecretSyncPolicySpec spec) {
        super.setSpec(spec);
    }

    @Override
    @JsonDeserialize(using = TolerantStatusDeserializer.class)
    public void setStatus(SecretSyncPolicyStatus status) {
        super.setStatus(status);
    }
}
