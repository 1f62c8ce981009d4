import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code target/native-check/report.json} records. The reachable types, methods and fields
 * come from the builder's own build-output statistics ({@code -H:BuildOutputJSONFile}, which
 * Quarkus asks for), the object size from the relocatable object on disk, the time from the
 * check's clock around the builder process (which links too), the executable's size from the file the
 * linker wrote, and the peak RSS from the builder's statistics
 * (measured by the helper library) or, when the builder wrote none, from the check's sampling.
 *
 * @param ok true only when the builder exited 0, wrote its statistics, the relocatable object and the
 *            linked executable
 * @param linked whether the executable was linked
 */
record BuildReport(boolean ok, int builderExit, long reachableTypes, long reachableMethods, long reachableFields,
        long objectBytes, boolean linked, long executableBytes, double buildSeconds, long peakRssBytes,
        String graalvmVersion, String jdk) {

    static BuildReport of(int builderExit, double buildSeconds, long sampledPeakRss, long objectBytes,
            long executableBytes, String stats, String graalvmVersion, String jdk) {
        long types = stats == null ? -1 : number(stats, "\"types\"\\s*:\\s*\\{[^{}]*?\"reachable\"\\s*:\\s*(\\d+)");
        long methods = stats == null ? -1 : number(stats, "\"methods\"\\s*:\\s*\\{[^{}]*?\"reachable\"\\s*:\\s*(\\d+)");
        long fields = stats == null ? -1 : number(stats, "\"fields\"\\s*:\\s*\\{[^{}]*?\"reachable\"\\s*:\\s*(\\d+)");
        long builderPeakRss = stats == null ? -1 : number(stats, "\"peak_rss_bytes\"\\s*:\\s*(\\d+)");
        boolean linked = builderExit == 0 && executableBytes > 0;
        boolean ok = linked && types > 0 && methods > 0 && objectBytes > 0;
        return new BuildReport(ok, builderExit, types, methods, fields, objectBytes, linked, executableBytes, buildSeconds,
                builderPeakRss > 0 ? builderPeakRss : sampledPeakRss, graalvmVersion, jdk);
    }

    private static long number(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    String toJson() {
        return String.format(Locale.ROOT, """
                {
                  "ok": %s,
                  "builderExit": %d,
                  "linked": %s,
                  "reachableTypes": %d,
                  "reachableMethods": %d,
                  "reachableFields": %d,
                  "objectBytes": %d,
                  "executableBytes": %d,
                  "buildSeconds": %.1f,
                  "peakRssBytes": %d,
                  "graalvmVersion": "%s",
                  "jdk": "%s"
                }
                """, ok, builderExit, linked, reachableTypes, reachableMethods, reachableFields, objectBytes, executableBytes, buildSeconds,
                peakRssBytes, graalvmVersion, jdk);
    }

    String summary() {
        return String.format(Locale.ROOT, "%s: %,d reachable types, %,d reachable methods, %,d reachable fields,"
                + " relocatable object %.1f MB, %s, %.0f s, peak RSS %.2f GB",
                ok ? "OK" : "FAILED", reachableTypes, reachableMethods, reachableFields, objectBytes / 1e6,
                linked ? String.format(Locale.ROOT, "executable %.1f MB", executableBytes / 1e6) : "NOT LINKED", buildSeconds,
                peakRssBytes / 1e9);
    }
}
