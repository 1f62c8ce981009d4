package io.secretsync.operator.reliability;

import io.secretsync.operator.testsupport.OperatorArtifact;

/**
 * {@link UnreadablePoliciesRestartIT} on the native executable: every kind of unreadable policy is
 * reported as InvalidSpec (the informer's deserialisation in the image, not on a JVM), the good
 * ones are served, across a restart.
 */
class UnreadablePoliciesRestartExecutableIT extends UnreadablePoliciesRestartIT {

    @Override
    OperatorArtifact artifact() {
        return OperatorArtifact.nativeExecutable();
    }
}
