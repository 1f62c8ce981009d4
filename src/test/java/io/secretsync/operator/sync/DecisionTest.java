package io.secretsync.operator.sync;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Secret;
import io.secretsync.operator.crd.v1alpha1.ConflictPolicy;

/** What the planner decides for one place a replica should be, given what is there. */
class DecisionTest {
    static final Secret SOURCE = opaque("src", "a", "1");
    static final Secret DESIRED = Replicas.desired("p", SOURCE, "team-a", ContentHash.of(SOURCE));

    record Case(String name, Function<Secret, Secret> existing, ConflictPolicy conflictPolicy, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing there", desired -> null, ConflictPolicy.Skip, "write CREATE"),
                new Case("our replica as desired", desired -> desired, ConflictPolicy.Skip, "in sync"),
                new Case("our replica, source changed since", desired -> Replicas.desired("p",
                        opaque("src", "a", "2"), "team-a", ContentHash.of(opaque("src", "a", "2"))),
                        ConflictPolicy.Skip, "write UPDATE"),
                new Case("our replica of another type", desired -> Replicas.desired("p",
                        secret("src", "a", "kubernetes.io/basic-auth", Map.of("value", "1")), "team-a",
                        ContentHash.of(secret("src", "a", "kubernetes.io/basic-auth", Map.of("value", "1")))),
                        ConflictPolicy.Skip, "write RECREATE"),
                new Case("another policy's replica", desired -> Replicas.desired("q", SOURCE, "team-a",
                        ContentHash.of(SOURCE)), ConflictPolicy.Overwrite, "conflict OwnedByAnotherPolicy"),
                new Case("a Secret we did not create, Skip", desired -> opaque("team-a", "a", "theirs"),
                        ConflictPolicy.Skip, "conflict Conflict"),
                new Case("a Secret we did not create, Overwrite", desired -> opaque("team-a", "a", "theirs"),
                        ConflictPolicy.Overwrite, "write UPDATE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(Case c) {
        SyncPlanner.Decision d = SyncPlanner.decide("p", DESIRED, c.existing().apply(DESIRED), c.conflictPolicy());
        String seen;
        if (d instanceof SyncPlanner.Decision.Write write) {
            assertThat(write.action().key()).isEqualTo(ReplicaKey.of(DESIRED));
            seen = "write " + write.action().operation();
        } else if (d instanceof SyncPlanner.Decision.Conflict conflict) {
            assertThat(conflict.failure().getNamespace()).isEqualTo("team-a");
            seen = "conflict " + conflict.failure().getReason();
        } else {
            assertThat(d).isInstanceOf(SyncPlanner.Decision.InSync.class);
            seen = "in sync";
        }
        assertThat(seen).isEqualTo(c.expected());
    }
}
