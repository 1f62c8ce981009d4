package io.secretsync.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What Linux and the JDK's tools say about a process by its pid, from outside: live heap (a class
 * histogram, which forces a full GC first, so it counts only reachable objects), resident set, and
 * CPU time. Used on the operator's JVM and on the API server's and etcd's processes.
 */
record ProcessProbe(long pid) {
    /** USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux the project runs on. */
    private static final long TICKS_PER_SECOND = 100;

    /**
     * Bytes of live objects: the "Total" of {@code jcmd PID GC.class_histogram} (which runs a full
     * GC before counting). Unlike the heap "used" after a GC, it excludes free space the collector
     * keeps inside its regions.
     */
    long liveHeapBytes() {
        String out = jcmd("GC.class_histogram");
        return out.lines().map(String::trim).filter(l -> l.startsWith("Total")).findFirst()
                .map(l -> Long.parseLong(l.split("\\s+")[2]))
                .orElseThrow(() -> new IllegalStateException("no Total in the class histogram of " + pid + ":\n"
                        + out.lines().limit(20).toList()));
    }

    /** The first {@code rows} lines of the class histogram (largest classes first), for the report. */
    String histogramHead(int rows) {
        return String.join("\n", jcmd("GC.class_histogram").lines().limit(rows + 3).toList());
    }

    /** Resident set now (VmRSS). */
    long rssBytes() {
        return status("VmRSS:");
    }

    /** Peak resident set so far (VmHWM). */
    long peakRssBytes() {
        return status("VmHWM:");
    }

    /** User plus system CPU time the process has used so far, in milliseconds (utime + stime of /proc/PID/stat). */
    long cpuMillis() {
        String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
        // the command name (field 2) may hold spaces; the fields after it start at state (field 3)
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    private long status(String field) {
        return read(Path.of("/proc", String.valueOf(pid), "status")).lines().filter(l -> l.startsWith(field))
                .findFirst().map(l -> Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]) * 1024)
                .orElseThrow(() -> new IllegalStateException("no " + field + " for process " + pid));
    }

    private String jcmd(String command) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
