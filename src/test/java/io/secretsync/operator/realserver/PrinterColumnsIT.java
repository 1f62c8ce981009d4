package io.secretsync.operator.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.testsupport.Fixtures;

/**
 * {@code kubectl get ssp} as kubectl gets it: the list asked for as a server-side {@code Table}
 * (the Accept header kubectl sends), which the API server builds from the CRD's
 * additionalPrinterColumns. kubectl prints the column names upper-cased; the server renders the
 * {@code date} column as an age; the other cells are the values the status holds.
 */
class PrinterColumnsIT extends RealServerTest {
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kubectlGetSspShowsTheReadmeColumnsWithTheStatusValuesOfASyncedAndAFailingPolicy() throws Exception {
        admin.namespaces().resource(Fixtures.namespace("pc-src")).create();
        for (String ns : List.of("pc-a", "pc-b")) {
            admin.namespaces().resource(Fixtures.namespace(ns, "pc=yes")).create();
        }
        admin.secrets().inNamespace("pc-src").resource(Fixtures.opaque("pc-src", "reg", "v1")).create();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("pc-synced",
                Fixtures.spec("pc-src", List.of("reg"), null, null, Fixtures.selector("pc=yes")))).create();
        admin.resources(SecretSyncPolicy.class).resource(Fixtures.policy("pc-failing",
                Fixtures.spec("pc-src", List.of("missing"), null, null, Fixtures.selector("pc=yes")))).create();
        awaitReason("pc-synced", "Synced");
        awaitReason("pc-failing", "SourceNotFound");

        JsonNode table = getTable("/apis/secretsync.io/v1alpha1/secretsyncpolicies");
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        List<String> headers = new ArrayList<>();
        table.path("columnDefinitions").forEach(c -> {
            if (c.path("priority").asInt() == 0) { // what kubectl shows without -o wide
                headers.add(c.path("name").asText().toUpperCase());
            }
        });
        assertThat(headers).as("the columns of kubectl get ssp, as README shows them")
                .containsExactly("NAME", "READY", "REASON", "SOURCES", "NAMESPACES", "REPLICAS", "AGE");
        assertThat(table.path("columnDefinitions").get(6).path("type").asText()).as("AGE is printed as an age")
                .isEqualTo("date");

        Map<String, List<Object>> rows = new java.util.TreeMap<>();
        table.path("rows").forEach(r -> {
            List<Object> cells = new ArrayList<>();
            r.path("cells").forEach(c -> cells.add(c.isNumber() ? (Object) c.asInt() : c.isNull() ? null : c.asText()));
            rows.put(cells.get(0).toString(), cells);
        });
        assertThat(rows).containsOnlyKeys("pc-synced", "pc-failing", "tanzu-build-service-sync");
        // the server renders the date column as an age already, as kubectl prints it ("12s", "3m4s")
        assertThat(rows.get("pc-synced")).hasSize(7).startsWith("pc-synced", "True", "Synced", 1, 2, 2);
        assertThat(rows.get("pc-failing")).hasSize(7).startsWith("pc-failing", "False", "SourceNotFound", 0, 2, 0);
        assertThat(List.of(rows.get("pc-synced").get(6), rows.get("pc-failing").get(6))).as("AGE")
                .allSatisfy(age -> assertThat(age.toString()).matches("[0-9]+[smhd]([0-9]+[smh])?"));

        // kubectl get ssp NAME asks for one object the same way
        JsonNode one = getTable("/apis/secretsync.io/v1alpha1/secretsyncpolicies/pc-failing");
        assertThat(one.path("rows")).hasSize(1);
        assertThat(one.path("rows").get(0).path("cells").get(2).asText()).isEqualTo("SourceNotFound");
    }

    private JsonNode getTable(String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trustingTheClusterCa())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path))
                .header("Accept", TABLE).header("Authorization", "Bearer " + adminToken())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String adminToken() throws IOException {
        return Files.readAllLines(cluster.dir().resolve("cluster.env")).stream()
                .filter(l -> l.startsWith("ADMIN_TOKEN=")).findFirst().orElseThrow().substring("ADMIN_TOKEN=".length())
                .replaceAll("^\"|\"$", "");
    }

    private SSLContext trustingTheClusterCa() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cluster.dir().resolve("ca.crt"))) {
            trust.setCertificateEntry("cluster-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
