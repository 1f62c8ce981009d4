package io.secretsync.operator.reconciler;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.secretsync.operator.sync.ObservedSecret;
import io.secretsync.operator.sync.PullSecretPlanner;
import io.secretsync.operator.sync.ReplicaKey;
import io.secretsync.operator.sync.ReplicaMetadata;

/**
 * What policies read of one remote cluster: our replicas there (label-filtered, kept as metadata
 * and digest like the local ones, never their data) and its Namespaces (name, labels, phase).
 * The informers start when a policy first uses the cluster and stop when none does; while the
 * cluster is away they retry on their own, and nothing is planned from them until they watch again.
 * <p>
 * Its ServiceAccounts are watched only while some policy using the cluster has imagePullSecrets,
 * or while this operator's references are left there to remove; kept as the local ones are
 * ({@link ServiceAccountStore}: only those of wanted names or carrying our annotation, and of
 * each only its resourceVersion, imagePullSecrets names and our annotation).
 */
final class RemoteClusterCaches implements OwnWrites {
    private static final Logger LOG = Logger.getLogger(RemoteClusterCaches.class);

    /** What a change in the cluster wakes: a replica's policy (by name), or every policy using the cluster (null). */
    interface Wake extends Consumer<String> {
    }

    private final String cluster;
    private final KubernetesClient client;
    private final SlimStore<Secret> replicaStore = new SlimStore<>(ObservedSecret::of);
    private final SlimStore<Namespace> namespaceStore = new SlimStore<>(PolicyCaches::slimNamespace);
    private final SharedIndexInformer<Secret> replicas;
    private final SharedIndexInformer<Namespace> namespaces;
    private final UnmanagedSecrets unmanaged;
    private final Wake wake;
    /**
     * Checks, once a second, whether watches found not running run again, then wakes the policies
     * using the cluster. A watch that resumes after the cluster was away brings no event when
     * nothing changed meanwhile, and the probe's Connected may come before the watch resumes: a
     * policy that found the watch down (a release waiting for the cluster, say) would otherwise
     * wait for its backoff, up to a minute.
     */
    private static final ScheduledExecutorService CATCH_UP = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "remote-watch-catch-up");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> catchingUp;
    private volatile boolean stopped;
    /** A new one for each start of the informer, so that nothing of a stopped watch lingers. */
    private volatile ServiceAccountStore serviceAccountStore = new ServiceAccountStore();
    /** Null until some policy needs the cluster's ServiceAccounts. */
    private SharedIndexInformer<ServiceAccount> serviceAccounts;

    RemoteClusterCaches(String cluster, KubernetesClient client, Wake wake) {
        this.cluster = cluster;
        this.client = client;
        this.wake = wake;
        this.unmanaged = new UnmanagedSecrets(client);
        replicas = client.secrets().inAnyNamespace()
                .withLabel(ReplicaMetadata.MANAGED_BY_LABEL, ReplicaMetadata.MANAGED_BY_VALUE)
                .withLimit(ListPages.SIZE).runnableInformer(0);
        replicas.itemStore(replicaStore);
        replicas.addEventHandler(new Handler<>(s -> wake.accept(ReplicaMetadata.owningPolicy(s))));
        namespaces = client.namespaces().withLimit(ListPages.SIZE).runnableInformer(0);
        namespaces.itemStore(namespaceStore);
        namespaces.addEventHandler(new Handler<>(ns -> wake.accept(null)));
    }

    /** Starts listing and watching; does not wait (a cluster that is away must not hold a reconcile). */
    void start() {
        LOG.debugf("watching our replicas and the namespaces of cluster %s", cluster);
        replicas.start();
        namespaces.start();
    }

    synchronized void stop() {
        LOG.debugf("no policy writes into cluster %s any more; its informers stop", cluster);
        stopped = true;
        if (catchingUp != null) {
            catchingUp.cancel(false);
            catchingUp = null;
        }
        replicas.stop();
        namespaces.stop();
        stopServiceAccounts();
    }

    /**
     * Keeps the ServiceAccounts of these names (and those carrying our annotation) from now on,
     * starting the informer on first use. A name new to a running informer is listed once (as
     * locally); before the first list, the list brings them.
     */
    synchronized void wantServiceAccounts(Set<String> names) {
        if (serviceAccounts == null) {
            serviceAccountStore = new ServiceAccountStore();
            serviceAccountStore.want(names, n -> List.of());
            LOG.debugf("watching the ServiceAccounts of cluster %s (imagePullSecrets)", cluster);
            serviceAccounts = client.serviceAccounts().inAnyNamespace().withLimit(ListPages.SIZE).runnableInformer(0);
            serviceAccounts.itemStore(serviceAccountStore);
            serviceAccounts.addIndexers(Map.of(PolicyCaches.BY_POLICY,
                    sa -> List.copyOf(PullSecretPlanner.policiesReferencedBy(sa))));
            // a ServiceAccount we keep appeared or changed: the policies using the cluster look at it
            ServiceAccountStore store = serviceAccountStore;
            serviceAccounts.addEventHandler(new Handler<>(sa -> {
                if (store.get(store.getKey(sa)) != null) {
                    wake.accept(null);
                }
            }));
            serviceAccounts.start();
        } else {
            serviceAccountStore.want(names, this::serviceAccountsNamed);
        }
    }

    /** Like wantServiceAccounts, but only adds names (a policy needs them now); the next retain drops the stale. */
    synchronized void includeServiceAccounts(Set<String> names) {
        if (serviceAccounts == null) {
            wantServiceAccounts(names);
        } else {
            serviceAccountStore.include(names, this::serviceAccountsNamed);
        }
    }

    synchronized void stopServiceAccounts() {
        if (serviceAccounts != null) {
            LOG.debugf("no policy needs the ServiceAccounts of cluster %s any more; that informer stops", cluster);
            serviceAccounts.stop();
            serviceAccounts = null;
            serviceAccountStore = new ServiceAccountStore();
        }
    }

    /** True while the ServiceAccount informer runs (some policy needed it, or our references are left). */
    synchronized boolean watchesServiceAccounts() {
        return serviceAccounts != null;
    }

    /** True when the ServiceAccounts watched hold an entry of this origin's policies (to be removed). */
    boolean holdsReferencesOf(String origin) {
        String suffix = PullSecretPlanner.owner("", origin);
        return serviceAccountStore.values().flatMap(sa -> PullSecretPlanner.policiesReferencedBy(sa).stream())
                .anyMatch(o -> o.endsWith(suffix));
    }

    /** ServiceAccounts a policy may need to change there: those it wants, and those carrying owner's entries. */
    synchronized List<ServiceAccount> serviceAccountsFor(String owner, Map<String, Set<String>> wanted) {
        Map<String, ServiceAccount> found = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        wanted.values().forEach(names::addAll);
        includeServiceAccounts(names);
        wanted.forEach((ns, n) -> n.forEach(name -> {
            ServiceAccount sa = serviceAccountStore.get(ns + "/" + name);
            if (sa != null) {
                found.put(ns + "/" + name, sa);
            }
        }));
        serviceAccounts.getIndexer().byIndex(PolicyCaches.BY_POLICY, owner)
                .forEach(sa -> found.put(serviceAccountStore.getKey(sa), sa));
        return List.copyOf(found.values());
    }

    private List<ServiceAccount> serviceAccountsNamed(String name) {
        return client.serviceAccounts().inAnyNamespace().withField("metadata.name", name).list().getItems();
    }

    ServiceAccountWriter.Target serviceAccountTarget(String origin) {
        return new ServiceAccountWriter.Target(cluster, client, origin);
    }

    KubernetesClient client() {
        return client;
    }

    /** True when both caches have listed the cluster and watch it now: only then is a plan from them right. */
    boolean current() {
        return replicas.hasSynced() && namespaces.hasSynced() && replicas.isWatching() && namespaces.isWatching();
    }

    /**
     * current(), and the ServiceAccounts too when they are needed. When not, the policies using
     * the cluster are woken as soon as it is.
     */
    boolean current(boolean withServiceAccounts) {
        boolean current = current() && (!withServiceAccounts || serviceAccountsCurrent());
        if (!current) {
            wakeWhenCurrent(withServiceAccounts);
        }
        return current;
    }

    private synchronized void wakeWhenCurrent(boolean withServiceAccounts) {
        if (stopped || catchingUp != null) {
            return;
        }
        catchingUp = CATCH_UP.scheduleWithFixedDelay(() -> {
            boolean ready = current() && (!withServiceAccounts || serviceAccountsCurrent());
            synchronized (this) {
                if (stopped || !ready || catchingUp == null) {
                    return;
                }
                catchingUp.cancel(false);
                catchingUp = null;
            }
            LOG.debugf("the watches of cluster %s run again; waking the policies that use it", cluster);
            wake.accept(null);
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** True when the ServiceAccount informer runs, has listed the cluster and watches it. */
    synchronized boolean serviceAccountsCurrent() {
        return serviceAccounts != null && serviceAccounts.hasSynced() && serviceAccounts.isWatching();
    }

    List<Namespace> namespaces() {
        return namespaceStore.values().toList();
    }

    /** Managed replicas of this policy (any origin: the planner tells ours), plus any managed replica where one of names may go. */
    List<Secret> replicasFor(String policy, Set<String> names) {
        return replicaStore.values().filter(s -> names.contains(s.getMetadata().getName())
                || policy.equals(ReplicaMetadata.owningPolicy(s))).toList();
    }

    Map<ReplicaKey, Secret> unmanaged(Set<String> names) {
        return unmanaged.lookup(names);
    }

    ReplicaWriter.Target target() {
        return new ReplicaWriter.Target(cluster, client, this, unmanaged);
    }

    /**
     * The next reconcile sees our write before its watch event arrives. The event, when it comes,
     * replaces this entry with the same or a newer version; an entry is only put where the cache
     * holds nothing or an older version.
     */
    @Override
    public void written(Secret result, boolean created) {
        String key = replicaStore.getKey(result);
        Secret cached = replicaStore.get(key);
        if (cached == null || olderThan(cached, result)) {
            replicaStore.put(key, result);
        }
    }

    private static boolean olderThan(HasMetadata cached, HasMetadata written) {
        try {
            return Long.parseLong(cached.getMetadata().getResourceVersion())
                    < Long.parseLong(written.getMetadata().getResourceVersion());
        } catch (NumberFormatException e) {
            return false; // opaque versions: leave it to the watch
        }
    }

    private static final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {
        private final Consumer<T> wake;

        Handler(Consumer<T> wake) {
            this.wake = wake;
        }

        @Override
        public void onAdd(T obj) {
            wake.accept(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
                wake.accept(newObj);
            }
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            wake.accept(obj);
        }
    }
}
