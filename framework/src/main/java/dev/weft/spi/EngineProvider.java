package dev.weft.spi;

/**
 * Internal, not API (see the package {@code dev.weft.spi}): the service through which the core
 * finds an optional engine, with {@link java.util.ServiceLoader} (a {@code provides} clause on the
 * module path, a {@code META-INF/services/dev.weft.spi.EngineProvider} file on the class path).
 *
 * <p>The core loads providers only on a JDK that has engines (feature release 25 or newer), and
 * asks {@link #unavailableReason()} before {@link #engine()}. An implementation must keep the two
 * apart: the provider class itself must load on any such JDK, so it must not use a preview API; the
 * engine class, which may, is loaded only by {@link #engine()}, and only where it can load.
 * Implementations must have a public no-argument constructor and be thread-safe.
 *
 * @since 0.1
 */
public interface EngineProvider {

    /** The engine's name, as {@code -Ddev.weft.engine=NAME} selects it: {@code "sts"}. */
    String name();

    /**
     * Returns null if the engine can run in this JVM, or else says why not, in a sentence that
     * names the fix ("runs only on JDK 25; this JVM is 26"). Must not load any class that could fail
     * to load here.
     */
    String unavailableReason();

    /** Returns the engine. Called at most once, and only after {@link #unavailableReason()} returned null. */
    Engine engine();
}
