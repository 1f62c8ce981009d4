package io.secretsync.operator.monitoring;

import io.secretsync.operator.testsupport.OperatorArtifact;

/**
 * {@link PackagedMetricsIT} on the native executable: health, every metric monitoring/ reads, and
 * SIGTERM ending the process within 10 s.
 */
class PackagedMetricsExecutableIT extends PackagedMetricsIT {

    @Override
    OperatorArtifact artifact() {
        return OperatorArtifact.nativeExecutable();
    }
}
