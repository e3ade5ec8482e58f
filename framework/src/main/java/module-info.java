/**
 * Weft: structured concurrency on virtual threads.
 *
 * <p>The API is the package {@code dev.weft}; everything else is implementation.
 */
module dev.weft {
    requires java.management;
    requires org.slf4j;

    exports dev.weft;
}
