package io.secretsync.operator.bench;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.secretsync.operator.packaging.Manifests;

/**
 * The JVM flags the shipped Deployment gives the operator, with its memory limit turned into the
 * heap the container would get: -XX:MaxRAMPercentage=P of limit L becomes -Xmx(P% of L), since
 * outside a container the JVM would take P% of the whole machine.
 */
public record ImageJvm(List<String> args, long memoryLimitBytes, long heapBytes) {

    public static ImageJvm fromDeployment() {
        Deployment d = Manifests.single(Manifests.load(Manifests.kubernetesYml()), Deployment.class);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
        String opts = c.getEnv().stream().filter(e -> "JAVA_OPTS_APPEND".equals(e.getName())).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new IllegalStateException("no JAVA_OPTS_APPEND in the Deployment"));
        List<String> args = new ArrayList<>();
        long heap = 0;
        for (String a : opts.trim().split("\\s+")) {
            if (a.startsWith("-XX:MaxRAMPercentage=")) {
                double pct = Double.parseDouble(a.substring(a.indexOf('=') + 1));
                heap = (long) (limit * pct / 100);
                args.add("-Xmx" + heap / 1024 + "k");
            } else {
                args.add(a);
            }
        }
        if (heap == 0) {
            throw new IllegalStateException("JAVA_OPTS_APPEND sets no -XX:MaxRAMPercentage: " + opts);
        }
        return new ImageJvm(List.copyOf(args), limit, heap);
    }
}
