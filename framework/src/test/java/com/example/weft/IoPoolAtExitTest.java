package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An IO pool's work when {@code main} returns, as a single-file program meets it: Python's
 * interpreter waits at exit for what it gave a {@code ThreadPoolExecutor}, and so does the JVM for
 * an IO pool's tasks, queued and running, though they run on virtual threads. An open pool with no
 * work left does not keep the JVM alive, and a closed one leaves no thread behind but, for its
 * short linger, the JVM's one {@code weft-exit-keeper}.
 */
class IoPoolAtExitTest {
    @TempDir
    Path dir;

    /**
     * {@code main} returns with two tasks given to a one-thread IO pool, one running and one
     * queued: both finish before the JVM exits, whether the pool was left open or shut down
     * without waiting.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"open", "shutdown"})
    void theJvmWaitsForAnIoPoolsTasksAtExit(String ending) throws Exception {
        List<String> out = run("""
                import dev.weft.Pool;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        Pool pool = Pool.io(c -> c.withWorkers(1));
                        for (int i = 1; i <= 2; i++) {
                            int n = i;
                            pool.submit(() -> {
                                Thread.sleep(300);          // work that outlasts main
                                System.out.println("task " + n + " finished");
                                return n;
                            });
                        }
                        if (args[0].equals("shutdown")) {
                            pool.shutdown(false, false);
                        }
                        System.out.println("main returns");
                    }
                }
                """, ending);

        assertThat(out).containsExactly("main returns", "task 1 finished", "task 2 finished");
    }

    /** An open IO pool whose tasks are all done lets the JVM exit: it keeps it alive only for work. */
    @ParameterizedTest(name = "{0} workers (0: unbounded)")
    @ValueSource(ints = {0, 2})
    void anIdleOpenIoPoolLetsTheJvmExit(int workers) throws Exception {
        List<String> out = run("""
                import dev.weft.Pool;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        int workers = Integer.parseInt(args[0]);
                        Pool pool = workers == 0 ? Pool.io() : Pool.io(c -> c.withWorkers(workers));
                        System.out.println("result " + pool.submit(() -> 42).get());
                    }
                }
                """, Integer.toString(workers));

        assertThat(out).containsExactly("result 42");
    }

    /**
     * A closed IO pool leaves no thread of its own, and the JVM's keeper, which runs no task, ends
     * within its linger once no pool has work: a bounded join in the program shows it.
     */
    @Test
    void aClosedIoPoolLeavesNoThreadBehind() throws Exception {
        List<String> out = run("""
                import dev.weft.Pool;
                import java.util.List;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        try (Pool pool = Pool.io()) {
                            System.out.println(pool.submit(() -> Thread.getAllStackTraces().keySet().stream()
                                    .filter(t -> t.getName().equals("weft-exit-keeper"))
                                    .map(t -> "while the task runs: a keeper, daemon " + t.isDaemon()
                                            + ", context class loader " + t.getContextClassLoader())
                                    .findFirst().orElse("while the task runs: no keeper")).get());
                        }
                        List<Thread> weft = Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> t.getName().startsWith("weft-")).toList();
                        System.out.println("weft threads " + weft.stream().map(Thread::getName)
                                .filter(n -> !n.equals("weft-exit-keeper")).toList());
                        for (Thread keeper : weft) {
                            keeper.join(10_000);
                        }
                        System.out.println("alive after the linger " + weft.stream().anyMatch(Thread::isAlive));
                    }
                }
                """, "-");

        assertThat(out).containsExactly("while the task runs: a keeper, daemon false, context class loader null",
                "weft threads []",
                "alive after the linger false");
    }

    /** Runs {@code source} as a single-file program with {@code arg}, on Weft and slf4j-api; returns its stdout. */
    private List<String> run(String source, String arg) throws Exception {
        Path main = dir.resolve("Main.java");
        Files.writeString(main, source);
        return Programs.run(List.of(Programs.tool("java"), "-Dslf4j.internal.verbosity=ERROR", "-cp", classPath(),
                main.toString(), arg), dir).out();
    }

    private static String classPath() throws URISyntaxException {
        return String.join(File.pathSeparator, Programs.location(Pool.class),
                Programs.location(org.slf4j.Logger.class));
    }
}
