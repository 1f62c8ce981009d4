import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The report of the native check, from statistics shaped like those the builder writes. */
class BuildReportTest {

    static final String STATS = """
            {
              "general_info": {"name": "app-runner", "graalvm_version": "GraalVM CE 25.0.2"},
              "analysis_results": {
                "types": {"total": 25000, "reachable": 20802, "reflection": 8802, "jni": 63},
                "fields": {"total": 40000, "reachable": 36659, "reflection": 7778, "jni": 69},
                "methods": {"total": 160000, "reachable": 145344, "reflection": 37877, "jni": 55}
              },
              "resource_usage": {
                "cpu": {"load": 1.5, "parallelism": 2, "total_cores": 2},
                "garbage_collection": {"count": 80, "max_heap": 5000000000, "total_secs": 40.1},
                "memory": {"machine_total": 25000000000, "peak_rss_bytes": 4321000000},
                "total_secs": 400.2
              }
            }
            """;

    @Test
    void figuresComeFromTheBuildersStatisticsTheObjectFileAndTheExecutable() {
        BuildReport report = BuildReport.of(0, 412.34, 4000000000L, 97000000L, 118800000L, STATS, "25.0.2", "25.0.3+9-LTS");

        assertThat(report.ok()).isTrue();
        assertThat(report.reachableTypes()).isEqualTo(20802);
        assertThat(report.reachableMethods()).isEqualTo(145344);
        assertThat(report.reachableFields()).isEqualTo(36659);
        assertThat(report.objectBytes()).isEqualTo(97000000L);
        assertThat(report.linked()).isTrue();
        assertThat(report.executableBytes()).isEqualTo(118800000L);
        assertThat(report.peakRssBytes()).as("the builder's own measurement wins over sampling").isEqualTo(4321000000L);
        assertThat(report.toJson()).contains("\"ok\": true", "\"reachableTypes\": 20802", "\"reachableMethods\": 145344",
                "\"objectBytes\": 97000000", "\"buildSeconds\": 412.3", "\"peakRssBytes\": 4321000000",
                "\"linked\": true", "\"executableBytes\": 118800000");
        assertThat(report.summary()).contains("executable 118.8 MB");
    }

    @Test
    void okOnlyWhenTheBuilderFinishedEveryStageAndLinked() {
        assertThat(BuildReport.of(1, 10, 1, 97000000L, 1000L, STATS, "25.0.2", "25").ok()).as("builder error").isFalse();
        assertThat(BuildReport.of(0, 10, 1, -1, 1000L, STATS, "25.0.2", "25").ok()).as("no object").isFalse();
        BuildReport notLinked = BuildReport.of(0, 10, 1, 97000000L, -1, STATS, "25.0.2", "25");
        assertThat(notLinked.ok()).as("no executable").isFalse();
        assertThat(notLinked.linked()).isFalse();
        assertThat(notLinked.toJson()).contains("\"linked\": false", "\"executableBytes\": -1");
        assertThat(notLinked.summary()).contains("NOT LINKED");
        BuildReport noStats = BuildReport.of(1, 10, 3_000_000_000L, -1, -1, null, "25.0.2", "25");
        assertThat(noStats.ok()).isFalse();
        assertThat(noStats.peakRssBytes()).as("sampled when the builder wrote nothing").isEqualTo(3_000_000_000L);
        assertThat(noStats.toJson()).contains("\"ok\": false", "\"reachableTypes\": -1");
    }
}
