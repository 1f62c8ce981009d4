package io.secretsync.operator.metrics;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Java Operator SDK's reconciliation metrics ({@code reconciliations_*},
 * {@code events_received_total}, {@code custom_resources}) on the application's MeterRegistry.
 *
 * <p>Why this exists: the Quarkus extension's own provider builds its metrics object when
 * Micrometer binds it to a registry, but in the packaged application the operator asks for the
 * metrics object before that happens and keeps the no-op one it got (quarkiverse
 * quarkus-operator-sdk issue 1385); only {@code @QuarkusTest} runs happened to bind first. This
 * producer replaces the extension's default bean and takes the registry as an injected
 * dependency, so the order cannot go wrong. It builds the same implementation the extension
 * chooses by default (JOSDK's Micrometer metrics v2; the extension's switch back to v1 no
 * longer applies). {@code PackagedMetricsIT} proves the packaged jar serves every metric the
 * dashboard and the alerts read; drop this class once the extension's fix is released.
 */
@Singleton
public class OperatorSdkMetrics {

    @Produces
    @Singleton
    Metrics operatorSdkMetrics(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }
}
