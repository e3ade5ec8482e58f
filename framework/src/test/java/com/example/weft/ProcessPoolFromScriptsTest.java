package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process pool from programs whose classes exist only in the parent's memory: a single-file
 * program ({@code java Main.java}) and a jshell script, as Python's multiprocessing works from a
 * script. Each runs in a JVM of its own, on the library's jar and slf4j-api only.
 */
class ProcessPoolFromScriptsTest {
    @TempDir
    Path dir;

    /** A single-file program: a lambda, an initializer and a record of its own cross to the workers and back. */
    @Test
    void aSingleFileProgramUsesAProcessPool() throws Exception {
        Path main = dir.resolve("Main.java");
        Files.writeString(main, """
                import dev.weft.Pool;
                import dev.weft.ProcessPool;
                import java.util.List;

                public class Main {
                    record Square(long n, long square) implements java.io.Serializable {}

                    static long square(long n) { return n * n; }

                    public static void main(String[] args) throws Exception {
                        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2)
                                .withInitializer(() -> System.setProperty("script.ready", "yes")))) {
                            System.out.println("squares " + pool.map(n -> new Square(n, square(n)), List.of(2L, 3L, 4L)));
                            long k = 5;
                            System.out.println("ready " + pool.submit(() -> System.getProperty("script.ready") + k).get());
                        }
                    }
                }
                """);
        List<String> out = run(List.of(Programs.tool("java"), "-cp", classPath(), main.toString()));
        assertThat(out).contains("squares [Square[n=2, square=4], Square[n=3, square=9], Square[n=4, square=16]]",
                "ready yes5");
    }

    /**
     * A task of a single-file program opens a process pool inside its worker: the inner workers
     * get the program's classes from the outer worker, which had them from the program, as threads
     * inside a worker do (Python's daemonic pool workers may not have children at all).
     */
    @Test
    void aSingleFileProgramsTaskOpensAProcessPoolInItsWorker() throws Exception {
        Path main = dir.resolve("Main.java");
        Files.writeString(main, """
                import dev.weft.Pool;
                import dev.weft.ProcessPool;
                import java.util.List;

                public class Main {
                    record Cube(long n, long cube) implements java.io.Serializable {}

                    /** Used only in the inner task's body: the outer worker never loads it. */
                    static final class Helper {
                        final int n;
                        Helper(int n) { this.n = n; }
                        int twice() { return 2 * n; }
                    }

                    public static void main(String[] args) throws Exception {
                        try (ProcessPool outer = Pool.processes(c -> c.withWorkers(1))) {
                            System.out.println("nested " + outer.submit(() -> {
                                long me = ProcessHandle.current().pid();
                                try (ProcessPool inner = Pool.processes(c -> c.withWorkers(1))) {
                                    long innersParent = inner.submit(() -> ProcessHandle.current().parent().orElseThrow().pid()).get();
                                    return (innersParent == me) + " " + inner.map(n -> new Cube(n, n * n * n), List.of(2L, 3L))
                                            + " " + inner.submit(() -> new Helper(21).twice()).get();
                                }
                            }).get());
                        }
                        System.out.println("left " + ProcessHandle.current().descendants().count());
                    }
                }
                """);
        List<String> out = run(List.of(Programs.tool("java"), "-cp", classPath(), main.toString()));
        assertThat(out).contains("nested true [Cube[n=2, cube=8], Cube[n=3, cube=27]] 42", "left 0");
    }

    /**
     * A pool in a static field of the program's class, the trap Python's spawn start has too: a
     * worker initializes that class for the first task, and its initializer would start a pool in
     * every worker, each with workers of its own (16 workers of 16 each on a 16-core machine).
     * The pool is refused there, with what to do, as Python refuses it; no grandchild starts.
     */
    @Test
    void aPoolInAStaticFieldIsRefusedInTheWorkers() throws Exception {
        Path main = dir.resolve("Main.java");
        Files.writeString(main, """
                import dev.weft.Pool;
                import dev.weft.ProcessPool;
                import java.util.ArrayDeque;
                import java.util.Deque;
                import java.util.List;

                public class Main {
                    static final ProcessPool POOL = Pool.processes(c -> c.withWorkers(2));

                    static int square(int x) { return x * x; }

                    public static void main(String[] args) throws Exception {
                        try {
                            System.out.println("squares " + POOL.map(x -> square(x), List.of(1, 2)));
                        } catch (Exception e) {
                            Deque<Throwable> seen = new ArrayDeque<>(List.of(e));
                            for (Throwable t; (t = seen.poll()) != null; ) {
                                if (t instanceof IllegalStateException) {
                                    System.out.println("refused: " + t.getMessage());
                                    break;
                                }
                                if (t.getCause() != null) seen.add(t.getCause());
                                seen.addAll(List.of(t.getSuppressed()));
                            }
                        }
                        long me = ProcessHandle.current().pid();
                        System.out.println("grandchildren " + ProcessHandle.current().descendants()
                                .filter(p -> p.parent().map(parent -> parent.pid() != me).orElse(false)).count());
                        POOL.close();
                    }
                }
                """);
        List<String> out = run(List.of(Programs.tool("java"), "-cp", classPath(), main.toString()));
        assertThat(out).anySatisfy(line -> assertThat(line)
                .startsWith("refused: a process pool was made by the static initializer of Main in weft-process-")
                .contains("Make the pool in main"));
        assertThat(out).contains("grandchildren 0");
    }

    /** jshell: a snippet's record and method reach the workers. */
    @Test
    void aJshellScriptUsesAProcessPool() throws Exception {
        Path script = dir.resolve("pool.jsh");
        Files.writeString(script, """
                import dev.weft.*;
                record Point(int x, int y) implements java.io.Serializable {}
                int area(Point p) { return p.x() * p.y(); }
                try (var pool = Pool.processes(c -> c.withWorkers(1))) { System.out.println("areas " + pool.map(p -> area(p) + 0L, java.util.List.of(new Point(2, 3), new Point(4, 5)))); System.out.println("point " + pool.submit(() -> new Point(7, 8)).get()); }
                /exit
                """);
        List<String> out = run(List.of(Programs.tool("jshell"), "-J-Djava.util.prefs.userRoot=" + dir.resolve("prefs"),
                "--class-path", classPath(), script.toString()));
        assertThat(out).contains("areas [6, 20]", "point Point[x=7, y=8]");
    }

    /** The library's classes and slf4j-api, as a user's command line would name them. */
    private static String classPath() throws URISyntaxException {
        return String.join(File.pathSeparator, Programs.location(Pool.class),
                Programs.location(org.slf4j.Logger.class));
    }

    private List<String> run(List<String> command) throws IOException, InterruptedException {
        return new ArrayList<>(Programs.run(command, dir).out());
    }
}
