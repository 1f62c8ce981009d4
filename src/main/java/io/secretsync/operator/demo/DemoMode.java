package io.secretsync.operator.demo;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;

/**
 * Seeds the embedded demo API server once the application (and with it the operator) has
 * started, waits for the operator to converge and prints the report. Does nothing unless
 * {@link SecretSyncMain} started an embedded server, so tests and real clusters never see it.
 */
@ApplicationScoped
public class DemoRunner {
    private static final Logger LOG = Logger.getLogger(DemoRunner.class);

    void onStart(@Observes StartupEvent event) {
        SecretSyncMain.Demo demo = SecretSyncMain.demo;
        if (demo == null) {
            return;
        }
        Thread t = new Thread(() -> run(demo), "secretsync-demo");
        t.setDaemon(true);
        t.start();
    }

    private static void run(SecretSyncMain.Demo demo) {
        int exitCode;
        boolean exit = SecretSyncMain.exitAfterReport(demo.args());
        try {
            DemoScenario scenario = new DemoScenario(demo.server().client());
            scenario.seed();
            Duration timeout = Duration.ofSeconds(SecretSyncMain.intArg(demo.args(), SecretSyncMain.TIMEOUT_ARG, 60));
            boolean converged = scenario.awaitConverged(timeout);
            System.out.println(SecretSyncMain.report(demo.server(), scenario, converged, timeout));
            if (!exit) {
                System.out.println("The operator keeps running against the embedded demo API server."
                        + " Press Ctrl+C to stop.");
            }
            System.out.flush();
            exitCode = converged ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.errorf("The demo failed: %s", e.toString());
            exitCode = 2;
        }
        if (exit) {
            Quarkus.asyncExit(exitCode);
        }
    }
}
