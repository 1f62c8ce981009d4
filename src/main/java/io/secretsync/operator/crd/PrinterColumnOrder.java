package io.secretsync.operator.crd;

import java.util.Comparator;
import java.util.List;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

/**
 * kubectl prints additional printer columns in list order, and the CRD generator sorts them by
 * JSON path. Build-time only: puts them back in the order they are declared in on each kind
 * ({@link PrinterColumns}).
 */
public class PrinterColumnOrder implements CRDPostProcessor {

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition v1) {
            List<String> order = PrinterColumns.names(v1.getSpec().getNames().getKind());
            v1.getSpec().getVersions().forEach(v -> {
                if (v.getAdditionalPrinterColumns() != null) {
                    v.getAdditionalPrinterColumns().sort(Comparator.comparingInt(
                            (CustomResourceColumnDefinition c) -> rank(order, c.getName())));
                }
            });
        }
        return crd;
    }

    private static int rank(List<String> order, String name) {
        int i = order.indexOf(name);
        return i < 0 ? order.size() : i;
    }
}
