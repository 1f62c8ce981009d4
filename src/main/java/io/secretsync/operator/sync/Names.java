package io.secretsync.operator.sync;

import java.util.regex.Pattern;

/** Kubernetes name rules, checked by the operator because not every API server validates. */
public final class Names {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    private Names() {
    }

    /** Namespace names. */
    public static boolean isDns1123Label(String s) {
        return s != null && s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
    }

    /** Secret and ServiceAccount names. */
    public static boolean isDns1123Subdomain(String s) {
        return s != null && s.length() <= 253 && DNS1123_SUBDOMAIN.matcher(s).matches();
    }

    public static boolean isQualifiedName(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0 && !isDns1123Subdomain(key.substring(0, slash))) {
            return false;
        }
        return name.length() <= 63 && LABEL_NAME.matcher(name).matches();
    }

    public static boolean isLabelValue(String value) {
        return value.isEmpty() || (value.length() <= 63 && LABEL_NAME.matcher(value).matches());
    }
}
