package io.secretsync.operator.bench;

import org.junit.jupiter.api.Test;

/**
 * The full benchmark, run only by the bench profile ({@code mvn -B verify -Pbench}); sizes are
 * -Dbench.* flags. Writes BENCHMARKS.md and benchmarks.json at the project root. It reports
 * figures; it asserts none.
 */
class FullBenchmark {

    @Test
    void run() throws Exception {
        Benchmark.runFromProperties();
    }
}
