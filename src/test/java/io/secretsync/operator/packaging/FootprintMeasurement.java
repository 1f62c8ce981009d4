package io.secretsync.operator.packaging;

import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;

/**
 * Measures the packaged operator's memory and CPU (Linux /proc) while it syncs a policy, to size
 * the Deployment's requests and limits. Not a test: run it by hand after mvn -B package, e.g.
 *
 * <pre>
 * mvn -B exec:java -Dexec.mainClass=io.secretsync.operator.packaging.FootprintMeasurement \
 *     -Dexec.classpathScope=test -Dexec.args="1000 5 300m"
 * </pre>
 *
 * Arguments: labelled namespaces, source Secrets (2 KB each), heap cap of the operator JVM.
 */
public final class FootprintMeasurement {
    private static final Duration LIMIT = Duration.ofMinutes(10);

    private FootprintMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int namespaces = Integer.parseInt(args[0]);
        int secrets = Integer.parseInt(args[1]);
        String heap = args[2];
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReply(201, r -> new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update", "patch").endResourceRule().endStatus().build())
                .always();
        KubernetesClient c = server.createClient();
        Manifests.crds().forEach(crd -> c.resource(crd).create());
        c.namespaces().resource(Fixtures.namespace("src")).create();
        for (int i = 0; i < namespaces; i++) {
            c.namespaces().resource(Fixtures.namespace("ns-" + i, "builds=enabled")).create();
        }
        String payload = "x".repeat(2000);
        for (int i = 0; i < secrets; i++) {
            Secret s = Fixtures.opaque("src", "s" + i, payload + 1);
            s.getMetadata().setUid(null);
            c.secrets().inNamespace("src").resource(s).create();
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx" + heap, "-Dquarkus.http.port=0",
                "-Dsecretsync.leader-election.lease-namespace=default",
                "-Dquarkus.kubernetes-client.api-server-url=http://127.0.0.1:" + server.getPort(),
                "-jar", Manifests.projectDir().resolve("target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(new File("target/footprint-operator.log")).start();
        AtomicLong peak = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(rss(p.pid()), Math::max), 0, 100,
                TimeUnit.MILLISECONDS);
        try {
            Awaitility.await().atMost(LIMIT).until(() -> c.leases().inNamespace("default").list().getItems()
                    .size() == 1);
            report("started", p, peak, 0, 0);
            long t0 = System.nanoTime();
            double cpu0 = cpu(p.pid());
            c.resources(SecretSyncPolicy.class).resource(Fixtures.policy("all", Fixtures.spec("src", null,
                    Fixtures.selector(), null, Fixtures.selector("builds=enabled")))).create();
            int want = namespaces * secrets;
            Awaitility.await().atMost(LIMIT).pollInterval(Duration.ofSeconds(1)).until(() -> c.secrets()
                    .inAnyNamespace().withLabel("secretsync.io/policy", "all").list().getItems().size() == want);
            report(want + " replicas created", p, peak, t0, cpu0);
            t0 = System.nanoTime();
            cpu0 = cpu(p.pid());
            for (int i = 0; i < secrets; i++) {
                Secret s = c.secrets().inNamespace("src").withName("s" + i).get();
                s.setData(Map.of("value", Fixtures.b64(payload + 2)));
                c.secrets().inNamespace("src").resource(s).update();
            }
            Awaitility.await().atMost(LIMIT).pollInterval(Duration.ofSeconds(1)).until(() -> c.secrets()
                    .inAnyNamespace().withLabel("secretsync.io/policy", "all").list().getItems().stream()
                    .allMatch(s -> Fixtures.decode(s.getData().get("value")).endsWith("2")));
            report(want + " replicas updated", p, peak, t0, cpu0);
            long idleStart = System.nanoTime();
            double idleCpu = cpu(p.pid());
            Awaitility.await().pollDelay(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(30)).until(() -> true);
            double seconds = (System.nanoTime() - idleStart) / 1e9;
            System.out.printf("idle %.0fs: rss=%dMi peak=%dMi idle cpu=%.0f millicores%n", seconds,
                    rss(p.pid()) / 1024, peak.get() / 1024, (cpu(p.pid()) - idleCpu) / seconds * 1000);
        } finally {
            sampler.shutdownNow();
            p.destroyForcibly().waitFor();
            c.close();
            server.destroy();
        }
        // the mock server's event loop threads would keep exec:java waiting
        System.exit(0);
    }

    private static void report(String what, Process p, AtomicLong peak, long t0, double cpu0) {
        System.out.printf("%s%s: rss=%dMi peak=%dMi cpu=%.1fs%n", what,
                t0 == 0 ? "" : String.format(" in %ds", (System.nanoTime() - t0) / 1_000_000_000L),
                rss(p.pid()) / 1024, peak.get() / 1024, cpu(p.pid()) - cpu0);
    }

    /** Resident set in KiB. */
    private static long rss(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            // process gone
        }
        return 0;
    }

    /** User + system CPU seconds (clock ticks of 1/100 s). */
    private static double cpu(long pid) {
        try {
            String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception e) {
            return -1;
        }
    }
}
