import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The option translation of the native check, on the shapes Quarkus and the libraries write. */
class DriverOptionsTest {

    /** An excerpt of Quarkus 3.33's native-image.args, one of each kind of argument it writes. */
    static final String QUARKUS_ARGS = "-J-Dsun.nio.ch.maxUpdateArraySize=100"
            + " -J-Djava.util.logging.manager=org.jboss.logmanager.LogManager"
            + " -H:+UnlockExperimentalVMOptions -H:IncludeLocales=en -H:-UnlockExperimentalVMOptions"
            + " --enable-native-access=ALL-UNNAMED"
            + " -J--add-exports=org.graalvm.nativeimage.builder/com.oracle.svm.core.jdk=ALL-UNNAMED"
            + " --features=io.quarkus.runner.Feature,io.quarkus.runtime.graal.DisableLoggingFeature"
            + " -J--add-opens=java.base/java.util=ALL-UNNAMED"
            + " --no-fallback --link-at-build-time -J-Xmx5g -H:-AddAllCharsets"
            + " --enable-url-protocols=http,https --enable-monitoring=heapdump,threaddump"
            + " --exclude-config io\\.netty\\.netty-codec /META-INF/native-image/io\\.netty/netty-codec/generated/handlers/reflect-config\\.json"
            + " app-runner -jar app-runner.jar";

    @Test
    void quarkusArgumentsBecomeBuilderAndJvmOptions() {
        DriverOptions.Translation t = DriverOptions.translateArgs(List.of(QUARKUS_ARGS.split(" ")));

        assertThat(t.jvmOptions()).containsExactly("-Dsun.nio.ch.maxUpdateArraySize=100",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "--add-exports=org.graalvm.nativeimage.builder/com.oracle.svm.core.jdk=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "-Xmx5g");
        assertThat(t.builderOptions()).containsExactly(
                "-H:+UnlockExperimentalVMOptions", "-H:IncludeLocales=en", "-H:-UnlockExperimentalVMOptions",
                "-H:EnableNativeAccess=ALL-UNNAMED",
                "-H:Features=io.quarkus.runner.Feature,io.quarkus.runtime.graal.DisableLoggingFeature",
                "-H:FallbackThreshold=0", "-H:LinkAtBuildTime=", "-H:-AddAllCharsets",
                "-H:EnableURLProtocols=http,https", "-H:EnableMonitoringFeatures=heapdump,threaddump");
        assertThat(t.jar()).isEqualTo("app-runner.jar");
        assertThat(t.imageName()).isEqualTo("app-runner");
        assertThat(t.exclusions()).hasSize(1);
    }

    @Test
    void classInitializationListsCarryTheirPhaseOnEachClass() {
        assertThat(DriverOptions.builderOptions("--initialize-at-run-time=a.B,c.D"))
                .containsExactly("-H:ClassInitialization=a.B:run_time,c.D:run_time");
        assertThat(DriverOptions.builderOptions("--initialize-at-build-time=io.netty"))
                .containsExactly("-H:ClassInitialization=io.netty:build_time");
        assertThat(DriverOptions.builderOptions("--initialize-at-build-time="))
                .as("an empty list stands for every class").containsExactly("-H:ClassInitialization=:build_time");
    }

    @Test
    void anOptionWithoutTranslationStopsTheCheck() {
        assertThatThrownBy(() -> DriverOptions.builderOptions("--gc=G1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'--gc=G1' has no translation");
        assertThatThrownBy(() -> DriverOptions.translateArgs(List.of("-jar", "a.jar", "a", "b")))
                .hasMessageContaining("unexpected argument 'b'");
        assertThatThrownBy(() -> DriverOptions.translateArgs(List.of("--no-fallback", "a")))
                .hasMessageContaining("names no -jar");
    }

    @Test
    void jarsContributeTheirPropertiesAndConfigurationFiles() {
        String netty = "lib/io.netty.netty-codec-http-4.1.133.Final.jar";
        List<DriverOptions.MetaInfFile> files = List.of(
                new DriverOptions.MetaInfFile(netty, "META-INF/native-image/io.netty/netty-codec-http/native-image.properties",
                        "# comment\nArgs = --initialize-at-build-time=io.netty \\\n"
                                + "       --initialize-at-run-time=io.netty.handler.codec.http.HttpObjectEncoder\n"
                                + "JavaArgs = -Dio.netty.x=1\n"),
                new DriverOptions.MetaInfFile(netty, "META-INF/native-image/io.netty/netty-codec-http/reflect-config.json", null),
                new DriverOptions.MetaInfFile("app-runner.jar", "META-INF/native-image/resource-config.json", null),
                new DriverOptions.MetaInfFile("app-runner.jar", "META-INF/native-image/README.txt", null));
        List<String> jvm = new ArrayList<>();

        List<String> builder = DriverOptions.translateMetaInf(files, List.of(), jvm);

        assertThat(builder).containsExactly("-H:ClassInitialization=io.netty:build_time",
                "-H:ClassInitialization=io.netty.handler.codec.http.HttpObjectEncoder:run_time",
                "-H:ReflectionConfigurationResources=META-INF/native-image/io.netty/netty-codec-http/reflect-config.json",
                "-H:ResourceConfigurationResources=META-INF/native-image/resource-config.json");
        assertThat(jvm).containsExactly("-Dio.netty.x=1");
    }

    @Test
    void excludedConfigurationFilesAreSkippedAsTheDriverSkipsThem() {
        DriverOptions.Translation t = DriverOptions.translateArgs(List.of(QUARKUS_ARGS.split(" ")));
        String excluded = "META-INF/native-image/io.netty/netty-codec/generated/handlers/reflect-config.json";
        List<DriverOptions.MetaInfFile> files = List.of(
                new DriverOptions.MetaInfFile("/x/lib/io.netty.netty-codec-4.1.133.Final.jar", excluded, null),
                new DriverOptions.MetaInfFile("/x/lib/io.netty.netty-handler-4.1.133.Final.jar",
                        "META-INF/native-image/io.netty/netty-handler/generated/handlers/reflect-config.json", null));

        assertThat(DriverOptions.translateMetaInf(files, t.exclusions(), new ArrayList<>())).containsExactly(
                "-H:ReflectionConfigurationResources=META-INF/native-image/io.netty/netty-handler/generated/handlers/reflect-config.json");
    }

    @Test
    void anUnknownConfigurationFileStopsTheCheck() {
        List<DriverOptions.MetaInfFile> files = List.of(
                new DriverOptions.MetaInfFile("a.jar", "META-INF/native-image/g/a/future-config.json", null));
        assertThatThrownBy(() -> DriverOptions.translateMetaInf(files, List.of(), new ArrayList<>()))
                .hasMessageContaining("a.jar!/META-INF/native-image/g/a/future-config.json");
    }

    @Test
    void theJarManifestOpensPackagesToTheClassPath() {
        assertThat(DriverOptions.manifestOptions("java.base/java.lang java.base/java.nio", "java.base/sun.nio.ch"))
                .containsExactly("-H:AddOpens=java.base/java.lang=ALL-UNNAMED", "-H:AddOpens=java.base/java.nio=ALL-UNNAMED",
                        "-H:AddExports=java.base/sun.nio.ch=ALL-UNNAMED");
        assertThat(DriverOptions.manifestOptions(null, " ")).isEmpty();
    }
}
