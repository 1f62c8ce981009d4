package io.secretsync.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;

/** The owner of the replica cache, told of each replica the writer created or updated. */
interface OwnWrites {
    /** result is the Secret as the server returned it, data included: keep none of its data. */
    void written(Secret result, boolean created);
}
