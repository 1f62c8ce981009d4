package io.secretsync.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.secretsync.operator.config.SecretSyncConfig;
import io.smallrye.config.WithDefault;

/**
 * The pod's terminationGracePeriodSeconds leaves the operator's own stop bound
 * (secretsync.shutdown.timeout) a margin, so that the kubelet never needs SIGKILL. The Helm chart
 * and the OLM bundle are checked equal to this Deployment by HelmChartIT and BundleIT.
 */
class StopBudgetIT {
    static final Duration MARGIN = Duration.ofSeconds(5);

    @Test
    void theGracePeriodExceedsTheLongestStopWithMargin() throws Exception {
        String value = SecretSyncConfig.Shutdown.class.getMethod("timeout").getAnnotation(WithDefault.class).value();
        Duration bound = Duration.parse("PT" + value.toUpperCase());
        Deployment deployment = Manifests.single(Manifests.load(Manifests.kubernetesYml()), Deployment.class);
        Long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertThat(grace).as("terminationGracePeriodSeconds").isNotNull();
        assertThat(Duration.ofSeconds(grace)).as("terminationGracePeriodSeconds against secretsync.shutdown.timeout"
                + " (%s) plus %s", bound, MARGIN).isGreaterThanOrEqualTo(bound.plus(MARGIN));
    }
}
