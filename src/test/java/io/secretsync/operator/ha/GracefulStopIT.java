package io.secretsync.operator.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicyStatus;
import io.secretsync.operator.packaging.Manifests;
import io.secretsync.operator.sync.Conditions;
import io.secretsync.operator.sync.ReplicaMetadata;
import io.secretsync.operator.testsupport.ApiServerUnderTest;
import io.secretsync.operator.testsupport.ApiServerUnderTest.Request;
import io.secretsync.operator.testsupport.Fixtures;
import io.secretsync.operator.testsupport.MockApiServer;
import io.secretsync.operator.testsupport.Stops;
import io.secretsync.operator.testsupport.Stops.Stopped;

/**
 * SIGTERM, as the kubelet sends it on every rollout, ends the packaged operator within
 * {@link Stops#STOP_WITHIN} with exit code 143 in every state: leading, standing by, in the middle
 * of a rollout, with the API server gone, and without leader election. The leader releases its
 * Lease as it stops, so the stand-by takes over at once and finishes what was left, writing no
 * replica twice. A Lease really lost still ends the process, with exit code 1.
 * <p>
 * Each test takes an API server (see {@link ApiServerUnderTest}): today fabric8's mock server in
 * this JVM. Stop times (SIGTERM to the end of the process) and hand-over times (the leader's SIGTERM
 * to the stand-by holding the Lease, and to the stand-by having served a change made meanwhile)
 * are printed and appended to target/graceful-stop/timings.txt.
 */
class GracefulStopIT {
    static final String LEASE = "secretsync-operator-lease";
    static final String NS = ApiServerUnderTest.OPERATOR_NS;
    static final Duration STARTUP = Duration.ofSeconds(120);
    static final Duration CONVERGE = Duration.ofSeconds(120);
    static final Path DIR = Manifests.projectDir().resolve("target/graceful-stop");
    static final int ROLLOUT = 300;
    /** Lines a graceful stop never logs. */
    static final List<String> NEVER_ON_A_STOP = List.of("halting", "lost the Lease", "Stopped leading for identity");

    record Operator(String who, Process process, Path log, int port) {
        String logText() throws IOException {
            return Files.readString(log);
        }
    }

    final List<Operator> operators = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ApiServerUnderTest api;

    static Stream<Named<Supplier<ApiServerUnderTest>>> apiServers() {
        return Stream.of(Named.of("mock API server", MockApiServer::start));
    }

    @AfterEach
    void stopAll() throws Exception {
        String killed = Stops.cleanup(operators.stream().map(Operator::process).toList());
        if (api != null) {
            api.close();
        }
        assertThat(killed).as("operators that did not end on SIGTERM").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiServers")
    void sigtermToTheLeaderReleasesTheLeaseAndTheStandByTakesOverAtOnce(Supplier<ApiServerUnderTest> server)
            throws Exception {
        api = server.get();
        namespaces("lead-src", "lead-a", "lead-b");
        source("lead-src", "creds", "one");
        Operator a = start("operator-a", "prod");
        Operator b = start("operator-b", "prod");
        Operator leader = leaderOf(a, b);
        Operator standby = leader == a ? b : a;
        awaitReady(leader);
        awaitReady(standby);
        policy("lead-one", "lead-src", "creds", "lead-a");
        await().atMost(CONVERGE).until(() -> ready("lead-one") && replica("lead-a", "creds") != null);
        int transitions = lease().getSpec().getLeaseTransitions();

        long sigterm = System.nanoTime();
        Stopped stopped = Stops.sigterm(leader.process(), leader.who() + " (leading)");
        assertThat(stopped.exitCode()).as("exit code on SIGTERM while leading").isEqualTo(Stops.SIGTERM_EXIT_CODE);
        // a change made as soon as the leader is gone: the stand-by must serve it
        policy("lead-two", "lead-src", "creds", "lead-b");
        Duration leaseTaken = awaitHolder(standby.who(), sigterm);
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
                .until(() -> ready("lead-two") && replica("lead-b", "creds") != null);
        Duration converged = since(sigterm);

        assertThat(leader.logText()).contains("released the Lease").doesNotContain(NEVER_ON_A_STOP);
        assertThat(lease().getSpec().getLeaseTransitions()).as("lease transitions").isEqualTo(transitions + 1);
        // the Lease was released, not left to expire: the take-over is faster than lease-duration (10 s)
        assertThat(leaseTaken).as("SIGTERM to the stand-by holding the Lease").isLessThan(Duration.ofSeconds(10));
        requests().ifPresent(calls -> assertOneWriterAtATime(calls, leader.who(), standby.who()));
        report("leading", stopped);
        report("hand-over, SIGTERM -> stand-by holds the Lease", leaseTaken);
        report("hand-over, SIGTERM -> stand-by served a change made once the leader was gone (Ready)", converged);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiServers")
    void sigtermToTheStandByLeavesTheLeaderAlone(Supplier<ApiServerUnderTest> server) throws Exception {
        api = server.get();
        namespaces("sb-src", "sb-a");
        source("sb-src", "creds", "one");
        Operator a = start("operator-a", "prod");
        Operator b = start("operator-b", "prod");
        Operator leader = leaderOf(a, b);
        Operator standby = leader == a ? b : a;
        awaitReady(leader);
        awaitReady(standby);
        Lease before = lease();

        Stopped stopped = Stops.sigterm(standby.process(), standby.who() + " (standing by)");
        assertThat(stopped.exitCode()).as("exit code on SIGTERM while standing by")
                .isEqualTo(Stops.SIGTERM_EXIT_CODE);
        assertThat(standby.logText()).doesNotContain(NEVER_ON_A_STOP).doesNotContain("released the Lease");

        policy("sb-one", "sb-src", "creds", "sb-a");
        await().atMost(CONVERGE).until(() -> ready("sb-one") && replica("sb-a", "creds") != null);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leader.who());
        assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(before.getSpec().getLeaseTransitions());
        report("standing by", stopped);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiServers")
    void sigtermMidRolloutOf300ReplicasHandsOverWithNothingHalfWrittenOrWrittenTwice(
            Supplier<ApiServerUnderTest> server) throws Exception {
        api = server.get();
        List<String> targets = rolloutNamespaces("mr");
        source("mr-src", "reg", "v1");
        // 40 writes/s: the 300 creates take about 7.5 s, so the SIGTERM lands in the middle
        Operator a = start("operator-a", "prod", "-Dsecretsync.write-rate-limit=40");
        Operator b = start("operator-b", "prod", "-Dsecretsync.write-rate-limit=40");
        Operator leader = leaderOf(a, b);
        Operator standby = leader == a ? b : a;
        awaitReady(leader);
        awaitReady(standby);
        client().resources(SecretSyncPolicy.class).resource(Fixtures.policy("mr",
                Fixtures.spec("mr-src", List.of("reg"), null, null, Fixtures.selector("rollout=mr")))).create();
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).until(() -> replicas("mr").size() >= 30);

        long sigterm = System.nanoTime();
        Stopped stopped = Stops.sigterm(leader.process(), leader.who() + " (mid-rollout)");
        int atStop = replicas("mr").size();
        assertThat(stopped.exitCode()).as("exit code on SIGTERM mid-rollout").isEqualTo(Stops.SIGTERM_EXIT_CODE);
        assertThat(atStop).as("replicas when the leader had stopped (mid-rollout)").isLessThan(ROLLOUT);
        Duration leaseTaken = awaitHolder(standby.who(), sigterm);
        awaitConverged("mr", "mr-src", "reg", "v1", targets);
        Duration converged = since(sigterm);

        assertThat(leader.logText()).contains("released the Lease").doesNotContain(NEVER_ON_A_STOP);
        requests().ifPresent(calls -> assertWrittenOnceByOneWriterAtATime(calls, "mr", targets));
        report("mid-rollout of " + ROLLOUT + " replicas (" + atStop + " written at the stop)", stopped);
        report("hand-over mid-rollout, SIGTERM -> stand-by holds the Lease", leaseTaken);
        report("hand-over mid-rollout, SIGTERM -> all " + ROLLOUT + " replicas in sync, Ready", converged);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiServers")
    void sigtermWhileTheApiServerIsDownEndsTheLeaderAndTheStandBy(Supplier<ApiServerUnderTest> server)
            throws Exception {
        api = server.get();
        // a long renew deadline: the API server stays down longer than the default one without the
        // leader giving up its Lease, so that it is SIGTERM that ends it
        String[] patientLease = { "-Dsecretsync.leader-election.lease-duration=120s",
                "-Dsecretsync.leader-election.renew-deadline=100s" };
        Operator a = start("operator-a", "prod", patientLease);
        Operator b = start("operator-b", "prod", patientLease);
        Operator leader = leaderOf(a, b);
        Operator standby = leader == a ? b : a;
        awaitReady(leader);
        awaitReady(standby);

        api.goDown();
        // readiness stays UP (the informers keep reconnecting): the log is where it shows
        await("both notice the API server is gone (their logs)").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> noticedOutage(leader) && noticedOutage(standby));
        Stopped leaderStopped = Stops.sigterm(leader.process(), leader.who() + " (leading, API server down)");
        Stopped standbyStopped = Stops.sigterm(standby.process(), standby.who() + " (standing by, API server down)");
        assertThat(leaderStopped.exitCode()).isEqualTo(Stops.SIGTERM_EXIT_CODE);
        assertThat(standbyStopped.exitCode()).isEqualTo(Stops.SIGTERM_EXIT_CODE);
        assertThat(leader.logText()).contains("could not release the Lease").doesNotContain(NEVER_ON_A_STOP);
        assertThat(standby.logText()).doesNotContain(NEVER_ON_A_STOP);
        report("leading, API server down", leaderStopped);
        report("standing by, API server down", standbyStopped);
    }

    /**
     * Quarkus handles a SIGTERM that arrives during start-up only once the start-up is over, and with
     * the API server refusing connections the start-up waits on the API client's retries (about 20 s
     * measured): the stop deadline (secretsync.shutdown.timeout) ends it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("apiServers")
    void sigtermWhileStartingWithTheApiServerDownEndsItWithinTheDeadline(Supplier<ApiServerUnderTest> server)
            throws Exception {
        api = server.get();
        api.goDown();
        Operator a = start("operator-a", "prod");
        await("operator-a starting the operator (its log)").atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                .until(() -> a.logText().contains("Starting operator"));
        Stopped stopped = Stops.sigterm(a.process(), "operator-a (starting, API server down)");
        assertThat(stopped.exitCode()).as("exit code on SIGTERM while starting").isEqualTo(Stops.SIGTERM_EXIT_CODE);
        report("starting, API server down", stopped);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiServers")
    void aLeaseLostWhileRunningStillEndsTheProcessWithCode1(Supplier<ApiServerUnderTest> server) throws Exception {
        api = server.get();
        namespaces("ll-src", "ll-a");
        source("ll-src", "creds", "one");
        Operator a = start("operator-a", "prod");
        assertThat(leaderOf(a)).isSameAs(a);
        policy("ll-one", "ll-src", "creds", "ll-a");
        await().atMost(CONVERGE).until(() -> ready("ll-one"));

        // another replica takes the Lease (what a replica does once the Lease expired)
        // (the leader renews every second: an edit crossing a renewal gets 409 and is made again)
        long taken = await("the Lease taken by another replica").atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
                    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                    client().leases().inNamespace(NS).withName(LEASE).edit(l -> {
                        l.getSpec().setHolderIdentity("operator-intruder");
                        l.getSpec().setAcquireTime(now);
                        l.getSpec().setRenewTime(now);
                        l.getSpec().setLeaseDurationSeconds(60);
                        return l;
                    });
                    return System.nanoTime();
                }, t -> true);
        Stopped ended = Stops.awaitEnd(a.process(), "operator-a after losing its Lease", taken);
        assertThat(ended.exitCode()).as("exit code after losing the Lease").isEqualTo(Leadership.LEASE_LOST_EXIT_CODE);
        assertThat(a.logText()).contains("lost the Lease").doesNotContain("halting")
                .doesNotContain("released the Lease");
        assertThat(lease().getSpec().getHolderIdentity()).as("the Lease is left to its new holder")
                .isEqualTo("operator-intruder");
        line(String.format("Lease lost while running: Lease taken by another -> exit %d ms, exit code %d",
                ended.millis(), ended.exitCode()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiServers")
    void withoutLeaderElectionSigtermMidRolloutEndsItAndTheNextProcessFinishes(Supplier<ApiServerUnderTest> server)
            throws Exception {
        api = server.get();
        List<String> targets = rolloutNamespaces("sa");
        source("sa-src", "reg", "v1");
        Operator first = start("operator-a", "standalone", "-Dsecretsync.write-rate-limit=40");
        client().resources(SecretSyncPolicy.class).resource(Fixtures.policy("sa",
                Fixtures.spec("sa-src", List.of("reg"), null, null, Fixtures.selector("rollout=sa")))).create();
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(50)).until(() -> replicas("sa").size() >= 30);
        Stopped stopped = Stops.sigterm(first.process(), "operator-a (standalone, mid-rollout)");
        int atStop = replicas("sa").size();
        assertThat(stopped.exitCode()).isEqualTo(Stops.SIGTERM_EXIT_CODE);
        assertThat(atStop).isLessThan(ROLLOUT);
        assertThat(first.logText()).doesNotContain(NEVER_ON_A_STOP);

        start("operator-b", "standalone");
        awaitConverged("sa", "sa-src", "reg", "v1", targets);
        requests().ifPresent(calls -> assertWrittenOnceByOneWriterAtATime(calls, "sa", targets));
        report("no leader election, mid-rollout of " + ROLLOUT + " (" + atStop + " written at the stop)", stopped);
    }

    // ---------------------------------------------------------------------------------------------

    private Operator start(String who, String profile, String... extra) throws IOException {
        Files.createDirectories(DIR);
        int port = freePort();
        Path log = DIR.resolve(who + "-" + System.nanoTime() + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m",
                "-Dquarkus.profile=" + profile,
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.operator-sdk.crd.apply=false",
                "-Dsecretsync.legacy.enabled=false",
                "-Dsecretsync.leader-election.identity=" + who,
                "-Dsecretsync.leader-election.lease-namespace=" + NS,
                "-Dsecretsync.leader-election.lease-duration=10s",
                "-Dsecretsync.leader-election.renew-deadline=8s",
                "-Dsecretsync.leader-election.retry-period=1s"));
        cmd.addAll(api.operatorOptions(who));
        cmd.addAll(List.of(extra)); // later options win
        cmd.addAll(List.of("-jar", Manifests.projectDir().resolve("target/quarkus-app/quarkus-run.jar").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Operator operator = new Operator(who, p, log, port);
        operators.add(operator);
        return operator;
    }

    /** The operator's log shows a failed connection to the API server. */
    private static boolean noticedOutage(Operator o) throws IOException {
        String log = o.logText();
        return Stream.of("Connection refused", "ConnectException", "Connection was closed", "Watch error")
                .anyMatch(log::contains);
    }

    private KubernetesClient client() {
        return api.client();
    }

    private void namespaces(String... names) {
        for (String ns : names) {
            client().namespaces().resource(Fixtures.namespace(ns)).create();
        }
    }

    private List<String> rolloutNamespaces(String prefix) throws Exception {
        namespaces(prefix + "-src");
        List<String> targets = IntStream.range(0, ROLLOUT).mapToObj(i -> String.format("%s-%04d", prefix, i)).toList();
        ExecutorService setup = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = targets.stream().map(ns -> setup.submit(() -> client().namespaces()
                    .resource(Fixtures.namespace(ns, "rollout=" + prefix)).create())).collect(Collectors.toList());
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            setup.shutdown();
        }
        return targets;
    }

    private void source(String ns, String name, String value) {
        Secret s = Fixtures.opaque(ns, name, value);
        s.getMetadata().setUid(null);
        client().secrets().inNamespace(ns).resource(s).create();
    }

    private void policy(String name, String sourceNs, String secret, String target) {
        client().resources(SecretSyncPolicy.class).resource(Fixtures.policy(name,
                Fixtures.spec(sourceNs, List.of(secret), null, List.of(target), null))).create();
    }

    private Secret replica(String ns, String name) {
        return client().secrets().inNamespace(ns).withName(name).get();
    }

    private List<Secret> replicas(String policy) {
        return client().secrets().inAnyNamespace().withLabel(ReplicaMetadata.POLICY_LABEL, policy).list().getItems();
    }

    private boolean ready(String policy) {
        SecretSyncPolicy p = client().resources(SecretSyncPolicy.class).withName(policy).get();
        return p != null && p.getStatus() != null && Conditions.find(p.getStatus().getConditions(), Conditions.READY)
                .map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
    }

    private Lease lease() {
        return client().leases().inNamespace(NS).withName(LEASE).get();
    }

    private String holder() {
        Lease l = lease();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    private Operator leaderOf(Operator... candidates) {
        Map<String, Operator> byName = Stream.of(candidates).collect(Collectors.toMap(Operator::who, o -> o));
        String holder = await("a leader among " + byName.keySet()).atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (Operator o : candidates) {
                        assertThat(o.process().isAlive()).as("%s alive; see %s", o.who(), o.log()).isTrue();
                    }
                    return holder();
                }, h -> h != null && byName.containsKey(h));
        return byName.get(holder);
    }

    private Duration awaitHolder(String who, long since) {
        await(who + " holds the Lease").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> who.equals(holder()));
        return since(since);
    }

    private void awaitReady(Operator o) {
        await(o.who() + " ready; see " + o.log()).atMost(STARTUP).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(o.process().isAlive()).as("%s alive; see %s", o.who(), o.log()).isTrue();
            return readiness(o) == 200;
        });
    }

    private int readiness(Operator o) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + o.port() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every target has exactly one replica, with the source's data, and the policy says Synced for all of them. */
    private void awaitConverged(String policy, String sourceNs, String secret, String value, List<String> targets) {
        await(policy + " converged").atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<Secret> replicas = replicas(policy);
            assertThat(replicas).extracting(s -> s.getMetadata().getNamespace()).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(targets);
            Secret source = client().secrets().inNamespace(sourceNs).withName(secret).get();
            assertThat(replicas).allSatisfy(r -> {
                assertThat(r.getData()).as("data of %s", r.getMetadata().getNamespace()).isEqualTo(source.getData());
                assertThat(r.getMetadata().getAnnotations()).containsKey(ReplicaMetadata.CONTENT_HASH_ANNOTATION);
            });
            assertThat(Fixtures.decode(replicas.get(0).getData().get("value"))).isEqualTo(value);
            SecretSyncPolicyStatus status = client().resources(SecretSyncPolicy.class).withName(policy).get()
                    .getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getSyncedReplicas()).isEqualTo(targets.size());
            assertThat(status.getFailedReplicas()).isZero();
            assertThat(ready(policy)).isTrue();
        });
    }

    /**
     * Each replica was created by exactly one request and never written again (the source did not
     * change), and the two processes never wrote at the same time: every write of the one that
     * stopped came before the first write of the next.
     */
    private static void assertWrittenOnceByOneWriterAtATime(List<Request> calls, String prefix, List<String> targets) {
        List<Request> replicaWrites = calls.stream().filter(c -> c.who().startsWith("operator-"))
                .filter(Request::isWrite)
                .filter(c -> c.path().matches("/api/v1/namespaces/" + prefix + "-\\d{4}/secrets.*")).toList();
        Map<String, Long> perNamespace = replicaWrites.stream().collect(Collectors.groupingBy(
                c -> c.path().split("/")[4], Collectors.counting()));
        assertThat(perNamespace.keySet()).as("namespaces written").containsExactlyInAnyOrderElementsOf(targets);
        assertThat(perNamespace.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList())
                .as("replicas written more than once").isEmpty();
        assertThat(replicaWrites).allSatisfy(c -> {
            assertThat(c.method()).isEqualTo("POST");
            assertThat(c.status()).isEqualTo(201);
        });
        List<String> writers = replicaWrites.stream().map(Request::who).distinct().toList();
        if (writers.size() == 2) {
            long lastOfFirst = replicaWrites.stream().filter(c -> c.who().equals(writers.get(0)))
                    .mapToLong(Request::atNanos).max().orElseThrow();
            long firstOfSecond = replicaWrites.stream().filter(c -> c.who().equals(writers.get(1)))
                    .mapToLong(Request::atNanos).min().orElseThrow();
            assertThat(lastOfFirst).as("the stopped process's last write precedes the next one's first")
                    .isLessThan(firstOfSecond);
        }
    }

    /**
     * Never two writers at once: every write of the leader that stopped (the Lease and the SDK's
     * permission check aside) comes before the first write of the stand-by, and the stand-by did
     * write (the change made after the stop).
     */
    private static void assertOneWriterAtATime(List<Request> calls, String leader, String standby) {
        List<Request> byLeader = writesAfter(calls, Long.MIN_VALUE).stream().filter(c -> c.who().equals(leader))
                .toList();
        List<Request> byStandby = writesAfter(calls, Long.MIN_VALUE).stream().filter(c -> c.who().equals(standby))
                .toList();
        assertThat(byStandby).as("the stand-by's writes after the take-over").isNotEmpty();
        if (!byLeader.isEmpty()) {
            assertThat(byLeader.get(byLeader.size() - 1).atNanos()).as("the leader's last write precedes the"
                    + " stand-by's first; leader: %s, stand-by: %s", byLeader, byStandby)
                    .isLessThan(byStandby.get(0).atNanos());
        }
    }

    /** Writes by the operators (the Lease and the SDK's permission check aside) after the instant. */
    private static List<Request> writesAfter(List<Request> calls, long since) {
        return calls.stream().filter(c -> c.atNanos() > since).filter(c -> c.who().startsWith("operator-"))
                .filter(Request::isWrite)
                .filter(c -> !c.path().contains("/leases") && !c.path().contains("/selfsubjectrulesreviews"))
                .toList();
    }

    private Optional<List<Request>> requests() {
        return api.requests();
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static void report(String what, Stopped stopped) throws IOException {
        line(String.format("stop time, %s: SIGTERM -> exit %d ms, exit code %d", what, stopped.millis(),
                stopped.exitCode()));
    }

    private static void report(String what, Duration d) throws IOException {
        line(String.format("%s: %d ms", what, d.toMillis()));
    }

    private static void line(String text) throws IOException {
        System.out.println("[graceful-stop] " + text);
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve("timings.txt"), text + System.lineSeparator(), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

}
