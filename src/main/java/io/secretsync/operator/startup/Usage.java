package io.secretsync.operator.startup;

import java.util.List;

/**
 * What {@code --help} prints (the jar and the native executable alike): the arguments, how the
 * cluster is chosen, and the operator's settings with their defaults. UsageTest keeps the
 * settings in step with the configuration interfaces and the arguments with what the code reads.
 */
public final class Usage {
    /** {@code --help} and {@code -h}. */
    public static final List<String> FLAGS = List.of("--help", "-h");

    private Usage() {
    }

    public static boolean requested(String... args) {
        for (String a : args) {
            if (FLAGS.contains(a)) {
                return true;
            }
        }
        return false;
    }

    public static String text() {
        return """
                secretsync-operator: keeps replicas of Kubernetes Secrets in sync across namespaces,
                as SecretSyncPolicy resources say.

                Usage:
                  java -jar quarkus-run.jar [options] [arguments]      (the jar)
                  ./secretsync-operator [options] [arguments]          (the native executable)

                Arguments:
                  --help, -h              print this text and exit
                  --demo                  use the embedded demo API server even when a cluster is configured
                  --exit-after-report     demo only: exit after the first report (0 converged, 1 not, 2 failed)
                  --api-port=N            demo only: port of the embedded demo API server (default: a free port)
                  --timeout-seconds=N     demo only: how long to wait for convergence before reporting (default 60)

                Cluster: the first of -Dquarkus.kubernetes-client.api-server-url (or the environment variable
                QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL), KUBERNETES_MASTER, the in-cluster service account
                (KUBERNETES_SERVICE_HOST), KUBECONFIG, ~/.kube/config. With none of them the operator starts an
                embedded demo API server (an in-process mock, not a real cluster), seeds an example into it and
                prints what kubectl would show.

                Options: any setting as -Dname=value (before the arguments), or as an environment variable
                (upper case, '.' and '-' as '_': SECRETSYNC_WRITE_CONCURRENCY=16). Memory: -Xmx (the jar: as JVM
                options before -jar; the executable: e.g. -Xmx64m).

                Settings (default):
                  secretsync.excluded-namespaces              namespaces never targeted (kube-system,kube-public,kube-node-lease)
                  secretsync.write-concurrency                replica writes in flight at once (8)
                  secretsync.write-rate-limit                 at most this many writes per second (unset: no limit)
                  secretsync.allowed-source-namespaces        the only namespaces policies may copy from (unset: all)
                  secretsync.conflict-recheck-first           first look again at a Conflict (30s)
                  secretsync.conflict-recheck-max             longest interval between such looks (5m)
                  secretsync.vanished-policy-sweep-interval   release replicas of policies that no longer exist (10m)
                  secretsync.missing-kind-recheck-interval    look again for namespacesWith kinds not installed (30s)
                  secretsync.shard                            serve the policies labelled secretsync.io/shard=KEY, on
                                                              their own Lease (unset: the policies without the label)
                  secretsync.origin                           this operator's identity on replicas in remote clusters
                                                              (unset: the UID of this cluster's kube-system namespace)
                  secretsync.remote.allow-insecure-tls        accept kubeconfigs with insecure-skip-tls-verify (false)
                  secretsync.remote.probe-interval            how often each SecretSyncCluster is probed (30s)
                  secretsync.shutdown.write-drain-timeout     writes already sent may finish within this on a stop (2s)
                  secretsync.shutdown.timeout                 the longest a stop may take (7s)
                  secretsync.legacy.enabled                   serve the Tanzu Build Service label convention (true)
                  secretsync.legacy.namespace                 where its labelled Secrets live (build-service)
                  secretsync.leader-election.lease-name       Lease for leader election, prod profile (secretsync-operator-lease)
                  secretsync.leader-election.lease-namespace  namespace of the Lease (unset: the operator's namespace)
                  secretsync.leader-election.identity         identity written to the Lease (unset: the pod name)
                  secretsync.leader-election.lease-duration   how long a Lease holds without renewal (15s)
                  secretsync.leader-election.renew-deadline   how long the leader tries to renew (10s)
                  secretsync.leader-election.retry-period     how often candidates retry (2s)
                  secretsync.leader-election.release-timeout  how long a stop tries to release the Lease (2s)
                  quarkus.operator-sdk.controllers.secretsyncpolicy.max-reconciliation-interval
                                                              periodic resync of every policy (10M)
                  quarkus.profile                             prod: leader election on (the default for the jar and
                                                              the executable); standalone: one process, no Lease
                  quarkus.http.port                           port of /q/health and /q/metrics (8080)

                Health: /q/health/live, /q/health/ready. Metrics: /q/metrics (Prometheus).
                Documentation: README.md and docs/install.md of the project.
                """;
    }
}
