package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Boom;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Await;
import dev.weft.testing.PoolKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolMapTest {
    private static final List<Integer> TEN = IntStream.range(0, 10).boxed().toList();
    private static final List<Integer> SQUARES = TEN.stream().map(x -> x * x).toList();

    /** map returns results in input order, with the default chunksize and with any given one. */
    @EveryPool
    void mapKeepsInputOrder(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            assertThat(pool.map((Integer x) -> x * x, TEN)).isEqualTo(SQUARES);
            for (int chunksize : new int[] {1, 3, 10, 100}) {
                assertThat(pool.map((Integer x) -> x * x, TEN, chunksize)).isEqualTo(SQUARES);
            }
            List<Integer> many = IntStream.range(0, 1000).boxed().toList();
            assertThat(pool.map((Integer x) -> x + 1, many)).isEqualTo(many.stream().map(x -> x + 1).toList());
        }
    }

    /** Null items and null results are allowed. */
    @EveryPool
    void mapAllowsNullItemsAndResults(PoolKind kind) throws Exception {
        List<Integer> withNull = new ArrayList<>(List.of(1, 2));
        withNull.add(1, null);
        try (Pool pool = kind.open()) {
            assertThat(pool.map((Integer x) -> x == null ? null : x * 10, withNull, 2)).containsExactly(10, null, 20);
        }
    }

    /** starmap applies a two-argument function to each pair, in order; starmapAsync too. */
    @EveryPool
    void starmapAppliesToPairs(PoolKind kind) throws Exception {
        List<Map.Entry<Integer, Integer>> pairs = TEN.stream().map(x -> Map.entry(x, x + 1)).toList();
        List<Integer> expected = TEN.stream().map(x -> x * (x + 1)).toList();
        try (Pool pool = kind.open()) {
            assertThat(pool.starmap((Integer a, Integer b) -> a * b, pairs)).isEqualTo(expected);
            assertThat(pool.starmap((Integer a, Integer b) -> a * b, pairs, 3)).isEqualTo(expected);
            assertThat(pool.starmapAsync((Integer a, Integer b) -> a * b, pairs, 4, r -> { }, e -> { }).get())
                    .isEqualTo(expected);
        }
    }

    /** map throws FailedException once every task ended: first failure in input order as cause, later ones suppressed. */
    @EveryPool
    void mapFailureIsFirstInInputOrderAfterAllEnded(PoolKind kind) {
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        try (Pool pool = kind.open()) {
            assertThatThrownBy(() -> pool.map((Integer x) -> {
                ran.add(x);
                if (x == 3 || x == 7) {
                    throw new Boom("item " + x);
                }
                return x;
            }, TEN, 2))
                    .isInstanceOfSatisfying(FailedException.class, e -> {
                        assertThat(e.getCause()).hasMessage("item 3");
                        assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("item 7");
                    });
            assertThat(ran).containsExactlyInAnyOrderElementsOf(TEN);   // no fail-fast: every item ran
        }
    }

    /** mapAsync calls its callback with the whole list, or its errorCallback with the first failure. */
    @EveryPool
    void mapAsyncCallbacks(PoolKind kind) throws Exception {
        List<Object> got = new CopyOnWriteArrayList<>();
        try (Pool pool = kind.open()) {
            AsyncResult<List<Integer>> ok = pool.mapAsync((Integer x) -> x * x, TEN, 3, got::add, got::add);
            assertThat(ok.get()).isEqualTo(SQUARES);
            assertThat(got).containsExactly(SQUARES);
            got.clear();
            AsyncResult<List<Object>> bad = pool.mapAsync(x -> { throw new Boom("map " + x); }, List.of(1, 2), 1,
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
            assertThat(pool.map((Integer x) -> x, none)).isEmpty();
            assertThat(pool.map((Integer x) -> x, none, 5)).isEmpty();
            assertThat(pool.mapAsync((Integer x) -> x, none).get(Duration.ofSeconds(10))).isEmpty();
            assertThat(pool.starmap((Integer a, Integer b) -> a, List.<Map.Entry<Integer, Integer>>of())).isEmpty();
            assertThat(pool.imap((Integer x) -> x, none).hasNext()).isFalse();
            assertThat(pool.imapUnordered((Integer x) -> x, none, 3).hasNext()).isFalse();
            assertThat(pool.imap((Integer x) -> x, none, 1, Duration.ofSeconds(1)).hasNext()).isFalse();
        }
    }

    /** imap yields results in input order, for several chunksizes. */
    @EveryPool
    void imapYieldsInInputOrder(PoolKind kind) {
        try (Pool pool = kind.open()) {
            for (int chunksize : new int[] {1, 4, 100}) {
                List<Integer> got = new ArrayList<>();
                pool.imap((Integer x) -> x * x, TEN, chunksize).forEachRemaining(got::add);
                assertThat(got).isEqualTo(SQUARES);
            }
        }
    }

    /** imap yields in input order even when later items finish first. */
    @EveryPool
    void imapWaitsForTheSlowHead(PoolKind kind) {
        CountDownLatch laterDone = new CountDownLatch(1);
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imap((Integer x) -> {
                if (x == 0) {
                    Await.latchUninterruptibly(laterDone);
                } else {
                    laterDone.countDown();
                }
                return x;
            }, List.of(0, 1));
            assertThat(it.next()).isZero();
            assertThat(it.next()).isEqualTo(1);
        }
    }

    /** imapUnordered yields every result, a fast one before a slow one. */
    @EveryPool
    void imapUnorderedYieldsInCompletionOrder(PoolKind kind) {
        CountDownLatch release = new CountDownLatch(1);
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imapUnordered(holding(0, release), List.of(0, 1));
            assertThat(it.next()).isEqualTo(1);
            release.countDown();
            assertThat(it.next()).isZero();
            assertThat(it.hasNext()).isFalse();
            List<Integer> all = new ArrayList<>();
            pool.imapUnordered((Integer x) -> x * x, TEN, 3).forEachRemaining(all::add);
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
            ResultIterator<Integer> it = pool.imap((Integer x) -> x * 2, naturals, 2);
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
            for (ResultIterator<Integer> it : List.of(pool.imap((Integer x) -> check(x), TEN, 3),
                    pool.imap((Integer x) -> check(x), TEN, 2, Duration.ofSeconds(10)))) {
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
            ResultIterator<Integer> it = pool.imap((Integer x) -> x, failing, 1);
            assertThat(List.of(it.next(), it.next(), it.next(), it.next())).containsExactly(0, 1, 2, 3);
            assertThatThrownBy(it::next).isInstanceOf(Boom.class).hasMessage("input");
            assertThat(it.hasNext()).isFalse();
            ResultIterator<Integer> unordered = pool.imapUnordered((Integer x) -> x, failing, 1);
            assertThatThrownBy(() -> { while (unordered.hasNext()) { unordered.next(); } }).isInstanceOf(Boom.class);
            assertThatThrownBy(() -> pool.map((Integer x) -> x, failing)).isInstanceOf(Boom.class);
            assertThat(pool.map((Integer x) -> x, TEN)).isEqualTo(TEN);
        }
    }

    /** imap with a timeout: a next() past the overall deadline throws UncheckedTimeoutException and ends the iteration. */
    @EveryPool
    void imapOverallDeadlineEndsIteration(PoolKind kind) {
        CountDownLatch release = new CountDownLatch(1);
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imap(holding(1, release), List.of(0, 1, 2), 1, Duration.ofMillis(100));
            assertThat(it.next()).isZero();
            assertThatThrownBy(it::next).isInstanceOf(UncheckedTimeoutException.class);
            assertThat(it.hasNext()).isFalse();
            release.countDown();
        }
    }

    /** A zero deadline on a saturated pool times out at once and cancels the items still queued: they never start. */
    @EveryPool
    void expiredDeadlineCancelsQueuedItems(PoolKind kind) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<String> log = new CopyOnWriteArrayList<>();
        try (Pool pool = kind.open(c -> c.withWorkers(1))) {
            TaskFuture<?> first = pool.submit(() -> {
                started.countDown();
                Await.latchUninterruptibly(release);
            });
            Await.latch(started);
            ResultIterator<String> it = pool.imap((String s) -> {
                log.add(s);
                return s;
            }, List.of("second", "third"), 1, Duration.ZERO);
            assertThatThrownBy(it::next).isInstanceOf(UncheckedTimeoutException.class);
            release.countDown();
            first.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(log).isEmpty();
    }

    /** next(timeout) throws UncheckedTimeoutException without ending the iteration. */
    @EveryPool
    void nextWithTimeoutDoesNotEndIteration(PoolKind kind) {
        CountDownLatch release = new CountDownLatch(1);
        try (Pool pool = kind.open()) {
            ResultIterator<Integer> it = pool.imap(holding(7, release), List.of(7));
            assertThatThrownBy(() -> it.next(Duration.ofMillis(20))).isInstanceOf(UncheckedTimeoutException.class);
            release.countDown();
            assertThat(it.next(Duration.ofSeconds(10))).isEqualTo(7);
        }
    }

    /** An interrupted wait in next() throws UncheckedInterruptedException with the interrupt status set. */
    @Test
    void interruptedNextThrowsUncheckedInterrupted() {
        CountDownLatch release = new CountDownLatch(1);
        try (Pool pool = Pool.io()) {
            ResultIterator<Integer> it = pool.imap(holding(1, release), List.of(1));
            Thread.currentThread().interrupt();
            assertThatThrownBy(it::next).isInstanceOf(UncheckedInterruptedException.class);
            assertThat(Thread.interrupted()).isTrue();
            release.countDown();
            assertThat(it.next()).isEqualTo(1);
        }
    }

    /** The identity, except that item {@code slow} first waits (uninterruptibly, bounded) for {@code release}. */
    private static Function<Integer, Integer> holding(int slow, CountDownLatch release) {
        return x -> {
            if (x == slow) {
                Await.latchUninterruptibly(release);
            }
            return x;
        };
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
}
