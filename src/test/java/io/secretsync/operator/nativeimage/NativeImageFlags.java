package io.secretsync.operator.nativeimage;

import java.util.List;

/**
 * The runtime memory flags the native image ships with: src/main/docker/Dockerfile.native's CMD and
 * the chart's native.options say the same (NativeImagePackagingTest); the real-server tests on the
 * executable run with them (realserver.ShippedOperator.Build).
 */
public final class NativeImageFlags {
    public static final List<String> FLAGS = List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");

    private NativeImageFlags() {
    }
}
