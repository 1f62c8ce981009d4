package io.secretsync.operator.ha;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.config.Shard;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Announces {@link LeadershipAcquired}: at start-up without leader election, on winning the Lease
 * with it; and decides what losing the Lease means.
 * <p>
 * The Operator SDK calls {@link #stopped()} both when the Lease is really lost and when it stops
 * the elector during a graceful stop (SIGTERM). Its own reaction, System.exit from the elector's
 * callback, cannot tell the two apart: during a stop it runs inside the JVM's shutdown hook, where
 * System.exit blocks forever on the shutdown lock, so every stop hung until SIGKILL. It is turned
 * off ({@code exitOnStopLeading=false}, see {@link LeaderElectionProducer}) and replaced here:
 * <ul>
 * <li>during a stop: release the Lease (the writes have been drained and the controllers stopped by
 * then), so that the stand-by takes over at its next retry instead of after lease-duration;</li>
 * <li>otherwise the Lease is lost for real: writes stop at once ({@link LeadershipLost}) and the
 * process exits with {@link #LEASE_LOST_EXIT_CODE} from a thread of its own (not the elector's,
 * which holds the elector's lock that the shutdown's stop of the elector needs).</li>
 * </ul>
 */
@ApplicationScoped
public class Leadership {
    /** Exit code of a process that lost its Lease while running (a stop on SIGTERM exits with 143). */
    public static final int LEASE_LOST_EXIT_CODE = 1;
    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final Event<LeadershipAcquired> announcement;
    private final Event<LeadershipLost> loss;
    private final LeaderElectionSettings settings;
    private final KubernetesClient client;
    private final String identity;
    /** The Lease this process competes for: each shard has its own. */
    private final String leaseName;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Process-wide: read by the stop deadline, which runs outside the application. */
    private static final AtomicBoolean LOST = new AtomicBoolean();

    public Leadership(Event<LeadershipAcquired> announcement, Event<LeadershipLost> loss,
            LeaderElectionSettings settings, KubernetesClient client, SecretSyncConfig config) {
        this.leaseName = Shard.leaseName(settings.leaseName(), config.shardKey());
        this.announcement = announcement;
        this.loss = loss;
        this.settings = settings;
        this.client = client;
        this.identity = settings.identity().filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")).filter(s -> !s.isBlank()))
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    void onStart(@Observes StartupEvent event) {
        if (!electionActive()) {
            announce();
        }
    }

    /**
     * The process stops. Runs before the Operator SDK's own shutdown observer (default priority),
     * which stops the controllers and then the elector, calling {@link #stopped()}.
     */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 5) ShutdownEvent event) {
        stopping.set(true);
    }

    /** The Lease's name: secretsync.leader-election.lease-name, with "-KEY" for a shard. */
    String leaseName() {
        return leaseName;
    }

    /** Who this replica is in the Lease: secretsync.leader-election.identity, else HOSTNAME (the pod name). */
    String identity() {
        return identity;
    }

    /** True once this replica lost its Lease while running; it is exiting with {@link #LEASE_LOST_EXIT_CODE}. */
    public static boolean lostLease() {
        return LOST.get();
    }

    /** Called by the Lease's callback when this replica becomes the leader. */
    void started() {
        if (isStopping()) {
            LOG.infof("won the Lease while stopping: nothing is written; the Lease is released as the stop ends");
            return;
        }
        announce();
    }

    /** Called by the Lease's callback when this replica stops leading, for whatever reason. */
    void stopped() {
        if (isStopping()) {
            release();
            return;
        }
        if (!LOST.compareAndSet(false, true)) {
            return;
        }
        LOG.errorf("lost the Lease %s/%s (not renewed within %s, or another replica holds it): this replica"
                + " stops writing and exits with code %d, to be restarted as a stand-by", leaseNamespace(),
                leaseName, settings.renewDeadline(), LEASE_LOST_EXIT_CODE);
        loss.fire(new LeadershipLost());
        // not System.exit here: this is the elector's thread, holding the elector's lock, and the
        // shutdown that System.exit starts stops the elector, which needs that lock
        Thread exit = new Thread(() -> System.exit(LEASE_LOST_EXIT_CODE), "lease-lost-exit");
        exit.setDaemon(true);
        exit.start();
    }

    void announce() {
        announcement.fire(new LeadershipAcquired());
    }

    private boolean isStopping() {
        return stopping.get() || shutdownInProgress();
    }

    /** True once the JVM runs its shutdown hooks (a hook can no longer be added then). */
    static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /**
     * Gives the Lease up: no holder, expired. Only when this replica holds it, and with its
     * resourceVersion, so that a Lease another replica took meanwhile is left alone. Bounded by
     * secretsync.leader-election.release-timeout: with the API server unreachable the Lease just
     * expires after lease-duration.
     */
    private void release() {
        Duration timeout = settings.releaseTimeout();
        long started = System.nanoTime();
        CompletableFuture<Boolean> released = CompletableFuture.supplyAsync(this::releaseNow, r -> {
            Thread t = new Thread(r, "lease-release");
            t.setDaemon(true);
            t.start();
        });
        try {
            if (released.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.infof("released the Lease %s/%s in %d ms: a stand-by takes over at its next retry",
                        leaseNamespace(), leaseName,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            } else {
                LOG.infof("the Lease %s/%s is not held by %s: nothing to release", leaseNamespace(),
                        leaseName, identity);
            }
        } catch (TimeoutException e) {
            LOG.warnf("could not release the Lease %s/%s within %s; it expires after %s", leaseNamespace(),
                    leaseName, timeout, settings.leaseDuration());
        } catch (ExecutionException e) {
            LOG.warnf("could not release the Lease %s/%s (%s); it expires after %s", leaseNamespace(),
                    leaseName, e.getCause().getMessage(), settings.leaseDuration());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean releaseNow() {
        String namespace = leaseNamespace();
        Lease lease = client.leases().inNamespace(namespace).withName(leaseName).get();
        if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
            return false;
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        lease.getSpec().setHolderIdentity(null);
        lease.getSpec().setLeaseDurationSeconds(1);
        lease.getSpec().setAcquireTime(now);
        lease.getSpec().setRenewTime(now);
        client.leases().inNamespace(namespace).resource(lease).update(); // 409 if someone else wrote it
        return true;
    }

    /** The Lease's namespace, as the Operator SDK resolves it: the setting, else the client's namespace. */
    String leaseNamespace() {
        return settings.leaseNamespace().orElseGet(() -> client.getConfiguration().getNamespace());
    }

    /** Leader election runs in the profiles the Quarkus Operator SDK activates it for (prod by default). */
    static boolean electionActive() {
        List<String> profiles = ConfigProvider.getConfig()
                .getOptionalValues("quarkus.operator-sdk.activate-leader-election-for-profiles", String.class)
                .orElse(List.of("prod"));
        return ConfigUtils.getProfiles().stream().anyMatch(profiles::contains);
    }
}
