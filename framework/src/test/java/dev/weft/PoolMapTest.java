package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import static dev.weft.testing.Tasks.fn;
import static dev.weft.testing.Tasks.fn2;
import static dev.weft.testing.Tasks.run;

import dev.weft.testing.Boom;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Flag;
import dev.weft.testing.PoolKind;
import dev.weft.testing.Tally;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The map family: {@code map}, {@code mapAsync}, {@code starmap}, {@code imap},
 * {@code imapUnordered} and the {@code concurrent.futures}-style {@code imap} with a timeout. Ported
 * from CPython's {@code _TestPool} ({@code test_map}, {@code test_starmap}, {@code test_map_chunksize},
 * {@code test_imap}, {@code test_imap_handle_iterable_exception}, {@code test_imap_unordered},
 * {@code test_empty_iterable}, {@code test_map_no_failfast}) and {@code executor.py}
 * ({@code test_map}, {@code test_map_exception}, {@code test_map_timeout}), over every pool kind.
 * Functions are serializable ({@code fn}) and coordinate through {@link Flag}s and {@link Tally}s,
 * so that they run in a process pool's workers too; inputs and callbacks stay in the test's JVM.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolMapTest {
    private static final List<Integer> TEN = IntStream.range(0, 10).boxed().toList();
    private static final List<Integer> SQUARES = TEN.stream().map(x -> x * x).toList();

    /** map returns results in input order, with the default chunksize and with any given one. */
    @EveryPool
    void mapKeepsInputOrder(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            assertThat(pool.map(fn((Integer x) -> x * x), TEN)).isEqualTo(SQUARES);
            for (int chunksize : new int[] {1, 3, 10, 100}) {
                assertThat(pool.map(fn((Integer x) -> x * x), TEN, chunksize)).isEqualTo(SQUARES);
            }
            List<Integer> many = IntStream.range(0, 1000).boxed().toList();
            assertThat(pool.map(fn((Integer x) -> x + 1), many)).isEqualTo(many.stream().map(x -> x + 1).toList());
        }
    }

    /** Null items and null results are allowed. */
    @EveryPool
    void mapAllowsNullItemsAndResults(PoolKind kind) throws Exception {
        List<Integer> withNull = new ArrayList<>(List.of(1, 2));
        withNull.add(1, null);
        try (Pool pool = kind.open()) {
            assertThat(pool.map(fn((Integer x) -> x == null ? null : x * 10), withNull, 2)).containsExactly(10, null, 20);
        }
    }

    /** starmap applies a two-argument function to each pair, in order; starmapAsync too. */
    @EveryPool
    void starmapAppliesToPairs(PoolKind kind) throws Exception {
        List<Map.Entry<Integer, Integer>> pairs = TEN.stream().map(x -> Map.entry(x, x + 1)).toList();
        List<Integer> expected = TEN.stream().map(x -> x * (x + 1)).toList();
        try (Pool pool = kind.open()) {
            assertThat(pool.starmap(fn2((Integer a, Integer b) -> a * b), pairs)).isEqualTo(expected);
            assertThat(pool.starmap(fn2((Integer a, Integer b) -> a * b), pairs, 3)).isEqualTo(expected);
            assertThat(pool.starmapAsync(fn2((Integer a, Integer b) -> a * b), pairs, 4, r -> { }, e -> { }).get())
                    .isEqualTo(expected);
        }
    }

    /** map throws FailedException once every task ended: first failure in input order as cause, later ones suppressed. */
    @EveryPool
    void mapFailureIsFirstInInputOrderAfterAllEnded(PoolKind kind) {
        Tally ran = Tally.create();
        try (Pool pool = kind.open()) {
            assertThatThrownBy(() -> pool.map(fn((Integer x) -> {
                ran.add(String.valueOf(x));
                if (x == 3 || x == 7) {
                    throw new Boom("item " + x);
                }
                return x;
            }), TEN, 2))
                    .isInstanceOfSatisfying(FailedException.class, e -> {
                        assertThat(e.getCause()).hasMessage("item 3");
                        assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("item 7");
                    });
            assertThat(ran.keys()).containsExactlyInAnyOrderElementsOf(   // no fail-fast: every item ran, once
                    TEN.stream().map(String::valueOf).toList());
        }
    }

    /** mapAsync calls its callback with the whole list, or its errorCallback with the first failure. */
    @EveryPool
    void mapAsyncCallbacks(PoolKind kind) throws Exception {
        List<Object> got = new CopyOnWriteArrayList<>();
        try (Pool pool = kind.open()) {
            AsyncResult<List<Integer>> ok = pool.mapAsync(fn((Integer x) -> x * x), TEN, 3, got::add, got::add);
            assertThat(ok.get()).isEqualTo(SQUARES);
            assertThat(got).containsExactly(SQUARES);
            got.clear();
            AsyncResult<List<Object>> bad = pool.mapAsync(fn(x -> { throw new Boom("map " + x); }), List.of(1, 2), 1,
                    got::add, got::add);
            bad.waitFor();
            assertThat(bad.successful()).isFalse();
            assertThat(got).singleElement().isInstanceOf(Boom.class).extracting(t -> ((Boom) t).getMessage())
                    .isEqualTo("map 1");
        }
    }

    /** Empty input gives empty results from every map variant, without hanging. */
    @EveryPool
    void emptyInputGivesEmptyResults(PoolKind kind) throws Exception {
        List<Integer> none = List.of();
        try (Pool pool = kind.open()) {
            assertThat(pool.map(fn((Integer x) -> x), none)).isEmpty();
            assertThat(pool.map(fn((Integer x) -> x), none, 5)).isEmpty();
            assertThat(pool.mapAsync(fn((Integer x) -> x), none).get(Duration.ofSeconds(10))).isEmpty();
            assertThat(pool.starmap(fn2((Integer a, Integer b) -> a), List.<Map.Entry<Integer, Integer>>of())).isEmpty();
            assertThat(pool.imap(fn((Integer x) -> x), none).hasNext()).isFalse();
            assertThat(pool.imapUnordered(fn((Integer x) -> x), none, 3).hasNext()).isFalse();
            assertThat(pool.imap(fn((Integer x) -> x), none, 1, Duration.ofSeconds(1)).hasNext()).isFalse();
        }
    }

    /** imap yields results in input order, for several chunksizes. */
    @EveryPool
    void imapYieldsInInputOrder(PoolKind kind) {
        try (Pool pool = kind.open()) {
            for (int chunksize : new int[] {1, 4, 100}) {
                List<Integer> got = new ArrayList<>();
                pool.imap(fn((Integer x) -> x * x), TEN, chunksize).forEachRemaining(got::add);
                assertThat(got).isEqualTo(SQUARES);
            }
        }
    }

    /** imap yields in input order even when later items finish first. */
    @EveryPool
    void imapWaitsForTheSlowHead(PoolKind kind) {
        Flag laterDone = Flag.create();
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imap(fn((Integer x) -> {
                if (x == 0) {
                    laterDone.await("the later item is done");
                } else {
                    laterDone.raise();
                }
                return x;
            }), List.of(0, 1));
            assertThat(it.next()).isZero();
            assertThat(it.next()).isEqualTo(1);
        }
    }

    /** imapUnordered yields every result, a fast one before a slow one. */
    @EveryPool
    void imapUnorderedYieldsInCompletionOrder(PoolKind kind) {
        Flag release = Flag.create();
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imapUnordered(holding(0, release), List.of(0, 1));
            assertThat(it.next()).isEqualTo(1);
            release.raise();
            assertThat(it.next()).isZero();
            assertThat(it.hasNext()).isFalse();
            List<Integer> all = new ArrayList<>();
            pool.imapUnordered(fn((Integer x) -> x * x), TEN, 3).forEachRemaining(all::add);
            assertThat(all).containsExactlyInAnyOrderElementsOf(SQUARES);
        }
    }

    /** imap over an unbounded input takes items lazily: it yields the first results and reads only a window ahead. */
    @EveryPool
    void imapOverUnboundedInputIsLazy(PoolKind kind) {
        AtomicInteger taken = new AtomicInteger();
        Iterable<Integer> naturals = endless(n -> {
            taken.incrementAndGet();
            return n;
        });
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imap(fn((Integer x) -> x * 2), naturals, 2);
            for (int i = 0; i < 100; i++) {
                assertThat(it.next()).isEqualTo(2 * i);
            }
            assertThat(taken.get()).isLessThan(100 + 2 * 2 * Math.max(256, PoolKind.WORKERS) + 1);
        }
    }

    /** A task's exception is thrown by next() when iteration reaches it, and iteration continues past it. */
    @EveryPool
    void imapThrowsTaskExceptionAtItsItemAndContinues(PoolKind kind) {
        try (Pool pool = kind.open()) {
            for (ResultIterator<Integer> it : List.of(pool.imap(fn((Integer x) -> check(x)), TEN, 3),
                    pool.imap(fn((Integer x) -> check(x)), TEN, 2, Duration.ofSeconds(10)))) {
                List<Object> got = new ArrayList<>();
                while (it.hasNext()) {
                    try {
                        got.add(it.next());
                    } catch (FailedException e) {
                        got.add(e.getCause().getMessage());
                    }
                }
                assertThat(got).containsExactly(0, 1, 2, 3, 4, "item 5", 6, 7, 8, 9);
            }
        }
    }

    private static int check(int x) {
        if (x == 5) {
            throw new Boom("item " + x);
        }
        return x;
    }

    /** An exception thrown by the input reaches the caller after the results before it; the pool stays usable. */
    @EveryPool
    void inputExceptionReachesCallerAndPoolStaysUsable(PoolKind kind) throws Exception {
        Iterable<Integer> failing = endless(n -> {
            if (n == 4) {
                throw new Boom("input");
            }
            return n;
        });
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imap(fn((Integer x) -> x), failing, 1);
            assertThat(List.of(it.next(), it.next(), it.next(), it.next())).containsExactly(0, 1, 2, 3);
            assertThatThrownBy(it::next).isInstanceOf(Boom.class).hasMessage("input");
            assertThat(it.hasNext()).isFalse();
            ResultIterator<Integer> unordered = pool.imapUnordered(fn((Integer x) -> x), failing, 1);
            assertThatThrownBy(() -> { while (unordered.hasNext()) { unordered.next(); } }).isInstanceOf(Boom.class);
            assertThatThrownBy(() -> pool.map(fn((Integer x) -> x), failing)).isInstanceOf(Boom.class);
            assertThat(pool.map(fn((Integer x) -> x), TEN)).isEqualTo(TEN);
        }
    }

    /**
     * imap with a timeout: a next() past the overall deadline throws UncheckedTimeoutException and
     * ends the iteration. The workers are started first, and worker JVMs get a longer deadline (a
     * first task there loads its classes), so that the first result always comes in time.
     */
    @EveryPool
    void imapOverallDeadlineEndsIteration(PoolKind kind) throws Exception {
        Flag release = Flag.create();
        Duration deadline = Duration.ofMillis(kind.remote() ? 1000 : 100);
        try (Pool pool = kind.open()) {
            kind.warm(pool);
            ResultIterator<Integer> it = pool.imap(holding(1, release), List.of(0, 1, 2), 1, deadline);
            assertThat(it.next()).isZero();
            assertThatThrownBy(it::next).isInstanceOf(UncheckedTimeoutException.class);
            assertThat(it.hasNext()).isFalse();
            release.raise();
        }
    }

    /** A zero deadline on a saturated pool times out at once and cancels the items still queued: they never start. */
    @EveryPool
    void expiredDeadlineCancelsQueuedItems(PoolKind kind) throws Exception {
        Flag release = Flag.create();
        Flag started = Flag.create();
        Tally log = Tally.create();
        try (Pool pool = kind.open(c -> c.withWorkers(1))) {
            TaskFuture<?> first = pool.submit(run(() -> {
                started.raise();
                release.await("the test released the first task");
            }));
            started.await("the first task started");
            ResultIterator<String> it = pool.imap(fn((String s) -> {
                log.add(s);
                return s;
            }), List.of("second", "third"), 1, Duration.ZERO);
            assertThatThrownBy(it::next).isInstanceOf(UncheckedTimeoutException.class);
            release.raise();
            first.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(log.keys()).isEmpty();
    }

    /** next(timeout) throws UncheckedTimeoutException without ending the iteration. */
    @EveryPool
    void nextWithTimeoutDoesNotEndIteration(PoolKind kind) {
        Flag release = Flag.create();
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imap(holding(7, release), List.of(7));
            assertThatThrownBy(() -> it.next(Duration.ofMillis(20))).isInstanceOf(UncheckedTimeoutException.class);
            release.raise();
            assertThat(it.next(Duration.ofSeconds(10))).isEqualTo(7);
        }
    }

    /** An interrupted wait in next() throws UncheckedInterruptedException with the interrupt status set. */
    @Test
    void interruptedNextThrowsUncheckedInterrupted() {
        Flag release = Flag.create();
        try (Pool pool = Pool.io()) {
            ResultIterator<Integer> it = pool.imap(holding(1, release), List.of(1));
            Thread.currentThread().interrupt();
            assertThatThrownBy(it::next).isInstanceOf(UncheckedInterruptedException.class);
            assertThat(Thread.interrupted()).isTrue();
            release.raise();
            assertThat(it.next()).isEqualTo(1);
        }
    }

    /** The identity, except that item {@code slow} first waits (bounded) for {@code release}. */
    private static Function<Integer, Integer> holding(int slow, Flag release) {
        return fn(x -> {
            if (x == slow) {
                release.await("the test released item " + slow);
            }
            return x;
        });
    }

    /** An endless input whose n-th item (from 0) is {@code item.apply(n)}; each iterator starts again at 0. */
    private static Iterable<Integer> endless(IntFunction<Integer> item) {
        return () -> new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return item.apply(n++);
            }
        };
    }

    /** Python's default chunksize: ceil(n / (4 * workers)), 1 for an unbounded pool. */
    @Test
    void defaultChunksizeIsPythons() {
        assertThat(PoolMapping.defaultChunksize(100, 4)).isEqualTo(7);
        assertThat(PoolMapping.defaultChunksize(16, 4)).isEqualTo(1);
        assertThat(PoolMapping.defaultChunksize(17, 4)).isEqualTo(2);
        assertThat(PoolMapping.defaultChunksize(0, 4)).isEqualTo(1);
        assertThat(PoolMapping.defaultChunksize(1000, 0)).isEqualTo(1);
    }

    /**
     * map works on a copy of its input taken at the call (a later change to the collection is not
     * seen), and hands back a fresh list of its own that the caller may change.
     */
    @EveryPool
    void mapCopiesItsInputAndReturnsAModifiableList(PoolKind kind) throws Exception {
        Flag release = Flag.create();
        List<Integer> input = new ArrayList<>(TEN);
        try (Pool pool = kind.open()) {
            AsyncResult<List<Integer>> result = pool.mapAsync(fn((Integer x) -> {
                release.await("the test changed its input");
                return x * x;
            }), input, 3, r -> { }, e -> { });
            input.clear();
            release.raise();
            List<Integer> squares = result.get();
            assertThat(squares).isEqualTo(SQUARES);
            squares.add(-1);
            assertThat(squares).hasSize(TEN.size() + 1);
        }
    }

    /** terminate() during a map of several chunks ends its result cancelled, and the pool still joins. */
    @EveryPool
    void terminateDuringMapCancelsTheResult(PoolKind kind) throws Exception {
        Flag started = Flag.create();
        Flag never = Flag.create();
        Pool pool = kind.open();
        AsyncResult<List<Integer>> result = pool.mapAsync(fn((Integer x) -> {
            started.raise();
            try {
                while (!never.isRaised()) {
                    Thread.sleep(5);                    // stands for work; ends when interrupted
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();     // so the chunk's later items see it too
                throw new java.util.concurrent.CancellationException("interrupted");
            }
            return x;
        }), TEN, 2, r -> { }, e -> { });
        started.await("a chunk started");
        pool.terminate();
        pool.join();
        assertThat(result.ready()).isTrue();
        assertThatThrownBy(result::get).isInstanceOf(java.util.concurrent.CancellationException.class);
    }

    /** The deadline's message counts only the chunks it cancelled, and says how many finished ones it dropped. */
    @Test
    void deadlineMessageCountsOnlyUnfinishedChunks() throws Exception {
        Flag release = Flag.create();
        Tally finished = Tally.create();
        try (Pool pool = Pool.io()) {
            ResultIterator<Integer> it = pool.imap(fn((Integer x) -> {
                if (x == 0) {
                    release.await("the test released item 0");
                } else {
                    finished.add();
                }
                return x;
            }), List.of(0, 1, 2, 3), 1, Duration.ofSeconds(2));
            finished.awaitCount(3, "items 1 to 3 finished");
            assertThatThrownBy(it::next).isInstanceOf(UncheckedTimeoutException.class)
                    .hasMessage("1 chunk of the map unfinished at its deadline, cancelled; "
                            + "3 finished but not yet read, dropped");
            release.raise();
        }
    }

    /** After terminate(), a chunk runs none of its remaining items, even when the function swallows the interrupt. */
    @EveryPool
    void terminatedChunkStopsEvenIfTheFunctionSwallowsTheInterrupt(PoolKind kind) throws Exception {
        assumeTrue(kind.where() != PoolKind.Where.CLUSTER, "a cluster member's chunk sees terminate() only as an "
                + "interrupt; see ClusterPool's javadoc");
        Flag started = Flag.create();
        Flag never = Flag.create();
        Tally ranAfter = Tally.create();
        Pool pool = kind.open();
        AsyncResult<List<Integer>> result = pool.mapAsync(fn((Integer x) -> {
            if (x == 0) {
                started.raise();
                try {
                    while (!never.isRaised()) {
                        Thread.sleep(5);                // stands for work
                    }
                } catch (InterruptedException swallowed) {
                    return -1;                          // the interrupt is lost here
                }
            } else {
                ranAfter.add();
            }
            return x;
        }), TEN, TEN.size(), r -> { }, e -> { });
        started.await("the chunk's first item started");
        pool.terminate();
        pool.join();
        assertThat(result.ready()).isTrue();
        assertThat(ranAfter.count()).as("items run after terminate()").isZero();
    }
}
