package dev.weft.sts;

import dev.weft.spi.Engine;
import dev.weft.spi.EngineProvider;
import java.lang.management.ManagementFactory;

/**
 * Finds out whether the {@code sts} engine can run in this JVM, without loading it.
 *
 * <p>This class uses no preview API, so its class file is a plain JDK 25 one that loads with or
 * without {@code --enable-preview}; {@link StsEngine} uses {@code StructuredTaskScope}, so its class
 * file loads only on JDK 25 with the flag. That is why the engine is named here by a string, not a
 * class literal or a {@code new}: nothing in this class's code makes the JVM load it, until
 * {@link #engine()} does, after {@link #unavailableReason()} said yes.
 */
public final class StsEngineProvider implements EngineProvider {
    /** The one feature release whose preview StructuredTaskScope this module was compiled against. */
    static final int RELEASE = 25;
    private static final String ENGINE = "dev.weft.sts.StsEngine";

    /** For {@link java.util.ServiceLoader}. */
    public StsEngineProvider() {
    }

    @Override
    public String name() {
        return "sts";
    }

    @Override
    public String unavailableReason() {
        int feature = Runtime.version().feature();
        if (feature != RELEASE) {
            return "module dev.weft.sts is built for JDK " + RELEASE + "'s preview StructuredTaskScope, and "
                    + "this JVM is JDK " + feature + "; use the artifact dev.weft:weft-sts-jdk" + feature + " if there is one, or the core engine";
        }
        if (!previewEnabled()) {
            return "the JVM was started without --enable-preview, which JDK " + RELEASE
                    + "'s StructuredTaskScope needs";
        }
        return null;
    }

    /**
     * Whether the JVM runs with {@code --enable-preview}: the launcher passes the flag to the VM,
     * which lists it among its input arguments, wherever it came from (the command line,
     * {@code JDK_JAVA_OPTIONS}, {@code JAVA_TOOL_OPTIONS}, an {@code @argfile}).
     */
    static boolean previewEnabled() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("--enable-preview");
    }

    @Override
    public Engine engine() {
        try {
            return (Engine) Class.forName(ENGINE, true, StsEngineProvider.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + ENGINE, e);
        }
    }
}
