package io.secretsync.operator.crd;

import java.util.Comparator;
import java.util.List;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

/**
 * kubectl prints additional printer columns in list order, and the CRD generator sorts them by
 * JSON path. Build-time only: puts them back in the order they are declared in
 * ({@link PrinterColumns}).
 */
public class PrinterColumnOrder implements CRDPostProcessor {
    static final List<String> ORDER = PrinterColumns.names();

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition v1) {
            v1.getSpec().getVersions().forEach(v -> {
                if (v.getAdditionalPrinterColumns() != null) {
                    v.getAdditionalPrinterColumns().sort(Comparator.comparingInt(
                            (CustomResourceColumnDefinition c) -> rank(c.getName())));
                }
            });
        }
        return crd;
    }

    private static int rank(String name) {
        int i = ORDER.indexOf(name);
        return i < 0 ? ORDER.size() : i;
    }
}
