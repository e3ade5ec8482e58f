package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.FailedException;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.SerializableBiFunction;
import dev.weft.SerializableFunction;
import dev.weft.TaskScope;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promises of the pools that a program outside Weft's packages, porting CPython's pool tests,
 * found broken: each test here failed on the code before its fix.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolEdgesTest {

    static Stream<Arguments> kinds() {
        Supplier<Pool> cpu = () -> Pool.cpu(c -> c.withWorkers(1));
        Supplier<Pool> io = Pool::io;
        Supplier<Pool> processes = () -> Pool.processes(c -> c.withWorkers(1).withLazyStart());
        return Stream.of(Arguments.of("cpu", cpu), Arguments.of("io", io), Arguments.of("processes", processes));
    }

    /**
     * A map refused at the call, because the pool is shut down, throws and calls neither callback:
     * the error callback used to hear "the map was cancelled" as well. Python raises and calls
     * nothing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aMapRefusedAtTheCallCallsNoCallback(String kind, Supplier<Pool> pools) {
        Pool pool = pools.get();
        pool.shutdown();
        AtomicInteger called = new AtomicInteger();

        assertThatThrownBy(() -> pool.mapAsync(x -> x, List.of(1, 2), 1, r -> called.incrementAndGet(),
                e -> called.incrementAndGet())).isInstanceOf(RejectedExecutionException.class);
        SerializableBiFunction<Integer, Integer, Integer> first = (a, b) -> a;     // a process pool sends it
        assertThatThrownBy(() -> pool.starmapAsync(first, List.of(Map.entry(1, 2)), 1,
                r -> called.incrementAndGet(), e -> called.incrementAndGet()))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(called).hasValue(0);
    }

    /** Every submitting method refuses a shut-down pool, even for an empty input, as Python does. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void anEmptyInputIsRefusedByAShutDownPool(String kind, Supplier<Pool> pools) {
        Pool pool = pools.get();
        pool.shutdown();
        List<Integer> none = List.of();

        assertThatThrownBy(() -> pool.map(x -> x, none)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("is shut down");
        assertThatThrownBy(() -> pool.mapAsync(x -> x, none)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.imap(x -> x, none)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.imapUnordered(x -> x, none)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.starmap((a, b) -> a, List.<Map.Entry<Integer, Integer>>of()))
                .isInstanceOf(RejectedExecutionException.class);
    }

    /**
     * An item whose task failed with a scope's FailedException is not wrapped twice by the map's:
     * the only failure is passed on as it is, and with others it is flattened.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aMapDoesNotWrapAScopesFailureAgain(String kind, Supplier<Pool> pools) throws Exception {
        SerializableFunction<Integer, String> inAScope = PoolEdgesTest::failInAScope;     // a process pool sends it
        try (Pool pool = pools.get()) {
            for (List<Integer> items : List.of(List.of(1), List.of(1, 2))) {
                Throwable thrown = catchThrowable(() -> pool.map(inAScope, items));
                assertThat(thrown).isInstanceOf(FailedException.class);
                assertThat(thrown.getCause()).as("the cause of %s", thrown).isInstanceOf(IOException.class);
                assertThat(((FailedException) thrown).failures()).hasSize(items.size())
                        .noneMatch(t -> t instanceof FailedException);
            }
        }
    }

    /** Opens a scope whose one subtask fails (with an IOException for item 1), and joins it. */
    private static String failInAScope(int item) {
        try (var scope = TaskScope.<String>open()) {
            scope.fork(() -> {
                throw item == 1 ? new IOException("connection reset") : new IllegalStateException("item " + item);
            });
            return scope.join().get(0);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A done future keeps nothing its task captured, and a map keeps none of its input once it
     * has returned, even while the pool is open or after it closed: CPython's
     * test_release_task_refs. The futures used to hold their tasks, and an IO pool its last
     * thread's, so its last map's whole input.
     */
    @Test
    void doneTasksKeepNothingTheyCaptured() throws Exception {
        try (Pool cpu = Pool.cpu(c -> c.withWorkers(2))) {
            List<WeakReference<byte[]>> captured = new ArrayList<>();
            List<Future<Integer>> kept = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                byte[] payload = new byte[1 << 20];
                captured.add(new WeakReference<>(payload));
                kept.add(cpu.submit(() -> payload.length));
            }
            for (Future<Integer> future : kept) {
                assertThat(future.get()).isEqualTo(1 << 20);
            }
            assertThat(alive(captured)).as("captures alive while their done futures are kept").isZero();
        }

        List<WeakReference<byte[]>> input = new ArrayList<>();
        Pool io = Pool.io();
        try {
            List<byte[]> items = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] item = new byte[1 << 20];
                input.add(new WeakReference<>(item));
                items.add(item);
            }
            assertThat(io.map(b -> b.length, items)).hasSize(20);
            items = null;
            assertThat(alive(input)).as("items alive after map returned").isZero();
        } finally {
            io.close();
        }
        assertThat(alive(input)).as("items alive after close").isZero();
    }

    /**
     * A worker told to stop ends even if a task left it a shutdown hook that waits for good: it
     * halts once its hooks have had a grace period. Its replacement, past the task limit, starts
     * and serves the next task, and close() returns with no worker left; both used to wait for
     * good.
     */
    @Test
    void aWorkerWhoseShutdownHookHangsStillEnds() throws Exception {
        ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withMaxTasksPerChild(1));
        try {
            long first = pool.submit(() -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        new java.util.concurrent.CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                return ProcessHandle.current().pid();
            }).get();
            long second = pool.submit(() -> ProcessHandle.current().pid()).get();
            assertThat(second).isNotEqualTo(first);
        } finally {
            pool.close();
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList()).isEmpty();
    }

    /**
     * Configuration that no worker can start with is refused at the call that set it, saying what
     * to do; each used to be accepted and to fail three worker starts later, or never to apply.
     */
    @Test
    void aWorkerConfigurationThatCannotStartIsRefusedAtTheCall() {
        AtomicReference<ProcessPool.Configuration> given = new AtomicReference<>();
        Pool.processes(c -> {
            given.set(c);
            return c.withLazyStart();
        }).close();
        ProcessPool.Configuration config = given.get();

        assertThatThrownBy(() -> config.withJvmArgs("notAFlag")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'notAFlag' is not a JVM flag");
        assertThat(config.withJvmArgs("--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xss2m").jvmArgs())
                .containsExactly("--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xss2m");
        assertThat(config.withJvmArgs("--add-opens").withJvmArgs("java.base/java.util=ALL-UNNAMED").jvmArgs())
                .hasSize(2);
        assertThatThrownBy(() -> config.withHeap("512")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is 512 bytes").hasMessageContaining("such as 512m");
        assertThatThrownBy(() -> config.withHeap("1k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withHeap("2m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("less than the 4 MiB");
        assertThatThrownBy(() -> config.withJvmArgs("@flags.txt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names an argument file");
        assertThat(config.withHeap("4m").heap()).isEqualTo("4m");
        assertThat(config.withHeap("1g").heap()).isEqualTo("1g");
        assertThatThrownBy(() -> config.withEnvironment("A=B", "c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("withEnvironment(\"NAME\", \"value\")");
        assertThatThrownBy(() -> config.withEnvironment("", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withEnvironment("A", "c\u0000d")).isInstanceOf(IllegalArgumentException.class);
        assertThat(config.withEnvironment("A", "b=c").environment()).containsEntry("A", "b=c");
    }

    /**
     * A process pool's refusals name what went wrong: an item that cannot be sent is not blamed
     * on the function; a plain lambda in a list given to invokeAll is told to cast; and the thread
     * that runs its callbacks, which runs no task, is neither called a worker nor told to add
     * workers.
     */
    @Test
    void aProcessPoolsRefusalsSayWhatToDo() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            Object notSerializable = new Object();
            assertThatThrownBy(() -> pool.map(x -> x.hashCode(), List.of(notSerializable)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Object is not serializable")
                    .hasMessageContaining("the items it is mapped over");
            List<java.util.concurrent.Callable<Integer>> plain = List.of(() -> 1);
            assertThatThrownBy(() -> pool.invokeAll(plain)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cast it to SerializableCallable");

            java.util.concurrent.CompletableFuture<List<Throwable>> fromCallback = new java.util.concurrent.CompletableFuture<>();
            pool.submit(() -> 1).onDone(done -> {
                List<Throwable> refused = new ArrayList<>();
                for (java.util.concurrent.Callable<?> call : List.<java.util.concurrent.Callable<?>>of(
                        () -> pool.apply(x -> x, 2), () -> {
                            pool.close();
                            return null;
                        })) {
                    try {
                        call.call();
                    } catch (Exception e) {
                        refused.add(e);
                    }
                }
                fromCallback.complete(refused);
            });
            List<Throwable> refused = fromCallback.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(refused).hasSize(2);
            assertThat(refused.get(0)).hasMessageContaining("completes this pool's futures and runs their callbacks")
                    .hasMessageNotContaining("more workers");
            assertThat(refused.get(1)).hasMessageContaining("close() from a thread of pool")
                    .hasMessageNotContaining("worker");
        }
    }

    /** How many of {@code refs} are still set after a few full collections. */
    private static long alive(List<? extends WeakReference<?>> refs) {
        for (int gc = 0; gc < 10 && refs.stream().anyMatch(r -> r.get() != null); gc++) {
            System.gc();
        }
        return refs.stream().filter(r -> r.get() != null).count();
    }

    /**
     * A JVM whose {@code java.io.tmpdir} does not exist cannot launch workers (their argument file
     * and socket go there): {@code Pool.processes} says so, naming the directory and what to do.
     */
    @Test
    void aMissingTempDirectoryIsNamedWithWhatToDo() {
        poolsFailingIn("/no/such/weft-temp-directory")
                .hasMessageContaining("/no/such/weft-temp-directory: java.io.tmpdir is not a directory")
                .hasMessageContaining("-Djava.io.tmpdir=DIR");
    }

    /**
     * A {@code java.io.tmpdir} that exists but takes no directory (here {@code /proc/self}; a full
     * disk says "No space left on device" the same way): {@code Pool.processes} names the
     * directory, what failed there, and what to do.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void aTempDirectoryThatTakesNoRendezvousIsNamedWithWhatToDo() {
        poolsFailingIn("/proc/self")
                .hasMessageStartingWith("cannot start the workers of pool '")
                .hasMessageContaining(": cannot make a worker's rendezvous directory in the temporary directory "
                        + "/proc/self (java.io.tmpdir): java.nio.file.NoSuchFileException: /proc/self/weft-worker-")
                .hasMessageEndingWith("; make room there, or start the JVM with -Djava.io.tmpdir=DIR naming a "
                        + "directory you may write to");
    }

    /** What {@code Pool.processes} throws with {@code java.io.tmpdir} set to {@code directory}, for its message's checks. */
    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> poolsFailingIn(String directory) {
        String before = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", directory);
        try {
            return assertThatThrownBy(() -> Pool.processes(c -> c.withWorkers(1)).close())
                    .isInstanceOf(java.io.UncheckedIOException.class);
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }
}
