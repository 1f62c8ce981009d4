package io.secretsync.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.secretsync.operator.testsupport.Fixtures;

/**
 * Every Secret the tests build with {@code Fixtures} carries a value that starts with {@link #PREFIX}
 * (the reliability tests also put canaries in their values).
 * The prefix is 18 characters long (a multiple of 3), so the base64 of any such value starts with
 * the fixed string {@link #PREFIX_B64}: a scan for the two strings finds the value in clear text
 * and as Secret data, whatever the rest of the value is.
 */
public final class Canary {
    public static final String PREFIX = Fixtures.CANARY_PREFIX;
    public static final String PREFIX_B64 = Fixtures.b64(PREFIX);

    private Canary() {
    }

    /** A fresh canary value for one Secret. */
    public static String value(String tag) {
        return PREFIX + tag;
    }

    /** Fails when text holds a canary value, in clear text or base64. */
    public static void assertAbsent(String what, String text) {
        for (String needle : List.of(PREFIX, PREFIX_B64)) {
            int at = text.indexOf(needle);
            // print only where it was, never the value itself
            assertThat(at).as("%s contains secret data (canary at offset %d)", what, at).isEqualTo(-1);
        }
    }
}
