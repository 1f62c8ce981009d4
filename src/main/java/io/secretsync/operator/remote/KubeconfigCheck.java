package io.secretsync.operator.remote;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Turns the text of a kubeconfig Secret into a client configuration, accepting only what cannot
 * make the operator run a command or read a file of its own: the current context's server, inline
 * credentials (a token, or a client certificate and key) and an inline CA (or the system's trust).
 * Everything else is refused with a message that names the field, never its value: a kubeconfig
 * is written by whoever may write Secrets in the operator's namespace, and a file reference (a
 * tokenFile of /var/run/secrets/.../token) would send the operator's own credentials to a server
 * of their choosing.
 * <p>
 * The configuration is built from {@code Config.empty()}: nothing from ~/.kube, the environment,
 * system properties or the pod's ServiceAccount, and never a refresh from a file or a plugin.
 */
public final class KubeconfigCheck {
    /** A dead or slow cluster answers within this (connect, then each request), so no reconcile hangs on it. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What the check accepted: the client configuration and the server it points at (not a secret). */
    public record Accepted(Config config, String server) {
        @Override
        public String toString() {
            return "Accepted[server=" + server + "]"; // the configuration holds the credentials
        }
    }

    private KubeconfigCheck() {
    }

    /**
     * @param text the kubeconfig (YAML or JSON)
     * @param allowInsecureTls secretsync.remote.allow-insecure-tls: accept insecure-skip-tls-verify
     *        and plain-HTTP servers
     */
    public static Accepted check(String text, boolean allowInsecureTls) throws InvalidKubeconfig {
        io.fabric8.kubernetes.api.model.Config kubeconfig = parse(text);
        String contextName = kubeconfig.getCurrentContext();
        if (blank(contextName)) {
            throw new InvalidKubeconfig("the kubeconfig has no current-context: set current-context to the context"
                    + " the operator should use");
        }
        Context context = named(kubeconfig.getContexts(), NamedContext::getName, NamedContext::getContext, contextName)
                .orElseThrow(() -> new InvalidKubeconfig("the kubeconfig's current-context \"" + contextName
                        + "\" is not among its contexts: add it, or set current-context to one of them"));
        if (blank(context.getCluster())) {
            throw new InvalidKubeconfig("context \"" + contextName + "\" names no cluster (contexts[].context.cluster)");
        }
        if (blank(context.getUser())) {
            throw new InvalidKubeconfig("context \"" + contextName + "\" names no user (contexts[].context.user)");
        }
        Cluster cluster = named(kubeconfig.getClusters(), NamedCluster::getName, NamedCluster::getCluster,
                context.getCluster()).orElseThrow(() -> new InvalidKubeconfig("cluster \"" + context.getCluster()
                        + "\" of context \"" + contextName + "\" is not in the kubeconfig's clusters"));
        AuthInfo user = named(kubeconfig.getUsers(), NamedAuthInfo::getName, NamedAuthInfo::getUser, context.getUser())
                .orElseThrow(() -> new InvalidKubeconfig("user \"" + context.getUser() + "\" of context \""
                        + contextName + "\" is not in the kubeconfig's users"));
        String server = checkCluster(context.getCluster(), cluster, allowInsecureTls);
        checkUser(context.getUser(), user);
        return new Accepted(build(server, cluster, user, allowInsecureTls), server);
    }

    private static io.fabric8.kubernetes.api.model.Config parse(String text) throws InvalidKubeconfig {
        if (blank(text)) {
            throw new InvalidKubeconfig("the kubeconfig is empty");
        }
        io.fabric8.kubernetes.api.model.Config parsed;
        try {
            parsed = Serialization.unmarshal(text, io.fabric8.kubernetes.api.model.Config.class);
        } catch (RuntimeException e) {
            // not e.getMessage(): a parser's message quotes the text around the error
            parsed = null;
        }
        if (parsed == null) {
            throw new InvalidKubeconfig("the kubeconfig is not a readable kubeconfig (YAML or JSON with clusters,"
                    + " users, contexts and current-context)");
        }
        return parsed;
    }

    private static String checkCluster(String name, Cluster cluster, boolean allowInsecureTls)
            throws InvalidKubeconfig {
        String where = "cluster \"" + name + "\"";
        if (cluster == null || blank(cluster.getServer())) {
            throw new InvalidKubeconfig(where + " has no server (clusters[].cluster.server)");
        }
        if (!blank(cluster.getCertificateAuthority())) {
            throw new InvalidKubeconfig(where + " names a file (certificate-authority): the operator reads no file"
                    + " named by a kubeconfig; put the CA inline in certificate-authority-data");
        }
        if (Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify()) && !allowInsecureTls) {
            throw new InvalidKubeconfig(where + " sets insecure-skip-tls-verify, refused: give the server's CA in"
                    + " certificate-authority-data (or set secretsync.remote.allow-insecure-tls=true to accept it)");
        }
        String server = cluster.getServer().trim();
        String lower = server.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !(allowInsecureTls && lower.startsWith("http://"))) {
            throw new InvalidKubeconfig(where + " has a server that is not an https:// URL (clusters[].cluster.server):"
                    + " credentials are only sent over TLS (or set secretsync.remote.allow-insecure-tls=true)");
        }
        return server;
    }

    private static void checkUser(String name, AuthInfo user) throws InvalidKubeconfig {
        String where = "user \"" + name + "\"";
        if (user == null) {
            throw new InvalidKubeconfig(where + " has no credentials (users[].user)");
        }
        if (user.getExec() != null) {
            throw new InvalidKubeconfig(where + " uses an exec credential plugin (users[].user.exec), refused: the"
                    + " operator never runs a command named by a Secret; use a ServiceAccount token (TokenRequest)"
                    + " or a client certificate");
        }
        if (user.getAuthProvider() != null) {
            throw new InvalidKubeconfig(where + " uses an auth-provider plugin (users[].user.auth-provider), refused;"
                    + " use a ServiceAccount token (TokenRequest) or a client certificate");
        }
        if (!blank(user.getUsername()) || !blank(user.getPassword())) {
            throw new InvalidKubeconfig(where + " uses a username and password (basic authentication), refused; use a"
                    + " ServiceAccount token (TokenRequest) or a client certificate");
        }
        for (String[] file : new String[][] { { "tokenFile", user.getTokenFile() },
                { "client-certificate", user.getClientCertificate() }, { "client-key", user.getClientKey() } }) {
            if (!blank(file[1])) {
                throw new InvalidKubeconfig(where + " names a file (" + file[0] + "): the operator reads no file named"
                        + " by a kubeconfig; put the credential inline (token, client-certificate-data, client-key-data)");
            }
        }
        boolean token = !blank(user.getToken());
        boolean certificate = !blank(user.getClientCertificateData());
        boolean key = !blank(user.getClientKeyData());
        if (certificate != key) {
            throw new InvalidKubeconfig(where + " has " + (certificate ? "client-certificate-data without client-key-data"
                    : "client-key-data without client-certificate-data") + ": give both");
        }
        if (!token && !certificate) {
            throw new InvalidKubeconfig(where + " has no credentials: give a token, or client-certificate-data and"
                    + " client-key-data");
        }
    }

    private static Config build(String server, Cluster cluster, AuthInfo user, boolean allowInsecureTls) {
        int timeout = (int) TIMEOUT.toMillis();
        ConfigBuilder builder = new ConfigBuilder(Config.empty())
                .withMasterUrl(server)
                .withNamespace(null)
                .withTrustCerts(allowInsecureTls && Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify()))
                .withConnectionTimeout(timeout)
                .withRequestTimeout(timeout)
                // one attempt per request: the probe's schedule is the retry, with its backoff
                .withRequestRetryBackoffLimit(0);
        if (!blank(cluster.getCertificateAuthorityData())) {
            builder.withCaCertData(cluster.getCertificateAuthorityData());
        }
        if (!blank(user.getToken())) {
            builder.withOauthToken(user.getToken());
        } else {
            builder.withClientCertData(user.getClientCertificateData()).withClientKeyData(user.getClientKeyData());
        }
        return builder.build();
    }

    private static <N, T> Optional<T> named(List<N> entries, Function<N, String> name, Function<N, T> value,
            String wanted) {
        return entries == null ? Optional.empty()
                : entries.stream().filter(e -> e != null && wanted.equals(name.apply(e))).findFirst().map(value);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
