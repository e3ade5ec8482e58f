package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static dev.weft.testing.Tasks.call;
import static dev.weft.testing.Tasks.fn;
import static dev.weft.testing.Tasks.run;

import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Await;
import dev.weft.testing.Background;
import dev.weft.testing.Flag;
import dev.weft.testing.PoolKind;
import dev.weft.testing.Tally;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pool's life cycle and threads: submit, shutdown (Python's close), terminate, join, close, the
 * {@code concurrent.futures} shutdown options, worker names and identity, and the rule that every
 * task ends in exactly one state with no thread left behind. Ported from CPython's
 * {@code _TestPool} ({@code test_terminate}, {@code test_make_pool}, {@code test_context},
 * {@code test_enter}), {@code test_thread_pool}, {@code test_shutdown} ({@code test_run_after_shutdown},
 * {@code test_cancel_futures}, {@code test_cancel_futures_wait_false}) and {@code executor.py}, over
 * every pool kind. Tasks are serializable ({@code fn}, {@code call}, {@code run}) and coordinate
 * through {@link Flag}s and {@link Tally}s, so that they run in a process pool's workers too.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolLifecycleTest {

    /** submit returns a TaskFuture with the result; a Runnable gives null or the given result. */
    @EveryPool
    void submitReturnsTaskFuture(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            TaskFuture<Integer> f = pool.submit(call(() -> 6 * 7));
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(pool.submit(run(() -> { })).get(10, TimeUnit.SECONDS)).isNull();
            assertThat(pool.submit(run(() -> { }), "r").get(10, TimeUnit.SECONDS)).isEqualTo("r");
            TaskFuture<Object> failed = pool.submit(call(() -> { throw new Boom("submit"); }));
            assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(Boom.class);
        }
    }

    /** invokeAll works, as ExecutorService promises. */
    @EveryPool
    void invokeAllRunsEveryTask(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            List<Callable<Integer>> tasks = List.of(call(() -> 1), call(() -> 2), call(() -> 3));
            assertThat(pool.invokeAll(tasks)).extracting(Future::resultNow).containsExactly(1, 2, 3);
        }
    }

    /** invokeAny works, as ExecutorService promises. */
    @EveryPool
    void invokeAnyReturnsOneResult(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            List<Callable<Integer>> tasks = List.of(call(() -> 1), call(() -> 2), call(() -> 3));
            assertThat(pool.invokeAny(tasks)).isIn(1, 2, 3);
        }
    }

    /** A cancelling interrupt never leaks into the next task on the same worker, even if the task restores it. */
    @EveryPool
    void cancellingInterruptDoesNotLeakIntoNextTask(PoolKind kind) throws Exception {
        Flag started = Flag.create();
        try (Pool pool = kind.open(c -> c.withWorkers(1))) {
            TaskFuture<Object> first = pool.submit(call(() -> {
                started.raise();
                try {
                    return Blocking.untilInterrupted();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();     // restores it, as it should, and returns
                    return null;
                }
            }));
            started.await("the first task started");
            assertThat(first.cancel(true)).isTrue();
            assertThat(pool.submit(call(() -> Thread.currentThread().isInterrupted())).get(10, TimeUnit.SECONDS))
                    .isFalse();
        }
    }

    /**
     * A bounded pool runs at most its workers at once; an unbounded IO pool runs more. While the
     * tasks are held, exactly that many have started; after the release, each task returns how many
     * ran when it started (started, then finished, are read in that order, so the figure is never
     * above the truth, though a task paused between the two reads may see less).
     */
    @EveryPool
    void boundedPoolRunsAtMostWorkersAtOnce(PoolKind kind) throws Exception {
        int tasks = PoolKind.WORKERS + 3;
        Tally started = Tally.create();
        Tally finished = Tally.create();
        Flag release = Flag.create();
        try (Pool pool = kind.open()) {
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                futures.add(pool.submit(call(() -> {
                    started.add();
                    int now = started.count() - finished.count();
                    release.await("the test released the tasks");
                    finished.add();
                    return now;
                })));
            }
            int expected = kind.bounded() ? PoolKind.WORKERS : tasks;
            Await.until(expected + " tasks running", () -> started.count() == expected);
            Thread.sleep(30);               // shows that no more start
            assertThat(started.count()).isEqualTo(expected);
            release.raise();
            int peak = 0;
            for (TaskFuture<Integer> f : futures) {
                peak = Math.max(peak, f.get(10, TimeUnit.SECONDS));
            }
            assertThat(peak).as("no task saw more than %d running", expected).isLessThanOrEqualTo(expected);
        }
    }

    /** After shutdown, submit is rejected with a message that says the pool is closed; queued tasks still run. */
    @EveryPool
    void submitAfterShutdownIsRejected(PoolKind kind) throws Exception {
        Pool pool = kind.open(c -> c.withName("closing"));
        TaskFuture<Integer> before = pool.submit(call(() -> 1));
        pool.shutdown();
        assertThatThrownBy(() -> pool.submit(call(() -> 2))).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("closed").hasMessageContaining("'closing'");
        assertThatThrownBy(() -> pool.apply(fn((Integer x) -> x), 1)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.map(fn((Integer x) -> x), List.of(1)))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.imap(fn((Integer x) -> x), List.of(1)))
                .isInstanceOf(RejectedExecutionException.class);
        pool.join();
        assertThat(before.resultNow()).isEqualTo(1);
        assertThat(pool.isTerminated()).isTrue();
    }

    /** join before shutdown or terminate is an IllegalStateException, as Python's ValueError. */
    @EveryPool
    void joinBeforeShutdownIsAnError(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            assertThatThrownBy(pool::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("shutdown()");
        }
    }

    /**
     * join, close and shutdown(wait) from one of the pool's own threads are errors instead of
     * deadlocks: from a task (in a thread pool; a worker JVM has no pool to wait for) and from a
     * callback (the worker thread, or for worker JVMs the parent's reader thread that runs it).
     */
    @EveryPool
    void waitingForThePoolFromOwnWorkerIsAnError(PoolKind kind) throws Exception {
        Flag shut = Flag.create();
        Pool pool = kind.open();
        TaskFuture<List<Throwable>> fromTask = kind.remote() ? null : pool.submit(() -> {
            shut.await("the test shut the pool down");
            return waitForItself(pool);
        });
        List<Throwable> fromCallback = new CopyOnWriteArrayList<>();
        AsyncResult<Integer> r = pool.applyAsync(fn((Integer x) -> {
            shut.await("the test shut the pool down");
            return x;
        }), 1, x -> fromCallback.addAll(waitForItself(pool)), fromCallback::add);
        pool.shutdown();
        shut.raise();
        assertThat(r.get(Duration.ofSeconds(10))).isEqualTo(1);
        assertThat(fromCallback).hasSize(3).allSatisfy(e -> assertThat(e).hasMessageContaining("would wait for itself"));
        if (fromTask != null) {
            assertThat(fromTask.get(10, TimeUnit.SECONDS)).hasSize(3)
                    .allSatisfy(e -> assertThat(e).hasMessageContaining("would wait for itself"));
        }
        pool.join();
    }

    /** close() from one of the pool's own threads throws, and shuts the pool down all the same, as shutdown(true, ...) does. */
    @EveryPool
    void closeFromOwnWorkerShutsThePoolDownAllTheSame(PoolKind kind) throws Exception {
        Pool pool = kind.open();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        pool.applyAsync(fn((Integer x) -> x), 1, x -> {
            try {
                pool.close();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        }, thrown::completeExceptionally);

        assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would wait for itself").hasMessageContaining("shut down all the same");
        assertThat(pool.isShutdown()).isTrue();
        assertThatThrownBy(() -> pool.submit(call(() -> 1))).isInstanceOf(RejectedExecutionException.class);
        pool.join();
        assertThat(pool.isTerminated()).isTrue();
    }

    /** Calls join, close and shutdown(wait) on {@code pool}; returns the IllegalStateExceptions they threw. */
    private static List<Throwable> waitForItself(Pool pool) {
        interface Wait {
            void run() throws Exception;
        }
        List<Throwable> thrown = new ArrayList<>();
        for (Wait body : List.<Wait>of(pool::join, pool::close, () -> pool.shutdown(true, false))) {
            try {
                body.run();
            } catch (IllegalStateException e) {
                thrown.add(e);
            } catch (Exception e) {
                throw new AssertionError("waiting for the pool from its own thread threw " + e, e);
            }
        }
        return thrown;
    }

    /**
     * terminate with 10,000 long tasks (queued in a bounded pool, all running on virtual threads in
     * an unbounded one) returns promptly; each ends cancelled and join returns. The first tasks,
     * which every kind starts first, say they started.
     */
    @EveryPool
    void terminateCancelsTenThousandLongTasks(PoolKind kind) throws Exception {
        Pool pool = kind.open();
        List<TaskFuture<Object>> futures = new ArrayList<>();
        Tally started = Tally.create();
        for (int i = 0; i < 10_000; i++) {
            boolean first = i < PoolKind.WORKERS;
            futures.add(pool.submit(call(() -> {
                if (first) {
                    started.add();
                }
                return Blocking.untilInterrupted();
            })));
        }
        started.awaitCount(PoolKind.WORKERS, "the first tasks started");
        long t0 = System.nanoTime();
        pool.terminate();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        pool.join();
        assertThat(futures).allSatisfy(f -> assertThat(f.state()).isEqualTo(Future.State.CANCELLED));
        assertThat(pool.isTerminated()).isTrue();
    }

    /**
     * terminate interrupts running tasks of every kind (for worker JVMs: kills the process that runs
     * it), and outstanding AsyncResults end cancelled.
     */
    @EveryPool
    void terminateEndsRunningTasksAndResults(PoolKind kind) throws Exception {
        Tally started = Tally.create();
        Flag interrupted = Flag.create();
        Pool pool = kind.open();
        AsyncResult<Object> r = pool.applyAsync(fn(x -> {
            started.add(String.valueOf(ProcessHandle.current().pid()));
            try {
                return Blocking.untilInterrupted();
            } catch (InterruptedException e) {
                interrupted.raise();
                throw new IllegalStateException(e);
            }
        }), 1);
        started.awaitCount(1, "the task started");
        pool.terminate();
        if (kind.processes()) {
            long pid = Long.parseLong(started.keys().get(0));
            Await.until("the worker that ran the task is gone",
                    () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        } else {
            interrupted.await("the task was interrupted");
        }
        assertThat(r.waitFor(Duration.ofSeconds(10))).isTrue();
        assertThatThrownBy(r::get).isInstanceOf(CancellationException.class);
        pool.join();
        assertThatThrownBy(() -> pool.submit(call(() -> 1))).isInstanceOf(RejectedExecutionException.class);
    }

    /**
     * After close, shutdown+join and terminate+join, no worker thread of the pool is alive (for
     * worker JVMs: no worker process, and none of the pool's helper threads in this JVM).
     */
    @EveryPool
    void noWorkerThreadRemainsAfterJoin(PoolKind kind) throws Exception {
        List<Integer> items = java.util.stream.IntStream.range(0, 50).boxed().toList();
        for (int way = 0; way < 3; way++) {
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            String name = "no-thread-remains-" + way;     // other tests' pools, on a shared cluster, are not this one
            Pool pool = kind.remote() ? kind.open(c -> c.withName(name))
                    : kind.open(c -> c.withName(name).withInitializer(() -> threads.add(Thread.currentThread())));
            List<Long> pids = new ArrayList<>();
            if (kind.processes()) {
                pids.addAll(pool.map(fn((Integer x) -> ProcessHandle.current().pid()), items, 1));
                pids.addAll(((ProcessPoolImpl) pool).pids());       // the workers that ran no item too
            } else if (kind.remote()) {
                assertThat(pool.map(fn((Integer x) -> Thread.currentThread().getName()), items, 1))
                        .allMatch(t -> t.startsWith(kind.threadName()));
            } else {
                pool.map((Integer x) -> {
                    threads.add(Thread.currentThread());
                    return x;
                }, items, 1);
            }
            switch (way) {
                case 0 -> pool.close();
                case 1 -> { pool.shutdown(); pool.join(); }
                default -> { pool.terminate(); pool.join(); }
            }
            if (kind.processes()) {
                String helpers = kind.threadName() + pool.name() + "-";
                assertThat(pids).isNotEmpty().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                        .orElse(false));
                assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(helpers));
            } else if (kind.remote()) {
                // A cluster's threads are the engine's, and outlive a pool that shares a member: none
                // runs a task of the pool (a thread is named after the pool only while it does).
                String workers = kind.threadName() + name + "-";
                assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(workers));
            } else {
                assertThat(threads).isNotEmpty().noneMatch(Thread::isAlive);
            }
            assertThat(pool.isTerminated()).isTrue();
        }
    }

    /** shutdown(wait=true, cancelFutures=true) cancels the queued tasks, lets the running one finish, and waits. */
    @EveryPool
    void shutdownWithCancelFuturesCancelsQueuedOnly(PoolKind kind) throws Exception {
        Pool pool = kind.bounded() ? kind.open() : PoolKind.IO_BOUNDED.open();
        Tally started = Tally.create();
        Flag release = Flag.create();
        List<TaskFuture<Integer>> running = new ArrayList<>();
        for (int i = 0; i < PoolKind.WORKERS; i++) {
            running.add(pool.submit(call(() -> {
                started.add();
                release.await("the test released the running tasks");
                return 1;
            })));
        }
        started.awaitCount(PoolKind.WORKERS, "every worker runs a task");
        List<TaskFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(pool.submit(call(() -> 2)));
        }
        Thread me = Thread.currentThread();
        Thread releaser = Thread.ofVirtual().start(() -> {
            Await.blockedIn(me, "awaitTerminated");     // shutdown(wait=true) waits for the running tasks
            release.raise();
        });
        pool.shutdown(true, true);
        releaser.join();
        assertThat(queued).allSatisfy(f -> assertThat(f.isCancelled()).isTrue());
        assertThat(running).allSatisfy(f -> assertThat(f.resultNow()).isEqualTo(1));
        assertThat(pool.isTerminated()).isTrue();
    }

    /** shutdown(wait=false, cancelFutures=false) returns at once; the queued tasks still run. */
    @EveryPool
    void shutdownWithoutWaitLetsQueuedTasksRun(PoolKind kind) throws Exception {
        Pool pool = kind.open();
        Flag release = Flag.create();
        List<TaskFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < PoolKind.WORKERS + 2; i++) {
            int n = i;
            futures.add(pool.submit(call(() -> {
                release.await("the test released the tasks");
                return n;
            })));
        }
        pool.shutdown(false, false);
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.isTerminated()).isFalse();
        release.raise();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(futures).extracting(Future::resultNow).containsExactly(0, 1, 2, 3, 4);
    }

    /** shutdownNow returns the tasks that never started, already cancelled. */
    @Test
    void shutdownNowReturnsCancelledUnstartedTasks() throws Exception {
        Pool pool = PoolKind.CPU.open();
        CountDownLatch started = new CountDownLatch(PoolKind.WORKERS);
        for (int i = 0; i < PoolKind.WORKERS; i++) {
            pool.submit(() -> Blocking.untilInterrupted(started, null));
        }
        Await.latch(started);
        TaskFuture<Integer> queued = pool.submit(() -> 1);
        List<Runnable> never = pool.shutdownNow();
        assertThat(never).hasSize(1);
        assertThat((Object) never.get(0)).isSameAs(queued);
        assertThat(queued.isCancelled()).isTrue();
        pool.join();
    }

    /** toString says the pool's state: running, shut down while a task runs, terminated once it has ended. */
    @EveryPool
    void toStringSaysTheState(PoolKind kind) throws Exception {
        Flag release = Flag.create();
        Flag started = Flag.create();
        Pool pool = kind.open(c -> c.withName("stated"));
        assertThat(pool.toString()).contains("stated").contains("running");
        TaskFuture<Integer> running = pool.submit(call(() -> {
            started.raise();
            release.await("the test releases the task");
            return 1;
        }));
        started.await("the task started");
        pool.shutdown();
        assertThat(pool.toString()).contains("shut down");
        release.raise();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        pool.join();
        assertThat(pool.toString()).contains("terminated");
    }

    /** Workers are named after the pool; a task can ask which worker runs it. */
    @EveryPool
    void workersAreNamedAndIdentifiable(PoolKind kind) throws Exception {
        try (Pool pool = kind.open(c -> c.withName("named"))) {
            Pool.Worker w = pool.submit(call(() -> Pool.currentWorker().orElseThrow())).get(10, TimeUnit.SECONDS);
            assertThat(w.pool()).isEqualTo("named");
            assertThat(w.threadName()).isEqualTo(kind.threadName() + "named-" + w.index()).matches(".*-named-\\d+");
            assertThat(pool.name()).isEqualTo("named");
        }
        try (Pool pool = kind.open()) {
            String thread = pool.submit(call(() -> Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
            assertThat(thread).matches(kind.threadName() + "\\d+");
        }
        assertThat(Pool.currentWorker()).isEmpty();
    }

    /** A CPU pool's threads are platform threads, non-daemon; an IO pool's are virtual. */
    @Test
    void cpuThreadsArePlatformAndIoThreadsVirtual() throws Exception {
        try (Pool cpu = Pool.cpu(); Pool io = Pool.io()) {
            assertThat(cpu.workers()).isEqualTo(Pool.carrierCount());
            assertThat(io.workers()).isZero();
            Thread c = cpu.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            assertThat(c.isVirtual()).isFalse();
            assertThat(c.isDaemon()).isFalse();
            assertThat(io.submit(Thread::currentThread).get(10, TimeUnit.SECONDS).isVirtual()).isTrue();
        }
    }

    /**
     * A CPU pool opened by a daemon thread (a virtual thread, such as a scope's subtask, always is
     * one) still has non-daemon workers: the daemon status is set, not inherited from the opener.
     */
    @Test
    void cpuWorkersAreNonDaemonWhoeverOpensThePool() throws Exception {
        Callable<Boolean> workerIsDaemon = () -> {
            try (Pool cpu = Pool.cpu(c -> c.withWorkers(1))) {
                return cpu.submit(() -> Thread.currentThread().isDaemon()).get(10, TimeUnit.SECONDS);
            }
        };
        assertThat(Background.call(workerIsDaemon)).as("opened by a daemon platform thread").isFalse();
        try (var scope = TaskScope.<Boolean>open()) {
            var fromSubtask = scope.fork(workerIsDaemon);
            scope.join();
            assertThat(fromSubtask.get()).as("opened by a scope's subtask (a virtual thread)").isFalse();
        }
    }

    /** The carrier count follows jdk.virtualThreadScheduler.parallelism when set, else the processor count. */
    @Test
    void carrierCountFollowsSchedulerParallelism() {
        String old = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        try {
            System.clearProperty("jdk.virtualThreadScheduler.parallelism");
            assertThat(Pool.carrierCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
            System.setProperty("jdk.virtualThreadScheduler.parallelism", "3");
            assertThat(Pool.carrierCount()).isEqualTo(3);
        } finally {
            if (old == null) {
                System.clearProperty("jdk.virtualThreadScheduler.parallelism");
            } else {
                System.setProperty("jdk.virtualThreadScheduler.parallelism", old);
            }
        }
    }

    /** Bad arguments get a specific exception at the call. */
    @EveryPool
    void badArgumentsAreRejectedAtTheCall(PoolKind kind) throws Exception {
        List<Integer> one = List.of(1);
        Function<Integer, Integer> id = fn(x -> x);
        try (Pool pool = kind.open()) {
            assertThatThrownBy(() -> pool.map(null, one)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.map(id, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.imap(null, one)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.imapUnordered(id, null, 1)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.applyAsync(null, 1)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.applyAsync(id, 1, null, e -> { })).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.submit((Callable<Object>) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.starmap(null, List.of())).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.map(id, one, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pool.mapAsync(id, one, 0, r -> { }, e -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pool.imap(id, one, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pool.imapUnordered(id, one, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pool.imap(id, one, 1, Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pool.imap(id, one).next(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> kind.open(c -> c.withWorkers(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pool.cpu(c -> c.withWorkers(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pool.io(c -> c.withName(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pool.io(c -> null)).isInstanceOf(NullPointerException.class);
    }

    /** A task given to execute that throws is logged, and the pool carries on. */
    @EveryPool
    void executeFailureIsLoggedAndPoolCarriesOn(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            pool.execute(run(() -> { throw new Boom("execute (logged on purpose)"); }));
            assertThat(pool.apply(call(() -> 3))).isEqualTo(3);
        }
    }

    /** A CPU pool of more workers than a machine has threads for is refused at the call, before any thread starts. */
    @Test
    void cpuPoolOfAnAbsurdSizeIsRefusedAtTheCall() {
        assertThatThrownBy(() -> Pool.cpu(c -> c.withName("absurd").withWorkers(100_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100000 workers").hasMessageContaining("32767").hasMessageContaining("Pool.io()");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("weft-cpu-absurd-"));
        Pool.cpu(c -> c.withName("largest").withWorkers(1)).close();
    }

    /**
     * A CPU pool whose sixth thread cannot start (the JVM is out of native threads) stops and joins
     * the five it started, even while they run a blocking initializer, before the error is thrown.
     */
    @Test
    void cpuPoolWhoseThreadCannotStartLeavesNoThreadBehind() {
        OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread (on purpose)");
        List<Thread> made = new CopyOnWriteArrayList<>();
        CountDownLatch initializing = new CountDownLatch(5);
        Pool.Configuration config = Pool.Configuration.DEFAULT.withWorkers(8).withInitializer(() -> {
            initializing.countDown();
            try {
                Blocking.untilInterrupted();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        java.util.function.BiFunction<String, Runnable, Thread> failsTheSixth = (name, body) -> {
            Thread t = made.size() == 5
                    ? new Thread(body, name) {
                        @Override
                        public void start() {
                            Await.latchUninterruptibly(initializing);   // the others are busy when it fails
                            throw noThread;
                        }
                    }
                    : Thread.ofPlatform().name(name).unstarted(body);
            made.add(t);
            return t;
        };
        assertThatThrownBy(() -> ThreadPoolImpl.cpu(config, failsTheSixth)).isSameAs(noThread);
        assertThat(made).hasSize(8);
        assertThat(made.subList(0, 5)).allSatisfy(t -> assertThat(t.getState()).isEqualTo(Thread.State.TERMINATED));
        assertThat(made.subList(5, 8)).allSatisfy(t -> assertThat(t.getState()).isEqualTo(Thread.State.NEW));
    }
}
