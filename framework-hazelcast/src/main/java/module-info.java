/**
 * Weft's cluster engine: {@code Pool.cluster()} on the members of an embedded Hazelcast cluster.
 * The core finds it as a service; applications name only {@link dev.weft.hazelcast.ClusterMember},
 * to start a member that serves without a pool of its own.
 *
 * <p>Hazelcast has no module descriptor: on the module path it is the automatic module
 * {@code com.hazelcast.core}, the name its jar's manifest gives. The core exports its engine SPI
 * and its wire to this module by name, so the name must stay {@code dev.weft.hazelcast}.
 */
// Hazelcast's jar has no module descriptor, only a name; ClusterMember.hazelcast() returns its type.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.weft.hazelcast {
    requires transitive dev.weft;                  // ClusterMember.start takes a ClusterPool.Configuration
    requires transitive com.hazelcast.core;        // ClusterMember.hazelcast() returns a HazelcastInstance

    exports dev.weft.hazelcast;

    provides dev.weft.spi.ClusterProvider with dev.weft.hazelcast.HazelcastClusterProvider;
}
