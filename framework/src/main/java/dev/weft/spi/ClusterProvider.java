package dev.weft.spi;

import dev.weft.ClusterPool;

/**
 * A distributed engine for {@link dev.weft.Pool#cluster}, found with {@link java.util.ServiceLoader}.
 * Internal: for {@code dev.weft.hazelcast} only; not a public API (docs/adr/0006).
 */
public interface ClusterProvider {
    /** The engine's name, for messages. */
    String name();

    /**
     * Starts or joins this JVM's member, and returns the pool's view of it.
     *
     * @param configuration    the pool's configuration
     * @param poolName         the pool's name
     * @param threadPrefix     what a thread is named while it runs the pool's task, before its worker index
     * @param executorName     the name of the pool's executor on the cluster, unique to the pool
     * @param workersPerMember how many threads each member gives that executor
     */
    ClusterBackend open(ClusterPool.Configuration configuration, String poolName, String threadPrefix,
                        String executorName, int workersPerMember);
}
