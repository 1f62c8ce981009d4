package io.secretsync.operator.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The build outputs and committed files the packaging tests and the bundle generator read. */
public final class Manifests {
    private Manifests() {
    }

    /** The project directory: failsafe passes it; a run from the IDE starts there. */
    public static Path projectDir() {
        String dir = System.getProperty("project.basedir");
        return dir == null ? Path.of("").toAbsolutePath() : Path.of(dir);
    }

    public static Path generated(String file) {
        return projectDir().resolve("target/kubernetes").resolve(file);
    }

    public static Path kubernetesYml() {
        return generated("kubernetes.yml");
    }

    public static Path crdYml() {
        return generated("secretsyncpolicies.secretsync.io-v1.yml");
    }

    /** The SecretSyncCluster CRD (remote clusters, contract section 7). */
    public static Path clusterCrdYml() {
        return generated("secretsyncclusters.secretsync.io-v1.yml");
    }

    /** Every CRD the operator ships and watches: an install without one of them does not start. */
    public static List<io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition> crds() {
        return crdYmls().stream()
                .map(f -> single(load(f), io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class))
                .toList();
    }

    /** Every CRD the build generates, policies first. */
    public static List<Path> crdYmls() {
        return List.of(crdYml(), clusterCrdYml());
    }

    public static List<HasMetadata> load(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: run mvn package first");
        }
        try (InputStream in = Files.newInputStream(file)) {
            Object parsed = Serialization.unmarshal(in);
            List<HasMetadata> items;
            if (parsed instanceof List<?> list) {
                items = list.stream().map(HasMetadata.class::cast).toList();
            } else if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList kl) {
                items = kl.getItems();
            } else {
                items = List.of((HasMetadata) parsed);
            }
            items.forEach(Manifests::dropGitStamps);
            return items;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /**
     * The build stamps the Git commit and the checkout's remote into its manifests: a committed
     * bundle can never carry the commit that contains it, and every clone has another remote, so
     * the stamps are left out of everything generated and compared.
     */
    static void dropGitStamps(HasMetadata item) {
        removeGitStamps(item.getMetadata());
        if (item instanceof io.fabric8.kubernetes.api.model.apps.Deployment d && d.getSpec() != null
                && d.getSpec().getTemplate() != null) {
            removeGitStamps(d.getSpec().getTemplate().getMetadata());
        }
    }

    private static void removeGitStamps(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
        if (meta != null && meta.getAnnotations() != null) {
            GIT_STAMPS.forEach(meta.getAnnotations()::remove);
        }
    }

    static final List<String> GIT_STAMPS = List.of("app.quarkus.io/commit-id", "app.quarkus.io/vcs-uri");

    public static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> all, Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public static <T extends HasMetadata> T single(List<HasMetadata> all, Class<T> type) {
        List<T> found = ofKind(all, type);
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    /**
     * The Deployment with each container's env sorted by name. Quarkus writes the env vars of the
     * generated Deployment in an order that can change from build to build; the committed bundle
     * must not depend on it (the order of env vars means nothing to Kubernetes unless one refers
     * to another, which ours do not).
     */
    public static Deployment withEnvSortedByName(Deployment deployment) {
        deployment.getSpec().getTemplate().getSpec().getContainers().forEach(c -> {
            if (c.getEnv() != null) {
                c.setEnv(c.getEnv().stream().sorted(Comparator.comparing(EnvVar::getName)).toList());
            }
        });
        return deployment;
    }
}
