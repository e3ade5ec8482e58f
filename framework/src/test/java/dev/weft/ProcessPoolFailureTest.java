package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Await;
import dev.weft.testing.Flag;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weftfixture.FixtureException;

/**
 * What happens when workers fail: CPython's {@code test_deadlock.py} and
 * {@code test_process_pool.py} as a checklist. Each case is bounded: a future that a dead worker
 * held fails promptly, and nobody waits for ever.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolFailureTest {

    private static Throwable failureOf(Future<?> future) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected " + future + " to fail");
    }

    /** A worker that exits mid-task fails that task with its exit code and stderr; a new worker takes over. */
    @Test
    void workerThatExitsFailsItsTaskAndIsReplaced() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            long first = pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS);
            TaskFuture<Object> dying = pool.submit(() -> {
                System.err.println("last words of the worker");
                System.err.flush();
                Runtime.getRuntime().halt(42);
                return null;
            });
            Throwable failure = failureOf(dying);
            assertThat(failure).isInstanceOf(BrokenProcessPoolException.class).hasMessageContaining("exited with code 42");
            BrokenProcessPoolException broken = (BrokenProcessPoolException) failure;
            assertThat(broken.exitCode()).isEqualTo(42);
            assertThat(broken.stderrTail()).contains("last words of the worker");
            long second = pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS);
            assertThat(second).isNotEqualTo(first);
        }
    }

    /** A worker killed from outside (kill -9) fails the task it was running, promptly. */
    @Test
    void workerKilledFromOutsideFailsItsTask() throws Exception {
        Flag started = Flag.create();
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            TaskFuture<Object> f = pool.submit(() -> {
                started.raise();
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                return null;
            });
            started.await("the task started");
            long pid = ((ProcessPoolImpl) pool).pids().get(0);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertThat(failureOf(f)).isInstanceOf(BrokenProcessPoolException.class);
            assertThat(pool.submit(() -> 2).get(30, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    /** With BREAK, a death breaks the pool: the pending tasks fail and later submissions are rejected. */
    @Test
    void breakPolicyFailsPendingTasksAndRejectsNewOnes() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withTasksInFlight(1)
                .withAfterDeath(ProcessPool.AfterDeath.BREAK))) {
            TaskFuture<Object> dying = pool.submit(() -> {
                Runtime.getRuntime().halt(3);
                return null;
            });
            List<TaskFuture<Integer>> pending = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                pending.add(pool.submit(() -> 1));
            }
            assertThat(failureOf(dying)).isInstanceOf(BrokenProcessPoolException.class);
            for (TaskFuture<Integer> f : pending) {
                assertThat(failureOf(f)).isInstanceOf(BrokenProcessPoolException.class);
            }
            assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("is broken");
            Await.until("the workers are gone", () -> ((ProcessPoolImpl) pool).pids().isEmpty());
        }
    }

    /** A worker out of memory dies (ExitOnOutOfMemoryError) and its task fails with the pool's exception. */
    @Test
    void workerOutOfMemoryDies() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withHeap("64m"))) {
            TaskFuture<Object> f = pool.submit(() -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            });
            Throwable failure = failureOf(f);
            assertThat(failure).isInstanceOf(BrokenProcessPoolException.class);
            assertThat(((BrokenProcessPoolException) failure).stderrTail()).anyMatch(l -> l.contains("OutOfMemoryError"));
            assertThat(pool.submit(() -> 3).get(30, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }

    /** An initializer that throws breaks the pool with its exception as the cause, and no worker is started again. */
    @Test
    void failingInitializerBreaksThePoolWithoutRespawning() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2).withInitializer(() -> {
            throw new IllegalStateException("cannot initialize");
        }))) {
            TaskFuture<Integer> f = null;
            try {
                f = pool.submit(() -> 1);
            } catch (BrokenProcessPoolException alreadyBroken) {
                assertThat(alreadyBroken).cause().hasMessage("cannot initialize");
            }
            if (f != null) {
                assertThat(failureOf(f)).isInstanceOf(BrokenProcessPoolException.class)
                        .cause().isInstanceOf(IllegalStateException.class).hasMessage("cannot initialize");
            }
            Await.until("the workers are gone", () -> ((ProcessPoolImpl) pool).pids().isEmpty());
            assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(BrokenProcessPoolException.class)
                    .cause().hasMessage("cannot initialize");
            assertThat(((ProcessPoolImpl) pool).pids()).isEmpty();
        }
    }

    /** The initializer runs once per worker, in the thread that then runs the tasks, before the first one. */
    @Test
    void initializerRunsInTheTaskThreadBeforeTheFirstTask() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withName("init")
                .withInitializer(() -> System.setProperty("weft.test.initialized.by", Thread.currentThread().getName())))) {
            List<String> seen = pool.map(x -> System.getProperty("weft.test.initialized.by") + "/"
                    + Thread.currentThread().getName(), List.of(1, 2, 3), 1);
            assertThat(seen).containsOnly("weft-process-init-1/weft-process-init-1");
        }
    }

    /** A worker JVM that cannot start breaks the pool, saying why; no respawn loop. */
    @Test
    void workerThatCannotStartBreaksThePool() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withJvmArgs("-XX:+NoSuchWeftFlag"))) {
            Await.until("the pool is broken", () -> pool.toString().contains("broken"));
            assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(BrokenProcessPoolException.class)
                    .hasMessageContaining("before it was ready").hasMessageContaining("NoSuchWeftFlag");
        }
    }

    /** A task whose deserialization fails in the worker fails that task; the worker lives on. */
    @Test
    void taskThatCannotBeDeserializedInTheWorkerFailsOnlyItself() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            long pid = pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS);
            PoisonOnRead poison = new PoisonOnRead();
            TaskFuture<Integer> f = pool.submit(() -> poison.hashCode());
            assertThat(failureOf(f)).isInstanceOf(IllegalStateException.class).hasMessage("poisoned on read");
            assertThat(pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS)).isEqualTo(pid);
        }
    }

    /** Throws when deserialized: only in a worker. */
    static final class PoisonOnRead implements Serializable {
        private static final long serialVersionUID = 1L;

        @java.io.Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            throw new IllegalStateException("poisoned on read");
        }
    }

    /** An exception the parent's filter refuses arrives as a RemoteTaskException with its class name and message. */
    @Test
    void undeserializableExceptionBecomesRemoteTaskException() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            TaskFuture<Object> f = pool.submit(() -> {
                throw new FixtureException("not allowed here");
            });
            assertThat(failureOf(f)).isInstanceOf(RemoteTaskException.class).hasMessageContaining("withAllowedClasses");
        }
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withAllowedClasses("weftfixture.*"))) {
            TaskFuture<Object> f = pool.submit(() -> {
                throw new FixtureException("allowed");
            });
            assertThat(failureOf(f)).isInstanceOf(FixtureException.class).hasMessage("allowed");
        }
    }

    /** A worker whose parent dies exits by itself: no orphan outlives the parent. */
    @Test
    void workersExitWhenTheirParentDies() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process parent = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.weft.testing.OrphanParent").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Long> pids;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).startsWith("PIDS ");
            pids = Arrays.stream(line.substring(5).trim().split(" ")).map(Long::valueOf).toList();
        } finally {
            parent.destroyForcibly();
        }
        assertThat(pids).isNotEmpty();
        parent.waitFor(30, TimeUnit.SECONDS);
        for (long pid : pids) {
            Await.until("orphaned worker " + pid + " exited",
                    () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
    }

    /**
     * A parent killed with SIGKILL leaves no worker and nothing in its temporary directory: no
     * argument file, no socket, no directory.
     */
    @Test
    void killedParentLeavesNoWorkerAndNoFile(@TempDir Path temp) throws Exception {
        Process parent = orphanParent(temp);
        List<Long> pids = workersOf(parent);
        assertThat(pids).hasSize(2);
        parent.destroyForcibly();
        assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (long pid : pids) {
            Await.until("orphaned worker " + pid + " exited",
                    () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
        Await.until("the killed parent's temporary directory is empty", () -> entries(temp).isEmpty());
    }

    /**
     * A parent killed while its worker is starting, its argument file and socket still in place,
     * leaves nothing either: the worker finds its parent gone as it starts, deletes them and exits.
     */
    @Test
    void parentKilledWhileItsWorkerStartsLeavesNothing(@TempDir Path temp, @TempDir Path pauses) throws Exception {
        Path pauseFile = pauses.resolve("worker.paused");
        Process parent = orphanParent(temp, pauseFile.toString());
        List<Long> pids;
        try {
            pids = workersOf(parent);
            assertThat(pids).hasSize(1);
            assertThat(entries(temp)).as("the worker's rendezvous, while it starts").singleElement()
                    .satisfies(name -> assertThat(name).startsWith("weft-worker-"));
        } finally {
            parent.destroyForcibly();
            assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Files.deleteIfExists(pauseFile);            // the worker goes on starting, without its parent
        }
        Await.until("the orphaned worker exited", () -> ProcessHandle.of(pids.get(0)).map(h -> !h.isAlive()).orElse(true),
                Duration.ofSeconds(60));
        Await.until("the killed parent's temporary directory is empty", () -> entries(temp).isEmpty());
    }

    /** Starts {@link dev.weft.testing.OrphanParent} with {@code temp} as its temporary directory. */
    private static Process orphanParent(Path temp, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Djava.io.tmpdir=" + temp,
                "-Dslf4j.internal.verbosity=ERROR", "-cp", System.getProperty("java.class.path"),
                "dev.weft.testing.OrphanParent"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The pids the orphan parent prints, once its workers are up (or paused). */
    private static List<Long> workersOf(Process parent) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).startsWith("PIDS ");
        return Arrays.stream(line.substring(5).trim().split(" ")).map(Long::valueOf).toList();
    }

    private static List<String> entries(Path directory) {
        try (var list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The soak: many tasks while workers are killed at random as results come in. Every future
     * ends in exactly one state, the survivors' results are right, and no worker process is left.
     */
    @Test
    void soakEveryFutureEndsWhileWorkersAreKilled() throws Exception {
        int tasks = Integer.getInteger("weft.soak.tasks", 2_000);
        int kills = 8;
        Set<Long> everyPid = new HashSet<>();
        List<TaskFuture<Integer>> futures = new ArrayList<>();
        ProcessPoolImpl pool = (ProcessPoolImpl) Pool.processes(c -> c.withWorkers(2).withTasksInFlight(4));
        try {
            for (int i = 0; i < tasks; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    Thread.sleep(1);            // simulated work, so that kills land on running tasks
                    return n * 2;
                }));
            }
            Duration startBound = Duration.ofSeconds(30);     // a JVM start on a loaded machine can take seconds
            for (int k = 1; k <= kills; k++) {
                int progress = k * tasks / (kills + 2);
                Await.until(progress + " tasks ended", () -> futures.stream().filter(TaskFuture::isDone).count() >= progress,
                        startBound);
                // Kill only with both workers up: the soak is about kills while tasks run, not about an empty pool.
                Await.until("both workers are ready", () -> pool.readyPids().size() == 2, startBound);
                List<Long> ready = pool.readyPids();
                everyPid.addAll(pool.pids());
                if (!ready.isEmpty()) {
                    long victim = ready.get(ThreadLocalRandom.current().nextInt(ready.size()));
                    ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            int ok = 0, broken = 0;
            for (int i = 0; i < tasks; i++) {
                TaskFuture<Integer> f = futures.get(i);
                try {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(i * 2);
                    ok++;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(BrokenProcessPoolException.class);
                    broken++;
                }
                assertThat(f.state()).isIn(Future.State.SUCCESS, Future.State.FAILED);
            }
            assertThat(ok + broken).isEqualTo(tasks);
            assertThat(broken).isBetween(1, kills * 4);       // at most tasksInFlight per kill
        } finally {
            everyPid.addAll(pool.pids());
            pool.close();
        }
        assertThat(everyPid).isNotEmpty().allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
    }

    /** A modular application: a parent with dev.weft on the module path starts its workers the same way. */
    @Test
    void workersOfAModularParentRunOnTheModulePath() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String weft = Path.of(Pool.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String slf4j = Path.of(org.slf4j.LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String tests = Path.of(ProcessPoolFailureTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        Process parent = new ProcessBuilder(java.toString(), "-Dslf4j.internal.verbosity=ERROR",
                "-p", weft + File.pathSeparator + slf4j,
                "--add-modules", "dev.weft", "-cp", tests, "dev.weft.testing.ModularParent")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(parent.exitValue()).isZero();
            assertThat(line).isEqualTo("PARENT dev.weft WORKERS dev.weft/2,dev.weft/4,dev.weft/6");
        } finally {
            parent.destroyForcibly();
        }
    }
}
