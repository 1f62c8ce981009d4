package io.secretsync.operator.sync;

import io.fabric8.kubernetes.api.model.Secret;

/** Secret types the operator has rules for. */
public final class SecretTypes {
    /** The type an API server gives a Secret created without one. */
    public static final String DEFAULT = "Opaque";
    /** Bound to the namespace it was issued in: never a source, never in spec.source.types. */
    public static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";

    private SecretTypes() {
    }

    /** A Secret's type, DEFAULT when it has none (as hand-built objects and some test servers leave it). */
    public static String of(Secret secret) {
        return orDefault(secret.getType());
    }

    public static String orDefault(String type) {
        return type == null ? DEFAULT : type;
    }
}
