package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import static dev.weft.testing.Tasks.fn;
import static dev.weft.testing.Tasks.fn2;

import dev.weft.testing.Await;
import dev.weft.testing.Background;
import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Flag;
import dev.weft.testing.PoolKind;
import dev.weft.testing.Tally;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Progress of the map family ({@link Pool#withProgress(Duration, Progress.Listener)}), over every
 * pool kind: each item is counted once, in items and not chunks; the total is known at once for a
 * collection and at the input's end for a lazy iterable; failures and cancellations are counted;
 * calls are serialized, never go back and end with one final call, made before the call's result
 * is handed over; throttling keeps calls an interval apart; a listener that throws changes
 * nothing. Listeners stay in the test's JVM (they are never sent to a worker), so they record
 * into plain lists; the mapped functions are serializable ({@code fn}) so that every kind runs
 * them.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolProgressTest {
    private static final List<Integer> TWENTY = IntStream.range(0, 20).boxed().toList();

    /**
     * Records every report and the thread that made it, and counts calls that overlapped another
     * (there must be none).
     */
    static final class Recorder implements Progress.Listener {
        final List<Progress> reports = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicInteger overlaps = new AtomicInteger();
        private final AtomicInteger calling = new AtomicInteger();

        @Override
        public void onProgress(Progress progress) {
            if (calling.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            reports.add(progress);
            threads.add(Thread.currentThread().getName());
            calling.decrementAndGet();
        }

        Progress last() {
            return reports.get(reports.size() - 1);
        }

        /** The distinct values of done, in the order reported. */
        List<Long> doneValues() {
            return reports.stream().map(Progress::done).distinct().toList();
        }
    }

    /**
     * The contract every map call's reports keep, whatever the pool: a first report of nothing done,
     * values that never go back, no two alike but the final one, failures and cancellations among
     * the done, and exactly one final report, the last, with every one of {@code items} done.
     */
    private static void assertReportedEveryItemOnce(Recorder recorder, long items) {
        List<Progress> reports = recorder.reports;
        assertThat(recorder.overlaps).as("calls that overlapped another").hasValue(0);
        assertThat(reports).as("reports").isNotEmpty();
        assertThat(reports.get(0).done()).as("the first report's done").isZero();
        Progress last = recorder.last();
        assertThat(last.isFinished()).as("the last report is final: " + reports).isTrue();
        assertThat(last.done()).as("done at the end").isEqualTo(items);
        assertThat(last.total()).as("the total at the end").isEqualTo(OptionalLong.of(items));
        assertThat(last.rate()).isCloseTo(last.done() * 1e9 / Math.max(1, last.elapsed().toNanos()), within(1e-6));
        assertThat(reports.subList(0, reports.size() - 1)).as("reports before the last").noneMatch(Progress::isFinished);
        for (int i = 1; i < reports.size(); i++) {
            Progress before = reports.get(i - 1);
            Progress now = reports.get(i);
            assertThat(now.done()).as("done never goes back: " + reports).isGreaterThanOrEqualTo(before.done());
            assertThat(now.failed()).isGreaterThanOrEqualTo(before.failed());
            assertThat(now.cancelled()).isGreaterThanOrEqualTo(before.cancelled());
            assertThat(now.elapsed()).isGreaterThanOrEqualTo(before.elapsed());
            if (!now.isFinished()) {
                assertThat(now.done() > before.done() || !now.total().equals(before.total()))
                        .as("a report that is not final shows something new: " + reports).isTrue();
            }
        }
        for (Progress p : reports) {
            assertThat(p.failed() + p.cancelled()).as("failed and cancelled are among the done").isLessThanOrEqualTo(p.done());
            assertThat(p.done()).isLessThanOrEqualTo(items);
        }
    }

    /**
     * With one worker, every item's end is reported in turn: done goes 0, 1, 2, ... 20 with
     * chunksize 1, and 0, 4, 8, ... 20 with chunksize 4 (items, not chunks). The first call is made
     * by the calling thread, every later one by the thread that runs the call's callbacks.
     */
    @EveryPool
    void oneWorkerReportsEveryItemInTurn(PoolKind kind) throws Exception {
        try (Pool pool = kind.open(c -> c.withWorkers(1))) {
            Recorder recorder = new Recorder();
            List<String> ranOn = pool.withProgress(Duration.ZERO, recorder)
                    .map(fn((Integer x) -> Thread.currentThread().getName()), TWENTY, 1);
            assertReportedEveryItemOnce(recorder, 20);
            assertThat(recorder.doneValues()).isEqualTo(LongStream.rangeClosed(0, 20).boxed().toList());
            assertThat(recorder.reports).allSatisfy(p -> assertThat(p.total()).hasValue(20));
            assertThat(recorder.threads.get(0)).isEqualTo(Thread.currentThread().getName());
            for (int i = 1; i < recorder.reports.size(); i++) {     // done == k: item k - 1 ended last
                kind.assertCallbackThread(recorder.threads.get(i), ranOn.get((int) recorder.reports.get(i).done() - 1));
            }

            Recorder chunked = new Recorder();
            assertThat(pool.withProgress(Duration.ZERO, chunked).map(fn((Integer x) -> x + 1), TWENTY, 4))
                    .isEqualTo(TWENTY.stream().map(x -> x + 1).toList());
            assertReportedEveryItemOnce(chunked, 20);
            assertThat(chunked.doneValues()).containsExactly(0L, 4L, 8L, 12L, 16L, 20L);
        }
    }

    /**
     * Every call of the family, on a pool of several workers, reports every item once and makes its
     * final call before it hands over its result: before map and starmap return, before
     * mapAsync's and starmapAsync's callbacks run, before an imap iterator's last result.
     */
    @EveryPool
    void everyCallOfTheFamilyEndsWithTheFinalReportBeforeItsResult(PoolKind kind) throws Exception {
        List<Integer> items = IntStream.range(0, 30).boxed().toList();
        List<Integer> doubled = items.stream().map(x -> 2 * x).toList();
        List<Map.Entry<Integer, Integer>> pairs = items.stream().map(x -> Map.entry(x, x)).toList();
        Function<Integer, Integer> twice = fn((Integer x) -> 2 * x);
        try (Pool pool = kind.open()) {
            Recorder r1 = new Recorder();
            assertThat(pool.withProgress(Duration.ZERO, r1).map(twice, items)).isEqualTo(doubled);
            assertThat(r1.last().isFinished()).as("final before map returned").isTrue();
            assertReportedEveryItemOnce(r1, 30);

            Recorder r2 = new Recorder();
            assertThat(pool.withProgress(Duration.ZERO, r2).starmap(fn2((Integer a, Integer b) -> a + b), pairs, 7))
                    .isEqualTo(doubled);
            assertThat(r2.last().isFinished()).as("final before starmap returned").isTrue();
            assertReportedEveryItemOnce(r2, 30);

            Recorder r3 = new Recorder();
            List<Boolean> finalBeforeCallback = new CopyOnWriteArrayList<>();
            AsyncResult<List<Integer>> async = pool.withProgress(Duration.ZERO, r3).mapAsync(twice, items, 2,
                    r -> finalBeforeCallback.add(r3.last().isFinished()), e -> finalBeforeCallback.add(false));
            assertThat(async.get()).isEqualTo(doubled);
            assertThat(finalBeforeCallback).containsExactly(true);
            assertReportedEveryItemOnce(r3, 30);

            Recorder r4 = new Recorder();
            AsyncResult<List<Integer>> star = pool.withProgress(Duration.ZERO, r4).starmapAsync(
                    fn2((Integer a, Integer b) -> a + b), pairs, 3,
                    r -> finalBeforeCallback.add(r4.last().isFinished()), e -> finalBeforeCallback.add(false));
            assertThat(star.get()).isEqualTo(doubled);
            assertThat(finalBeforeCallback).containsExactly(true, true);
            assertReportedEveryItemOnce(r4, 30);

            Mapper[] views = new Mapper[4];
            Recorder[] recorders = new Recorder[4];
            for (int i = 0; i < 4; i++) {
                recorders[i] = new Recorder();
                views[i] = pool.withProgress(Duration.ZERO, recorders[i]);
            }
            List<Iterator<Integer>> iterators = List.of(views[0].imap(twice, items, 2),
                    views[1].imapUnordered(twice, items, 5),
                    views[2].imap(twice, items, 3, Duration.ofSeconds(20)),
                    views[3].imap(twice, items, 1, Duration.ofSeconds(20), 4));
            for (int i = 0; i < 4; i++) {
                List<Integer> got = new ArrayList<>();
                Iterator<Integer> it = iterators.get(i);
                while (it.hasNext()) {
                    got.add(it.next());
                    if (got.size() == items.size()) {
                        assertThat(recorders[i].last().isFinished()).as("final before the last result of iterator " + i)
                                .isTrue();
                    }
                }
                assertThat(got).containsExactlyInAnyOrderElementsOf(doubled);
                assertReportedEveryItemOnce(recorders[i], 30);
            }
        }
    }

    /**
     * The final report returns before the result is handed over: while the listener holds its final
     * call, a mapAsync's result stays not ready, a map does not return, and an imap iterator does
     * not yield its last result; once it returns, they do.
     */
    @EveryPool
    void theFinalReportReturnsBeforeTheResultIsHandedOver(PoolKind kind) throws Exception {
        Function<Integer, Integer> same = fn((Integer x) -> x);
        try (Pool pool = kind.open(); Background background = new Background()) {
            Holding async = new Holding();
            AsyncResult<List<Integer>> result = pool.withProgress(Duration.ZERO, async).mapAsync(same, TWENTY);
            async.awaitFinalCall();
            Thread.sleep(50);                                   // the result stays not ready while the final call runs
            assertThat(result.ready()).isFalse();
            async.release();
            assertThat(result.get()).isEqualTo(TWENTY);

            Holding blocking = new Holding();
            List<Integer> mapped = new CopyOnWriteArrayList<>();
            background.start("mapper", () -> mapped.addAll(pool.withProgress(Duration.ZERO, blocking).map(same, TWENTY, 3)));
            blocking.awaitFinalCall();
            Thread.sleep(50);                                   // map stays blocked while the final call runs
            assertThat(mapped).isEmpty();
            blocking.release();
            Await.until("map returned", () -> mapped.size() == 20);

            Holding iterated = new Holding();
            List<Integer> got = new CopyOnWriteArrayList<>();
            // Eager, so that the input's end is reported at the call; its last item waits until then, so that
            // the final report comes from a chunk's end, not from the calling thread.
            Flag called = Flag.create();
            ResultIterator<Integer> it = pool.withProgress(Duration.ZERO, iterated).imap(fn((Integer x) -> {
                if (x == 19) {
                    called.await("the imap call returned");
                }
                return x;
            }), TWENTY, 1, Duration.ofSeconds(20));
            called.raise();
            background.start("iterator", () -> it.forEachRemaining(got::add));
            iterated.awaitFinalCall();
            Thread.sleep(50);                                   // the last result stays unyielded while the final call runs
            assertThat(got).hasSizeLessThan(20);
            iterated.release();
            Await.until("the iterator yielded every result", () -> got.size() == 20);
        }
    }

    /** A listener that holds its final call until released. */
    private static final class Holding implements Progress.Listener {
        private final CountDownLatch inFinalCall = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onProgress(Progress progress) {
            if (progress.isFinished()) {
                inFinalCall.countDown();
                Await.latchUninterruptibly(release);
            }
        }

        void awaitFinalCall() throws InterruptedException {
            Await.latch(inFinalCall);
        }

        void release() {
            release.countDown();
        }
    }

    /**
     * A lazy iterable's total is unknown until its input ends, then the number of items read; a
     * collection's is known from the first report, for imap as for map.
     */
    @EveryPool
    void aLazyIterableHasNoTotalUntilItsInputEnds(PoolKind kind) {
        Iterable<Integer> lazy = () -> IntStream.range(0, 10).iterator();
        try (Pool pool = kind.open(c -> c.withWorkers(1))) {
            for (boolean ordered : new boolean[] {true, false}) {
                Recorder recorder = new Recorder();
                Mapper view = pool.withProgress(Duration.ZERO, recorder);
                ResultIterator<Integer> it = ordered ? view.imap(fn((Integer x) -> x), lazy, 3)
                        : view.imapUnordered(fn((Integer x) -> x), lazy, 3);
                List<Integer> got = new ArrayList<>();
                it.forEachRemaining(got::add);
                assertThat(got).containsExactlyInAnyOrderElementsOf(TWENTY.subList(0, 10));
                assertReportedEveryItemOnce(recorder, 10);
                assertThat(recorder.reports.get(0).total()).isEmpty();
                assertThat(recorder.reports.get(0).toString()).contains("total=unknown");
                int known = IntStream.range(0, recorder.reports.size())
                        .filter(i -> recorder.reports.get(i).total().isPresent()).findFirst().orElseThrow();
                assertThat(recorder.reports.subList(known, recorder.reports.size()))
                        .as("once known, the total stays").allSatisfy(p -> assertThat(p.total()).hasValue(10));
                assertThat(recorder.doneValues()).as("chunks of 3 count 3 items each (the iterating thread may be "
                        + "reporting the input's end when a chunk ends, so one value may be left out)")
                        .isSubsetOf(0L, 3L, 6L, 9L, 10L).contains(0L, 10L);
            }
            Recorder collection = new Recorder();
            pool.withProgress(Duration.ZERO, collection).imap(fn((Integer x) -> x), TWENTY, 3).forEachRemaining(x -> { });
            assertThat(collection.reports).allSatisfy(p -> assertThat(p.total()).hasValue(20));
        }
    }

    /** Items whose function threw are counted failed, in map and imap, and the call ends as it does without progress. */
    @EveryPool
    void failuresAreCounted(PoolKind kind) {
        Function<Integer, Integer> failEveryThird = fn((Integer x) -> {
            if (x % 3 == 0) {
                throw new Boom("item " + x);
            }
            return x;
        });
        try (Pool pool = kind.open()) {
            Recorder recorder = new Recorder();
            assertThatThrownBy(() -> pool.withProgress(Duration.ZERO, recorder).map(failEveryThird, TWENTY, 2))
                    .isInstanceOf(FailedException.class).hasMessageStartingWith("7 of 20 items failed");
            assertReportedEveryItemOnce(recorder, 20);
            assertThat(recorder.last().failed()).isEqualTo(7);
            assertThat(recorder.last().cancelled()).isZero();

            Recorder iterated = new Recorder();
            ResultIterator<Integer> it = pool.withProgress(Duration.ZERO, iterated).imap(failEveryThird, TWENTY, 3);
            int failures = 0;
            while (it.hasNext()) {
                try {
                    it.next();
                } catch (FailedException e) {
                    failures++;
                }
            }
            assertThat(failures).isEqualTo(7);
            assertReportedEveryItemOnce(iterated, 20);
            assertThat(iterated.last().failed()).isEqualTo(7);
        }
    }

    /**
     * Items cancelled by terminate, running or queued, are counted cancelled, and the map still
     * gets its final report, before its result is ready.
     */
    @EveryPool
    void itemsCancelledByTerminateAreCounted(PoolKind kind) throws Exception {
        Tally started = Tally.create();
        Pool pool = kind.open();
        Recorder recorder = new Recorder();
        AsyncResult<List<Object>> result = pool.withProgress(Duration.ZERO, recorder).mapAsync(fn((Integer x) -> {
            started.add();
            try {
                return Blocking.untilInterrupted();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }), TWENTY.subList(0, 12), 1, r -> { }, e -> { });
        started.awaitCount(PoolKind.WORKERS, "the first items started");
        pool.terminate();
        result.waitFor();
        pool.join();
        assertReportedEveryItemOnce(recorder, 12);
        assertThat(recorder.last().cancelled()).isEqualTo(12);
        assertThat(recorder.last().failed()).isZero();
    }

    /**
     * A lazy imap whose pool shuts down finishes once what it submitted is done: the chunk the pool
     * refused counts cancelled, and so, for a collection, do the items never read (the total stays
     * its size); for a lazy iterable the total is what was read. A call the pool refuses at once
     * still reports every item, cancelled, before it throws.
     */
    @EveryPool
    void aCallCutShortByShutdownFinishesWithTheRestCancelled(PoolKind kind) throws Exception {
        List<Integer> items = IntStream.range(0, 300).boxed().toList();
        Iterable<Integer> lazy = items::iterator;
        for (Iterable<Integer> input : List.of(items, lazy)) {
            try (Pool pool = kind.open()) {
                Recorder recorder = new Recorder();
                ResultIterator<Integer> it = pool.withProgress(Duration.ZERO, recorder).imap(fn((Integer x) -> x), input, 1);
                pool.shutdown();
                int delivered = 0;
                while (it.hasNext()) {
                    try {
                        it.next();
                        delivered++;
                    } catch (RejectedExecutionException e) {
                        // the items never submitted: counted below
                    }
                }
                assertThat(delivered).isBetween(1, 299);
                long total = input instanceof Collection ? 300 : delivered + 1;
                assertReportedEveryItemOnce(recorder, total);
                assertThat(recorder.last().cancelled()).isEqualTo(total - delivered);
            }
        }
        Pool closed = kind.open();
        closed.shutdown();
        Recorder refused = new Recorder();
        assertThatThrownBy(() -> closed.withProgress(Duration.ZERO, refused).map(fn((Integer x) -> x), TWENTY, 1))
                .isInstanceOf(RejectedExecutionException.class);
        assertReportedEveryItemOnce(refused, 20);
        assertThat(refused.last().cancelled()).isEqualTo(20);
        closed.join();
    }

    /** An imap whose overall deadline passes finishes then: the items it read count, the unfinished ones cancelled. */
    @EveryPool
    void anImapPastItsDeadlineFinishesWithItsItemsCancelled(PoolKind kind) throws Exception {
        Tally started = Tally.create();
        try (Pool pool = kind.open()) {
            Recorder recorder = new Recorder();
            ResultIterator<Object> it = pool.withProgress(Duration.ZERO, recorder).imap(fn((Integer x) -> {
                started.add();
                try {
                    return Blocking.untilInterrupted();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }), TWENTY.subList(0, 6), 1, Duration.ofMillis(200));
            assertThatThrownBy(it::next).isInstanceOf(UncheckedTimeoutException.class);
            assertReportedEveryItemOnce(recorder, 6);
            assertThat(recorder.last().cancelled()).isEqualTo(6);
        }
    }

    /**
     * Throttled, a listener is called at most once per interval, besides the final call: with an
     * interval of an hour only the first and the final report come, and the final one always does.
     */
    @EveryPool
    void aLongIntervalLeavesTheFirstAndTheFinalReport(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            Recorder recorder = new Recorder();
            pool.withProgress(Duration.ofHours(1), recorder).map(fn((Integer x) -> x), TWENTY, 1);
            assertThat(recorder.reports).hasSize(2);
            assertReportedEveryItemOnce(recorder, 20);
        }
    }

    /**
     * withProgress(listener) reports at most every 100 ms (tqdm's mininterval) besides the final
     * report, over a map that runs for several intervals.
     */
    @Test
    void theDefaultIntervalIsATenthOfASecond() throws Exception {
        try (Pool pool = Pool.cpu(c -> c.withWorkers(2))) {
            Recorder recorder = new Recorder();
            pool.withProgress(recorder).map((Integer x) -> {
                LockSupport.parkNanos(Duration.ofMillis(2).toNanos());  // the work: 2 ms an item, 400 ms in all
                return x;
            }, IntStream.range(0, 400).boxed().toList(), 1);
            assertReportedEveryItemOnce(recorder, 400);
            List<Progress> reports = recorder.reports;
            assertThat(reports.size()).as("reports: " + reports).isGreaterThanOrEqualTo(3);
            for (int i = 1; i < reports.size() - 1; i++) {
                assertThat(reports.get(i).elapsed().minus(reports.get(i - 1).elapsed()))
                        .as("time between reports " + (i - 1) + " and " + i).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            }
        }
    }

    /**
     * Calls are never concurrent, even when many threads end chunks at once and the listener is
     * slow, and no item is lost: the final report counts them all.
     */
    @Test
    void callsAreSerializedWhenManyThreadsEndChunksAtOnce() throws Exception {
        Recorder recorder = new Recorder();
        Progress.Listener slow = p -> {
            recorder.onProgress(p);
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());  // a slow listener, so that others find it busy
        };
        try (Pool pool = Pool.io()) {
            List<Integer> items = IntStream.range(0, 2000).boxed().toList();
            assertThat(pool.withProgress(Duration.ZERO, slow).map(x -> x, items, 1)).isEqualTo(items);
        }
        assertReportedEveryItemOnce(recorder, 2000);
        assertThat(recorder.reports.size()).as("busy calls coalesce what came meanwhile").isLessThan(2001);
    }

    /** A listener that throws is logged; the map's result is unaffected, and later reports still call it. */
    @EveryPool
    void aListenerThatThrowsChangesNothing(PoolKind kind) throws Exception {
        Recorder recorder = new Recorder();
        Progress.Listener throwing = p -> {
            recorder.onProgress(p);
            throw new Boom("listener");
        };
        try (Pool pool = kind.open()) {
            assertThat(pool.withProgress(Duration.ZERO, throwing).map(fn((Integer x) -> x * 3), TWENTY, 5))
                    .isEqualTo(TWENTY.stream().map(x -> x * 3).toList());
            assertReportedEveryItemOnce(recorder, 20);
            assertThat(pool.map(fn((Integer x) -> x), TWENTY)).isEqualTo(TWENTY);
        }
    }

    /** A null listener or interval is refused at the call, saying what to pass; so is a negative interval. */
    @EveryPool
    void badArgumentsAreRefusedAtTheCall(PoolKind kind) {
        try (Pool pool = kind.open()) {
            assertThatThrownBy(() -> pool.withProgress(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("pass the Progress.Listener")
                    .hasMessageContaining("to map without progress, call the pool's own map methods");
            assertThatThrownBy(() -> pool.withProgress(Duration.ZERO, null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("pass the Progress.Listener");
            assertThatThrownBy(() -> pool.withProgress(null, p -> { })).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("Duration.ZERO to report every change");
            assertThatThrownBy(() -> pool.withProgress(Duration.ofMillis(-1), p -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
            Recorder recorder = new Recorder();
            assertThatThrownBy(() -> pool.withProgress(recorder).map(null, TWENTY)).isInstanceOf(NullPointerException.class);
            assertThat(recorder.reports).as("no report for a call refused at the call").isEmpty();
        }
    }

    /** A remote pool's view is a RemoteMapper: a lambda given to its map is serializable, and runs in a worker. */
    @Test
    void aProcessPoolsViewTakesSerializableLambdas() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            Recorder recorder = new Recorder();
            RemoteMapper view = pool.withProgress(recorder);
            assertThat(view.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3)))
                    .doesNotContain(ProcessHandle.current().pid());
            assertReportedEveryItemOnce(recorder, 3);
        }
    }

    /** A Progress is a value: its accessors, rate, equality and text. */
    @Test
    void progressIsAValue() {
        Progress p = new Progress(40, 1, 2, 100, Duration.ofMillis(1200).toNanos(), false);
        assertThat(p.done()).isEqualTo(40);
        assertThat(p.failed()).isEqualTo(1);
        assertThat(p.cancelled()).isEqualTo(2);
        assertThat(p.total()).hasValue(100);
        assertThat(p.elapsed()).isEqualTo(Duration.ofMillis(1200));
        assertThat(p.rate()).isCloseTo(33.333, within(0.001));
        assertThat(p.isFinished()).isFalse();
        assertThat(p).isEqualTo(new Progress(40, 1, 2, 100, Duration.ofMillis(1200).toNanos(), false))
                .hasSameHashCodeAs(new Progress(40, 1, 2, 100, Duration.ofMillis(1200).toNanos(), false))
                .isNotEqualTo(new Progress(40, 1, 2, 100, Duration.ofMillis(1200).toNanos(), true));
        assertThat(p).hasToString("Progress[done=40, failed=1, cancelled=2, total=100, elapsed=PT1.2S, finished=false]");
        Progress start = new Progress(0, 0, 0, -1, 0, false);
        assertThat(start.total()).isEmpty();
        assertThat(start.rate()).isZero();
    }
}
