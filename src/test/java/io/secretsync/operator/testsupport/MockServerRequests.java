package io.secretsync.operator.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Every request the mock API server received, kept for the whole test run: the server's own
 * queue empties as it is read, and several tests read it.
 */
public final class MockServerRequests {
    private static final List<RecordedRequest> ALL = new ArrayList<>();

    private MockServerRequests() {
    }

    /** Requests that arrived since the last call. */
    public static synchronized List<RecordedRequest> drain(KubernetesMockServer server) {
        List<RecordedRequest> fresh = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
                fresh.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ALL.addAll(fresh);
        return fresh;
    }

    public static synchronized List<RecordedRequest> all(KubernetesMockServer server) {
        drain(server);
        return List.copyOf(ALL);
    }

    /** Requests that change something: anything but GET (list, get and watch). */
    public static List<RecordedRequest> writes(List<RecordedRequest> requests) {
        return requests.stream().filter(r -> !"GET".equals(r.getMethod())).toList();
    }

    public static String describe(RecordedRequest r) {
        return r.getMethod() + " " + r.getPath();
    }
}
