package dev.weft.internal.jfr;

/**
 * Whether JDK Flight Recorder's API, the module {@code jdk.jfr}, is in this JVM: the guard in front
 * of every event class of this package.
 *
 * <p>Weft's module reads {@code jdk.jfr} only where it is there ({@code requires static}). It
 * normally is, even on the module path ({@code java.management} binds {@code jdk.management.jfr},
 * which requires it; {@code -XX:StartFlightRecording} adds it); but a runtime image made without it
 * ({@code jlink}), or a JVM whose {@code --limit-modules} leaves it out, has no
 * {@code jdk.jfr.Event}, and loading an event class there throws {@link NoClassDefFoundError}. So the rest of Weft calls {@link ScopeEvents},
 * {@link PoolEvents} and {@link WorkerEvents} only when {@link #PRESENT} is true, or with a token
 * that one of them returned, and never holds a value of an event type: tokens are typed
 * {@code Object}, so that verifying a Weft class never loads an event class either. This class
 * names no {@code jdk.jfr} type.
 *
 * <p>{@link #PRESENT} is a constant to the JIT: where {@code jdk.jfr} is absent, the guarded code
 * compiles away. Where it is present and no recording runs, each guard costs the
 * {@code Event.isEnabled()} checks of the facades, a few loads.
 */
public final class Jfr {
    /** Whether the module {@code jdk.jfr} is in the layer of Weft's module, and Weft reads it. */
    public static final boolean PRESENT = present();

    private Jfr() {
    }

    private static boolean present() {
        Module self = Jfr.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        return layer.findModule("jdk.jfr").filter(self::canRead).isPresent();
    }
}
