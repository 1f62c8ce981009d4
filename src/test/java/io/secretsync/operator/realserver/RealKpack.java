package io.secretsync.operator.realserver;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsync.operator.testsupport.Kpack;

/**
 * kpack's CRDs on a real cluster: registered like the mock tests do ({@link Kpack}), then waited
 * for, because a real API server serves a new kind only once the CRD is Established (a create in
 * between answers 404), which the mock server does not model.
 */
final class RealKpack {
    private RealKpack() {
    }

    static void install(KubernetesClient admin) {
        Kpack.registerCrds(admin);
        for (String name : List.of("builds.kpack.io", "images.kpack.io")) {
            await(name + " established").atMost(Duration.ofSeconds(30)).until(() -> {
                CustomResourceDefinition c = admin.apiextensions().v1().customResourceDefinitions().withName(name)
                        .get();
                return c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                                .anyMatch(cond -> "Established".equals(cond.getType())
                                        && "True".equals(cond.getStatus()));
            });
        }
    }
}
