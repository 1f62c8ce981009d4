package io.secretsync.operator.realserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The real API server's audit log (JSON lines, level Metadata, every ServiceAccount's requests):
 * how the tests count the operator's writes and find every request the authorizer refused. An
 * {@link Entry} is one finished request (stage ResponseComplete, or Panic).
 */
public final class AuditLog {
    static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    /** One finished request. */
    public record Entry(String user, String verb, String resource, String subresource, String namespace,
            String name, int code, String uri, Instant at, Instant received) {
        public boolean isWrite() {
            return WRITE_VERBS.contains(verb);
        }

        @Override
        public String toString() {
            return code + " " + verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource) + " "
                    + (namespace.isEmpty() ? "" : namespace + "/") + name + " by " + user;
        }
    }

    /** A position in the log: entries after it are what happened since. */
    public long mark() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Entry> entries() {
        return since(0);
    }

    /** Finished requests logged after {@code mark} (only the part after it is read: the log of a benchmark is large). */
    public List<Entry> since(long mark) {
        return read(mark, Set.of("ResponseComplete", "Panic"));
    }

    private List<Entry> read(long mark, Set<String> stages) {
        List<Entry> entries = new ArrayList<>();
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            long from = Math.min(mark, size);
            bytes = new byte[(int) (size - from)];
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // reads to the size seen above; what is appended meanwhile is for the next call
            }
        } catch (NoSuchFileException e) {
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isBlank() || !line.endsWith("}")) {
                continue; // a line being written right now
            }
            JsonNode e;
            try {
                e = JSON.readTree(line);
            } catch (IOException ex) {
                continue;
            }
            String stage = e.path("stage").asText();
            if (!stages.contains(stage)) {
                continue;
            }
            JsonNode ref = e.path("objectRef");
            entries.add(new Entry(e.path("user").path("username").asText(), e.path("verb").asText(),
                    ref.path("resource").asText(), ref.path("subresource").asText(), ref.path("namespace").asText(),
                    ref.path("name").asText(), e.path("responseStatus").path("code").asInt(), e.path("requestURI").asText(),
                    time(e, "stageTimestamp"), time(e, "requestReceivedTimestamp")));
        }
        return entries;
    }

    /** A time of the entry (microsecond precision): when the stage was reached, or the request received. */
    private static Instant time(JsonNode e, String field) {
        String t = e.path(field).asText("");
        return t.isEmpty() ? null : Instant.parse(t);
    }

    public static Predicate<Entry> by(String username) {
        return e -> e.user().equals(username);
    }

    /** Requests the authorizer refused (HTTP 403), for a failure message. */
    public static List<String> forbidden(List<Entry> entries) {
        return entries.stream().filter(e -> e.code() == 403).map(Entry::toString).collect(Collectors.toList());
    }

    /** Successful writes to Secrets (creates, updates, patches, deletes). */
    public static List<Entry> secretWrites(List<Entry> entries) {
        return entries.stream().filter(e -> e.isWrite() && e.resource().equals("secrets") && e.code() < 300)
                .collect(Collectors.toList());
    }
}
