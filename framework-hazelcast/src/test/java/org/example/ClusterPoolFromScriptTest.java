package org.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import dev.weft.Pool;
import dev.weft.hazelcast.ClusterMember;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster pool from a single-file program ({@code java Main.java}), whose classes exist only in
 * the source launcher's memory: a member in the program's own JVM finds them in the context class
 * loader of the thread that configured it, and the pool finds its results' classes in its opener's.
 * (A member in another JVM needs them on its class path, as the guide says.) Runs in a JVM of its
 * own, on the library, the engine, Hazelcast and slf4j-api only.
 */
class ClusterPoolFromScriptTest {
    @TempDir
    Path dir;

    /** A lambda, a record and an initializer of the script cross to both members and back, and a map of its records. */
    @Test
    void aSingleFileProgramUsesAClusterPoolWithTwoMembersInItsJvm() throws Exception {
        Path main = dir.resolve("Main.java");
        Files.writeString(main, """
                import dev.weft.ClusterPool;
                import dev.weft.Pool;
                import dev.weft.hazelcast.ClusterMember;
                import java.util.List;

                public class Main {
                    record Point(int x, int y) implements java.io.Serializable {}

                    public static void main(String[] args) throws Exception {
                        ClusterPool.Configuration config = ClusterPool.Configuration.defaults()
                                .withClusterName("script-" + ProcessHandle.current().pid()).withPort(5951)
                                .withMembers("127.0.0.1:5951").withAllowedClasses("Main", "Main$*")
                                .withInitializer(() -> System.setProperty("script.ready", "yes"));
                        try (ClusterMember other = ClusterMember.start(config); ClusterPool pool = Pool.cluster(c -> config)) {
                            for (ClusterPool.Member m : pool.members()) {
                                int k = 3;
                                System.out.println((m.local() ? "local " : "other ") + pool.submitTo(m, () -> new Point(k, 2 * k)).get()
                                        + " " + pool.submitTo(m, () -> System.getProperty("script.ready")).get());
                            }
                            System.out.println("map " + pool.map(x -> new Point(x, x), List.of(1, 2), 1));
                        }
                    }
                }
                """);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dslf4j.internal.verbosity=ERROR", "-cp", String.join(File.pathSeparator, locationOf(Pool.class),
                        locationOf(ClusterMember.class), locationOf(Hazelcast.class), locationOf(org.slf4j.Logger.class)),
                main.toString());
        Process app = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String printed = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(app.waitFor(120, TimeUnit.SECONDS)).as("the program ended").isTrue();
            assertThat(app.exitValue()).as("the program's exit code; it printed:%n%s", printed).isZero();
            assertThat(printed.lines()).contains("local Point[x=3, y=6] yes", "other Point[x=3, y=6] yes",
                    "map [Point[x=1, y=1], Point[x=2, y=2]]");
        } finally {
            app.destroyForcibly();
        }
    }

    private static String locationOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
