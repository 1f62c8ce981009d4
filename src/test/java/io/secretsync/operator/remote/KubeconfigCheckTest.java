package io.secretsync.operator.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.Config;

/** Which kubeconfigs the operator accepts for a remote cluster, and that no refusal ever quotes a credential. */
class KubeconfigCheckTest {
    static final String CANARY = "canary-token-4f1d9c27e0b3";
    static final String CA = "Q0EtREFUQS1PRi1USEUtUkVNT1RF"; // any base64: only the client parses it, later
    static final String CERT = "Y2VydC1jYW5hcnktNGYxZDljMjdlMGIz";
    static final String KEY = "a2V5LWNhbmFyeS00ZjFkOWMyN2UwYjM=";

    /** A kubeconfig with one cluster, user and context; {@code cluster} and {@code user} are their YAML bodies. */
    static String kubeconfig(String cluster, String user) {
        return String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "  - name: remote",
                "    cluster:",
                indent(cluster),
                "users:",
                "  - name: operator",
                "    user:",
                indent(user),
                "contexts:",
                "  - name: remote",
                "    context: {cluster: remote, user: operator}",
                "current-context: remote",
                "");
    }

    private static String indent(String body) {
        return body.lines().map(l -> "      " + l).reduce((a, b) -> a + "\n" + b).orElse("      {}");
    }

    static final String SERVER = "server: https://remote.example:6443\ncertificate-authority-data: " + CA;
    static final String TOKEN = "token: " + CANARY;

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("exec plugin", kubeconfig(SERVER, TOKEN + "\nexec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: /bin/sh\n  args: [-c, 'touch /tmp/pwned']"),
                        "users[].user.exec"),
                Arguments.of("auth-provider", kubeconfig(SERVER, "auth-provider:\n  name: oidc\n  config: {id-token: " + CANARY + "}"),
                        "auth-provider"),
                Arguments.of("username and password", kubeconfig(SERVER, "username: admin\npassword: " + CANARY),
                        "username and password"),
                Arguments.of("token file", kubeconfig(SERVER, "tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token"),
                        "tokenFile"),
                Arguments.of("client certificate file", kubeconfig(SERVER, "client-certificate: /etc/cert.pem\nclient-key-data: " + KEY),
                        "client-certificate)"),
                Arguments.of("client key file", kubeconfig(SERVER, "client-certificate-data: " + CERT + "\nclient-key: /etc/key.pem"),
                        "client-key)"),
                Arguments.of("CA file", kubeconfig("server: https://remote.example:6443\ncertificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt", TOKEN),
                        "certificate-authority)"),
                Arguments.of("insecure-skip-tls-verify", kubeconfig("server: https://remote.example:6443\ninsecure-skip-tls-verify: true", TOKEN),
                        "insecure-skip-tls-verify"),
                Arguments.of("plain http", kubeconfig("server: http://remote.example:8080", TOKEN), "https://"),
                Arguments.of("no server", kubeconfig("certificate-authority-data: " + CA, TOKEN), "has no server"),
                Arguments.of("no credentials", kubeconfig(SERVER, "{}"), "has no credentials"),
                Arguments.of("certificate without key", kubeconfig(SERVER, "client-certificate-data: " + CERT),
                        "without client-key-data"),
                Arguments.of("no current context", kubeconfig(SERVER, TOKEN).replace("current-context: remote", ""),
                        "no current-context"),
                Arguments.of("current context missing", kubeconfig(SERVER, TOKEN).replace("current-context: remote", "current-context: other"),
                        "\"other\" is not among its contexts"),
                Arguments.of("cluster missing", kubeconfig(SERVER, TOKEN).replace("  - name: remote\n    cluster:", "  - name: elsewhere\n    cluster:"),
                        "cluster \"remote\" of context \"remote\" is not in the kubeconfig's clusters"),
                Arguments.of("user missing", kubeconfig(SERVER, TOKEN).replace("  - name: operator\n", "  - name: someone\n"),
                        "user \"operator\" of context \"remote\" is not in the kubeconfig's users"),
                Arguments.of("context without user", kubeconfig(SERVER, TOKEN).replace(", user: operator", ""),
                        "names no user"),
                Arguments.of("empty", "", "is empty"),
                Arguments.of("not a kubeconfig", "clusters: [" + CANARY + ": {", "not a readable kubeconfig"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithAMessageNamingTheFieldButNoCredential(String what, String kubeconfig, String named) {
        InvalidKubeconfig refusal = catchThrowableOfType(InvalidKubeconfig.class,
                () -> KubeconfigCheck.check(kubeconfig, false));
        assertThat(refusal).as(what).isNotNull();
        assertThat(refusal.getMessage()).as(what).contains(named);
        assertThat(refusal.getMessage() + refusal).as(what).doesNotContain(CANARY).doesNotContain(CERT)
                .doesNotContain(KEY).doesNotContain("touch").doesNotContain("/tmp/pwned");
        assertThat(refusal.getCause()).isNull();
    }

    @Test
    void acceptsAnInlineTokenWithAnInlineCa() throws InvalidKubeconfig {
        KubeconfigCheck.Accepted accepted = KubeconfigCheck.check(kubeconfig(SERVER, TOKEN), false);
        Config config = accepted.config();
        assertThat(config.getMasterUrl()).startsWith("https://remote.example:6443");
        assertThat(config.getOauthToken()).isEqualTo(CANARY);
        assertThat(config.getCaCertData()).isEqualTo(CA);
        assertThat(config.isTrustCerts()).isFalse();
        assertThat(config.getAutoConfigure()).isNotEqualTo(Boolean.TRUE);
        assertThat(config.getConnectionTimeout()).isEqualTo(10_000);
        assertThat(config.getRequestTimeout()).isEqualTo(10_000);
        assertThat(config.getRequestRetryBackoffLimit()).isZero();
        assertThat(accepted.toString()).doesNotContain(CANARY);
    }

    @Test
    void acceptsAnInlineClientCertificateWithTheSystemTrust() throws InvalidKubeconfig {
        Config config = KubeconfigCheck.check(kubeconfig("server: https://remote.example:6443",
                "client-certificate-data: " + CERT + "\nclient-key-data: " + KEY), false).config();
        assertThat(config.getClientCertData()).isEqualTo(CERT);
        assertThat(config.getClientKeyData()).isEqualTo(KEY);
        assertThat(config.getOauthToken()).isNull();
        assertThat(config.getCaCertData()).isNull();
        assertThat(config.getCaCertFile()).isNull();
    }

    @Test
    void takesNothingFromTheEnvironmentOrTheFilesOfThisProcess() throws InvalidKubeconfig {
        // what autoConfigure would add: a namespace, a token file, a CA file, a proxy from the environment
        Config config = KubeconfigCheck.check(kubeconfig(SERVER, TOKEN), false).config();
        assertThat(config.getNamespace()).isNull();
        assertThat(config.getFile()).isNull();
        assertThat(config.getAutoOAuthToken()).isNull();
        assertThat(config.getClientCertFile()).isNull();
        assertThat(config.getHttpsProxy()).isNull();
        assertThat(config.getHttpProxy()).isNull();
        assertThat(config.refresh()).as("nothing to refresh from").isSameAs(config);
    }

    @Test
    void insecureTlsOnlyWhenTheSettingAllowsIt() throws InvalidKubeconfig {
        String insecure = kubeconfig("server: https://remote.example:6443\ninsecure-skip-tls-verify: true", TOKEN);
        assertThatThrownBy(() -> KubeconfigCheck.check(insecure, false)).isInstanceOf(InvalidKubeconfig.class)
                .hasMessageContaining("secretsync.remote.allow-insecure-tls=true");
        assertThat(KubeconfigCheck.check(insecure, true).config().isTrustCerts()).isTrue();
    }

    @Test
    void everyFileReferenceIsRefusedEvenNextToAnInlineCredential() {
        // an inline token next to a tokenFile must not make the file acceptable: the client would prefer neither
        assertThatThrownBy(() -> KubeconfigCheck.check(kubeconfig(SERVER, TOKEN + "\ntokenFile: /etc/token"), false))
                .isInstanceOf(InvalidKubeconfig.class).hasMessageContaining("tokenFile");
    }
}
