package io.secretsync.operator.crd.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A stored spec this operator cannot read: a value or field shape it does not know, typically
 * written against a newer SecretSyncPolicy CRD (version skew) or where no schema validated it.
 * It keeps the stored JSON as it was, so that everything the operator sends back (a clone, a JSON
 * patch of the status or the finalizer) carries the user's spec unchanged, and it carries one
 * problem per field, without values that could hold data. Nothing is ever planned from it.
 */
public final class UnreadableSpec extends SecretSyncPolicySpec {
    private final JsonNode stored;
    private final List<String> problems;

    UnreadableSpec(JsonNode stored, List<String> problems, DeletionPolicy explicitDeletionPolicy) {
        this.stored = stored;
        this.problems = List.copyOf(problems);
        setDeletionPolicy(explicitDeletionPolicy);
    }

    /** The spec exactly as the API server stored it; also what is written whenever it is serialized. */
    @JsonValue
    public JsonNode stored() {
        return stored;
    }

    @Override
    public List<String> readProblems() {
        return problems;
    }

    /**
     * Deleting a policy whose spec cannot be read releases its replicas without destroying them
     * (Orphan), unless the spec says deletionPolicy: Delete in so many words: the operator cannot
     * know what a newer version of the spec asked for, and an orphaned replica can still be removed
     * by hand while a deleted one is gone.
     */
    @Override
    public DeletionPolicy effectiveDeletionPolicy() {
        return getDeletionPolicy() == null ? DeletionPolicy.Orphan : getDeletionPolicy();
    }

    @Override
    public boolean suspended() {
        return true;
    }
}
