package io.secretsync.operator.sync;

/** status.failures[].reason values. */
public final class FailureReasons {
    /** a Secret of that name exists that the operator did not create, and conflictPolicy is Skip */
    public static final String CONFLICT = "Conflict";
    public static final String OWNED_BY_ANOTHER_POLICY = "OwnedByAnotherPolicy";
    /** the API server refused or failed a create or update */
    public static final String WRITE_FAILED = "WriteFailed";
    public static final String DELETE_FAILED = "DeleteFailed";
    /** the replica exists but a ServiceAccount could not be given (or relieved of) the reference */
    public static final String SERVICE_ACCOUNT_FAILED = "ServiceAccountUpdateFailed";

    /** a remote cluster could not be reached (or is not registered, or its watch is not running) */
    public static final String CLUSTER_UNREACHABLE = "ClusterUnreachable";
    /** a remote cluster refused the kubeconfig's credentials (401, 403) */
    public static final String CLUSTER_UNAUTHORIZED = "ClusterUnauthorized";

    private FailureReasons() {
    }
}
