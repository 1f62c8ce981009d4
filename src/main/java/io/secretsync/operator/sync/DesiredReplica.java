package io.secretsync.operator.sync;

import io.fabric8.kubernetes.api.model.Secret;

/**
 * A replica as it should be, and the digest of the type and data it should hold: an existing
 * replica is in sync when its observed digest equals dataHash (the content-hash annotation also
 * covers spec.replica's metadata, which is compared on the cached labels and annotations).
 */
public record DesiredReplica(Secret secret, String dataHash) {
}
