package dev.weft;

import static dev.weft.testing.Tasks.call;
import static dev.weft.testing.Tasks.fn;
import static dev.weft.testing.Tasks.fn2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.testing.Await;
import dev.weft.testing.Boom;
import dev.weft.testing.Busy;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Flag;
import dev.weft.testing.PoolKind;
import dev.weft.testing.Tally;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;

/**
 * Promises that hold whatever the caller does, in any order, over every pool kind: a future done
 * before its turn is skipped and costs no worker; {@code Executor.map}'s counterpart runs every
 * item, and a lazy iteration that the pool stops ends in one clear exception; a pool's own thread
 * that would wait for the pool for ever is refused; a null inside a collection is refused at the
 * call.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolContractsTest {

    // ---- a task done before its turn --------------------------------------------------------------

    /** A task cancelled before its turn is skipped, and every worker (or slot) is left for the next tasks. */
    @EveryPool
    void taskCancelledBeforeItsTurnIsSkippedAndEveryWorkerStays(PoolKind kind) throws Exception {
        assumeTrue(kind.bounded(), "only a bounded pool keeps a task waiting for its turn");
        Tally ran = Tally.create();
        try (Pool pool = kind.open()) {
            Flag release = Busy.everyWorker(pool);
            TaskFuture<Object> skipped = pool.submit(call(() -> {
                ran.add("skipped");
                return null;
            }));
            assertThat(skipped.cancel(false)).isTrue();
            release.raise();
            assertEveryWorkerServes(pool);
        }
        assertThat(ran.count("skipped")).isZero();
    }

    /**
     * A task its holder ran first (the future is a RunnableFuture, as the JDK's are) is skipped when
     * its turn comes, and every worker (or slot) stays: the pool's future cannot be completed any
     * other way from outside.
     */
    @EveryPool
    void taskRunByItsHolderIsSkippedAndEveryWorkerStays(PoolKind kind) throws Exception {
        assumeTrue(kind.bounded(), "only a bounded pool keeps a task waiting for its turn");
        Tally ran = Tally.create();
        try (Pool pool = kind.open()) {
            Flag release = Busy.everyWorker(pool);
            TaskFuture<String> runByHolder = pool.submit(call(() -> {
                ran.add("once");
                return "by its holder";
            }));
            ((Runnable) runByHolder).run();
            assertThat(runByHolder.resultNow()).isEqualTo("by its holder");
            release.raise();
            assertEveryWorkerServes(pool);
        }
        assertThat(ran.count("once")).isEqualTo(1);
    }

    /** Asserts that every worker of {@code pool} takes a task: each waits until all of them run at once. */
    private static void assertEveryWorkerServes(Pool pool) throws Exception {
        int workers = pool.workers();
        Tally arrived = Tally.create();
        List<TaskFuture<Object>> all = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            all.add(pool.submit(call(() -> {
                arrived.add();
                arrived.awaitCount(workers, "all " + workers + " workers run a task at once");
                return null;
            })));
        }
        for (TaskFuture<Object> f : all) {
            f.get(2 * Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    // ---- Executor.map: every item runs; a lazy iteration ends in a clear exception ----------------

    /** imap with a timeout, Executor.map's counterpart, submits every item at the call: all run though nobody iterates. */
    @EveryPool
    void executorMapRunsEveryItemThoughNobodyIterates(PoolKind kind) throws Exception {
        int items = 50;
        Tally ran = Tally.create();
        Pool pool = kind.open();
        pool.imap(fn((Integer x) -> {
            ran.add();
            return x;
        }), range(items), 1, Duration.ofMinutes(1));
        pool.shutdown(true, false);
        assertThat(ran.count()).isEqualTo(items);
    }

    /** Executor.map's counterpart reads its whole input at the call: the input's exception is thrown there, and no task runs. */
    @EveryPool
    void executorMapThrowsTheInputsExceptionAtTheCall(PoolKind kind) throws Exception {
        Boom boom = new Boom("the input");
        Tally ran = Tally.create();
        Pool pool = kind.open();
        Iterable<Integer> failing = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (next == 3) {
                    throw boom;
                }
                return next++;
            }
        };
        assertThatThrownBy(() -> pool.imap(fn((Integer x) -> {
            ran.add();
            return x;
        }), failing, 1, Duration.ofMinutes(1))).isSameAs(boom);
        pool.shutdown(true, false);
        assertThat(ran.count()).isZero();
    }

    /** With a buffersize, Executor.map's counterpart is lazy: it reads only buffersize chunks ahead of the iteration. */
    @EveryPool
    void executorMapWithBuffersizeReadsOnlyAheadOfTheIteration(PoolKind kind) {
        AtomicInteger read = new AtomicInteger();
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imap(fn((Integer x) -> x * 2), counting(100, read), 1,
                    Duration.ofMinutes(1), 2);
            assertThat(read).hasValue(2);
            assertThat(it.next()).isZero();
            assertThat(read).hasValue(3);
            assertThat(it.next()).isEqualTo(2);
            assertThat(read).hasValue(4);
        }
        assertThatThrownBy(() -> Pool.io().imap(x -> x, List.of(1), 1, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buffersize");
    }

    /**
     * A lazy iteration (imap, imapUnordered, imap with a buffersize) whose pool shuts down delivers
     * the results of what it had submitted, then throws one RejectedExecutionException that names
     * the first item never submitted, then ends: nothing it read is dropped in silence.
     */
    @EveryPool
    void lazyIterationThatThePoolStopsEndsInOneClearException(PoolKind kind) throws Exception {
        List<Function<Pool, ResultIterator<Integer>>> lazy = List.of(
                pool -> pool.imap(fn((Integer x) -> x * x), range(300)),
                pool -> pool.imapUnordered(fn((Integer x) -> x * x), range(300)),
                pool -> pool.imap(fn((Integer x) -> x * x), range(300), 1, Duration.ofMinutes(1), 2));
        for (Function<Pool, ResultIterator<Integer>> iteration : lazy) {
            try (Pool pool = kind.open()) {
                ResultIterator<Integer> it = iteration.apply(pool);
                pool.shutdown();
                List<Integer> delivered = new ArrayList<>();
                RejectedExecutionException rejected = null;
                while (it.hasNext()) {
                    try {
                        delivered.add(it.next());
                    } catch (RejectedExecutionException e) {
                        assertThat(rejected).as("a second rejection").isNull();
                        rejected = e;
                    }
                }
                int submitted = delivered.size();
                assertThat(submitted).isBetween(1, 299);
                assertThat(delivered).containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, submitted).map(x -> x * x).boxed().toList());
                assertThat(rejected).isNotNull()
                        .hasMessageFindingMatch("(item #" + (submitted + 1) + "|items #" + (submitted + 1)
                                + " to #\\d+) of this iteration's input w")
                        .hasMessageContaining("never submitted").hasCauseInstanceOf(RejectedExecutionException.class);
                assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
            }
        }
    }

    // ---- a pool's own thread that would wait for the pool for ever --------------------------------

    /**
     * A callback of a one-worker pool that waits for the same pool gets IllegalStateException
     * naming the fix instead of a deadlock, and the pool carries on; an unbounded IO pool serves
     * the wait.
     */
    @EveryPool
    void callbackWaitingForItsOwnPoolIsRefusedNotDeadlocked(PoolKind kind) throws Exception {
        AtomicReference<Object> inner = new AtomicReference<>();
        try (Pool pool = kind.open(c -> kind.bounded() ? c.withWorkers(1) : c)) {
            AsyncResult<Integer> outer = pool.applyAsync(fn((Integer x) -> x + 1), 1, v -> {
                try {
                    inner.set(pool.apply(fn((Integer x) -> x * 10), v));
                } catch (Throwable t) {
                    inner.set(t);
                }
            }, inner::set);
            assertThat(outer.get(Await.LIMIT)).isEqualTo(2);
            if (kind.bounded()) {
                assertThat(inner.get()).isInstanceOf(IllegalStateException.class);
                assertThat((Throwable) inner.get()).hasMessageContaining("would never end")
                        .hasMessageContaining("onDone(callback, executor)");
            } else {
                assertThat(inner.get()).isEqualTo(20);
            }
            assertThat(pool.apply(fn((Integer x) -> x * 3), 5)).isEqualTo(15);
        }
    }

    /** A callback handed to another executor with onDone(callback, executor) may wait for the pool that ran its task. */
    @EveryPool
    void callbackOnAnotherExecutorMayWaitForThePool(PoolKind kind) throws Exception {
        SettableFuture<Integer> inner = SettableFuture.create();
        try (ExecutorService elsewhere = Executors.newVirtualThreadPerTaskExecutor();
             Pool pool = kind.open(c -> c.withWorkers(1))) {
            pool.submit(call(() -> 2)).onDone(f -> {
                try {
                    inner.complete(pool.apply(fn((Integer x) -> x * 10), f.resultNow()));
                } catch (Throwable t) {
                    inner.completeExceptionally(t);
                }
            }, elsewhere);
            assertThat(inner.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(20);
        }
    }

    /**
     * A task of a one-worker pool that waits, by any call without a timeout, for a task of the same
     * pool gets IllegalStateException and the pool carries on; an unbounded IO pool serves every
     * such wait. (Tasks in other JVMs cannot reach the pool that sent them.)
     */
    @EveryPool
    void taskWaitingForItsOwnOneWorkerPoolIsRefused(PoolKind kind) throws Exception {
        assumeTrue(!kind.remote(), "a task in another JVM cannot reach the pool that sent it");
        try (Pool pool = kind.open(c -> kind.bounded() ? c.withWorkers(1) : c)) {
            List<Callable<Object>> waits = List.of(
                    () -> pool.submit(() -> 1).get(),
                    () -> pool.apply(x -> x, 1),
                    () -> pool.apply(() -> 1),
                    () -> pool.map(x -> x, List.of(1)).get(0),
                    () -> pool.starmap(Integer::sum, List.of(Map.entry(1, 0))).get(0),
                    () -> pool.applyAsync(x -> x, 1).get(),
                    () -> pool.imap(x -> x, List.of(1)).next(),
                    () -> pool.imapUnordered(x -> x, List.of(1)).next(),
                    () -> pool.invokeAll(List.of(() -> 1)).get(0).get(),
                    () -> pool.invokeAny(List.of(() -> 1)));
            for (Callable<Object> wait : waits) {
                TaskFuture<Object> outer = pool.submit(wait);
                if (kind.bounded()) {
                    assertThatThrownBy(() -> outer.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("would never end");
                } else {
                    assertThat(outer.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
                }
            }
            assertThat(pool.submit(() -> 7).get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    /**
     * With two workers and two tasks that each wait for a task queued behind them, the first to
     * wait is served and the second, which would leave no worker to serve either, is refused.
     */
    @EveryPool
    void onlyTheWaitThatWouldLeaveNoWorkerIsRefused(PoolKind kind) throws Exception {
        assumeTrue(kind.bounded() && !kind.remote(), "a bounded pool of threads of this JVM");
        CyclicBarrier bothRun = new CyclicBarrier(2);
        try (Pool pool = kind.open(c -> c.withWorkers(2))) {
            Callable<String> outer = () -> {
                bothRun.await(Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
                return pool.submit(() -> "inner").get();
            };
            List<TaskFuture<String>> outers = List.of(pool.submit(outer), pool.submit(outer));
            List<Object> outcomes = new ArrayList<>();
            for (TaskFuture<String> f : outers) {
                try {
                    outcomes.add(f.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause().getClass());
                }
            }
            assertThat(outcomes).containsExactlyInAnyOrder("inner", IllegalStateException.class);
        }
    }

    // ---- null inside a collection ------------------------------------------------------------------

    /** invokeAll and invokeAny refuse a null task at the call, before running any; starmap refuses a null pair. */
    @EveryPool
    void nullInsideACollectionIsRefusedAtTheCall(PoolKind kind) throws Exception {
        Tally ran = Tally.create();
        List<Callable<Integer>> withNull = Arrays.asList(call(() -> {
            ran.add();
            return 1;
        }), null);
        List<Map.Entry<Integer, Integer>> pairs = Arrays.asList(Map.entry(1, 2), null);
        try (Pool pool = kind.open()) {
            assertThatThrownBy(() -> pool.invokeAll(withNull)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("position 1");
            assertThatThrownBy(() -> pool.invokeAll(withNull, 10, TimeUnit.SECONDS))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("position 1");
            assertThatThrownBy(() -> pool.invokeAny(withNull)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("position 1");
            assertThatThrownBy(() -> pool.invokeAny(withNull, 10, TimeUnit.SECONDS))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("position 1");
            assertThatThrownBy(() -> pool.invokeAll(List.of(call(() -> 1)), 10, null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.invokeAny(List.of(call(() -> 1)), 10, null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pool.starmap(fn2((Integer a, Integer b) -> a + b), pairs))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("position 1");
            assertThatThrownBy(() -> pool.starmapAsync(fn2((Integer a, Integer b) -> a + b), pairs, 1, r -> { },
                    e -> { })).isInstanceOf(NullPointerException.class).hasMessageContaining("position 1");
        }
        assertThat(ran.count()).as("tasks that ran").isZero();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** The integers from 0 to {@code n - 1}, counting in {@code read} each one taken. */
    private static Iterable<Integer> counting(int n, AtomicInteger read) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public Integer next() {
                read.incrementAndGet();
                return next++;
            }
        };
    }
}
