package io.secretsync.operator.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.secretsync.operator.demo.EmbeddedApiServer;

/**
 * Counts the operator's writes as the API server sees them. The benchmark's own client has its
 * own User-Agent, so everything else that is not a GET is the operator's.
 */
final class RequestLog implements EmbeddedApiServer.RequestObserver {
    static final String BENCH_USER_AGENT = "secretsync-bench";
    private static final Pattern SECRET_PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/secrets(?:/([^/?]+))?");

    /** One write by the operator, as served. */
    record Write(String method, String path, String namespace, String secret, int status, long nanoTime) {
        boolean toSecret() {
            return namespace != null;
        }

        boolean toStatus() {
            return path.contains("/secretsyncpolicies/") && path.contains("/status");
        }
    }

    /** One write by the benchmark itself. */
    record BenchWrite(String method, String path, long nanoTime) {
    }

    final AtomicInteger secretWrites = new AtomicInteger();
    final AtomicInteger failedSecretWrites = new AtomicInteger();
    final AtomicInteger statusWrites = new AtomicInteger();
    /** Refused replica writes by HTTP status and method, e.g. "POST 409". */
    final java.util.Map<String, AtomicInteger> refused = new java.util.concurrent.ConcurrentSkipListMap<>();
    final AtomicInteger otherWrites = new AtomicInteger();
    private final List<Consumer<Write>> operatorListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<BenchWrite>> benchListeners = new CopyOnWriteArrayList<>();

    @Override
    public void served(RecordedRequest request, int status, long nanoTime) {
        String method = request.getMethod();
        if ("GET".equals(method)) {
            return;
        }
        String path = request.getPath();
        if (BENCH_USER_AGENT.equals(request.getHeader("User-Agent"))) {
            if (!benchListeners.isEmpty()) {
                BenchWrite w = new BenchWrite(method, path, nanoTime);
                benchListeners.forEach(l -> l.accept(w));
            }
            return;
        }
        Matcher m = SECRET_PATH.matcher(path);
        Write w = m.find() ? new Write(method, path, m.group(1), m.group(2), status, nanoTime)
                : new Write(method, path, null, null, status, nanoTime);
        if (w.toSecret()) {
            (status < 400 ? secretWrites : failedSecretWrites).incrementAndGet();
            if (status >= 400) {
                refused.computeIfAbsent(method + " " + status, k -> new AtomicInteger()).incrementAndGet();
            }
        } else if (w.toStatus()) {
            statusWrites.incrementAndGet();
        } else {
            otherWrites.incrementAndGet();
        }
        operatorListeners.forEach(l -> l.accept(w));
    }

    int totalOperatorWrites() {
        return secretWrites.get() + failedSecretWrites.get() + statusWrites.get() + otherWrites.get();
    }

    Counts snapshot() {
        return new Counts(secretWrites.get(), failedSecretWrites.get(), statusWrites.get(), otherWrites.get());
    }

    void onOperatorWrite(Consumer<Write> listener) {
        operatorListeners.add(listener);
    }

    void removeOperatorListener(Consumer<Write> listener) {
        operatorListeners.remove(listener);
    }

    void onBenchWrite(Consumer<BenchWrite> listener) {
        benchListeners.add(listener);
    }

    void removeBenchListener(Consumer<BenchWrite> listener) {
        benchListeners.remove(listener);
    }

    record Counts(int secretWrites, int failedSecretWrites, int statusWrites, int otherWrites) {
        Counts minus(Counts o) {
            return new Counts(secretWrites - o.secretWrites, failedSecretWrites - o.failedSecretWrites,
                    statusWrites - o.statusWrites, otherWrites - o.otherWrites);
        }

        int all() {
            return secretWrites + failedSecretWrites + statusWrites + otherWrites;
        }
    }
}
