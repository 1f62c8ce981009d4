package io.secretsync.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The goals table of the remote clusters' section says met only where the audited figures meet the goal. */
class RemoteClustersReportTest {

    @Test
    void exactWritesNoIdleWritesAndAFastEnoughConvergenceAreMet() {
        String md = RemoteClustersReport.markdown(figures(3000, 0, 0, 90_000, 100_000));
        assertThat(md).startsWith("## Remote clusters (real API servers)\n\n")
                .contains("-Dbench.server=real-remote -Dbench.remote.namespaces=1000 -Dbench.idle-seconds=60")
                .contains("| Replica writes / needed to converge, remote-a | 3000 / 3000 = 1.00 (refused by the server: 0) | 1.00 | met |")
                .contains("| Writes in remote-b during 60 s idle | 0 (replicas 0) | 0 | met |")
                .contains("| Writes in the local cluster during 60 s idle, Lease renewals apart | 0 (status 0; Lease renewals 6) | 0 | met |")
                .contains("90.0 s vs 100.0 s; ratio 0.90 | ratio <= 1.5 | met |")
                .doesNotContain("missed", "Smoke-test size");
    }

    @Test
    void extraWritesIdleWritesAndASlowConvergenceAreMissed() {
        String md = RemoteClustersReport.markdown(figures(3300, 2, 1, 200_000, 100_000));
        assertThat(md).contains("| Replica writes / needed to converge, remote-a | 3300 / 3000 = 1.10 (refused by the server: 0) | 1.00 | **missed**: 1.10 |")
                .contains("| Writes in remote-a during 60 s idle | 2 (replicas 2) | 0 | **missed**: 2 writes |")
                .contains("| 1 (status 1; Lease renewals 6) | 0 | **missed**: 1 writes |")
                .contains("ratio 2.00 | ratio <= 1.5 | **missed**: ratio 2.00 |");
    }

    private static Map<String, Object> figures(long convergeWrites, long idleReplicaWrites, long idleStatusWrites,
            double operatorMs, double baselineMs) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("machine", Map.of("cores", 2, "jdk", "JDK", "os", "Linux", "date", "2026-12-03T20:00:00Z"));
        r.put("loadBefore", "1.00 1.00 1.00");
        r.put("loadAfter", "2.00 2.00 2.00");
        r.put("sizes", Map.of("namespacesPerRemote", 1000, "sourceSecrets", 3, "replicasPerRemote", 3000,
                "idleSeconds", 60, "writeConcurrencyPerCluster", 8, "fullSize", true));
        r.put("jvmArgs", "-Xmx154m");
        r.put("heapMaxBytes", 154L << 20);
        Map<String, Object> base = new LinkedHashMap<>(Map.of("heap", "1g", "convergeMs", baselineMs, "updateMs",
                10_000.0, "remoteApiserversCpuMs", 1000L, "clientCpuMs", 1000L));
        Map<String, Object> conv = new LinkedHashMap<>(Map.of("convergeMs", operatorMs, "remoteApiserversCpuMs", 1000L,
                "clientCpuMs", 1000L, "local", writes(0, 3, 0, 0)));
        Map<String, Object> idle = new LinkedHashMap<>(Map.of("seconds", 60, "local", writes(0, idleStatusWrites, 6, 0)));
        Map<String, Object> up = new LinkedHashMap<>(Map.of("allRemoteReplicasNewMs", 9000.0));
        for (String remote : RemoteClustersBenchmark.REMOTES) {
            base.put(remote, Map.of("replicaWrites", 4000, "needed", 4000));
            conv.put(remote, writes(remote.equals("remote-a") ? convergeWrites : 3000, 0, 0, 3000));
            idle.put(remote, writes(remote.equals("remote-a") ? idleReplicaWrites : 0, 0, 0, 0));
            up.put(remote, writes(1000, 0, 0, 1000));
        }
        r.put("baseline", base);
        r.put("converge", conv);
        r.put("idle", idle);
        r.put("update", up);
        r.put("memory", Map.of("liveHeapNoPolicyBytes", 20L << 20, "liveHeapConvergedBytes", 30L << 20,
                "liveHeapAtEndBytes", 30L << 20, "rssConvergedBytes", 200L << 20, "peakRssBytes", 220L << 20));
        r.put("operatorForbidden", Map.of("local", 0, "remote-a", 0, "remote-b", 0));
        return r;
    }

    /** As AuditedWrites reports them. */
    private static Map<String, Object> writes(long replica, long status, long lease, int needed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("needed", needed);
        m.put("replicaWrites", replica);
        m.put("refusedReplicaWrites", 0L);
        m.put("statusWrites", status);
        m.put("leaseWrites", lease);
        m.put("otherWrites", 0L);
        if (needed > 0) {
            m.put("ratio", replica / (double) needed);
        }
        return m;
    }
}
