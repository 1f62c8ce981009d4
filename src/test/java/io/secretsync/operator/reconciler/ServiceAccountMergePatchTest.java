package io.secretsync.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.secretsync.operator.sync.PullSecretPlanner;

/**
 * The write a remote cluster's ServiceAccount gets (its ClusterRole grants patch, not update): the
 * whole imagePullSecrets list and our annotation as changed, locked to the resourceVersion read,
 * and nothing else of the ServiceAccount.
 */
class ServiceAccountMergePatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ServiceAccount read(String annotation, String... refs) {
        ServiceAccountBuilder b = new ServiceAccountBuilder().withNewMetadata().withNamespace("team-a")
                .withName("default").withResourceVersion("42").addToLabels("team", "a")
                .addToAnnotations("example.com/other", "x").endMetadata()
                .addNewSecret().withName("default-token").endSecret();
        if (annotation != null) {
            b.editMetadata().addToAnnotations(PullSecretPlanner.ANNOTATION, annotation).endMetadata();
        }
        for (String r : refs) {
            b.addToImagePullSecrets(new LocalObjectReference(r));
        }
        return b.build();
    }

    @Test
    void anAddIsTheWholeListOurAnnotationAndTheResourceVersionOnly() throws Exception {
        ServiceAccount sa = read(null, "theirs");
        PullSecretPlanner.apply("p@o", new PullSecretPlanner.Change("team-a", "default", Set.of("reg"), Set.of()), sa);

        JsonNode patch = JSON.readTree(ServiceAccountWriter.mergePatch(sa));

        assertThat(JSON.convertValue(patch, Map.class)).isEqualTo(Map.of(
                "metadata", Map.of("resourceVersion", "42",
                        "annotations", Map.of(PullSecretPlanner.ANNOTATION, "p@o/reg")),
                "imagePullSecrets", java.util.List.of(Map.of("name", "theirs"), Map.of("name", "reg"))));
    }

    @Test
    void removingOurLastReferenceDeletesOurAnnotation() throws Exception {
        ServiceAccount sa = read("p@o/reg", "theirs", "reg");
        PullSecretPlanner.apply("p@o", new PullSecretPlanner.Change("team-a", "default", Set.of(), Set.of("reg")), sa);

        JsonNode patch = JSON.readTree(ServiceAccountWriter.mergePatch(sa));

        assertThat(patch.at("/metadata/annotations").has(PullSecretPlanner.ANNOTATION)).isTrue();
        assertThat(patch.at("/metadata/annotations/" + PullSecretPlanner.ANNOTATION.replace("/", "~1")).isNull())
                .as("null removes the key in a merge patch").isTrue();
        assertThat(patch.get("imagePullSecrets")).hasSize(1);
        assertThat(patch.at("/imagePullSecrets/0/name").asText()).isEqualTo("theirs");
    }
}
