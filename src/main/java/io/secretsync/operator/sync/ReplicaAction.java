package io.secretsync.operator.sync;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * One write the planner asks for.
 *
 * @param secret the object to send (create, update, recreate, orphan); the replica to remove for delete
 * @param desired for writes that produce a replica: the replica as planned, to decide again from
 *        when the server disagrees with the cache; null otherwise
 */
public record ReplicaAction(Operation operation, ReplicaKey key, Secret secret, DesiredReplica desired) {

    public ReplicaAction(Operation operation, ReplicaKey key, Secret secret) {
        this(operation, key, secret, null);
    }

    public enum Operation {
        CREATE,
        /** content or metadata drifted, or an unmanaged Secret is adopted under conflictPolicy Overwrite */
        UPDATE,
        /** the type changed; an API server refuses to change a Secret's type in place */
        RECREATE,
        DELETE,
        /** deletionPolicy Orphan: strip our labels, leave the Secret */
        ORPHAN
    }

    /** How status.pending names it while the policy is suspended: Create, Update, Delete or Orphan. */
    public String previewName() {
        return switch (operation) {
            case CREATE -> "Create";
            case UPDATE, RECREATE -> "Update";
            case DELETE -> "Delete";
            case ORPHAN -> "Orphan";
        };
    }

    /** Does the pair count as a synced replica once this action succeeds? */
    public boolean producesReplica() {
        return operation == Operation.CREATE || operation == Operation.UPDATE || operation == Operation.RECREATE;
    }
}
