package dev.weft.spi;

import java.time.Duration;
import java.util.List;

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

    /**
     * How to start or find this JVM's member: the cluster settings of the pool's configuration, as
     * the API's {@code ClusterPool.Configuration} documents each.
     *
     * @param clusterName    the cluster's name
     * @param host           the address to bind
     * @param port           the first port to try
     * @param members        the addresses of other members to join
     * @param allowedClasses the patterns of the classes a member may deserialize, besides Java's and Weft's
     * @param memberTimeout  how long a silent member is kept
     * @param memberName     the name of a member this JVM runs already, to use instead of a new one; or null
     * @param durable        whether tasks survive the loss of the member that runs them
     * @since 0.1
     */
    record Settings(String clusterName, String host, int port, List<String> members, List<String> allowedClasses,
                    Duration memberTimeout, String memberName, boolean durable) {
        /** The settings; copies the lists. */
        public Settings {
            members = List.copyOf(members);
            allowedClasses = List.copyOf(allowedClasses);
        }
    }

    /** The engine's name, for messages. */
    String name();

    /** Starts or joins this JVM's member, configured by {@code settings}, for the pool {@code pool}. */
    ClusterBackend open(Settings settings, Pool pool);
}
