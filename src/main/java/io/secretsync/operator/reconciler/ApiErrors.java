package io.secretsync.operator.reconciler;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
                sb.append(forbiddenHint(status));
            }
            return sb.toString();
        }
        return verb + " failed: " + e.getClass().getSimpleName();
    }

    /**
     * What a 403 means and what to do. The RBAC authorizer's message ("User "u" cannot create
     * resource "secrets" in API group "" in the namespace "n"") names who may not do what, where;
     * only those parts are repeated (an admission webhook's free-form message is not).
     */
    static String forbiddenHint(Status status) {
        Matcher m = status == null || status.getMessage() == null ? null : RBAC_DENIAL.matcher(status.getMessage());
        if (m == null || !m.find()) {
            return ": the operator is not allowed to do this; grant its ServiceAccount this permission in its"
                    + " ClusterRole (docs/install.md, \"Permissions\"); the operator retries";
        }
        String group = m.group(4) == null || m.group(4).isEmpty() ? "" : " (API group " + m.group(4) + ")";
        String where = m.group(5) == null ? "" : " in namespace " + m.group(5);
        return ": " + m.group(1) + " may not " + m.group(2) + " " + m.group(3) + group + where
                + "; grant that verb to the operator's ServiceAccount in its ClusterRole (docs/install.md,"
                + " \"Permissions\"); the operator retries";
    }

    private static final Pattern RBAC_DENIAL = Pattern.compile("User \"([^\"]{1,200})\" cannot ([a-z]{1,32}) resource"
            + " \"([a-z0-9./-]{1,200})\"(?: in API group \"([a-z0-9.-]{0,200})\")?(?: in the namespace \"([a-z0-9-]{1,63})\")?");

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
