package io.secretsync.operator.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.secretsync.operator.testsupport.OperatorArtifact;

/**
 * The native image ships the memory flags its executable was measured with
 * ({@link NativeImageFlags}, used by StartupExecutableIT): Dockerfile.native's CMD and the chart's
 * native.options say the same.
 */
class NativeImagePackagingTest {
    final Path project = OperatorArtifact.projectDir();

    @Test
    void dockerfileAndChartShipTheMeasuredFlags() throws IOException {
        String dockerfile = Files.readString(project.resolve("src/main/docker/Dockerfile.native"));
        Matcher cmd = Pattern.compile("(?m)^CMD \\[(.*)]$").matcher(dockerfile);
        assertThat(cmd.find()).as("Dockerfile.native has a CMD").isTrue();
        List<String> cmdFlags = Pattern.compile("\"([^\"]*)\"").matcher(cmd.group(1)).results().map(m -> m.group(1))
                .toList();
        assertThat(cmdFlags).isEqualTo(NativeImageFlags.FLAGS);
        assertThat(dockerfile).contains("ENTRYPOINT [\"./application\", \"-Dquarkus.http.host=0.0.0.0\"]");

        String values = Files.readString(project.resolve("helm/secretsync-operator/values.yaml"));
        Matcher options = Pattern.compile("(?m)^  options: \"([^\"]*)\"$").matcher(values);
        assertThat(options.find()).as("values.yaml native.options").isTrue();
        assertThat(List.of(options.group(1).split(" "))).isEqualTo(NativeImageFlags.FLAGS);
    }
}
