package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.wire.SharedFunctions;
import dev.weft.testing.Await;
import dev.weft.testing.Flag;
import dev.weft.testing.Tasks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weftfixture.Point;

/**
 * The process pool's own behaviour: what crosses the process boundary (tasks, results,
 * exceptions, output), the identity of workers, cancellation and life cycle. Failures of workers
 * are in {@link ProcessPoolFailureTest}. Tasks here are lambdas that capture nothing of the test
 * instance, so that they serialize.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolTest {
    private static final long PARENT = ProcessHandle.current().pid();

    /** A task runs in another JVM, and its result comes back. */
    @Test
    void submitRunsTheTaskInAWorkerProcess() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            long pid = pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS);
            assertThat(pid).isNotEqualTo(PARENT);
            int answer = pool.apply(x -> x + 1, 41);
            assertThat(answer).isEqualTo(42);
        }
    }

    /**
     * One task after another, each waited for, all go to the first worker: a free worker that has
     * just answered is warm (it still spins on its core), and spreading such tasks over two workers
     * keeps both spinning, which on two cores doubled a sequential round trip. Both workers are
     * let start first: a task sent to one still starting is taken back for the other if that one
     * is ready first ({@code SentAheadTest}).
     */
    @Test
    void sequentialTasksStayOnTheFirstFreeWorker() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2))) {
            ProcessPoolImpl impl = (ProcessPoolImpl) pool;
            Await.until("both workers are ready", () -> impl.readyPids().size() == 2, Duration.ofSeconds(30));
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pids.add(pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS));
            }
            assertThat(pids).containsOnly(impl.pids().get(0));
        }
    }

    /** map applies the function to every item in worker processes and keeps input order, with any chunksize. */
    @Test
    void mapKeepsInputOrderAcrossChunksAndWorkers() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2))) {
            List<Integer> items = IntStream.range(0, 1000).boxed().toList();
            List<Integer> expected = items.stream().map(x -> x * x).toList();
            assertThat(pool.map(x -> x * x, items)).isEqualTo(expected);
            assertThat(pool.map(x -> x * x, items, 1)).isEqualTo(expected);
            assertThat(pool.map(x -> x * x, List.<Integer>of())).isEmpty();
            List<Integer> lazy = new ArrayList<>();
            pool.imap(x -> x * x, items, 7).forEachRemaining(lazy::add);
            assertThat(lazy).isEqualTo(expected);
            assertThat(pool.starmap((Integer a, Integer b) -> a * b,
                    List.of(java.util.Map.entry(2, 3), java.util.Map.entry(4, 5)))).containsExactly(6, 20);
            // Items of the compact types cross as bytes; others by Java serialization: both arrive whole.
            assertThat(pool.map(String::length, List.of("a", "bb", "", "c\uD800d"), 2)).containsExactly(1, 2, 0, 3);
            assertThat(pool.map(List::size, List.of(List.of(1), List.of(2, 3), List.of()), 2)).containsExactly(1, 2, 0);
            assertThat(pool.map(x -> x == null ? "null" : x.getClass().getSimpleName(),
                    java.util.Arrays.asList(1, 2L, 3.0, null, true, new byte[0]), 4))
                    .containsExactly("Integer", "Long", "Double", "null", "Boolean", "byte[]");
        }
    }

    /** Every item runs in a worker: the pids seen are the workers', never the parent's. */
    @Test
    void mapUsesTheWorkersAndTheyKnowWhoTheyAre() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2).withName("who"))) {
            List<Pool.Worker> seen = pool.map(x -> Pool.currentWorker().orElseThrow(), List.of(1, 2, 3, 4), 1);
            assertThat(seen).allSatisfy(w -> {
                assertThat(w.pool()).isEqualTo("who");
                assertThat(w.index()).isBetween(1, 2);
                assertThat(w.pid()).isNotEqualTo(PARENT);
                assertThat(w.threadName()).isEqualTo("weft-process-who-" + w.index());
            });
            assertThat(Pool.currentWorker()).isEmpty();
        }
    }

    /** A task's exception keeps its type and message, and its cause names the worker it was thrown in. */
    @Test
    void remoteExceptionKeepsTypeAndMessageAndSaysWhere() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withName("thrower"))) {
            TaskFuture<Object> f = pool.submit(() -> {
                throw new IllegalStateException("boom in the worker");
            });
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("boom in the worker")
                    .cause().isInstanceOf(RemoteTaskException.class).hasMessageContaining("pool 'thrower'");
            assertThat(f.exceptionNow().getStackTrace()[0].getMethodName()).contains("lambda");
        }
    }

    /** A task that cannot be serialized fails at submit, naming its class; the pool carries on. */
    @Test
    void unserializableTaskFailsAtSubmitAndThePoolCarriesOn() throws Exception {
        Object notSerializable = new Object();
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            assertThatThrownBy(() -> pool.submit(() -> notSerializable.hashCode()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object")
                    .hasMessageContaining("not serializable");
            java.util.function.Function<Integer, Integer> plain = x -> x;     // not a SerializableFunction
            assertThatThrownBy(() -> pool.map(plain, List.of(1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ProcessPoolTest$$Lambda");
            assertThat(pool.submit(() -> 7).get(30, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    /** A result that cannot be serialized fails that future, naming its class; the pool carries on. */
    @Test
    void unserializableResultFailsThatFuture() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            TaskFuture<Object> f = pool.submit(() -> new Object());
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(RemoteTaskException.class)
                    .hasMessageContaining("class java.lang.Object").hasMessageContaining("could not be serialized");
            assertThat(pool.submit(() -> 8).get(30, TimeUnit.SECONDS)).isEqualTo(8);
        }
    }

    /**
     * A class of the caller's own, in a package no pattern allows, crosses both ways with no
     * configuration: each side announces the classes it serialized (see SerialFilterTest).
     */
    @Test
    void classesOutsideThePatternsCrossWhenTheOtherSideSerializedThem() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            Point swapped = pool.apply(p -> new Point(p.y(), p.x()), new Point(1, 2));
            assertThat(swapped).isEqualTo(new Point(2, 1));
            assertThat(pool.submit(() -> new Point(3, 4)).get(30, TimeUnit.SECONDS)).isEqualTo(new Point(3, 4));
        }
    }

    /** What a task prints on System.out reaches the parent's System.out, and the channel survives it. */
    @Test
    void taskOutputReachesTheParentsStdout() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            int result = pool.apply(x -> {
                System.out.println("hello from the worker " + x);
                System.out.print("no newline");
                System.out.flush();
                return x * 2;
            }, 21);
            assertThat(result).isEqualTo(42);
            Await.until("the worker's output arrived",
                    () -> captured.toString(StandardCharsets.UTF_8).contains("hello from the worker 21\nno newline"));
        } finally {
            System.setOut(original);
        }
    }

    /** cancel(true) interrupts a task running in a worker; the worker then runs the next task. */
    @Test
    void cancelInterruptsARunningTaskInItsWorker() throws Exception {
        Flag started = Flag.create();
        Flag interrupted = Flag.create();
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            TaskFuture<Object> f = pool.submit(Tasks.sleepUntilInterrupted(started, interrupted));
            started.await("the task started in its worker");
            assertThat(f.cancel(true)).isTrue();
            interrupted.await("the task was interrupted in its worker");
            assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).get(30, TimeUnit.SECONDS)).isFalse();
        }
    }

    /** A task cancelled while it waits for a worker never runs. */
    @Test
    void cancelledPendingTaskNeverRuns() throws Exception {
        Flag started = Flag.create();
        Flag ran = Flag.create();
        Flag release = Flag.create();
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withTasksInFlight(1))) {
            TaskFuture<Object> blocker = pool.submit(() -> {
                started.raise();
                release.await("the test released the blocker");
                return null;
            });
            TaskFuture<Object> pending = pool.submit(() -> {
                ran.raise();
                return null;
            });
            started.await("the blocker started");
            assertThat(pending.cancel(false)).isTrue();
            release.raise();
            blocker.get(30, TimeUnit.SECONDS);
            assertThat(pool.submit(() -> 1).get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(ran.isRaised()).isFalse();
        }
    }

    /** terminate() kills the workers: running tasks end cancelled, join returns, no worker process is left. */
    @Test
    void terminateKillsTheWorkers() throws Exception {
        Flag started = Flag.create();
        ProcessPool pool = Pool.processes(c -> c.withWorkers(2));
        List<Long> pids = ((ProcessPoolImpl) pool).pids();
        List<TaskFuture<Object>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(pool.submit(() -> {
                started.raise();
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                return null;
            }));
        }
        started.await("a task started");
        pool.terminate();
        pool.join();
        assertThat(futures).allSatisfy(f -> assertThat(f.state()).isEqualTo(java.util.concurrent.Future.State.CANCELLED));
        assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("shut down");
    }

    /** After close, no worker process and no helper thread of the pool is left. */
    @Test
    void closeLeavesNoProcessAndNoThread() throws Exception {
        ProcessPool pool = Pool.processes(c -> c.withWorkers(2).withName("tidy"));
        List<Long> pids = ((ProcessPoolImpl) pool).pids();
        assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
        pool.close();
        assertThat(pool.isTerminated()).isTrue();
        assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("weft-process-tidy"));
    }

    /** maxTasksPerChild retires a worker after N tasks: with one worker and N = 3, task 4 gets a new pid. */
    @Test
    void maxTasksPerChildReplacesTheWorker() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withMaxTasksPerChild(3))) {
            List<TaskFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                futures.add(pool.submit(() -> ProcessHandle.current().pid()));
            }
            List<Long> pids = new ArrayList<>();
            for (TaskFuture<Long> f : futures) {
                pids.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(pids.subList(0, 3)).containsOnly(pids.get(0));
            assertThat(pids.subList(3, 6)).containsOnly(pids.get(3));
            assertThat(pids.get(3)).isNotEqualTo(pids.get(0));
            assertThat(pids.get(6)).isNotIn(pids.get(0), pids.get(3));
            assertThat(((ProcessPoolImpl) pool).pids()).hasSizeLessThanOrEqualTo(1);
        }
    }

    /** A task can open a scope of IO subtasks in its worker: the seed's sum of sums, 5 processes x 5 threads. */
    @Test
    void tasksOpenScopesInTheirWorkers() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2))) {
            List<Integer> sums = pool.map(p -> {
                try (TaskScope<Integer, List<Integer>> scope = TaskScope.open()) {
                    for (int t = 0; t < 5; t++) {
                        int value = p * 10 + t;
                        scope.fork(() -> value);
                    }
                    return scope.join().stream().mapToInt(Integer::intValue).sum();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, List.of(0, 1, 2, 3, 4), 1);
            assertThat(sums).containsExactly(10, 60, 110, 160, 210);
            assertThat(sums.stream().mapToInt(Integer::intValue).sum()).isEqualTo(550);
        }
    }

    /** Whether an idle worker spins for its next task or sleeps at once, every task is answered, in order. */
    @Test
    void workersAnswerWhateverTheirIdleSpin() throws Exception {
        for (java.time.Duration spin : List.of(java.time.Duration.ZERO, java.time.Duration.ofMillis(10))) {
            try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withIdleSpin(spin))) {
                for (int i = 0; i < 100; i++) {
                    int x = i;
                    assertThat(pool.submit(() -> x * 2).get(30, TimeUnit.SECONDS)).as("spin %s", spin).isEqualTo(2 * i);
                }
                List<Integer> items = IntStream.range(0, 500).boxed().toList();
                assertThat(pool.map(x -> x + 1, items, 3)).isEqualTo(items.stream().map(x -> x + 1).toList());
            }
        }
    }

    /** Bad configuration and bad input are refused at the call. */
    /** A startup cache format this JDK does not have is refused by the call that would start workers. */
    @Test
    void anUnknownStartupCacheFormatIsRefusedAtTheCall() {
        String before = System.getProperty("weft.startupCache.format");
        System.setProperty("weft.startupCache.format", "jsa");
        try {
            assertThatThrownBy(() -> Pool.processes(c -> c.withWorkers(1).withLazyStart()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-Dweft.startupCache.format=jsa is not a startup cache format");
        } finally {
            if (before == null) {
                System.clearProperty("weft.startupCache.format");
            } else {
                System.setProperty("weft.startupCache.format", before);
            }
        }
    }

    @Test
    void badInputIsRefusedAtTheCall() throws Exception {
        assertThatThrownBy(() -> Pool.processes(c -> c.withWorkers(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 worker");
        assertThatThrownBy(() -> Pool.processes(c -> c.withHeap("lots"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("512m");
        assertThatThrownBy(() -> Pool.processes(c -> c.withAllowedClasses("a;!*")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pool.processes(c -> c.withJvmArgs("-Xss2m", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> Pool.processes(c -> null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Pool.processes(c -> c.withIdleSpin(java.time.Duration.ofNanos(-1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duration.ZERO");
        assertThatThrownBy(() -> Pool.processes(c -> c.withIdleSpin(java.time.Duration.ofMillis(11))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 ms");
        assertThatThrownBy(() -> Pool.processes(c -> c.withIdleSpin(null))).isInstanceOf(NullPointerException.class);
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withLazyStart())) {
            assertThatThrownBy(() -> pool.map((SerializableFunction<Integer, Integer>) x -> x, List.of(1), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunksize");
            assertThatThrownBy(() -> pool.submit((SerializableCallable<Object>) null))
                    .isInstanceOf(NullPointerException.class);
            assertThat(((ProcessPoolImpl) pool).pids()).isEmpty();       // lazy: nothing started yet
        }
    }

    /** Cancelling a result that is already done is refused; a cancelled pending future says so. */
    @Test
    void cancelledFutureThrowsCancellation() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            TaskFuture<Integer> f = pool.submit(() -> 3);
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(f.cancel(true)).isFalse();
            SettableFuture<Integer> g = SettableFuture.create();
            g.cancel(false);
            assertThatThrownBy(g::get).isInstanceOf(CancellationException.class);
        }
    }

    /** Counts how often it is serialized (in the parent). */
    static final class CountingFunction implements SerializableFunction<Integer, Integer> {
        private static final long serialVersionUID = 1L;
        static final java.util.concurrent.atomic.AtomicInteger WRITES = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Integer apply(Integer x) {
            return x + 1;
        }

        @java.io.Serial
        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            WRITES.incrementAndGet();
            out.defaultWriteObject();
        }
    }

    /** map sends its function once, not once per chunk; many maps in a row each find their own. */
    @Test
    void mapSendsItsFunctionOnce() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2))) {
            CountingFunction fn = new CountingFunction();
            CountingFunction.WRITES.set(0);
            List<Integer> items = IntStream.range(0, 200).boxed().toList();
            assertThat(pool.map(fn, items, 1)).isEqualTo(items.stream().map(x -> x + 1).toList());
            assertThat(CountingFunction.WRITES.get()).isEqualTo(1);
            for (int k = 0; k < 40; k++) {           // more functions than a worker keeps idle
                int add = k;
                assertThat(pool.map(x -> x + add, List.of(1, 2, 3), 1)).containsExactly(1 + k, 2 + k, 3 + k);
            }
        }
    }

    /** A stateless task: no fields. In a worker, it counts how often its class was deserialized there. */
    static final class CountsReads implements SerializableCallable<Integer> {
        private static final long serialVersionUID = 1L;
        static final java.util.concurrent.atomic.AtomicInteger READS = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Integer call() {
            return READS.get();
        }

        @java.io.Serial
        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            READS.incrementAndGet();
        }
    }

    /** No fields, but it writes what it likes: not stateless. */
    public static final class WritesItself implements SerializableCallable<Integer>, java.io.Externalizable {
        @Override
        public Integer call() {
            return 0;
        }

        @Override
        public void writeExternal(java.io.ObjectOutput out) throws java.io.IOException {
            out.writeLong(System.nanoTime());
        }

        @Override
        public void readExternal(java.io.ObjectInput in) throws java.io.IOException {
            in.readLong();
        }
    }

    /** Stateless; its class cannot be initialized in a worker, only in the parent. */
    static final class FailsToLoadInWorkers implements SerializableCallable<Integer> {
        private static final long serialVersionUID = 1L;
        static final boolean LOADED = loaded();

        private static boolean loaded() {
            if (Pool.currentWorker().isPresent()) {
                throw new IllegalStateException("this class refuses to be initialized in a worker");
            }
            return true;
        }

        @Override
        public Integer call() {
            return LOADED ? 1 : 0;
        }
    }

    /** Stateless; its class reads, when a worker initializes it, what the pool's initializer set. */
    static final class ReadsWhatTheInitializerSet implements SerializableCallable<String> {
        private static final long serialVersionUID = 1L;
        static final String SEEN = System.getProperty("weft.test.initialized", "not yet");

        @Override
        public String call() {
            return SEEN;
        }
    }

    /** A task with state: each submission carries its own value. */
    record AddTo(int base) implements SerializableCallable<Integer> {
        @Override
        public Integer call() {
            return base + 1;
        }
    }

    /**
     * A stateless task (a non-capturing lambda, or a class without fields) crosses to a worker once
     * and is called by id after that; a task with state crosses with each submission.
     */
    @Test
    void statelessTaskCrossesOncePerWorker() throws Exception {
        assertThat(SharedFunctions.isStateless(new CountsReads())).isTrue();
        assertThat(SharedFunctions.isStateless((SerializableCallable<Integer>) () -> 1)).isTrue();
        int captured = 5;
        assertThat(SharedFunctions.isStateless((SerializableCallable<Integer>) () -> captured)).isFalse();
        assertThat(SharedFunctions.isStateless(new AddTo(1))).isFalse();
        assertThat(SharedFunctions.isStateless(new CountingFunction())).as("has a writeObject").isFalse();
        assertThat(SharedFunctions.isStateless(new WritesItself())).as("Externalizable").isFalse();
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(pool.submit(new CountsReads()));
            }
            for (TaskFuture<Integer> f : futures) {
                assertThat(f.get(30, TimeUnit.SECONDS)).as("deserializations in the worker").isEqualTo(1);
            }
            List<TaskFuture<Integer>> stateful = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                stateful.add(pool.submit(new AddTo(i)));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(stateful.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i + 1);
            }
            assertThat(pool.submit(new CountsReads()).get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    /**
     * A stateless task whose class cannot be initialized in the worker fails, with the error, each
     * time it is submitted; the worker carries on.
     */
    @Test
    void statelessTaskWhoseClassFailsToLoadFailsEachTime() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            for (int i = 0; i < 3; i++) {
                TaskFuture<Integer> f = pool.submit(new FailsToLoadInWorkers());
                assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(ExceptionInInitializerError.class);
            }
            assertThat(pool.submit(() -> 7).get(30, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    /**
     * A stateless task's class is loaded in the task thread after the pool's initializer ran, as a
     * task sent whole is, even when it reaches the worker while the initializer still runs.
     */
    @Test
    void statelessTaskClassLoadsAfterTheInitializer() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withInitializer(() -> {
            try {
                Thread.sleep(300);              // a slow initializer: the task arrives meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.setProperty("weft.test.initialized", "yes");
        }))) {
            assertThat(pool.submit(new ReadsWhatTheInitializerSet()).get(30, TimeUnit.SECONDS)).isEqualTo("yes");
        }
    }

    /**
     * A stateless task whose class cannot be initialized in the worker fails each time it is
     * submitted, with the class's error, and the pool carries on.
     */
    @Test
    void statelessTaskThatCannotBeLoadedInTheWorkerFailsEachTime() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            for (int i = 0; i < 3; i++) {
                TaskFuture<Integer> f = pool.submit(new weftfixture.Answer());
                assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasRootCauseMessage("weftfixture.Answer refuses to load in a worker");
            }
            assertThat(pool.submit(() -> 7).get(30, TimeUnit.SECONDS)).isEqualTo(7);
        }
        assertThat(new weftfixture.Answer().call()).as("in this JVM it loads").isEqualTo(42);
    }

    /**
     * A task sent ahead to a busy worker and then cancelled ends cancelled here at once; the worker
     * drops it if the cancellation reaches it before the task starts. Either way the worker carries
     * on with the next task, and the cancelled task's outcome is never reported.
     */
    @Test
    void cancelledSentAheadTaskEndsCancelledAndTheWorkerCarriesOn() throws Exception {
        Flag started = Flag.create();
        Flag release = Flag.create();
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withTasksInFlight(2))) {
            TaskFuture<Object> blocker = pool.submit(() -> {
                started.raise();
                release.await("the test released the blocker");
                return null;
            });
            TaskFuture<Integer> ahead = pool.submit(() -> 41);
            started.await("the blocker started");
            assertThat(ahead.cancel(false)).isTrue();
            release.raise();
            blocker.get(30, TimeUnit.SECONDS);
            assertThat(pool.submit(() -> 42).get(30, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(ahead.isCancelled()).isTrue();
            assertThatThrownBy(ahead::get).isInstanceOf(CancellationException.class);
        }
    }
}
