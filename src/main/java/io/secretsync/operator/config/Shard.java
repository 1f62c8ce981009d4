package io.secretsync.operator.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which policies this process serves (contract section 8). A process with a shard key serves
 * exactly the policies labelled {@code secretsync.io/shard=<key>} and elects its leader on a
 * Lease of its own; the process without a key serves the policies without that label. The
 * selection is the policy informer's label selector, so the API server filters and a process
 * never even sees another shard's policies.
 */
public final class Shard {
    public static final String LABEL = "secretsync.io/shard";
    /** The controller's runtime label selector property that Quarkus Operator SDK reads. */
    public static final String SELECTOR_PROPERTY = "quarkus.operator-sdk.controllers.secretsyncpolicy.selector";
    public static final String PROPERTY = "secretsync.shard";
    /** A label value that can also end a Lease name: lower-case DNS label characters. */
    private static final Pattern KEY = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    private Shard() {
    }

    /** The key, or empty for the unsharded process; a blank setting counts as unset. */
    public static Optional<String> key(String setting) {
        if (setting == null || setting.isBlank()) {
            return Optional.empty();
        }
        String key = setting.trim();
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(PROPERTY + "=\"" + key + "\" is not a valid shard key: use 1-40"
                    + " lower-case letters, digits and '-', starting and ending with a letter or digit (it is a"
                    + " label value and part of the Lease name)");
        }
        return Optional.of(key);
    }

    /** The label selector of the policies a process with this key serves. */
    public static String policySelector(Optional<String> key) {
        return key.map(k -> LABEL + "=" + k).orElse("!" + LABEL);
    }

    /** The Lease a shard elects its leader on: the unsharded process keeps the original name. */
    public static String leaseName(String baseName, Optional<String> key) {
        return key.map(k -> baseName + "-" + k).orElse(baseName);
    }
}
