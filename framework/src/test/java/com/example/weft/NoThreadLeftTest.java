package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process pool whose worker is launched when its user has no thread left ({@code ulimit -u}),
 * as a single-file program meets it: the worker's JVM is spawned, and then the JVM cannot start
 * the threads that read it. That used to throw {@code OutOfMemoryError} out of {@code submit},
 * whose task was then neither run nor failed, and left the worker's JVM running until the program
 * ended. Now it is a launch that fails for want of something the machine gives back: the worker
 * is killed, the launch is made again later, and the task runs once threads are back.
 *
 * <p>The limit binds only a user without the privilege to exceed it, so the program runs as an
 * unprivileged user ({@code setpriv}, which needs root): this test runs where that is possible,
 * as in CI.
 */
@EnabledOnOs(OS.LINUX)
class NoThreadLeftTest {
    /** A user id that no account has: its processes are the program's alone. */
    private static final String USER = "54321";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @TempDir
    Path dir;

    /**
     * A pool whose first worker started while threads were plentiful has what its watch needs (a
     * carrier thread, and the JDK's timer for virtual threads, which that start started): the
     * launch of its second worker is made again, later and later, and the task runs once the
     * threads are back.
     */
    @Test
    void aLaunchWithNoThreadLeftIsMadeAgainAndItsTaskRunsOnceThreadsAreBack() throws Exception {
        List<String> out = run(program(), "pool-first");
        assertThat(out).as(err).containsExactly("first 1", "submitted", "waiting", "result 42", "children left: 0");
        assertThat(err).as("the launch failed for want of a thread, and was made again")
                .contains("cannot start a worker JVM now, and tries again for 5 s while it has no worker: "
                        + "java.io.IOException: cannot start the threads of worker 2: unable to create native thread")
                .containsPattern("started worker \\d+ after \\d+ failed launches");
    }

    /**
     * A pool made when no thread was left could not start what its watch needs, nor the watch
     * itself: nothing could launch again later, so the pool breaks at once, and the task fails
     * with why, instead of waiting for ever.
     */
    @Test
    void aLaunchWithNoThreadLeftToLaunchAgainBreaksThePoolAndFailsItsTask() throws Exception {
        List<String> out = run(program(), "pool-after");
        assertThat(out).as(err).hasSize(4);
        assertThat(out.subList(0, 2)).as(err).containsExactly("submitted", "failed at once");
        assertThat(out.get(2)).matches("failed: pool 'processes-1' is broken: it cannot start a worker JVM \\(it tried "
                + "once in \\d+ ms\\): java.io.IOException: cannot start the threads of worker 1: unable to create "
                + "native thread.*");
        assertThat(out.get(3)).isEqualTo("children left: 0");
    }

    /**
     * The program: it takes every thread its user may have, but one, which the worker's process
     * takes, then submits a task and gives the threads back after a second. It makes its pool, and
     * runs a task on a worker that then retires, before it takes the threads ({@code pool-first}),
     * or makes it after ({@code pool-after}).
     */
    private Path program() throws Exception {
        Path main = dir.resolve("Main.java");
        Files.writeString(main, """
                import dev.weft.Pool;
                import dev.weft.ProcessPool;
                import dev.weft.TaskFuture;
                import java.io.File;
                import java.util.ArrayList;
                import java.util.List;
                import java.util.concurrent.CountDownLatch;
                import java.util.concurrent.ExecutionException;
                import java.util.concurrent.TimeUnit;
                import java.util.concurrent.TimeoutException;

                public class Main {
                    /** This process's threads, as the kernel counts them against the limit. */
                    static int threads() {
                        return new File("/proc/self/task").list().length;
                    }

                    public static void main(String[] args) throws Exception {
                        new ProcessBuilder("true").start().waitFor();   // the JDK's process reaper, idle for the launches
                        ProcessPool pool = null;
                        if (args[0].equals("pool-first")) {
                            // A worker has run, and retired: the next task needs a launch.
                            pool = Pool.processes(c -> c.withWorkers(1).withLazyStart().withMaxTasksPerChild(1));
                            System.out.println("first " + pool.submit(() -> 1).get(30, TimeUnit.SECONDS));
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                            while ((ProcessHandle.current().children().findAny().isPresent() || Thread.getAllStackTraces()
                                    .keySet().stream().anyMatch(t -> t.getName().startsWith("weft-process-")))
                                    && System.nanoTime() < deadline) {
                                Thread.onSpinWait();
                            }
                        }
                        CountDownLatch release = new CountDownLatch(1);
                        List<Thread> held = new ArrayList<>();
                        try {
                            for (;;) {
                                held.add(Thread.ofPlatform().daemon().start(() -> {
                                    try {
                                        release.await();
                                    } catch (InterruptedException e) {
                                        // let go alone
                                    }
                                }));
                            }
                        } catch (OutOfMemoryError full) {
                            // every thread the user may have
                        }
                        if (pool == null) {
                            pool = Pool.processes(c -> c.withWorkers(1).withLazyStart());
                        }
                        // One place free: the worker's process takes it, and its reading threads find none.
                        int before = threads();
                        Thread last = held.remove(held.size() - 1);
                        last.interrupt();
                        last.join();
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (threads() >= before && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        TaskFuture<Integer> task = pool.submit(() -> 6 * 7);
                        System.out.println("submitted");
                        try {
                            task.get(1, TimeUnit.SECONDS);
                            System.out.println("ran with no thread left");
                        } catch (TimeoutException e) {
                            System.out.println("waiting");
                        } catch (ExecutionException e) {
                            System.out.println("failed at once");
                        }
                        release.countDown();
                        for (Thread t : held) {
                            t.join();
                        }
                        try {
                            System.out.println("result " + task.get(30, TimeUnit.SECONDS));
                        } catch (ExecutionException e) {
                            System.out.println("failed: " + e.getCause().getMessage().lines().findFirst().orElseThrow());
                        }
                        pool.close();
                        System.out.println("children left: " + ProcessHandle.current().children().count());
                    }
                }
                """);
        return main;
    }

    /** The program's standard error, of the last {@link #run}. */
    private String err;

    /**
     * Runs {@code main} as a user whose thread limit binds, with {@code mode}; returns its output but
     * the JVM's warnings, and keeps its standard error in {@link #err}.
     */
    private List<String> run(Path main, String mode) throws Exception {
        assumeTrue("root".equals(ProcessHandle.current().info().user().orElse("")),
                "only root can run the program as a user whose thread limit binds");
        assumeTrue(Files.isExecutable(SETPRIV), "needs " + SETPRIV);
        List<String> jars = new ArrayList<>();
        for (Path jar : List.of(Programs.weftJar(dir), Path.of(Programs.location(org.slf4j.Logger.class)),
                Path.of(Programs.location(org.slf4j.simple.SimpleLogger.class)))) {
            Path copy = dir.resolve("lib-" + jars.size() + ".jar");     // where the unprivileged user may read it
            Files.copy(jar, copy);
            jars.add(copy.toString());
        }
        readableByAll(dir);
        Programs.Output output = Programs.run(List.of(SETPRIV.toString(), "--reuid=" + USER, "--regid=" + USER,
                "--clear-groups", "bash", "-c", "ulimit -u 150 && exec \"$0\" \"$@\"", Programs.tool("java"),
                "-Dweft.startupCache=off", "-cp", String.join(":", jars), main.toString(), mode), dir);

        err = output.err();
        return output.out().stream().filter(l -> !l.startsWith("[")).toList();    // not the JVM's warnings
    }

    /** Lets any user read {@code dir} and what it holds: the program runs as another user. */
    private static void readableByAll(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }
}
