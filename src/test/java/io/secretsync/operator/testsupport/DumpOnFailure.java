package io.secretsync.operator.testsupport;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.crd.v1alpha1.SecretSyncPolicy;

/**
 * When an operator test fails, print the policies' status, where the replicas are (names and
 * labels only, never data) and what the reconciler threads are doing, so a red CI run explains
 * itself.
 */
public class DumpOnFailure implements TestWatcher {
    private static final Logger LOG = Logger.getLogger(DumpOnFailure.class);

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        try {
            KubernetesClient c = io.quarkus.arc.Arc.container().instance(KubernetesClient.class).get();
            StringBuilder sb = new StringBuilder("state after failed test " + context.getDisplayName() + ":\n");
            c.resources(SecretSyncPolicy.class).list().getItems().forEach(p -> sb.append("  policy ")
                    .append(p.getMetadata().getName()).append(" status=")
                    .append(io.fabric8.kubernetes.client.utils.Serialization.asJson(p.getStatus())).append('\n'));
            c.secrets().inAnyNamespace().list().getItems().forEach(s -> sb.append("  secret ")
                    .append(s.getMetadata().getNamespace()).append('/').append(s.getMetadata().getName())
                    .append(" labels=").append(s.getMetadata().getLabels()).append('\n'));
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                if (thread.getName().startsWith("ReconcilerExecutor") || thread.getName().startsWith("replica-writer")) {
                    sb.append("  thread ").append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                    for (int i = 0; i < Math.min(stack.length, 25); i++) {
                        sb.append("      at ").append(stack[i]).append('\n');
                    }
                }
            });
            LOG.info(sb);
        } catch (Exception e) {
            LOG.infof("could not dump cluster state: %s", e.getClass().getSimpleName());
        }
    }
}
