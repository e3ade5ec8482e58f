package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Await;
import dev.weft.testing.PoolKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * every pool kind.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolLifecycleTest {

    /** submit returns a TaskFuture with the result; a Runnable gives null or the given result. */
    @EveryPool
    void submitReturnsTaskFuture(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            TaskFuture<Integer> f = pool.submit(() -> 6 * 7);
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(pool.submit(() -> { }).get(10, TimeUnit.SECONDS)).isNull();
            assertThat(pool.submit(() -> { }, "r").get(10, TimeUnit.SECONDS)).isEqualTo("r");
            TaskFuture<Object> failed = pool.submit(() -> { throw new Boom("submit"); });
            assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(Boom.class);
        }
    }

    /** invokeAll and invokeAny work, as ExecutorService promises. */
    @EveryPool
    void invokeAllAndInvokeAny(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
            assertThat(pool.invokeAll(tasks)).extracting(Future::resultNow).containsExactly(1, 2, 3);
            assertThat(pool.invokeAny(tasks)).isIn(1, 2, 3);
        }
    }

    /** A cancelling interrupt never leaks into the next task on the same worker, even if the task restores it. */
    @EveryPool
    void cancellingInterruptDoesNotLeakIntoNextTask(PoolKind kind) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (Pool pool = kind.open(c -> c.withWorkers(1))) {
            TaskFuture<Object> first = pool.submit(() -> {
                try {
                    return Blocking.untilInterrupted(started, null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();     // restores it, as it should, and returns
                    return null;
                }
            });
            Await.latch(started);
            assertThat(first.cancel(true)).isTrue();
            assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS)).isFalse();
        }
    }

    /** A bounded pool runs at most its workers at once; an unbounded IO pool runs more. */
    @EveryPool
    void boundedPoolRunsAtMostWorkersAtOnce(PoolKind kind) throws Exception {
        int tasks = PoolKind.WORKERS + 3;
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (Pool pool = kind.open()) {
            List<TaskFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                futures.add(pool.submit(() -> {
                    peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                    Await.latchUninterruptibly(release);
                    now.decrementAndGet();
                }));
            }
            int expected = kind.bounded() ? PoolKind.WORKERS : tasks;
            Await.until(expected + " tasks running", () -> now.get() == expected);
            Thread.sleep(30);               // shows that no more start
            assertThat(now.get()).isEqualTo(expected);
            release.countDown();
            for (TaskFuture<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(peak.get()).isEqualTo(expected);
        }
    }

    /** After shutdown, submit is rejected with a message that says the pool is closed; queued tasks still run. */
    @EveryPool
    void submitAfterShutdownIsRejected(PoolKind kind) throws Exception {
        Pool pool = kind.open(c -> c.withName("closing"));
        TaskFuture<Integer> before = pool.submit(() -> 1);
        pool.shutdown();
        assertThatThrownBy(() -> pool.submit(() -> 2)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("closed").hasMessageContaining("'closing'");
        assertThatThrownBy(() -> pool.apply((Integer x) -> x, 1)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.map((Integer x) -> x, List.of(1))).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.imap((Integer x) -> x, List.of(1))).isInstanceOf(RejectedExecutionException.class);
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

    /** join, close and shutdown(wait) from one of the pool's own workers are errors instead of deadlocks. */
    @EveryPool
    void waitingForThePoolFromOwnWorkerIsAnError(PoolKind kind) throws Exception {
        CountDownLatch shut = new CountDownLatch(1);
        Pool pool = kind.open();
        TaskFuture<List<Throwable>> f = pool.submit(() -> {
            Await.latch(shut);
            List<Throwable> thrown = new ArrayList<>();
            interface Wait {
                void run() throws Exception;
            }
            for (Wait body : List.<Wait>of(pool::join, pool::close, () -> pool.shutdown(true, false))) {
                try {
                    body.run();
                } catch (IllegalStateException e) {
                    thrown.add(e);
                }
            }
            return thrown;
        });
        pool.shutdown();
        shut.countDown();
        assertThat(f.get(10, TimeUnit.SECONDS)).hasSize(3)
                .allSatisfy(e -> assertThat(e).hasMessageContaining("would wait for itself"));
        pool.join();
    }

    /**
     * terminate with 10,000 long tasks (queued in a bounded pool, all running on virtual threads in
     * an unbounded one) returns promptly; each ends cancelled and join returns.
     */
    @EveryPool
    void terminateCancelsTenThousandLongTasks(PoolKind kind) throws Exception {
        Pool pool = kind.open();
        List<TaskFuture<Object>> futures = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(PoolKind.WORKERS);
        for (int i = 0; i < 10_000; i++) {
            futures.add(pool.submit(() -> Blocking.untilInterrupted(started, null)));
        }
        Await.latch(started);
        long t0 = System.nanoTime();
        pool.terminate();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        pool.join();
        assertThat(futures).allSatisfy(f -> assertThat(f.state()).isEqualTo(Future.State.CANCELLED));
        assertThat(pool.isTerminated()).isTrue();
    }

    /** terminate interrupts running tasks of every kind, and outstanding AsyncResults end cancelled. */
    @EveryPool
    void terminateEndsRunningTasksAndResults(PoolKind kind) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Pool pool = kind.open();
        AsyncResult<Object> r = pool.applyAsync(x -> {
            try {
                return Blocking.untilInterrupted(started, interrupted);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, 1);
        Await.latch(started);
        pool.terminate();
        Await.latch(interrupted);
        assertThat(r.waitFor(Duration.ofSeconds(10))).isTrue();
        assertThatThrownBy(r::get).isInstanceOf(CancellationException.class);
        pool.join();
        assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    }

    /** After close, shutdown+join and terminate+join, no worker thread of the pool is alive. */
    @EveryPool
    void noWorkerThreadRemainsAfterJoin(PoolKind kind) throws Exception {
        for (int way = 0; way < 3; way++) {
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            Pool pool = kind.open(c -> c.withInitializer(() -> threads.add(Thread.currentThread())));
            List<Integer> items = java.util.stream.IntStream.range(0, 50).boxed().toList();
            pool.map((Integer x) -> {
                threads.add(Thread.currentThread());
                return x;
            }, items, 1);
            switch (way) {
                case 0 -> pool.close();
                case 1 -> { pool.shutdown(); pool.join(); }
                default -> { pool.terminate(); pool.join(); }
            }
            assertThat(threads).isNotEmpty().noneMatch(Thread::isAlive);
            assertThat(pool.isTerminated()).isTrue();
        }
    }

    /** shutdown(wait=true, cancelFutures=true) cancels the queued tasks, lets the running one finish, and waits. */
    @EveryPool
    void shutdownWithCancelFuturesCancelsQueuedOnly(PoolKind kind) throws Exception {
        Pool pool = kind.bounded() ? kind.open() : PoolKind.IO_BOUNDED.open();
        CountDownLatch started = new CountDownLatch(PoolKind.WORKERS);
        CountDownLatch release = new CountDownLatch(1);
        List<TaskFuture<Integer>> running = new ArrayList<>();
        for (int i = 0; i < PoolKind.WORKERS; i++) {
            running.add(pool.submit(() -> { started.countDown(); Await.latchUninterruptibly(release); return 1; }));
        }
        Await.latch(started);
        List<TaskFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(pool.submit(() -> 2));
        }
        Thread me = Thread.currentThread();
        Thread releaser = Thread.ofVirtual().start(() -> {
            Await.blockedIn(me, "awaitTerminated");     // shutdown(wait=true) waits for the running tasks
            release.countDown();
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
        CountDownLatch release = new CountDownLatch(1);
        List<TaskFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < PoolKind.WORKERS + 2; i++) {
            int n = i;
            futures.add(pool.submit(() -> { Await.latchUninterruptibly(release); return n; }));
        }
        pool.shutdown(false, false);
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.isTerminated()).isFalse();
        release.countDown();
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

    /** Workers are named after the pool; a task can ask which worker runs it. */
    @EveryPool
    void workersAreNamedAndIdentifiable(PoolKind kind) throws Exception {
        try (Pool pool = kind.open(c -> c.withName("named"))) {
            Pool.Worker w = pool.submit(() -> Pool.currentWorker().orElseThrow()).get(10, TimeUnit.SECONDS);
            assertThat(w.pool()).isEqualTo("named");
            assertThat(w.threadName()).isEqualTo(kind.threadName() + "named-" + w.index()).matches(".*-named-\\d+");
            assertThat(pool.name()).isEqualTo("named");
        }
        try (Pool pool = kind.open()) {
            String thread = pool.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
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
        Function<Integer, Integer> id = x -> x;
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
            pool.execute(() -> { throw new Boom("execute (logged on purpose)"); });
            assertThat(pool.apply(() -> 3)).isEqualTo(3);
        }
    }
}
