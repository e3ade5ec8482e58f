/**
 * Weft: structured concurrency on virtual threads.
 *
 * <p>The API is the package {@code dev.weft}; everything else is implementation.
 */
@SuppressWarnings("module")   // dev.weft.sts, the target of the qualified export, is built after this module
module dev.weft {
    requires java.management;
    requires org.slf4j;

    exports dev.weft;
    // Internal: the engine SPI, for the optional StructuredTaskScope engine only (docs/adr/0004).
    exports dev.weft.spi to dev.weft.sts;

    uses dev.weft.spi.EngineProvider;
}
