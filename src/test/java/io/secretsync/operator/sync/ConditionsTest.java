package io.secretsync.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

class ConditionsTest {

    @Test
    void newConditionTakesNowAsTransitionTime() {
        List<Condition> c = Conditions.set(null, "Ready", true, "Synced", "ok", 1, "T1");
        assertThat(c).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo("True");
            assertThat(r.getLastTransitionTime()).isEqualTo("T1");
            assertThat(r.getObservedGeneration()).isEqualTo(1L);
        });
    }

    @Test
    void sameStatusKeepsTransitionTimeEvenWhenReasonOrMessageChange() {
        List<Condition> first = Conditions.set(null, "Ready", false, "SourceNotFound", "a", 1, "T1");
        List<Condition> second = Conditions.set(first, "Ready", false, "PartiallySynced", "b", 2, "T2");
        assertThat(second.get(0).getLastTransitionTime()).isEqualTo("T1");
        assertThat(second.get(0).getReason()).isEqualTo("PartiallySynced");
        assertThat(second.get(0).getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void flippedStatusMovesTransitionTime() {
        List<Condition> first = Conditions.set(null, "Ready", false, "SourceNotFound", "a", 1, "T1");
        assertThat(Conditions.set(first, "Ready", true, "Synced", "a", 1, "T2").get(0).getLastTransitionTime())
                .isEqualTo("T2");
    }

    @Test
    void unchangedInputGivesAnEqualList() {
        List<Condition> first = Conditions.set(null, "Ready", true, "Synced", "m", 1, "T1");
        assertThat(Conditions.set(first, "Ready", true, "Synced", "m", 1, "T9")).isEqualTo(first);
    }

    @Test
    void otherConditionTypesArePreserved() {
        Condition other = new ConditionBuilder().withType("Degraded").withStatus("False").build();
        assertThat(Conditions.set(List.of(other), "Ready", true, "Synced", "m", 1, "T1"))
                .extracting(Condition::getType).containsExactly("Degraded", "Ready");
    }

    @Test
    void readyChangedLooksAtStatusAndReason() {
        List<Condition> a = Conditions.set(null, "Ready", false, "SourceNotFound", "m", 1, "T1");
        assertThat(Conditions.readyChanged(a, Conditions.set(a, "Ready", false, "SourceNotFound", "other", 1, "T2")))
                .isFalse();
        assertThat(Conditions.readyChanged(a, Conditions.set(a, "Ready", false, "InvalidSpec", "m", 1, "T2"))).isTrue();
        assertThat(Conditions.readyChanged(null, a)).isTrue();
    }
}
