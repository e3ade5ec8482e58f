package dev.weft.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import dev.weft.Pool;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A modular application: with {@code dev.weft} on the module path, the cluster engine works only as
 * the module {@code dev.weft.hazelcast}, to which the core exports its SPI and its wire. Each test
 * runs {@link org.example.ModularApp} in a JVM of its own; the app asks for a pool on a host that
 * cannot exist, so the engine is found, loaded and configured, and refuses before a member starts.
 */
class ModulePathTest {

    /**
     * On the module path, weft-hazelcast is an explicit module that the core's ServiceLoader finds by
     * service binding, and its provider reaches the SPI and the wire: the error is the engine's own.
     */
    @Test
    void onTheModulePathTheCoreFindsAndLoadsTheEngine() throws Exception {
        List<String> out = run(List.of(weft(), engine(), hazelcast(), slf4j()), List.of(tests()));
        assertThat(out).containsExactly(
                "MODULE explicit [dev.weft.spi.ClusterProvider with [dev.weft.hazelcast.HazelcastClusterProvider]]",
                "POOL java.lang.IllegalArgumentException: the cluster host 'no-such-host.invalid' is not a known host "
                        + "name or address; pass this machine's address on the members' network to withHost");
    }

    /**
     * The case the module fixes, side by side: with the core on the module path and the engine on the
     * class path, the engine cannot reach the SPI, which the core exports to dev.weft.hazelcast only;
     * the pool says so, and what to do, at the call.
     */
    @Test
    void onTheClassPathBesideAModularCoreTheEngineCannotReachTheSpi() throws Exception {
        List<String> out = run(List.of(weft(), slf4j()), List.of(tests(), engine(), hazelcast()));
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo("MODULE absent");
        assertThat(out.get(1)).startsWith("POOL java.lang.IllegalStateException: the cluster engine cannot be loaded: "
                + "Weft is on the module path (module dev.weft) and the engine is on the class path")
                .contains("Put weft-hazelcast, and hazelcast, on the module path too")
                .contains("java.lang.IllegalAccessError: superinterface check failed: class "
                        + "dev.weft.hazelcast.HazelcastClusterProvider (in unnamed module")
                .contains("cannot access class dev.weft.spi.ClusterProvider (in module dev.weft)");
    }

    /** Runs the app with {@code modulePath} and {@code classPath}; returns what it printed. */
    private static List<String> run(List<Path> modulePath, List<Path> classPath) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dslf4j.internal.verbosity=ERROR", "--module-path", join(modulePath), "--add-modules", "dev.weft",
                "-cp", join(classPath), "org.example.ModularApp"));
        Process app = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String printed = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the app ended").isTrue();
            assertThat(app.exitValue()).as("the app's exit code; it printed:%n%s", printed).isZero();
            return printed.lines().toList();
        } finally {
            app.destroyForcibly();
        }
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }

    private static Path weft() throws Exception {
        return locationOf(Pool.class);
    }

    /** This module's classes, module-info.class included. */
    private static Path engine() throws Exception {
        return locationOf(HazelcastClusterProvider.class);
    }

    private static Path hazelcast() throws Exception {
        return locationOf(Hazelcast.class);
    }

    private static Path slf4j() throws Exception {
        return locationOf(org.slf4j.LoggerFactory.class);
    }

    private static Path tests() throws Exception {
        return locationOf(org.example.ModularApp.class);
    }

    private static Path locationOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
