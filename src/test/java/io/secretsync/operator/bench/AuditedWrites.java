package io.secretsync.operator.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.secretsync.operator.realserver.AuditLog;

/** One user's writes among audit log entries, by kind, next to the replica writes needed. */
final class AuditedWrites {

    private AuditedWrites() {
    }

    /**
     * needed, replicaWrites, refusedReplicaWrites, statusWrites, leaseWrites, otherWrites, and
     * ratio (replica writes / needed) when something was needed.
     */
    static Map<String, Object> of(List<AuditLog.Entry> entries, String user, int needed) {
        List<AuditLog.Entry> w = entries.stream().filter(e -> e.user().equals(user) && e.isWrite()).toList();
        long replica = w.stream().filter(e -> e.resource().equals("secrets")).count();
        long refused = w.stream().filter(e -> e.resource().equals("secrets") && e.code() >= 300).count();
        long status = w.stream().filter(e -> e.subresource().equals("status")).count();
        long lease = w.stream().filter(e -> e.resource().equals("leases")).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("needed", needed);
        m.put("replicaWrites", replica);
        m.put("refusedReplicaWrites", refused);
        m.put("statusWrites", status);
        m.put("leaseWrites", lease);
        m.put("otherWrites", w.size() - replica - status - lease);
        if (needed > 0) {
            m.put("ratio", replica / (double) needed);
        }
        return m;
    }
}
