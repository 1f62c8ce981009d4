package io.secretsync.operator.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The "Real API server" section of BENCHMARKS.md from the figures of one real-server run. */
final class RealServerReport {
    private static final double MIB = 1024 * 1024;

    private RealServerReport() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r) {
        Map<String, Object> machine = (Map<String, Object>) r.get("machine");
        Map<String, Object> sizes = (Map<String, Object>) r.get("sizes");
        List<Map<String, Object>> curve = new java.util.ArrayList<>((List<Map<String, Object>>) r.get("curve"));
        curve.sort(java.util.Comparator.comparingInt(c -> ((Number) c.get("namespaces")).intValue()));
        StringBuilder sb = new StringBuilder();
        sb.append(BenchReport.REAL_HEADING).append("\n\n");
        if (!(boolean) sizes.get("fullSize")) {
            sb.append("**Smoke-test size: these figures say nothing about performance.**\n\n");
        }
        sb.append(f("Measured on a real API server (etcd 3.4, kube-apiserver and kube-controller-manager 1.20 from "
                + "`realserver/real-apiserver.sh`, one fresh cluster per size, on 127.0.0.1), not on the CRUD mock "
                + "server of the sections above. Machine: %s cores, %s, %s%s; run of %s, **shared with other "
                + "builds**: load average (1/5/15 min) %s at the start, %s at the end.%n%n", machine.get("cores"),
                machine.get("jdk"), machine.get("os"), machine.containsKey("cpu") ? ", " + machine.get("cpu") : "",
                machine.get("date"), r.get("loadBefore"), r.get("loadAfter")));
        sb.append("```sh\nmvn -B verify -Pbench -Dbench.server=real -Dbench.real.namespaces=")
                .append(join((List<Integer>) sizes.get("namespaces"))).append(" -Dbench.real.restarts-at=")
                .append(sizes.get("restartsAt")).append(" -Dbench.idle-seconds=")
                .append(sizes.get("idleSeconds")).append(" -Dbench.pickup-samples=").append(sizes.get("pickupSamples"))
                .append("\n```\n\n");
        sb.append(f("The operator is the packaged jar run as `ShippedOperator` runs it: a TokenRequest token of its "
                + "ServiceAccount (the shipped RBAC, judged by the real authorizer), the prod profile (leader "
                + "election on its Lease), the image's JVM flags with the heap its memory limit gives (`%s`, "
                + "heap cap %.0f MiB of a %.0f MiB limit), write concurrency %s. It reaches the server through a "
                + "TCP proxy that counts the bytes it receives. The baseline is a plain fabric8 client in its own "
                + "cold JVM with the same flags, the operator's watches open and the same concurrency, under a "
                + "ServiceAccount of its own so that the server audits it as it audits the operator. Every write "
                + "and read is counted from the API server's audit log. %d new-namespace samples; %d s idle.%n%n",
                r.get("jvmArgs"), num(r.get("heapMaxBytes")) / MIB, num(r.get("memoryLimitBytes")) / MIB,
                sizes.get("writeConcurrency"), sizes.get("pickupSamples"), sizes.get("idleSeconds")));

        sb.append("### Converge 3 source Secrets, operator vs plain client\n\n");
        sb.append("| namespaces | replicas | operator | plain client | ratio | kube-apiserver CPU (operator / client) "
                + "| etcd CPU (operator / client) | the writer's own CPU (operator / client) | load at start |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> c : curve) {
            Map<String, Object> conv = (Map<String, Object>) c.get("converge");
            Map<String, Object> base = (Map<String, Object>) c.get("baseline");
            sb.append(f("| %s | %s | %.1f s | %.1f s | %.2f | %.1f s / %.1f s | %.1f s / %.1f s | %s | %s |%n",
                    label(c), c.get("replicas"), num(conv.get("convergeMs")) / 1000,
                    num(base.get("convergeMs")) / 1000, num(conv.get("convergeMs")) / num(base.get("convergeMs")),
                    num(conv.get("apiserverCpuMs")) / 1000, num(base.get("apiserverCpuMs")) / 1000,
                    num(conv.get("etcdCpuMs")) / 1000, num(base.get("etcdCpuMs")) / 1000,
                    conv.containsKey("clientCpuMs") && base.containsKey("clientCpuMs")
                            ? f("%.1f s / %.1f s", num(conv.get("clientCpuMs")) / 1000, num(base.get("clientCpuMs")) / 1000)
                            : "-",
                    c.get("loadAtStart")));
        }
        for (Map<String, Object> c : curve) {
            Map<String, Object> earlier = (Map<String, Object>) c.get("fromEarlierRun");
            if (earlier != null) {
                sb.append(f("%n\\* %s namespaces: from the run of %s (load at its start %s)%s.%n", c.get("namespaces"),
                        earlier.get("date"), earlier.get("loadBefore"),
                        earlier.containsKey("note") ? "; " + earlier.get("note") : ""));
            }
        }
        sb.append("\n### Writes, update, pick-up (audit log)\n\n");
        sb.append("| namespaces | converge writes / needed | idle writes: replicas, status (Lease renewals) "
                + "| update of 1 source: writes / needed; p50, p99, all | plain client's N updates | ratio "
                + "| new namespace: p50, p99 (writes / needed) |\n|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> c : curve) {
            Map<String, Object> conv = (Map<String, Object>) c.get("converge");
            Map<String, Object> idle = (Map<String, Object>) c.get("idle");
            Map<String, Object> up = (Map<String, Object>) c.get("update");
            Map<String, Object> base = (Map<String, Object>) c.get("baseline");
            Map<String, Object> pk = (Map<String, Object>) c.get("pickup");
            sb.append(f("| %s | %s / %s = %.2f | %s, %s (%s) | %s / %s; %.1f s, %.1f s, %.1f s | %.1f s | %.2f "
                    + "| %.0f ms, %.0f ms (%s / %s) |%n", c.get("namespaces"), conv.get("replicaWrites"),
                    conv.get("needed"), num(conv.get("ratio")), idle.get("replicaWrites"), idle.get("statusWrites"),
                    idle.get("leaseWrites"), up.get("replicaWrites"), up.get("needed"), num(up.get("p50Ms")) / 1000,
                    num(up.get("p99Ms")) / 1000, num(up.get("maxMs")) / 1000, num(base.get("updateMs")) / 1000,
                    num(up.get("maxMs")) / num(base.get("updateMs")), num(pk.get("p50Ms")), num(pk.get("p99Ms")),
                    pk.get("replicaWrites"), pk.get("needed")));
        }
        sb.append("\n### Memory and start-up reads\n\n");
        sb.append("| namespaces | live heap, no policy | live heap at N x 3 | per replica | after update and pick-up "
                + "| RSS at N x 3 (peak) | start-up: ready | LIST / WATCH requests | bytes received |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> c : curve) {
            Map<String, Object> mem = (Map<String, Object>) c.get("memory");
            Map<String, Object> st = (Map<String, Object>) c.get("startup");
            sb.append(f("| %s | %.1f MiB | %.1f MiB | %.0f bytes | %.1f MiB | %.0f MiB (%.0f MiB) | %.1f s | %s / %s "
                    + "| %.1f MiB |%n", c.get("namespaces"), num(mem.get("liveHeapNoPolicyBytes")) / MIB,
                    num(mem.get("liveHeapAtNx3Bytes")) / MIB, num(mem.get("liveHeapPerReplicaBytes")),
                    num(mem.get("liveHeapAfterUpdateAndPickupBytes")) / MIB, num(mem.get("rssAtNx3Bytes")) / MIB,
                    num(mem.get("peakRssAtEndBytes")) / MIB, num(st.get("processStartToReadyMs")) / 1000,
                    st.get("listRequests"), st.get("watchRequests"), num(st.get("bytesReceived")) / MIB));
        }
        Double slope = slope(curve);
        if (slope != null) {
            sb.append(f("%nSlope across sizes (live heap at N x 3, largest minus smallest size, over the replicas "
                    + "added; namespaces included): %.0f bytes per replica.%n", slope));
        }

        sb.append("\n### Restarts and fail-over\n\n");
        sb.append("| at | scenario | stop | to /q/health/ready | to policy reconciled and Ready | replica writes "
                + "(status, Lease) | LIST / WATCH, bytes received |\n|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> c : curve) {
            for (String key : List.of("sigtermRestart", "killRestart")) {
                Map<String, Object> m = (Map<String, Object>) c.get(key);
                if (m != null) {
                    sb.append(f("| %s replicas | %s, same identity, from process start | %.1f s | %.1f s | %.1f s "
                            + "| %s (%s, %s) | %s / %s, %.1f MiB |%n", c.get("replicas"),
                            key.equals("killRestart") ? "kill -9 restart" : "SIGTERM restart", num(m.get("stopMs")) / 1000,
                            num(m.get("processStartToReadyMs")) / 1000, num(m.get("processStartToPolicyReadyMs")) / 1000,
                            m.get("replicaWrites"), m.get("statusWrites"), m.get("leaseWrites"), m.get("listRequests"),
                            m.get("watchRequests"), num(m.get("bytesReceived")) / MIB));
                }
            }
            Map<String, Object> fo = (Map<String, Object>) c.get("failOver");
            if (fo != null) {
                sb.append(f("| %s replicas | fail-over: SIGTERM to the leader, the stand-by takes the Lease (%.1f s "
                        + "after SIGTERM) | %.1f s | %.1f s | %.1f s | %s (%s, %s) | - |%n", c.get("replicas"),
                        num(fo.get("sigtermToLeaseMs")) / 1000, num(fo.get("stopMs")) / 1000,
                        num(fo.get("sigtermToReadyMs")) / 1000, num(fo.get("sigtermToPolicyReadyMs")) / 1000,
                        fo.get("replicaWrites"), fo.get("statusWrites"), fo.get("leaseWrites")));
            }
            Map<String, Object> mid = (Map<String, Object>) c.get("midRollout");
            if (mid != null) {
                sb.append(f("| %s namespaces | kill -9 in the middle of a rollout (%s of %s written), new identity "
                        + "(waits out the Lease) | - | - | %.1f s from policy create | %s / %s needed = %.3f (%s refused) "
                        + "| - |%n", c.get("namespaces"), mid.get("writtenBeforeKill"), mid.get("needed"),
                        num(mid.get("policyCreateToReadyMs")) / 1000, mid.get("replicaWrites"), mid.get("needed"),
                        num(mid.get("ratio")), mid.get("refusedReplicaWrites")));
            }
        }
        sb.append(f("%nWrites during a restart are counted from the stop to %s s after the new process reconciled "
                + "the policy. \"Policy reconciled\" is the new process's own `secretsync_replicas` gauge for the "
                + "policy showing every replica, with the policy's status Ready.%n", sizes.get("settleSeconds")));

        sb.append("\n### Against the goals (largest size)\n\n");
        goals(sb, curve.get(curve.size() - 1), slope);
        String notes = notes();
        if (!notes.isBlank()) {
            sb.append('\n').append(notes.strip()).append('\n');
        }
        return sb.toString();
    }

    /** Hand-written notes on the figures (what limited them), kept with the generated tables. */
    private static String notes() {
        try (java.io.InputStream in = RealServerReport.class.getResourceAsStream("/bench/real-notes.md")) {
            return in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void goals(StringBuilder sb, Map<String, Object> c, Double slope) {
        Map<String, Object> conv = (Map<String, Object>) c.get("converge");
        Map<String, Object> base = (Map<String, Object>) c.get("baseline");
        Map<String, Object> mem = (Map<String, Object>) c.get("memory");
        Map<String, Object> up = (Map<String, Object>) c.get("update");
        Map<String, Object> idle = (Map<String, Object>) c.get("idle");
        Map<String, Object> pk = (Map<String, Object>) c.get("pickup");
        sb.append("| goal | measured | verdict |\n|---|---|---|\n");
        double ratio = num(conv.get("convergeMs")) / num(base.get("convergeMs"));
        goal(sb, "converge <= 1.3 x the plain client at " + c.get("namespaces") + " x 3", f("%.2f", ratio), ratio <= 1.3);
        double heap = num(mem.get("liveHeapAtNx3Bytes")) / MIB;
        goal(sb, "live heap <= 64 MiB at " + c.get("replicas") + " replicas", f("%.1f MiB", heap), heap <= 64);
        double per = num(mem.get("liveHeapPerReplicaBytes"));
        goal(sb, "<= 1 KiB per replica", f("%.0f bytes (in the run)%s", per,
                slope == null ? "" : f("; %.0f bytes across sizes", slope)), per <= 1024 && (slope == null || slope <= 1024));
        double upRatio = num(up.get("maxMs")) / num(base.get("updateMs"));
        goal(sb, "one source update reaches all " + up.get("replicas") + " replicas within 1.3 x the plain client's "
                + up.get("needed") + " writes", f("%.1f s vs %.1f s: %.2f", num(up.get("maxMs")) / 1000,
                        num(base.get("updateMs")) / 1000, upRatio), upRatio <= 1.3);
        long written = lng(conv.get("replicaWrites")) + lng(up.get("replicaWrites")) + lng(pk.get("replicaWrites"));
        long needed = lng(conv.get("needed")) + lng(up.get("needed")) + lng(pk.get("needed"));
        goal(sb, "writes / needed 1.00 (converge, update, pick-up)", f("%d / %d = %.3f", written, needed,
                written / (double) needed), written == needed);
        long idleWrites = lng(idle.get("replicaWrites")) + lng(idle.get("statusWrites")) + lng(idle.get("otherWrites"));
        goal(sb, "0 writes while idle " + idle.get("seconds") + " s", f("%d (besides %s Lease renewals of the leader)",
                idleWrites, idle.get("leaseWrites")), idleWrites == 0);
        for (String key : List.of("sigtermRestart", "killRestart")) {
            Map<String, Object> m = (Map<String, Object>) c.get(key);
            if (m != null) {
                double s = num(m.get("processStartToPolicyReadyMs")) / 1000;
                goal(sb, key.equals("killRestart") ? "kill -9 restart: Ready < 30 s, 0 replica writes"
                        : "SIGTERM restart: Ready < 30 s, 0 replica writes",
                        f("%.1f s, %s writes", s, m.get("replicaWrites")), s < 30 && lng(m.get("replicaWrites")) == 0);
            }
        }
        Map<String, Object> fo = (Map<String, Object>) c.get("failOver");
        if (fo != null) {
            double s = num(fo.get("sigtermToPolicyReadyMs")) / 1000;
            goal(sb, "fail-over: Ready < 30 s after SIGTERM, 0 replica writes", f("%.1f s, %s writes", s,
                    fo.get("replicaWrites")), s < 30 && lng(fo.get("replicaWrites")) == 0);
        }
        Map<String, Object> mid = (Map<String, Object>) c.get("midRollout");
        if (mid != null) {
            goal(sb, "restart mid-rollout: writes / needed <= 1.01", f("%.3f", num(mid.get("ratio"))),
                    num(mid.get("ratio")) <= 1.01);
        }
    }

    @SuppressWarnings("unchecked")
    private static Double slope(List<Map<String, Object>> curve) {
        if (curve.size() < 2) {
            return null;
        }
        Map<String, Object> a = curve.get(0);
        Map<String, Object> b = curve.get(curve.size() - 1);
        double heapA = num(((Map<String, Object>) a.get("memory")).get("liveHeapAtNx3Bytes"));
        double heapB = num(((Map<String, Object>) b.get("memory")).get("liveHeapAtNx3Bytes"));
        double replicas = num(b.get("replicas")) - num(a.get("replicas"));
        return replicas <= 0 ? null : (heapB - heapA) / replicas;
    }

    /** The size, and the run it comes from when not this one. */
    @SuppressWarnings("unchecked")
    private static String label(Map<String, Object> c) {
        Map<String, Object> earlier = (Map<String, Object>) c.get("fromEarlierRun");
        return earlier == null ? String.valueOf(c.get("namespaces"))
                : c.get("namespaces") + " (run of " + earlier.get("date") + "*)";
    }

    private static void goal(StringBuilder sb, String goal, String measured, boolean met) {
        sb.append("| ").append(goal).append(" | ").append(measured).append(" | ").append(met ? "met" : "**missed**")
                .append(" |\n");
    }

    private static String join(List<Integer> sizes) {
        return String.join(",", sizes.stream().map(String::valueOf).toList());
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static long lng(Object o) {
        return ((Number) o).longValue();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
