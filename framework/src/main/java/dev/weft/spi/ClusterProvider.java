package dev.weft.spi;

import dev.weft.ClusterPool;

/**
 * A distributed engine for {@link dev.weft.Pool#cluster}, found with {@link java.util.ServiceLoader}.
 * Internal: for {@code dev.weft.hazelcast} only; not a public API (Weft's design record ADR 0006, "The cluster pool, on embedded Hazelcast").
 *
 * @since 0.1
 */
public interface ClusterProvider {
    /**
     * What the pool tells the engine about itself.
     *
     * @param name             the pool's name
     * @param threadPrefix     what a thread is named while it runs the pool's task, before its worker index
     * @param executorName     the name of the pool's executor on the cluster, unique to the pool
     * @param workersPerMember how many threads each member gives that executor
     * @param initializer      the serialized initializer, or null
     * @since 0.1
     */
    record Pool(String name, String threadPrefix, String executorName, int workersPerMember, byte[] initializer) {
    }

    /** The engine's name, for messages. */
    String name();

    /** Starts or joins this JVM's member for the pool {@code pool} configured by {@code configuration}. */
    ClusterBackend open(ClusterPool.Configuration configuration, Pool pool);
}
