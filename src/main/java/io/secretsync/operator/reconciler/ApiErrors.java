package io.secretsync.operator.reconciler;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Short, data-free descriptions of API failures for status and events. The response body of a
 * failed Secret write is never echoed: only the HTTP code, the Status reason and the fields the
 * server names.
 */
final class ApiErrors {

    private ApiErrors() {
    }

    static String describe(String verb, Exception e) {
        if (e instanceof KubernetesClientException kce && kce.getCode() <= 0) {
            // no HTTP answer at all (connection refused, reset, timed out); the cause's message is not echoed
            Throwable cause = kce.getCause() == null ? kce : kce.getCause();
            return verb + " failed: API server not reachable (" + cause.getClass().getSimpleName() + ")";
        }
        if (e instanceof KubernetesClientException kce) {
            StringBuilder sb = new StringBuilder(verb).append(" failed: HTTP ").append(kce.getCode());
            Status status = kce.getStatus();
            if (status != null && status.getReason() != null) {
                sb.append(' ').append(status.getReason());
            }
            if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
                status.getDetails().getCauses().forEach(c -> sb.append(" (").append(c.getField()).append(": ")
                        .append(c.getReason()).append(')'));
            }
            if (kce.getCode() == 403) {
                sb.append("; grant the operator's ServiceAccount this permission");
            }
            return sb.toString();
        }
        return verb + " failed: " + e.getClass().getSimpleName();
    }

    static boolean is(Exception e, int code) {
        return e instanceof KubernetesClientException kce && kce.getCode() == code;
    }
}
