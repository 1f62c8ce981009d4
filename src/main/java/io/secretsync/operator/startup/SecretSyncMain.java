package io.secretsync.operator.startup;

import java.util.Arrays;
import java.util.Optional;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.secretsync.operator.demo.DemoMode;

/**
 * The operator's entry point. With a cluster configured (kubeconfig, in-cluster, or an explicit
 * API server URL) it runs the operator against that cluster and seeds nothing. Without one, or
 * with {@code --demo}, it hands over to {@link DemoMode}, which runs the operator on an embedded
 * demo API server. {@code --help} prints {@link Usage} and starts nothing.
 */
@QuarkusMain
public class SecretSyncMain {
    static final String DEMO_FLAG = "--demo";

    public static void main(String... args) {
        if (Usage.requested(args)) {
            System.out.print(Usage.text());
            System.out.flush();
            return;
        }
        StopDeadline.install(); // before anything can hang a stop, start-up included
        boolean forceDemo = Arrays.asList(args).contains(DEMO_FLAG);
        Optional<String> cluster = ClusterDetection.configuredCluster(System.getenv(), System.getProperties());
        if (cluster.isPresent() && !forceDemo) {
            System.out.println("secretsync-operator: using the cluster configured by " + cluster.get());
            Quarkus.run(args);
            return;
        }
        DemoMode.start(args);
    }
}
