package io.secretsync.operator.testsupport;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * An API server the packaged operator runs against in a test, and how to point an operator
 * process at it. The stop tests are written against this, so that they run on the in-process
 * mock ({@link MockApiServer}) today and on a real API server once a harness provides one.
 */
public interface ApiServerUnderTest extends AutoCloseable {
    /** The operator's namespace (its Lease lives there), created by the implementation. */
    String OPERATOR_NS = "secretsync-system";

    /** An admin client for the test itself (never used by an operator process). */
    KubernetesClient client();

    /**
     * JVM options (-D...) that point an operator process at this server, authenticated so that
     * {@link #requests()} can tell its requests from the others' (who is also its Lease identity).
     */
    List<String> operatorOptions(String who);

    /** Makes the API server unreachable for the operators (for good: this test's end). */
    void goDown();

    /** A request an operator or the test made, as the server saw it, in order. */
    record Request(String who, String method, String path, int status, long atNanos) {
        public boolean isWrite() {
            return !method.equals("GET");
        }
    }

    /** Every request the server received so far, when it can tell (empty when it cannot). */
    Optional<List<Request>> requests();

    @Override
    void close();
}
