package io.secretsync.operator.bench;

import java.util.Locale;
import java.util.Map;

/** The "Remote clusters (real API servers)" section of BENCHMARKS.md from the figures of one run. */
final class RemoteClustersReport {
    private static final double MIB = 1024 * 1024;
    /** The convergence target of the main table: at most half again the plain client's time. */
    private static final double CONVERGE_RATIO = 1.5;

    private RemoteClustersReport() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r) {
        Map<String, Object> machine = (Map<String, Object>) r.get("machine");
        Map<String, Object> sizes = (Map<String, Object>) r.get("sizes");
        Map<String, Object> base = (Map<String, Object>) r.get("baseline");
        Map<String, Object> conv = (Map<String, Object>) r.get("converge");
        Map<String, Object> idle = (Map<String, Object>) r.get("idle");
        Map<String, Object> up = (Map<String, Object>) r.get("update");
        Map<String, Object> memory = (Map<String, Object>) r.get("memory");
        int n = ((Number) sizes.get("namespacesPerRemote")).intValue();
        StringBuilder sb = new StringBuilder();
        sb.append(BenchReport.REMOTE_HEADING).append("\n\n");
        if (!(boolean) sizes.get("fullSize")) {
            sb.append("**Smoke-test size: these figures say nothing about performance.**\n\n");
        }
        sb.append(f("One policy on a local cluster, `clusters: {local: false, names: [%s]}`, copies %s source "
                + "Secrets (small `kubernetes.io/dockerconfigjson`) into %d namespaces of each of two remote clusters: "
                + "%s replicas per remote. Three real API servers (etcd 3.4, kube-apiserver and "
                + "kube-controller-manager 1.20 from `realserver/real-apiserver.sh`, on 127.0.0.1, one machine). "
                + "Machine: %s cores, %s, %s%s; run of %s, **shared with other builds**: load average "
                + "(1/5/15 min) %s at the start, %s at the end.%n%n",
                String.join(", ", RemoteClustersBenchmark.REMOTES), sizes.get("sourceSecrets"), n,
                sizes.get("replicasPerRemote"), machine.get("cores"), machine.get("jdk"), machine.get("os"),
                machine.containsKey("cpu") ? ", " + machine.get("cpu") : "", machine.get("date"), r.get("loadBefore"),
                r.get("loadAfter")));
        sb.append("```sh\nmvn -B verify -Pbench -Dbench.server=real-remote -Dbench.remote.namespaces=").append(n)
                .append(" -Dbench.idle-seconds=").append(sizes.get("idleSeconds")).append("\n```\n\n");
        sb.append(f("The operator is the packaged jar run as `ShippedOperator` runs it (its ServiceAccount's "
                + "TokenRequest token and the shipped RBAC on the local cluster, the prod profile, the image's JVM "
                + "flags `%s`, heap cap %.0f MiB), write concurrency %s, which it applies per remote cluster. Each "
                + "remote is registered as users do it: the shipped remote-side RBAC, a kubeconfig of that "
                + "ServiceAccount's token in a Secret, a SecretSyncCluster, Connected before the policy is "
                + "created. Converged means the policy's status Ready=True (Synced) with every replica counted in "
                + "each remote, after which every replica's content is checked. The baseline is a plain fabric8 "
                + "client in its own cold JVM (heap %s) that reads the sources from the local cluster and creates "
                + "the same replicas in both remotes at once, %s writes at a time per remote, with the watches "
                + "the operator keeps open there; then its replicas are deleted. Writes are counted from each "
                + "cluster's audit log.%n%n", r.get("jvmArgs"), num(r.get("heapMaxBytes")) / MIB,
                sizes.get("writeConcurrencyPerCluster"), base.get("heap"), sizes.get("writeConcurrencyPerCluster")));

        sb.append("### Against the goals\n\n| Goal | Result | Target | Verdict |\n|---|---|---|---|\n");
        for (String remote : RemoteClustersBenchmark.REMOTES) {
            Map<String, Object> w = (Map<String, Object>) conv.get(remote);
            double ratio = num(w.get("ratio"));
            row(sb, "Replica writes / needed to converge, " + remote,
                    f("%s / %s = %.2f (refused by the server: %s)", w.get("replicaWrites"), w.get("needed"), ratio,
                            w.get("refusedReplicaWrites")),
                    "1.00", verdict(Math.abs(ratio - 1) < 0.005, f("%.2f", ratio)));
        }
        for (String remote : RemoteClustersBenchmark.REMOTES) {
            Map<String, Object> w = (Map<String, Object>) idle.get(remote);
            long all = writes(w);
            row(sb, f("Writes in %s during %s s idle", remote, idle.get("seconds")),
                    f("%d (replicas %s)", all, w.get("replicaWrites")), "0", verdict(all == 0, all + " writes"));
        }
        Map<String, Object> localIdle = (Map<String, Object>) idle.get("local");
        long localWrites = writes(localIdle) - (long) num(localIdle.get("leaseWrites"));
        row(sb, f("Writes in the local cluster during %s s idle, Lease renewals apart", idle.get("seconds")),
                f("%d (status %s; Lease renewals %s)", localWrites, localIdle.get("statusWrites"),
                        localIdle.get("leaseWrites")),
                "0", verdict(localWrites == 0, localWrites + " writes"));
        double cr = num(conv.get("convergeMs")) / num(base.get("convergeMs"));
        row(sb, f("Converge %s replicas in 2 remotes, operator vs plain client", 2 * n * ((Number) sizes
                .get("sourceSecrets")).intValue()),
                f("%.1f s vs %.1f s; ratio %.2f", num(conv.get("convergeMs")) / 1000, num(base.get("convergeMs")) / 1000,
                        cr),
                "ratio <= " + CONVERGE_RATIO, verdict(cr <= CONVERGE_RATIO, f("ratio %.2f", cr)));
        for (String remote : RemoteClustersBenchmark.REMOTES) {
            Map<String, Object> w = (Map<String, Object>) up.get(remote);
            double ratio = num(w.get("ratio"));
            row(sb, "Update of 1 source: replica writes / needed, " + remote,
                    f("%s / %s = %.2f", w.get("replicaWrites"), w.get("needed"), ratio), "1.00",
                    verdict(Math.abs(ratio - 1) < 0.005, f("%.2f", ratio)));
        }
        double ur = num(up.get("allRemoteReplicasNewMs")) / num(base.get("updateMs"));
        row(sb, "Update of 1 source: every remote replica new, operator vs plain client's updates",
                f("%.1f s vs %.1f s; ratio %.2f", num(up.get("allRemoteReplicasNewMs")) / 1000,
                        num(base.get("updateMs")) / 1000, ur),
                "ratio <= " + CONVERGE_RATIO, verdict(ur <= CONVERGE_RATIO, f("ratio %.2f", ur)));

        sb.append("\n### Details\n\n");
        sb.append(f("- CPU while converging (both remote kube-apiservers / the writer's own JVM): operator %.1f s / "
                + "%.1f s, plain client %.1f s / %.1f s.%n", num(conv.get("remoteApiserversCpuMs")) / 1000,
                num(conv.get("clientCpuMs")) / 1000, num(base.get("remoteApiserversCpuMs")) / 1000,
                num(base.get("clientCpuMs")) / 1000));
        Map<String, Object> localConv = (Map<String, Object>) conv.get("local");
        sb.append(f("- Local writes while converging: status %s, Lease %s, other %s.%n", localConv.get("statusWrites"),
                localConv.get("leaseWrites"), localConv.get("otherWrites")));
        StringBuilder baseWrites = new StringBuilder();
        for (String remote : RemoteClustersBenchmark.REMOTES) {
            Map<String, Object> w = (Map<String, Object>) base.get(remote);
            baseWrites.append(baseWrites.length() == 0 ? "" : ", ").append(remote).append(' ')
                    .append(w.get("replicaWrites")).append(" / ").append(w.get("needed"));
        }
        sb.append("- The plain client's writes (creates and updates, audited): ").append(baseWrites).append(".\n");
        sb.append(f("- Operator heap after a full GC (class histogram): %.1f MiB before the policy, %.1f MiB "
                + "converged, %.1f MiB at the end; RSS %.0f MiB converged, peak %.0f MiB.%n",
                num(memory.get("liveHeapNoPolicyBytes")) / MIB, num(memory.get("liveHeapConvergedBytes")) / MIB,
                num(memory.get("liveHeapAtEndBytes")) / MIB, num(memory.get("rssConvergedBytes")) / MIB,
                num(memory.get("peakRssBytes")) / MIB));
        sb.append("- Requests of the operator the authorizers refused (HTTP 403): ").append(r.get("operatorForbidden"))
                .append(".\n");
        sb.append("\nRaw figures: `remoteClusters` in benchmarks.json.\n");
        return sb.toString();
    }

    /** Every write of the map's user: replicas, status, Lease, other. */
    private static long writes(Map<String, Object> w) {
        return (long) (num(w.get("replicaWrites")) + num(w.get("statusWrites")) + num(w.get("leaseWrites"))
                + num(w.get("otherWrites")));
    }

    private static void row(StringBuilder sb, String goal, String result, String target, String verdict) {
        sb.append("| ").append(goal).append(" | ").append(result).append(" | ").append(target).append(" | ")
                .append(verdict).append(" |\n");
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
}
