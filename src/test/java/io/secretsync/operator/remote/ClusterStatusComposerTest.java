package io.secretsync.operator.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Condition;
import io.secretsync.operator.crd.v1alpha1.SecretSyncClusterStatus;

/** What a user reads on a SecretSyncCluster, for each state the operator can know it in. */
class ClusterStatusComposerTest {
    private static final String NOW = "2026-12-03T10:00:00Z";

    private static RemoteCluster cluster(ClusterState state, String message, String version) {
        return new RemoteCluster("eu-1", Map.of(), state, message, version, null, false);
    }

    static Stream<Arguments> states() {
        return Stream.of(
                Arguments.of(cluster(ClusterState.Connected, null, "v1.29.4"), null, "True", "Connected",
                        "connected to Kubernetes v1.29.4", "v1.29.4"),
                Arguments.of(cluster(ClusterState.Unreachable, "cannot reach https://x (connection refused)", "v1.29.4"),
                        null, "False", "Unreachable", "cannot reach https://x (connection refused)", null),
                Arguments.of(cluster(ClusterState.Unauthorized, "list Secrets: HTTP 403", null), null, "False",
                        "Unauthorized", "list Secrets: HTTP 403", null),
                Arguments.of(cluster(ClusterState.InvalidKubeconfig, "uses an exec credential plugin", null), null,
                        "False", "InvalidKubeconfig", "uses an exec credential plugin", null),
                Arguments.of(cluster(ClusterState.Unreachable, "cannot reach https://x", null),
                        "released when it is reachable again", "False", "Unreachable",
                        "being deleted: released when it is reachable again", null),
                Arguments.of(cluster(ClusterState.Connected, null, "v1.29.4"), "2 replicas could not be released yet",
                        "False", "Connected", "being deleted: 2 replicas could not be released yet", "v1.29.4"));
    }

    @ParameterizedTest(name = "{2} {3}: {4}")
    @MethodSource("states")
    void readyReasonMessageAndVersion(RemoteCluster cluster, String releasePending, String status, String reason,
            String message, String version) {
        SecretSyncClusterStatus s = ClusterStatusComposer.compose(null, 3, cluster, releasePending, NOW);
        Condition ready = s.getConditions().get(0);
        assertThat(ready.getType()).isEqualTo("Ready");
        assertThat(ready.getStatus()).isEqualTo(status);
        assertThat(ready.getReason()).isEqualTo(reason);
        assertThat(ready.getMessage()).isEqualTo(message);
        assertThat(ready.getObservedGeneration()).isEqualTo(3L);
        assertThat(s.getServerVersion()).isEqualTo(version);
        assertThat(s.getObservedGeneration()).isEqualTo(3L);
    }

    @Test
    void anUnchangedStateIsTheSameStatusSoNothingIsWritten() {
        RemoteCluster connected = cluster(ClusterState.Connected, null, "v1.29.4");
        SecretSyncClusterStatus first = ClusterStatusComposer.compose(null, 1, connected, null, NOW);
        SecretSyncClusterStatus again = ClusterStatusComposer.compose(first, 1, connected, null, "2026-12-03T11:00:00Z");
        assertThat(again.sameStateAs(first)).isTrue();
        SecretSyncClusterStatus down = ClusterStatusComposer.compose(first, 1,
                cluster(ClusterState.Unreachable, "cannot reach", null), null, "2026-12-03T11:00:00Z");
        assertThat(down.sameStateAs(first)).isFalse();
        assertThat(down.getConditions().get(0).getLastTransitionTime()).isEqualTo("2026-12-03T11:00:00Z");
    }
}
