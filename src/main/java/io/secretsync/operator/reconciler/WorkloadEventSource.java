package io.secretsync.operator.reconciler;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;

/**
 * Objects of the kinds named in spec.target.namespacesWith (kpack Builds and Images, typically),
 * watched dynamically without a compile-time model. Only namespace, name and
 * spec.serviceAccountName are kept in memory. A kind that is not installed is remembered as
 * missing and looked up again at most once per secretsync.missing-kind-recheck-interval, so
 * installing its CRD needs no restart. Not on every reconcile: a lookup of a missing kind is a
 * discovery request and a list of every CRD of the cluster (hundreds on real clusters), and every
 * namespace event reconciles every policy; with the Tanzu convention on (the default) and kpack not
 * installed, that was four discovery requests and four full CRD lists per namespace event.
 */
public class WorkloadEventSource extends AbstractEventSource<GenericKubernetesResource, SecretSyncPolicy> {
    private static final Logger LOG = Logger.getLogger(WorkloadEventSource.class);
    static final String SERVICE_ACCOUNT_PATH = "spec.serviceAccountName";

    private final KubernetesClient client;
    private final EventSourceContext<SecretSyncPolicy> context;
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
    /** Kinds found missing, and when (System.nanoTime()): not asked again before the recheck interval. */
    private final Map<String, Long> missingSince = new HashMap<>();
    private final long recheckNanos;

    public WorkloadEventSource(EventSourceContext<SecretSyncPolicy> context, Duration missingKindRecheck) {
        super(GenericKubernetesResource.class, "workloads");
        this.client = context.getClient();
        this.context = context;
        this.recheckNanos = missingKindRecheck.toNanos();
    }

    /** Starts informers for kinds not watched yet; returns the kinds that are not installed. */
    public synchronized Set<String> watch(List<ResourceKind> kinds) {
        Set<String> missing = new HashSet<>();
        for (ResourceKind kind : kinds) {
            String key = kind.key();
            if (informers.containsKey(key)) {
                continue;
            }
            Long since = missingSince.get(key);
            // a reconcile that gets it as missing reschedules itself for when it may be asked again
            if (since != null && System.nanoTime() - since < recheckNanos) {
                missing.add(key);
                continue;
            }
            Optional<ResourceDefinitionContext> definition = resolve(kind);
            if (definition.isEmpty()) {
                missingSince.put(key, System.nanoTime());
                missing.add(key);
                continue;
            }
            missingSince.remove(key);
            LOG.infof("watching %s to find namespaces with them", key);
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(definition.get())
                    .inAnyNamespace().withLimit(ListPages.SIZE).runnableInformer(0);
            informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE,
                    GenericKubernetesResource.class, client.getKubernetesSerialization(), SERVICE_ACCOUNT_PATH));
            informer.addEventHandler(new Handler(key));
            informer.run();
            informers.put(key, informer);
        }
        return missing;
    }

    /**
     * How long until the first of these missing kinds may be looked up again (at least 1 ms): a
     * policy that reports them missing looks again then, not a full interval after its last
     * reconcile, so a CRD installed later is found within one interval however often it is woken.
     */
    public synchronized long millisUntilRecheck(Set<String> missingKeys) {
        long now = System.nanoTime();
        long next = missingKeys.stream().map(missingSince::get).filter(java.util.Objects::nonNull)
                .mapToLong(since -> since + recheckNanos - now).min().orElse(recheckNanos);
        return Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(next));
    }

    /** Stops informers of kinds no policy names any more. */
    public synchronized void retain(Set<String> keys) {
        informers.keySet().removeIf(key -> {
            if (keys.contains(key)) {
                return false;
            }
            informers.get(key).stop();
            return true;
        });
    }

    /** Namespace -> ServiceAccounts the objects of these kinds run as (default "default"). */
    public Map<String, Set<String>> serviceAccountsByNamespace(List<ResourceKind> kinds) {
        Map<String, Set<String>> result = new HashMap<>();
        for (ResourceKind kind : kinds) {
            SharedIndexInformer<GenericKubernetesResource> informer = informers.get(kind.key());
            if (informer == null) {
                continue;
            }
            for (GenericKubernetesResource r : informer.getStore().list()) {
                result.computeIfAbsent(r.getMetadata().getNamespace(), ns -> new HashSet<>()).add(serviceAccountOf(r));
            }
        }
        return result;
    }

    static String serviceAccountOf(GenericKubernetesResource r) {
        Object sa = r.get("spec", "serviceAccountName");
        return sa instanceof String s && !s.isBlank() ? s : "default";
    }

    @Override
    public Set<GenericKubernetesResource> getSecondaryResources(SecretSyncPolicy primary) {
        return Set.of();
    }

    @Override
    public synchronized void stop() {
        informers.values().forEach(SharedIndexInformer::stop);
        informers.clear();
        super.stop();
    }

    /**
     * Discovery first (every real API server lists CRD kinds there); then the CRDs themselves,
     * for servers whose discovery does not list custom resources.
     */
    private Optional<ResourceDefinitionContext> resolve(ResourceKind kind) {
        String apiVersion = kind.getApiVersion();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        try {
            APIResourceList resources = client.getApiResources(apiVersion);
            if (resources != null && resources.getResources() != null) {
                for (APIResource r : resources.getResources()) {
                    if (kind.getKind().equals(r.getKind()) && !r.getName().contains("/")) {
                        return Optional.of(context(group, version, kind.getKind(), r.getName(),
                                Boolean.TRUE.equals(r.getNamespaced())));
                    }
                }
            }
        } catch (Exception e) {
            LOG.debugf("discovery of %s failed: %s", apiVersion, ApiErrors.describe("discovery", e));
        }
        if (group.isEmpty()) {
            return Optional.empty();
        }
        try {
            return client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                    .filter(crd -> group.equals(crd.getSpec().getGroup())
                            && kind.getKind().equals(crd.getSpec().getNames().getKind())
                            && crd.getSpec().getVersions().stream()
                                    .anyMatch(v -> version.equals(v.getName()) && Boolean.TRUE.equals(v.getServed())))
                    .findFirst()
                    .map(crd -> context(group, version, kind.getKind(), crd.getSpec().getNames().getPlural(),
                            "Namespaced".equals(crd.getSpec().getScope())));
        } catch (Exception e) {
            LOG.debugf("looking up the CRD of %s failed: %s", kind, ApiErrors.describe("list CRDs", e));
            return Optional.empty();
        }
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural,
            boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    private void propagate(String key, HasMetadata workload) {
        if (getEventHandler() == null) {
            return;
        }
        context.getPrimaryCache().list(p -> p.getSpec() != null && p.getSpec().getTarget() != null
                && p.getSpec().getTarget().getNamespacesWith() != null
                && p.getSpec().getTarget().getNamespacesWith().stream().anyMatch(k -> key.equals(k.key())))
                .forEach(p -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(p))));
    }

    private class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        private final String key;

        Handler(String key) {
            this.key = key;
        }

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            propagate(key, obj);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            // only the service account matters; builds update their status all the time
            if (!serviceAccountOf(oldObj).equals(serviceAccountOf(newObj))) {
                propagate(key, newObj);
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            propagate(key, obj);
        }
    }
}
