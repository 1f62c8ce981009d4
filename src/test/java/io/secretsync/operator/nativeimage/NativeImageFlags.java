package io.secretsync.operator.nativeimage;

import java.util.List;

/**
 * The runtime memory flags the native image ships with: src/main/docker/Dockerfile.native, the
 * chart's nativeOptions and the CSV's native Deployment say the same (NativeImagePackagingTest).
 */
public final class NativeImageFlags {
    public static final List<String> FLAGS = List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");

    private NativeImageFlags() {
    }
}
