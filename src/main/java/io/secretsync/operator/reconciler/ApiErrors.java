package io.secretsync.operator.reconciler;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

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
            Throwable cause = kce.getCause() == null ? kce : kce.getCause();
            if (ioFailure(kce)) {
                // no HTTP answer at all (connection refused, reset, timed out); the cause's message is not echoed
                return verb + " failed: API server not reachable (" + cause.getClass().getSimpleName() + ")";
            }
            // the request never left, or its answer could not be read: not the network's fault
            return verb + " failed before the API server answered (" + cause.getClass().getSimpleName() + ")";
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

    /**
     * Like describe, for an exception that arrives wrapped (JOSDK wraps what a reconcile throws):
     * the API failure among its causes, else its innermost cause.
     */
    static String describeCause(String verb, Exception e) {
        Throwable innermost = e;
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException kce) {
                return describe(verb, kce);
            }
            innermost = c;
        }
        return describe(verb, innermost instanceof Exception ex ? ex : e);
    }

    /** True when an I/O failure (connection refused or reset, timeout) is among the causes. */
    private static boolean ioFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException || c instanceof TimeoutException
                    || c.getClass().getName().equals("io.vertx.core.http.HttpClosedException")) {
                return true;
            }
        }
        return false;
    }

    static boolean is(Exception e, int code) {
        return e instanceof KubernetesClientException kce && kce.getCode() == code;
    }
}
