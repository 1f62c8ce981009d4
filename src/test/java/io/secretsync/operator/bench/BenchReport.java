package io.secretsync.operator.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** BENCHMARKS.md from the figures of one run. */
final class BenchReport {
    private static final double MIB = 1024 * 1024;

    private BenchReport() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r, String notes) {
        Map<String, Object> machine = (Map<String, Object>) r.get("machine");
        Map<String, Object> sizes = (Map<String, Object>) r.get("sizes");
        Map<String, Object> conv = (Map<String, Object>) r.get("convergence");
        Map<String, Object> writes = (Map<String, Object>) r.get("writes");
        Map<String, Object> update = (Map<String, Object>) r.get("update");
        Map<String, Object> pickup = (Map<String, Object>) r.get("pickup");
        Map<String, Object> memory = (Map<String, Object>) r.get("memory");
        Map<String, Object> startup = (Map<String, Object>) r.get("startup");
        int n = (int) sizes.get("namespaces");

        StringBuilder sb = new StringBuilder();
        sb.append("# Benchmarks\n\n");
        if (!(boolean) sizes.get("fullSize")) {
            sb.append("**Smoke-test size: these figures say nothing about performance.**\n\n");
        }
        sb.append(String.format(Locale.ROOT, "Machine: %s cores, %s, %s%s. Run of %s.%n%n", machine.get("cores"),
                machine.get("jdk"), machine.get("os"), machine.containsKey("cpu") ? ", " + machine.get("cpu") : "",
                machine.get("date")));
        sb.append(String.format(Locale.ROOT,
                "Sizes: %d namespaces, %d source Secrets, %d s idle, %d new-namespace samples, %d unrelated "
                        + "Secrets of %d bytes; write concurrency %d (operator and baseline).%n%n",
                n, sizes.get("sourceSecrets"), sizes.get("idleSeconds"), sizes.get("pickupSamples"),
                sizes.get("unrelatedSecrets"), sizes.get("unrelatedSecretBytes"), sizes.get("writeConcurrency")));
        sb.append("The operator runs as its own JVM (the packaged application) against fabric8's CRUD mock API "
                + "server hosted by the benchmark process on 127.0.0.1; writes are counted by the server. "
                + "Figures 1-5 are measured on the running operator; figure 6 is a whole-process figure "
                + "(JVM process start to ready).\n\n");
        sb.append("| # | Scenario | Result | Target | Verdict |\n|---|---|---|---|---|\n");
        double r1 = num(conv.get("oneSecretRatio"));
        double r3 = num(conv.get("threeSecretsRatio"));
        row(sb, "1", "Converge 1 source Secret into " + n + " namespaces (until every replica exists and Ready=True)",
                f("%.0f ms; baseline (plain client, same concurrency) %.0f ms; ratio %.2f", conv.get("oneSecretMs"),
                        conv.get("oneSecretBaselineMs"), r1),
                "ratio <= 1.5", verdict(r1 <= 1.5, f("missed by %.0f%%", (r1 / 1.5 - 1) * 100)));
        row(sb, "1", "Converge 3 source Secrets into " + n + " namespaces",
                f("%.0f ms; baseline %.0f ms; ratio %.2f", conv.get("threeSecretsMs"),
                        conv.get("threeSecretsBaselineMs"), r3),
                "ratio <= 1.5", verdict(r3 <= 1.5, f("missed by %.0f%%", (r3 / 1.5 - 1) * 100)));
        double wr = num(writes.get("ratio"));
        row(sb, "2", "Replica writes / changes actually needed (all phases below)",
                f("%d / %d = %.2f", writes.get("replicaWritesTotal"), writes.get("changesNeededTotal"), wr),
                "1.00", verdict(Math.abs(wr - 1.0) < 0.005, f("%.2f extra writes per change", wr - 1)));
        int idle = (int) writes.get("idleOperatorWrites");
        row(sb, "2", "Operator writes (any object) during " + writes.get("idleSeconds") + " s idle after convergence",
                String.valueOf(idle), "0", verdict(idle == 0, idle + " writes"));
        double up99 = num(update.get("p99Ms"));
        row(sb, "3", "Update of 1 source Secret until each of " + update.get("replicas")
                + " replicas carries the new content hash",
                f("p50 %.0f ms, p99 %.0f ms (max %.0f ms)", update.get("p50Ms"), up99, update.get("maxMs")),
                "p99 < 5 s", verdict(up99 < 5000, f("missed by %.0f ms", up99 - 5000)));
        double pk99 = num(pickup.get("p99Ms"));
        row(sb, "4", "New namespace to its replicas present (" + pickup.get("samples") + " samples, all "
                + sizes.get("sourceSecrets") + " replicas)",
                f("p50 %.0f ms, p99 %.0f ms (first replica: p50 %.0f ms, p99 %.0f ms)", pickup.get("p50Ms"), pk99,
                        pickup.get("firstReplicaP50Ms"), pickup.get("firstReplicaP99Ms")),
                "p99 < 1 s", verdict(pk99 < 1000, f("missed by %.0f ms", pk99 - 1000)));
        double heap3 = num(memory.get("heapAfterGcAtNx3Bytes")) / MIB;
        row(sb, "5", "Heap used after full GC, " + n + " namespaces x " + sizes.get("sourceSecrets") + " Secrets ("
                + 3 * n + " replicas); resident set (RSS) of the process then",
                f("%.1f MiB (1 Secret: %.1f MiB); RSS %.0f MiB, peak %.0f MiB; heap cap %.0f MiB of a %.0f MiB limit",
                        heap3, num(memory.get("heapAfterGcAtNx1Bytes")) / MIB, num(memory.get("rssAtNx3Bytes")) / MIB,
                        num(memory.get("peakRssBytes")) / MIB, num(memory.get("heapMaxBytes")) / MIB,
                        num(memory.get("memoryLimitBytes")) / MIB),
                n >= 10_000 ? "<= 96 MiB" : "-", n >= 10_000 ? verdict(heap3 <= 96, f("missed by %.1f MiB", heap3 - 96))
                        : "-");
        double slope = num(memory.get("heapPerReplicaBytes"));
        row(sb, "5", "Heap per replica (heap at " + n + " x 3 minus heap at " + n + " x 1, over " + 2 * n
                + " replicas)", f("%.0f bytes", slope), "<= 1 KiB", verdict(slope <= 1024,
                        f("missed by %.0f bytes", slope - 1024)));
        double growth = num(memory.get("growthBytes")) / MIB;
        row(sb, "5", "Heap growth after adding " + sizes.get("unrelatedSecrets") + " unrelated "
                + (int) sizes.get("unrelatedSecretBytes") / 1024 + " KiB Secrets (1 in 100 in the source namespace) and "
                + sizes.get("unrelatedServiceAccounts") + " ServiceAccounts",
                f("%.1f MiB -> %.1f MiB: %+.2f MiB", num(memory.get("heapBeforeUnrelatedBytes")) / MIB,
                        num(memory.get("heapAfterUnrelatedBytes")) / MIB, growth),
                "<= 5 MiB", verdict(growth <= 5, f("missed by %.1f MiB", growth - 5)));
        row(sb, "6", "Start-up: JVM process start to /q/health/ready (whole process)",
                f("%.0f ms", startup.get("processStartToReadyMs")), "-", "-");
        for (Map<String, Object> b : (List<Map<String, Object>>) r.getOrDefault("bigData", List.of())) {
            double heap = num(b.get("heapAfterGcBytes")) / MIB;
            long ooms = ((Number) b.get("outOfMemoryErrorsInLog")).longValue();
            row(sb, "7", "Big data: 1 Secret of " + b.get("secretKib") + " KiB into " + b.get("namespaces")
                    + " namespaces, fresh operator: converged; heap after full GC; RSS; OutOfMemoryError in the log",
                    f("converged in %.0f ms; heap %.1f MiB; RSS %.0f MiB (peak %.0f MiB); %d OutOfMemoryError",
                            b.get("convergeMs"), heap, num(b.get("rssBytes")) / MIB, num(b.get("peakRssBytes")) / MIB,
                            ooms),
                    "heap <= 64 MiB, no OOM", verdict(heap <= 64 && ooms == 0, f("heap %.1f MiB, %d OOM", heap, ooms)));
        }
        sb.append("\nWrites per phase (counted by the API server; replica writes are creates, updates and "
                + "deletes of Secrets):\n\n");
        sb.append("| Phase | Changes needed | Replica writes | Failed | Status writes | Other writes |\n"
                + "|---|---|---|---|---|---|\n");
        for (Map<String, Object> p : (List<Map<String, Object>>) writes.get("phases")) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", p.get("phase"), p.get("needed"),
                    p.get("replicaWrites"), p.get("failedReplicaWrites"), p.get("statusWrites"),
                    p.get("otherWrites")));
        }
        sb.append(String.format(Locale.ROOT,
                "%nOperator writes while the unrelated Secrets were added: %s.%n", memory.get("operatorWritesDuringUnrelated")));
        sb.append(String.format(Locale.ROOT, "Replica writes the server refused, by method and status: %s.%n",
                writes.get("refusedReplicaWrites")));
        sb.append("\nHow to run: see the Benchmarks section of README.md. Raw figures: benchmarks.json.\n");
        if (!notes.isBlank()) {
            sb.append('\n').append(notes.strip()).append('\n');
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String n, String scenario, String result, String target, String verdict) {
        sb.append("| ").append(n).append(" | ").append(scenario).append(" | ").append(result).append(" | ")
                .append(target).append(" | ").append(verdict).append(" |\n");
    }

    private static String verdict(boolean met, String otherwise) {
        return met ? "met" : "**missed**: " + otherwise;
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** The heading of the native executable's figures, measured apart (native-check) and kept across benchmark runs. */
    static final String NATIVE_HEADING = "## Native executable";
    /** The heading of the real API server's figures (-Dbench.server=real), kept by a mock run. */
    static final String REAL_HEADING = "## Real API server";
    /** Where benchmarks.json keeps the real API server's figures. */
    static final String REAL_SERVER_KEY = "realServer";
    /** The heading of the remote clusters' figures (-Dbench.server=real-remote), kept by the other runs. */
    static final String REMOTE_HEADING = "## Remote clusters (real API servers)";
    /** Where benchmarks.json keeps the remote clusters' figures. */
    static final String REMOTE_CLUSTERS_KEY = "remoteClusters";
    /** The heading of the shards' figures (-Dbench.server=real-shards), kept by the other runs. */
    static final String SHARDS_HEADING = "## Shards (real API server)";
    /** Where benchmarks.json keeps the shards' figures. */
    static final String SHARDS_KEY = "shards";

    /**
     * The native executable's sections of an existing BENCHMARKS.md (the demo path, then the real API
     * server: every heading of that level that starts with {@link #NATIVE_HEADING}, back to back, to
     * the next heading of their level), or "".
     */
    static String nativeSection(String markdown) {
        return section(markdown, NATIVE_HEADING);
    }

    /** The real API server's section of an existing BENCHMARKS.md, or "". */
    static String realServerSection(String markdown) {
        return section(markdown, REAL_HEADING);
    }

    /**
     * BENCHMARKS.md with its real API server section replaced by {@code section} (or added): before
     * the remote clusters' section, else before the shards', else before the native executable's,
     * else at the end.
     */
    static String withRealServerSection(String markdown, String section) {
        return withSection(markdown, realServerSection(markdown), section,
                List.of(BenchReport::remoteClustersSection, BenchReport::shardsSection, BenchReport::nativeSection));
    }

    /** The remote clusters' section (-Dbench.server=real-remote) of an existing BENCHMARKS.md, or "". */
    static String remoteClustersSection(String markdown) {
        return section(markdown, REMOTE_HEADING);
    }

    /**
     * BENCHMARKS.md with its remote clusters' section replaced by {@code section} (or added): after
     * the real API server's, before the shards' or else the native executable's when there is one,
     * else at the end.
     */
    static String withRemoteClustersSection(String markdown, String section) {
        return withSection(markdown, remoteClustersSection(markdown), section,
                List.of(BenchReport::shardsSection, BenchReport::nativeSection));
    }

    /** The shards' section (-Dbench.server=real-shards) of an existing BENCHMARKS.md, or "". */
    static String shardsSection(String markdown) {
        return section(markdown, SHARDS_HEADING);
    }

    /**
     * BENCHMARKS.md with its shards' section replaced by {@code section} (or added): after the real
     * API server's and the remote clusters', before the native executable's when there is one, else
     * at the end.
     */
    static String withShardsSection(String markdown, String section) {
        return withSection(markdown, shardsSection(markdown), section, List.of(BenchReport::nativeSection));
    }

    /** markdown without old, and section before the first of the sections {@code before} finds, else at the end. */
    private static String withSection(String markdown, String old, String section,
            List<java.util.function.UnaryOperator<String>> before) {
        String rest = old.isEmpty() ? markdown : markdown.replace(old, "\n");
        String fresh = "\n" + section.strip() + "\n";
        for (java.util.function.UnaryOperator<String> find : before) {
            String next = find.apply(rest);
            if (!next.isEmpty()) {
                int at = rest.indexOf(next);
                return rest.substring(0, at).stripTrailing() + "\n" + fresh + rest.substring(at);
            }
        }
        return rest.stripTrailing() + "\n" + fresh;
    }

    /** The section under {@code heading} (to the next heading of its level), or "". */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading);
        if (start < 0) {
            return "";
        }
        int end = markdown.indexOf("\n## ", start + 1);
        // the native sections follow one another ("## Native executable", "... on the real API server")
        while (end >= 0 && heading.equals(NATIVE_HEADING) && markdown.startsWith(NATIVE_HEADING, end + 1)) {
            end = markdown.indexOf("\n## ", end + 1);
        }
        String section = end < 0 ? markdown.substring(start) : markdown.substring(start, end + 1);
        return section.endsWith("\n") ? section : section + "\n";
    }
}
