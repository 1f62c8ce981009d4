package io.secretsync.operator.crd;

import java.util.List;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.secretsync.operator.crd.v1alpha1.SecretSyncCluster;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;

/**
 * The columns {@code kubectl get secretsyncpolicies} (and {@code secretsyncclusters}) prints. The
 * one list per kind is the annotations on its class, in the order they are written there (the
 * order of the contract); the CRD post-processor, the demo server's fallback CRDs and the demo's
 * tables read it here.
 */
public final class PrinterColumns {

    private PrinterColumns() {
    }

    public static List<AdditionalPrinterColumn> ofSecretSyncPolicy() {
        return List.of(SecretSyncPolicy.class.getAnnotationsByType(AdditionalPrinterColumn.class));
    }

    public static List<AdditionalPrinterColumn> ofSecretSyncCluster() {
        return List.of(SecretSyncCluster.class.getAnnotationsByType(AdditionalPrinterColumn.class));
    }

    public static List<String> names() {
        return names("SecretSyncPolicy");
    }

    /** The declared column order of a kind of ours; empty for any other kind. */
    public static List<String> names(String kind) {
        List<AdditionalPrinterColumn> columns = switch (kind) {
            case "SecretSyncPolicy" -> ofSecretSyncPolicy();
            case "SecretSyncCluster" -> ofSecretSyncCluster();
            default -> List.of();
        };
        return columns.stream().map(AdditionalPrinterColumn::name).toList();
    }
}
