package io.secretsync.operator.demo;

import io.secretsync.operator.testsupport.OperatorArtifact;

/** {@link DemoRunIT} on the native executable: the run command's demo converges and exits 0. */
class DemoRunExecutableIT extends DemoRunIT {

    @Override
    OperatorArtifact artifact() {
        return OperatorArtifact.nativeExecutable();
    }
}
