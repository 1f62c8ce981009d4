package io.secretsync.operator.remote;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * Asks a remote cluster who it is and whether the kubeconfig's credentials may do what the
 * operator will do there: GET /version, then one page of one item of our replicas cluster-wide and
 * of the Namespaces (the lists its informers will start with). Three small requests; the answer
 * names what was refused, never a credential.
 */
final class ClusterProbe {
    private static final String REPLICAS = ReplicaMetadata.MANAGED_BY_LABEL + "=" + ReplicaMetadata.MANAGED_BY_VALUE;

    /** @param message null when Connected; else what failed and what to do */
    record Result(ClusterState state, String serverVersion, String message) {
        static Result connected(String version) {
            return new Result(ClusterState.Connected, version, null);
        }
    }

    private ClusterProbe() {
    }

    static Result probe(KubernetesClient client, String server) {
        String step = "GET " + server + "/version";
        try {
            VersionInfo version = client.getKubernetesVersion();
            step = "list Secrets (label " + REPLICAS + ") in all namespaces";
            client.secrets().inAnyNamespace().list(new ListOptionsBuilder().withLabelSelector(REPLICAS).withLimit(1L)
                    .build());
            step = "list Namespaces";
            client.namespaces().list(new ListOptionsBuilder().withLimit(1L).build());
            return Result.connected(version == null ? null : version.getGitVersion());
        } catch (KubernetesClientException e) {
            return failure(step, server, e);
        } catch (RuntimeException e) {
            return new Result(ClusterState.Unreachable, null, step + " failed (" + e.getClass().getSimpleName()
                    + "); the operator retries");
        }
    }

    static Result failure(String step, String server, KubernetesClientException e) {
        if (e.getCode() == 401) {
            return new Result(ClusterState.Unauthorized, null, step + ": HTTP 401, the server does not accept the"
                    + " kubeconfig's credentials (expired or revoked token, unknown certificate); put a valid token"
                    + " or client certificate into the kubeconfig Secret");
        }
        if (e.getCode() == 403) {
            return new Result(ClusterState.Unauthorized, null, step + ": HTTP 403, the kubeconfig's user may not"
                    + " do this; bind it on the remote cluster to the operator's remote ClusterRole (list/watch/get/"
                    + "create/update/patch/delete Secrets, list/watch Namespaces, get/list/watch/patch"
                    + " ServiceAccounts)");
        }
        if (e.getCode() > 0) {
            return new Result(ClusterState.Unreachable, null, step + ": HTTP " + e.getCode()
                    + (e.getStatus() != null && e.getStatus().getReason() != null ? " " + e.getStatus().getReason() : "")
                    + "; is " + server + " a Kubernetes API server? The operator retries");
        }
        return new Result(ClusterState.Unreachable, null, "cannot reach " + server + " (" + why(e)
                + "); check the server address in the kubeconfig and the network between the clusters; the"
                + " operator retries");
    }

    /** The kind of I/O failure, without its message (which may quote a certificate or an address list). */
    private static String why(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException) {
                return "TLS handshake failed: is certificate-authority-data the server's CA?";
            }
            if (c instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (c instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (c instanceof TimeoutException || c instanceof java.net.SocketTimeoutException) {
                return "no answer within " + KubeconfigCheck.TIMEOUT.toSeconds() + " s";
            }
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException) {
                return c.getClass().getSimpleName();
            }
        }
        return (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName();
    }
}
