package io.secretsync.operator.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy between the operator and the test API server, to cut the network under it.
 * {@link #cut()} closes every open connection and resets new ones until {@link #restore()}.
 * <p>
 * It can also make the API server look as if it had compacted its history: while
 * {@link #expireWatchesUpTo(long)} is set, a watch that resumes from a resourceVersion at or below
 * the given one is sent to {@link #EXPIRED_WATCH_PATH}, where the test server answers the way a
 * real one does (a watch ERROR event with a 410 Gone Status), which makes an informer list again.
 * {@link #stallWatches} takes down only some watches and holds their reconnects, while every other
 * request still gets through.
 * Only the first request line of a connection is ever read; a watch is always the first request
 * of its own connection.
 */
public final class TcpProxy implements AutoCloseable {
    public static final String EXPIRED_WATCH_PATH = "/expired-watch";
    private static final Pattern WATCH_VERSION = Pattern.compile("^GET (\\S*[?&]watch=true\\S*) HTTP/1\\.1$");
    private static final Pattern RESOURCE_VERSION = Pattern.compile("[?&]resourceVersion=(\\d+)");

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger expiredWatches = new AtomicInteger();
    private final AtomicLong expireUpTo = new AtomicLong(-1);
    /** Each open client connection with its request line, to find the watches among them. */
    private final Map<Socket, String> requestLines = new ConcurrentHashMap<>();
    private final Object stallLock = new Object();
    private volatile Predicate<String> stalled;
    private final AtomicInteger stalledWatches = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean closed;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The API server becomes unreachable: open connections die, new ones are reset. */
    public void cut() {
        cut = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    public boolean isCut() {
        return cut;
    }

    /** Watches resuming from resourceVersion <= version get 410 Gone; -1 turns this off. */
    public void expireWatchesUpTo(long version) {
        expireUpTo.set(version);
    }

    /**
     * Only the watches whose request line matches go down: the open ones are closed, new ones are
     * held unanswered until {@link #releaseWatches()}. Every other request gets through, so the
     * client writes and reads while it hears nothing of what those watches would tell it.
     */
    public void stallWatches(Predicate<String> requestLine) {
        stalled = requestLine;
        requestLines.forEach((socket, line) -> {
            if (isWatch(line) && requestLine.test(line)) {
                closeQuietly(socket);
            }
        });
    }

    /** Held watches go on to the server (through {@link #expireWatchesUpTo} like any other). */
    public void releaseWatches() {
        synchronized (stallLock) {
            stalled = null;
            stallLock.notifyAll();
        }
    }

    /** Watch requests held while stalled (a held one that the client gave up on counts too). */
    public int stalledWatches() {
        return stalledWatches.get();
    }

    public int acceptedConnections() {
        return accepted.get();
    }

    public int refusedConnections() {
        return refused.get();
    }

    public int expiredWatches() {
        return expiredWatches.get();
    }

    @Override
    public void close() {
        closed = true;
        cut();
        closeQuietly(listener);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                refused.incrementAndGet();
                try {
                    client.setSoLinger(true, 0); // reset, like a host that is gone
                } catch (IOException ignored) {
                    // closing anyway
                }
                closeQuietly(client);
                continue;
            }
            accepted.incrementAndGet();
            Thread t = new Thread(() -> connect(client), "tcp-proxy-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client) {
        Socket upstream = null;
        try {
            open.add(client);
            String firstLine = readLine(client.getInputStream());
            requestLines.put(client, firstLine);
            holdWhileStalled(firstLine);
            upstream = new Socket(targetHost, targetPort);
            open.add(upstream);
            if (cut) {
                throw new IOException("cut");
            }
            OutputStream up = upstream.getOutputStream();
            up.write((rewrite(firstLine) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            Socket u = upstream;
            Thread back = new Thread(() -> pump(u, client), "tcp-proxy-down");
            back.setDaemon(true);
            back.start();
            pump(client, upstream);
        } catch (IOException e) {
            closeQuietly(client);
            open.remove(client);
            requestLines.remove(client);
            if (upstream != null) {
                closeQuietly(upstream);
            }
        }
    }

    private void holdWhileStalled(String requestLine) throws IOException {
        boolean counted = false;
        synchronized (stallLock) {
            while (true) {
                Predicate<String> held = stalled;
                if (held == null || !isWatch(requestLine) || !held.test(requestLine)) {
                    return;
                }
                if (closed) {
                    throw new IOException("closed");
                }
                if (!counted) {
                    stalledWatches.incrementAndGet();
                    counted = true;
                }
                try {
                    stallLock.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
    }

    private static boolean isWatch(String requestLine) {
        return WATCH_VERSION.matcher(requestLine).matches();
    }

    private String rewrite(String requestLine) {
        long limit = expireUpTo.get();
        if (limit < 0) {
            return requestLine;
        }
        Matcher watch = WATCH_VERSION.matcher(requestLine);
        if (!watch.matches()) {
            return requestLine;
        }
        Matcher rv = RESOURCE_VERSION.matcher(watch.group(1));
        if (rv.find() && Long.parseLong(rv.group(1)) <= limit) {
            expiredWatches.incrementAndGet();
            return "GET " + EXPIRED_WATCH_PATH + " HTTP/1.1";
        }
        return requestLine;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the request line");
            }
            if (prev == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            prev = b;
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
            requestLines.remove(from);
            requestLines.remove(to);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
