package org.example;

import dev.weft.ClusterPool;
import dev.weft.Pool;

/**
 * An application for {@code ModulePathTest}, run in a JVM of its own with Weft on the module path:
 * prints how this JVM sees the module {@code dev.weft.hazelcast}, then asks the core for a cluster
 * pool on a host that cannot exist, which the engine refuses before it starts a member.
 */
public final class ModularApp {
    private ModularApp() {
    }

    public static void main(String[] args) {
        System.out.println("MODULE " + ModuleLayer.boot().findModule("dev.weft.hazelcast")
                .map(m -> m.getDescriptor().isAutomatic() ? "automatic" : "explicit " + m.getDescriptor().provides())
                .orElse("absent"));
        try (ClusterPool pool = Pool.cluster(c -> c.withClusterName("weft-modular").withHost("no-such-host.invalid"))) {
            System.out.println("POOL " + pool);
        } catch (RuntimeException | LinkageError e) {
            System.out.println("POOL " + e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
