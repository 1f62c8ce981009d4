package io.secretsync.operator.sync;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Where a replica lives: target namespace and Secret name. */
public record ReplicaKey(String namespace, String name) implements Comparable<ReplicaKey> {

    public static ReplicaKey of(HasMetadata resource) {
        return new ReplicaKey(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    }

    @Override
    public int compareTo(ReplicaKey o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
