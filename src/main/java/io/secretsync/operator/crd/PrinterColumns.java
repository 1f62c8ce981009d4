package io.secretsync.operator.crd;

import java.util.List;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;

/**
 * The columns {@code kubectl get secretsyncpolicies} prints. The one list is the annotations on
 * {@link SecretSyncPolicy}, in the order they are written there (the order of the contract);
 * the CRD post-processor, the demo server's fallback CRD and the demo's table read it here.
 */
public final class PrinterColumns {

    private PrinterColumns() {
    }

    public static List<AdditionalPrinterColumn> ofSecretSyncPolicy() {
        return List.of(SecretSyncPolicy.class.getAnnotationsByType(AdditionalPrinterColumn.class));
    }

    public static List<String> names() {
        return ofSecretSyncPolicy().stream().map(AdditionalPrinterColumn::name).toList();
    }

    /** The columns {@code kubectl get secretsyncclusters} prints: READY, REASON, VERSION, AGE. */
    public static List<AdditionalPrinterColumn> ofSecretSyncCluster() {
        return List.of(SecretSyncCluster.class.getAnnotationsByType(AdditionalPrinterColumn.class));
    }

    /** The declared column names of the resource a CRD of this plural defines (the policy's when unknown). */
    public static List<String> names(String plural) {
        List<AdditionalPrinterColumn> columns = "secretsyncclusters".equals(plural) ? ofSecretSyncCluster()
                : ofSecretSyncPolicy();
        return columns.stream().map(AdditionalPrinterColumn::name).toList();
    }
}
