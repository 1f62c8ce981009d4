package io.secretsync.operator.startup;

import io.secretsync.operator.testsupport.OperatorArtifact;

/** {@link HelpIT} on the native executable. */
class HelpExecutableIT extends HelpIT {

    @Override
    OperatorArtifact artifact() {
        return OperatorArtifact.nativeExecutable();
    }
}
