package io.secretsync.operator.tanzu;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.config.SecretSyncConfig;
import io.secretsync.operator.crd.v1alpha1.ImagePullSecretsSpec;
import io.secretsync.operator.crd.v1alpha1.ResourceKind;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicySpec;
import io.secretsync.operator.crd.v1alpha1.SourceSpec;
import io.secretsync.operator.crd.v1alpha1.TargetSpec;
import io.secretsync.operator.ha.LeadershipAcquired;

/**
 * The Tanzu Build Service "synced secrets" convention, served by an ordinary policy so that its
 * state shows in kubectl get secretsyncpolicies. The operator creates that policy when it is
 * missing and never rewrites it: an admin's edits stay. Deleting it turns the convention off;
 * the deletion is recorded on the source namespace so that a restart does not undo it.
 * <p>
 * Creating the policy is a write, so only the replica that may write does it: it acts when
 * leadership is announced ({@link LeadershipAcquired}), and never asks how leadership is decided.
 */
@ApplicationScoped
public class TanzuBuildServiceConvention {
    public static final String POLICY_NAME = "tanzu-build-service-sync";
    public static final String SYNC_LABEL = "com.vmware.tanzu.buildservice.sync";
    /** On the convention's namespace: "deleted" once an admin deleted the policy (name kept for compatibility). */
    public static final String DELETED_ANNOTATION = "secretsync.io/legacy-policy";
    public static final String DELETED = "deleted";
    public static final String CREATED_BY_ANNOTATION = "secretsync.io/created-by";
    public static final List<ResourceKind> BUILD_KINDS = List.of(
            new ResourceKind("kpack.io/v1alpha2", "Build"), new ResourceKind("kpack.io/v1alpha2", "Image"),
            new ResourceKind("kpack.io/v1alpha1", "Build"), new ResourceKind("kpack.io/v1alpha1", "Image"));
    private static final Logger LOG = Logger.getLogger(TanzuBuildServiceConvention.class);

    private final KubernetesClient client;
    private final TanzuBuildServiceSettings config;
    private final SecretSyncConfig operator;

    public TanzuBuildServiceConvention(KubernetesClient client, TanzuBuildServiceSettings config,
            SecretSyncConfig operator) {
        this.client = client;
        this.config = config;
        this.operator = operator;
    }

    /** This replica may write now: the only one, or the elected leader. */
    void onLeadership(@Observes LeadershipAcquired event) {
        ensurePolicy();
    }

    public static SecretSyncPolicySpec spec(String namespace) {
        SecretSyncPolicySpec spec = new SecretSyncPolicySpec();
        spec.setSource(new SourceSpec(namespace, null,
                new LabelSelectorBuilder().withMatchLabels(Map.of(SYNC_LABEL, "true")).build(),
                List.of("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson")));
        spec.setTarget(new TargetSpec(null, null, BUILD_KINDS, null));
        ImagePullSecretsSpec ips = new ImagePullSecretsSpec();
        ips.setWorkloadServiceAccounts(true);
        spec.setImagePullSecrets(ips);
        return spec;
    }

    /** Creates the policy when the convention is on, the policy is missing and no admin deleted it. */
    public void ensurePolicy() {
        if (!config.enabled()) {
            return;
        }
        if (operator.shardKey().isPresent()) {
            // the convention's policy carries no shard label: it belongs to the unsharded process
            return;
        }
        operator.allowedSourceNamespaces().filter(allowed -> !allowed.contains(config.namespace()))
                .ifPresent(allowed -> LOG.warnf("the Tanzu Build Service convention reads namespace %s, which"
                        + " secretsync.allowed-source-namespaces does not list: its policy %s reports InvalidSpec and"
                        + " copies nothing. Add %s to that setting, or set secretsync.legacy.enabled=false",
                        config.namespace(), POLICY_NAME, config.namespace()));
        try {
            if (client.resources(SecretSyncPolicy.class).withName(POLICY_NAME).get() != null) {
                return;
            }
            Namespace ns = client.namespaces().withName(config.namespace()).get();
            if (ns != null && ns.getMetadata().getAnnotations() != null
                    && DELETED.equals(ns.getMetadata().getAnnotations().get(DELETED_ANNOTATION))) {
                LOG.infof("SecretSyncPolicy %s was deleted by an admin (annotation %s on namespace %s); not creating"
                        + " it again. Remove that annotation and restart to bring it back.", POLICY_NAME,
                        DELETED_ANNOTATION, config.namespace());
                return;
            }
            SecretSyncPolicy policy = new SecretSyncPolicy();
            policy.getMetadata().setName(POLICY_NAME);
            policy.getMetadata().setAnnotations(Map.of(CREATED_BY_ANNOTATION, "secretsync-operator (Tanzu Build Service convention)"));
            policy.setSpec(spec(config.namespace()));
            client.resources(SecretSyncPolicy.class).resource(policy).create();
            LOG.infof("created SecretSyncPolicy %s for the Tanzu Build Service label %s=true in namespace %s"
                    + " (set secretsync.legacy.enabled=false to turn the convention off)", POLICY_NAME, SYNC_LABEL,
                    config.namespace());
        } catch (Exception e) {
            LOG.warnf("could not create SecretSyncPolicy %s for the Tanzu Build Service convention (%s): is the"
                    + " SecretSyncPolicy CRD installed? It is created again at the next start.", POLICY_NAME,
                    e.getClass().getSimpleName());
        }
    }

    /** Records that the admin deleted the convention's policy, so that it stays deleted. */
    public void onDeleted(SecretSyncPolicy policy) {
        if (!config.enabled() || !POLICY_NAME.equals(policy.getMetadata().getName())) {
            return;
        }
        try {
            client.namespaces().withName(config.namespace()).edit(ns -> {
                Map<String, String> annotations = ns.getMetadata().getAnnotations() == null ? new HashMap<>()
                        : new HashMap<>(ns.getMetadata().getAnnotations());
                annotations.put(DELETED_ANNOTATION, DELETED);
                ns.getMetadata().setAnnotations(annotations);
                return ns;
            });
            LOG.infof("SecretSyncPolicy %s deleted: the Tanzu Build Service convention is off (recorded as %s=%s on"
                    + " namespace %s)", POLICY_NAME, DELETED_ANNOTATION, DELETED, config.namespace());
        } catch (Exception e) {
            LOG.infof("SecretSyncPolicy %s deleted; namespace %s is not there to record it, so the policy is"
                    + " created again at the next start", POLICY_NAME, config.namespace());
        }
    }
}
