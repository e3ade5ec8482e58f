package dev.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of every live thread, virtual threads included, from an in-process thread dump
 * ({@code HotSpotDiagnosticMXBean.dumpThreads}, the API behind {@code jcmd Thread.dump_to_file}).
 * {@link Thread#getAllStackTraces()} lists platform threads only; this also sees the virtual threads
 * that Weft starts by default. Names are read from the JSON form of the dump.
 *
 * <p>The bean is reached by reflection: the tests are compiled into module {@code dev.weft}, which does
 * not read {@code jdk.management}, but they run on the class path, where the bean is accessible.
 */
public final class ThreadDump {
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private ThreadDump() {
    }

    /** Returns the name of every thread alive at the time of the dump, platform and virtual. */
    public static List<String> liveThreadNames() {
        List<String> names = new ArrayList<>();
        Matcher m = NAME.matcher(json());
        while (m.find()) {
            names.add(m.group(1).replace("\\/", "/"));
        }
        return names;
    }

    /**
     * Returns the whole dump in its JSON form, as {@code jcmd <pid> Thread.dump_to_file -format=json}
     * writes it: every thread container (the root, executors, structured scopes) with its parent,
     * owner and threads.
     */
    public static String json() {
        try {
            Path dir = Files.createTempDirectory("weft-thread-dump");
            Path file = dir.resolve("threads.json");
            try {
                dumpJson(file);
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void dumpJson(Path file) {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<? extends Enum> format = (Class<? extends Enum>)
                    Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object bean = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, beanType);
            beanType.getMethod("dumpThreads", String.class, format)
                    .invoke(bean, file.toString(), Enum.valueOf(format, "JSON"));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot take a thread dump through HotSpotDiagnosticMXBean", e);
        }
    }
}
