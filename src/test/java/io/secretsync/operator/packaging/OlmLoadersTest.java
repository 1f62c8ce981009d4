package io.secretsync.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The loader rules of OlmLoaders, on the layouts that the real loaders accept and reject. */
class OlmLoadersTest {

    @Test
    void aCommentBeforeTheFirstSeparatorIsADocumentOfItsOwn() {
        assertThat(OlmLoaders.documents("# header\n---\nkind: A\n---\nkind: B\n"))
                .containsExactly("# header\n", "kind: A\n", "kind: B\n");
        assertThat(OlmLoaders.documents("---\n# header\nkind: A\n---\n---\nkind: B")).containsExactly(
                "# header\nkind: A\n", "kind: B");
        assertThatThrownBy(() -> OlmLoaders.documents("kind: A\n--- kind: B\n"))
                .hasMessageContaining("invalid Yaml document separator");
    }

    @Test
    void theCatalogLoaderRejectsACommentOnlyDocument() {
        String header = "# Generated; do not edit.\n";
        assertThatThrownBy(() -> OlmLoaders.catalogEntries(header + "---\nschema: olm.package\nname: p\n"))
                .hasMessageContaining("missing root schema field");
        assertThatThrownBy(() -> OlmLoaders.catalogEntries("schema: olm.package\n---\nname: p\n"))
                .hasMessageContaining("missing root schema field");
        assertThat(OlmLoaders.catalogEntries(header + "schema: olm.package\nname: p\n---\nschema: olm.channel\n"))
                .extracting(e -> e.path("schema").asText()).containsExactly("olm.package", "olm.channel");
    }

    @Test
    void theBundleLoaderSeesOnlyTheFirstDocument() {
        String csv = "apiVersion: operators.coreos.com/v1alpha1\nkind: ClusterServiceVersion\n";
        assertThat(OlmLoaders.bundleManifest("# header\n---\n" + csv).path("kind").asText()).isEmpty();
        assertThat(OlmLoaders.bundleManifest("# header\n" + csv).path("kind").asText())
                .isEqualTo("ClusterServiceVersion");
        assertThat(OlmLoaders.bundleManifest("kind: Service\n---\n" + csv).path("kind").asText()).isEqualTo("Service");
    }

    @Test
    void namesAreLowerCaseDns1123Subdomains() {
        for (String ok : List.of("secretsync-operator.v0.1.0", "secretsync-operator.v0.1.0-snapshot", "a")) {
            assertThat(OlmLoaders.isDns1123Subdomain(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("secretsync-operator.v0.1.0-SNAPSHOT", "op.v1.0.0+build.1", "-a", "a-", "a..b", "",
                "a".repeat(254))) {
            assertThat(OlmLoaders.isDns1123Subdomain(bad)).as(bad).isFalse();
        }
    }

    @Test
    void csvNamesOfEveryKindOfVersionAreValid() {
        for (String version : List.of("0.1.0", "0.1.0-SNAPSHOT", "1.0.0-RC.1", "2.3.4+build.5", "1.0.0-rc.1+Git.ABC",
                "1.0.0-alpha_1")) {
            String name = BundleGenerator.csvName(version);
            assertThat(OlmLoaders.isDns1123Subdomain(name)).as("CSV name %s of version %s", name, version).isTrue();
            assertThat(name).as("an OLM owner label value (63 characters at most)").hasSizeLessThanOrEqualTo(63)
                    .startsWith(BundleGenerator.PACKAGE + ".v");
        }
        assertThat(BundleGenerator.csvName("0.1.0")).isEqualTo("secretsync-operator.v0.1.0");
        assertThat(BundleGenerator.csvName("0.1.0-SNAPSHOT")).isEqualTo("secretsync-operator.v0.1.0-snapshot");
    }
}
