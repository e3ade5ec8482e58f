/**
 * Weft: structured concurrency on virtual threads.
 *
 * <p>The API is the package {@code dev.weft}; everything else is implementation.
 */
@SuppressWarnings("module")   // dev.weft.sts and dev.weft.hazelcast, the targets of the qualified exports, are built after this module
module dev.weft {
    requires java.management;
    requires org.slf4j;
    // Flight Recorder's events, where the module is there: see dev.weft.internal.jfr.Jfr, which guards them.
    requires static jdk.jfr;

    exports dev.weft;
    // Internal: the engine SPI, for the optional StructuredTaskScope engine (docs/adr/0004) and the
    // cluster engine (docs/adr/0006) only.
    exports dev.weft.spi to dev.weft.sts, dev.weft.hazelcast;
    // Internal: the serialization codec and its filter, which the cluster engine's members use too (docs/adr/0008).
    exports dev.weft.internal.wire to dev.weft.hazelcast;
    // Internal: what a member does with a cluster pool's task (docs/adr/0008).
    exports dev.weft.internal.cluster to dev.weft.hazelcast;

    uses dev.weft.spi.EngineProvider;
    uses dev.weft.spi.ClusterProvider;
}
