package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process pool whose worker cannot be launched because the JVM has no descriptor left, as a
 * single-file program under {@code ulimit -n} meets it. A busy service runs out of descriptors for
 * a moment; its pool must not break for good at that moment, nor keep its callers waiting for
 * ever if the moment lasts: it launches again, later and later, and breaks only after five
 * seconds without a worker, with the reason.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class NoDescriptorLeftTest {
    @TempDir
    Path dir;

    @Test
    void aPoolLaunchesAgainOnceDescriptorsAreBackAndBreaksIfTheyNeverCome() throws Exception {
        Path main = dir.resolve("Main.java");
        Files.writeString(main, """
                import dev.weft.BrokenProcessPoolException;
                import dev.weft.Pool;
                import dev.weft.ProcessPool;
                import java.io.FileInputStream;
                import java.io.IOException;
                import java.util.ArrayList;
                import java.util.List;
                import java.util.concurrent.ExecutionException;
                import java.util.concurrent.Future;
                import java.util.concurrent.TimeUnit;

                public class Main {
                    /** Takes every descriptor this JVM may still open. */
                    static List<FileInputStream> takeAll() {
                        List<FileInputStream> taken = new ArrayList<>();
                        try {
                            for (;;) {
                                taken.add(new FileInputStream("/dev/null"));
                            }
                        } catch (IOException full) {
                            return taken;
                        }
                    }

                    static void giveBack(List<FileInputStream> taken) throws IOException {
                        for (FileInputStream in : taken) {
                            in.close();
                        }
                    }

                    public static void main(String[] args) throws Exception {
                        try (ProcessPool a = Pool.processes(c -> c.withName("a").withWorkers(1).withLazyStart());
                             ProcessPool b = Pool.processes(c -> c.withName("b").withWorkers(1).withLazyStart())) {
                            // Each pool's first task launches its worker, in the submit, with no descriptor left.
                            List<FileInputStream> taken = takeAll();
                            Future<Integer> first = a.submit(() -> 40 + 2);
                            giveBack(taken);
                            System.out.println("a: " + first.get(30, TimeUnit.SECONDS));

                            // A pool closed while its launch waits: its task still runs, and close waits for it.
                            long children = ProcessHandle.current().children().count();     // pool a's worker
                            ProcessPool c = Pool.processes(config -> config.withName("c").withWorkers(1).withLazyStart());
                            taken = takeAll();
                            Future<Integer> pending = c.submit(() -> 7);
                            Thread closer = Thread.ofPlatform().start(c::close);
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                            while (closer.getState() != Thread.State.WAITING && closer.getState() != Thread.State.TIMED_WAITING
                                    && System.nanoTime() < deadline) {
                                Thread.onSpinWait();
                            }
                            giveBack(taken);
                            System.out.println("c: " + pending.get(30, TimeUnit.SECONDS));
                            closer.join(30_000);
                            System.out.println("c closed: " + c.isTerminated() + ", workers left "
                                    + (ProcessHandle.current().children().count() - children));

                            // A worker launched, then no descriptor left to take its connection: it started
                            // no task, so its task goes to the next worker.
                            java.util.Set<Long> before = new java.util.HashSet<>();
                            ProcessHandle.current().children().forEach(p -> before.add(p.pid()));
                            ProcessPool d = Pool.processes(config -> config.withName("d").withWorkers(1).withLazyStart());
                            Future<Integer> late = d.submit(() -> 9);
                            ProcessHandle launched = ProcessHandle.current().children()
                                    .filter(p -> !before.contains(p.pid())).findFirst().orElseThrow();
                            taken = takeAll();
                            launched.onExit().handle((p, e) -> p).get(30, TimeUnit.SECONDS);
                            giveBack(taken);
                            System.out.println("d: " + late.get(30, TimeUnit.SECONDS));
                            d.close();

                            taken = takeAll();
                            long start = System.nanoTime();
                            Future<Integer> never = b.submit(() -> 1);
                            try {
                                System.out.println("b: " + never.get(30, TimeUnit.SECONDS));
                            } catch (ExecutionException e) {
                                System.out.println("b failed after " + (System.nanoTime() - start) / 1_000_000_000
                                        + " s: " + e.getCause().getMessage().lines().findFirst().orElseThrow());
                            } finally {
                                giveBack(taken);
                            }
                            try {
                                b.submit(() -> 4);
                                System.out.println("b took another task");
                            } catch (BrokenProcessPoolException e) {
                                System.out.println("b refuses tasks: " + e.getClass().getSimpleName());
                            }
                            System.out.println("a again: " + a.submit(() -> 3).get(30, TimeUnit.SECONDS));

                            // A pool terminated while its launches fail ends at once: its row of launches with it.
                            ProcessPool e = Pool.processes(config -> config.withName("e").withWorkers(1).withLazyStart());
                            taken = takeAll();
                            Future<Integer> dropped = e.submit(() -> 5);
                            e.terminate();
                            boolean ended = e.awaitTermination(30, TimeUnit.SECONDS);
                            giveBack(taken);
                            System.out.println("e terminated: " + ended + ", its task cancelled: " + dropped.isCancelled());
                        }
                        System.out.println("children left: " + ProcessHandle.current().children().count());
                    }
                }
                """);
        Programs.Output output = Programs.run(List.of("sh", "-c", "ulimit -n 256 && exec \"$0\" \"$@\"",
                Programs.tool("java"), "-XX:-MaxFDLimit", "-Dslf4j.internal.verbosity=ERROR",
                "-Dweft.startupCache=off", "-cp", classPath(), main.toString()), dir);

        assertThat(output.out()).as(output.err()).hasSize(9);
        assertThat(output.out().get(0)).isEqualTo("a: 42");
        assertThat(output.out().subList(1, 3)).as("a pool closed while its launch waits runs its task first, "
                + "and leaves no worker").containsExactly("c: 7", "c closed: true, workers left 0");
        assertThat(output.out().get(3)).as("a worker whose connection could not be taken started no task")
                .isEqualTo("d: 9");
        assertThat(output.out().get(4)).as("after five seconds of launches, the pool breaks with the reason")
                .matches("b failed after [5-9] s: pool 'b' is broken: it cannot start a worker JVM \\(it tried "
                        + "\\d+ times in \\d+ ms\\): .*")
                .contains("Too many open files");
        assertThat(output.out().subList(5, 9)).containsExactly("b refuses tasks: BrokenProcessPoolException", "a again: 3",
                "e terminated: true, its task cancelled: true", "children left: 0");
        assertThat(output.err()).as("the first launch of each pool failed, and was reported")
                .contains("pool 'a' cannot start a worker JVM now, and tries again for 5 s while it has no worker")
                .contains("pool 'b' cannot start a worker JVM now")
                .contains("pool 'd' cannot start a worker JVM now, and tries again for 5 s while it has no worker: "
                        + "java.io.IOException: Too many open files")
                .contains("Too many open files")
                .containsPattern("pool 'a' started worker 1 after \\d+ failed launches");
    }

    /** Weft's jar, as a user has it: classes read from a directory would need a descriptor each. */
    private String classPath() throws Exception {
        return String.join(File.pathSeparator, Programs.weftJar(dir).toString(),
                Programs.location(org.slf4j.Logger.class), Programs.location(org.slf4j.simple.SimpleLogger.class));
    }
}
