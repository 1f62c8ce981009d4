package io.secretsync.operator.reliability;

import static io.secretsync.operator.testsupport.Fixtures.opaque;
import static io.secretsync.operator.testsupport.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.testsupport.OperatorTestSupport;

/**
 * A spec edit that crosses a reconcile and its status write is acted on within seconds. Each
 * round edits the policy's spec.target.excludeNamespaces (a new generation, no other target, so
 * the operator reconciles and writes only its status) and has the API server land a second edit,
 * of spec.target.namespaces, either between the operator's read and its status write or right
 * after that write (see {@link EditInjectingApiServer}). Nothing else happens meanwhile (no
 * Secret, Namespace or replica change could wake the policy, and the periodic resync is 10
 * minutes away): the second edit's own event must bring the next reconcile, and
 * status.observedGeneration must reach metadata.generation within 5 s.
 */
@QuarkusTest
@TestProfile(LostEditTest.EditsInjected.class)
class LostEditTest extends OperatorTestSupport {
    private static final Logger LOG = Logger.getLogger(LostEditTest.class);
    static final int ROUNDS = 26;
    static final Duration OBSERVED_WITHIN = Duration.ofSeconds(5);
    static final List<String> TARGETS = List.of("le-0", "le-1", "le-2", "le-3");

    public static class EditsInjected implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EditInjectingApiServer.class));
        }
    }

    @BeforeEach
    void cluster() {
        client = EditInjectingApiServer.direct;
        if (client.namespaces().withName("le-src").get() == null) {
            createNamespace("le-src");
            TARGETS.forEach(this::createNamespace);
            createSecret(opaque("le-src", "creds", Canary.value("le")));
        }
    }

    @ParameterizedTest(name = "suspend: {0}")
    @ValueSource(booleans = {false, true})
    void everyEditCrossingAReconcileAndItsStatusWriteIsObservedWithin5Seconds(boolean suspend) {
        String name = "lost-edit-" + (suspend ? "suspended" : "active");
        SecretSyncPolicySpec spec = spec("le-src", List.of("creds"), null, List.of(TARGETS.get(0)), null);
        spec.setSuspend(suspend);
        createPolicy(name, spec);
        awaitReady(name, suspend ? "False" : "True", suspend ? "Suspended" : "Synced");

        List<Long> latenciesMillis = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            boolean before = round % 2 == 0;
            String injected = TARGETS.get((round + 1) % TARGETS.size());
            String excluded = "le-excluded-" + round;
            var edit = EditInjectingApiServer.arm(name, before, List.of(injected));
            // the trigger changes the generation but no target, so its reconcile writes no replica
            // (whose events would wake the policy again) and only its status
            updatePolicy(name, s -> s.getTarget().setExcludeNamespaces(List.of(excluded)));
            long landedAt = await("round " + round + ": the operator writes the status of the trigger edit")
                    .atMost(TIMEOUT).until(() -> edit.landedAtNanos().getNow(null), t -> t != null);
            await("round " + round + " (" + (before ? "before" : "after") + " the status write): generation observed")
                    .atMost(OBSERVED_WITHIN.plusSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
                        SecretSyncPolicy p = policy(name);
                        return p.getStatus() != null && p.getMetadata().getGeneration()
                                .equals(p.getStatus().getObservedGeneration())
                                && p.getSpec().getTarget().getNamespaces().equals(List.of(injected));
                    });
            long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - landedAt);
            latenciesMillis.add(latency);
            assertThat(Duration.ofMillis(latency)).as("round %d: edit observed after", round)
                    .isLessThanOrEqualTo(OBSERVED_WITHIN);
            if (!suspend) {
                String previous = TARGETS.get(round % TARGETS.size());
                awaitSecret(injected, "creds");
                awaitNoSecret(previous, "creds");
            }
        }
        LOG.infof("%s: %d edits crossing a status write observed; latency max %d ms, median %d ms", name, ROUNDS,
                latenciesMillis.stream().mapToLong(Long::longValue).max().orElseThrow(),
                latenciesMillis.stream().sorted().toList().get(ROUNDS / 2));
        deletePolicy(name);
    }
}
