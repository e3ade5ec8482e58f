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
 * {@code Object}, so that verifying a Weft class never loads an event class either. Only its nested
 * {@code Recorder} names a {@code jdk.jfr} type, and it loads only where the module is present.
 *
 * <p>Where the module is present, Weft loads its event classes only once Flight Recorder has
 * started in this JVM ({@link #started}: a recording runs or ran). JFR instruments an event class as
 * it loads, with the JDK's class-file library, which cost a cold JVM about 130 ms at its first scope
 * or pool; a JVM that never records never pays it. {@link #PRESENT} is a constant to the JIT: where
 * {@code jdk.jfr} is absent, the guarded code compiles away. Where it is present, each guard costs a
 * volatile read, and once a recording has started, the {@code Event.isEnabled()} checks of the facades.
 */
public final class Jfr {
    /** Whether the module {@code jdk.jfr} is in the layer of Weft's module, and Weft reads it. */
    public static final boolean PRESENT = present();

    private Jfr() {
    }

    /**
     * Whether Weft may record: {@code jdk.jfr} is present and Flight Recorder has started in this
     * JVM ({@code -XX:StartFlightRecording}, {@code jcmd JFR.start}, a {@code Recording} or a
     * {@code RecordingStream} started, now or earlier). Guards every use of the event facades.
     */
    public static boolean started() {
        return PRESENT && Recorder.started();
    }

    /** Names {@code jdk.jfr}'s {@code FlightRecorder}: loaded only where {@link #PRESENT}. */
    private static final class Recorder {
        static boolean started() {
            return jdk.jfr.FlightRecorder.isInitialized();
        }
    }

    private static boolean present() {
        Module self = Jfr.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        return layer.findModule("jdk.jfr").filter(self::canRead).isPresent();
    }
}
