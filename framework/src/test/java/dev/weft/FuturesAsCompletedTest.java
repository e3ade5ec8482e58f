package dev.weft;

import static dev.weft.testing.FutureFixtures.cancelled;
import static dev.weft.testing.FutureFixtures.failed;
import static dev.weft.testing.FutureFixtures.pending;
import static dev.weft.testing.FutureFixtures.running;
import static dev.weft.testing.FutureFixtures.successful;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Await;
import dev.weft.testing.Background;
import dev.weft.testing.RecordingFutureTask;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Futures#asCompleted}: the behaviours of CPython's {@code test_as_completed.py}, ported,
 * plus the overall deadline, interruption, and the release of listeners and watchers however the
 * iteration ends.
 */
class FuturesAsCompletedTest {

    /** Collects what the iterator returns until it ends or throws; returns what it threw, or null. */
    private static <F> RuntimeException drain(Iterator<F> iterator, List<F> into) {
        try {
            while (iterator.hasNext()) {
                into.add(iterator.next());
            }
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Without a timeout, every future comes back, done ones and later ones alike. */
    @Test
    void returnsEveryFutureWithoutTimeout() throws Exception {
        TaskFuture<Integer> off = cancelled();
        TaskFuture<Integer> bad = failed();
        TaskFuture<Integer> ok = successful();
        TaskFuture<Integer> first = pending();
        TaskFuture<Integer> second = pending();
        List<TaskFuture<Integer>> completed = new ArrayList<>();
        try (Background background = new Background()) {
            background.start(() -> first.complete(42));
            background.start(() -> second.complete(42));
            for (TaskFuture<Integer> f : Futures.asCompleted(List.of(off, bad, ok, first, second))) {
                completed.add(f);
            }
        }
        assertThat(completed).containsExactlyInAnyOrder(off, bad, ok, first, second);
        assertThat(completed.subList(0, 3)).containsExactly(off, bad, ok);
    }

    /** Futures already done come first in the order given, then the others in completion order. */
    @Test
    void returnsDoneFuturesFirstThenTheOthersInCompletionOrder() {
        TaskFuture<Integer> done1 = successful();
        TaskFuture<Integer> p1 = pending();
        TaskFuture<Integer> done2 = cancelled();
        TaskFuture<Integer> p2 = pending();
        TaskFuture<Integer> p3 = pending();
        var it = Futures.asCompleted(List.of(p1, done1, p2, done2, p3)).iterator();
        p3.complete(3);
        p1.completeExceptionally(new IOException());
        p2.cancel(false);
        List<TaskFuture<Integer>> order = new ArrayList<>();
        it.forEachRemaining(order::add);
        assertThat(order).containsExactly(done1, done2, p3, p1, p2);
    }

    /** With a zero or a small timeout, the done futures come back, then the iterator times out. */
    @ParameterizedTest(name = "timeout {0} ms")
    @ValueSource(longs = {0, 100})
    void timesOutAfterReturningTheDoneFutures(long timeoutMillis) {
        TaskFuture<Integer> off = cancelled();
        TaskFuture<Integer> bad = failed();
        TaskFuture<Integer> ok = successful();
        TaskFuture<Integer> never = pending();
        var it = Futures.asCompleted(List.of(off, bad, ok, never), Duration.ofMillis(timeoutMillis))
                .iterator();
        List<TaskFuture<Integer>> completed = new ArrayList<>();
        RuntimeException thrown = drain(it, completed);
        assertThat(thrown).isInstanceOf(UncheckedTimeoutException.class);
        assertThat(completed).containsExactly(off, bad, ok);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(never.registeredNodes()).isZero();
    }

    /** Duration.ZERO returns the done futures and times out without attaching anything to the others. */
    @Test
    void zeroTimeoutAttachesNothing() {
        TaskFuture<Integer> ok = successful();
        TaskFuture<Integer> never = pending();
        RecordingFutureTask<Integer> neverTask = new RecordingFutureTask<>(() -> 0);
        var it = Futures.<Future<Integer>>asCompleted(List.of(ok, never, neverTask), Duration.ZERO)
                .iterator();
        assertThat(never.registeredNodes()).isZero();
        List<Future<Integer>> completed = new ArrayList<>();
        assertThat(drain(it, completed)).isInstanceOf(UncheckedTimeoutException.class)
                .hasMessage("2 (of 3) futures unfinished");
        assertThat(completed).containsExactly(ok);
        assertThat(neverTask.getters()).isEmpty();
    }

    /** A future given several times comes back once (CPython issue 20367). */
    @Test
    void duplicateFuturesComeBackOnce() {
        FutureTask<Integer> task = new FutureTask<>(() -> 1);
        try (Background background = new Background()) {
            background.start(task::run);
            List<FutureTask<Integer>> completed = new ArrayList<>();
            Futures.asCompleted(Collections.nCopies(3, task)).forEach(completed::add);
            assertThat(completed).containsExactly(task);
        }
    }

    /** The timeout message is Python's: unfinished futures of the distinct futures given. */
    @Test
    void timeoutMessageCountsUnfinishedOfDistinctFutures() {
        TaskFuture<Integer> never = pending();
        List<TaskFuture<Integer>> futures = List.of(cancelled(), never, running(), successful(), never);
        assertThatThrownBy(() -> Futures.asCompleted(futures, Duration.ZERO).forEach(f -> { }))
                .isInstanceOf(UncheckedTimeoutException.class)
                .hasMessage("2 (of 4) futures unfinished");
    }

    /** The timeout is one deadline for the whole iteration, counted from the call, not a limit per future. */
    @Test
    void timeoutIsOneDeadlineForTheWholeIteration() {
        TaskFuture<Integer> first = pending();
        TaskFuture<Integer> second = pending();
        Duration timeout = Duration.ofMillis(200);
        long start = System.nanoTime();
        var it = Futures.asCompleted(List.of(first, second), timeout).iterator();
        first.complete(1);
        assertThat(it.next()).isSameAs(first);
        Await.until("the timeout has passed", () -> System.nanoTime() - start > timeout.toNanos());   // the consumer was slow
        Thread me = Thread.currentThread();
        AtomicBoolean nextReturned = new AtomicBoolean();
        try (Background background = new Background()) {
            background.start(() -> {    // would rescue a per-future timeout, which would still be waiting
                Await.until("next returned or blocks", () -> nextReturned.get() || Await.isBlocked(me));
                second.complete(2);
            });
            assertThatThrownBy(it::next).isInstanceOf(UncheckedTimeoutException.class)
                    .hasMessage("1 (of 2) futures unfinished");
            nextReturned.set(true);
        }
    }

    /** Futures that completed before the deadline came are still returned before the timeout. */
    @Test
    void futuresCompletedBeforeTheDeadlineAreReturnedBeforeTheTimeout() {
        TaskFuture<Integer> late = pending();
        TaskFuture<Integer> never = pending();
        Duration timeout = Duration.ofMillis(50);
        long start = System.nanoTime();
        var it = Futures.asCompleted(List.of(late, never), timeout).iterator();
        late.complete(1);
        Await.until("the timeout has passed", () -> System.nanoTime() - start > timeout.toNanos());
        assertThat(it.next()).isSameAs(late);
        assertThatThrownBy(it::next).isInstanceOf(UncheckedTimeoutException.class)
                .hasMessage("1 (of 2) futures unfinished");
    }

    /** An interrupt while next waits throws UncheckedInterruptedException and ends the iteration. */
    @Test
    void interruptWhileWaitingThrowsAndKeepsTheInterruptStatus() {
        TaskFuture<Integer> never = pending();
        RecordingFutureTask<Integer> neverTask = new RecordingFutureTask<>(() -> 0);
        var it = Futures.<Future<Integer>>asCompleted(List.of(never, neverTask)).iterator();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                me.interrupt();
            });
            assertThatThrownBy(it::next).isInstanceOf(UncheckedInterruptedException.class)
                    .cause().isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).as("interrupt status set again").isTrue();
        }
        assertThat(it.hasNext()).isFalse();
        assertThat(never.registeredNodes()).isZero();
        assertThat(neverTask.gettersEnded()).isTrue();
    }

    /** asCompleted works over FutureTasks and CompletableFutures, each coming back once. */
    @Test
    void worksOverFutureTasksAndCompletableFutures() {
        FutureTask<Integer> task = new FutureTask<>(() -> 1);
        CompletableFuture<Integer> completable = new CompletableFuture<>();
        FutureTask<Integer> done = new FutureTask<>(() -> 0);
        done.run();
        List<Future<Integer>> completed = new ArrayList<>();
        try (Background background = new Background()) {
            var it = Futures.<Future<Integer>>asCompleted(List.of(task, completable, done)).iterator();
            background.start(task::run);
            background.start(() -> completable.complete(2));
            it.forEachRemaining(completed::add);
        }
        assertThat(completed).hasSize(3).startsWith(done).contains(task, completable);
    }

    /** When the iteration times out, the listeners are removed and the watchers have ended. */
    @Test
    void timedOutIterationReleasesListenersAndWatchers() {
        TaskFuture<Integer> never = pending();
        RecordingFutureTask<Integer> neverTask = new RecordingFutureTask<>(() -> 0);
        var it = Futures.<Future<Integer>>asCompleted(List.of(never, neverTask), Duration.ofMillis(20))
                .iterator();
        assertThatThrownBy(it::next).isInstanceOf(UncheckedTimeoutException.class);
        assertThat(never.registeredNodes()).isZero();
        assertThat(neverTask.gettersEnded()).isTrue();
        assertThat(neverTask.getters().get(0).getName()).isEqualTo("weft-futures-watcher");
    }

    /** An iteration abandoned half-way is released once its iterator is garbage-collected. */
    @Test
    void abandonedIterationIsReleasedWhenItsIteratorIsCollected() {
        TaskFuture<Integer> never = pending();
        RecordingFutureTask<Integer> neverTask = new RecordingFutureTask<>(() -> 0);
        startAndAbandon(never, neverTask);
        assertThat(never.registeredNodes()).isEqualTo(1);
        Await.until("the collected iteration released the future and its watcher ended", () -> {
            System.gc();
            return never.registeredNodes() == 0 && neverTask.gettersEnded();
        });
    }

    private static void startAndAbandon(TaskFuture<Integer> never, RecordingFutureTask<Integer> neverTask) {
        TaskFuture<Integer> ok = successful();
        var it = Futures.<Future<Integer>>asCompleted(List.of(ok, never, neverTask)).iterator();
        assertThat(it.next()).isSameAs(ok);
        Await.until("a watcher called get", () -> !neverTask.getters().isEmpty());
    }

    /** The iterable can be iterated once. */
    @Test
    void canBeIteratedOnce() {
        Iterable<TaskFuture<Integer>> iterable = Futures.asCompleted(List.of(successful()));
        iterable.iterator();
        assertThatThrownBy(iterable::iterator).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("once");
    }

    /** hasNext does not block, and next throws NoSuchElementException once every future was returned. */
    @Test
    void hasNextDoesNotBlockAndNextThrowsWhenExhausted() {
        TaskFuture<Integer> f = pending();
        var it = Futures.asCompleted(List.of(f)).iterator();
        assertThat(it.hasNext()).isTrue();     // returns although f is not done
        f.complete(1);
        assertThat(it.next()).isSameAs(f);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(Futures.asCompleted(List.of()).iterator().hasNext()).isFalse();
    }

    /** Null arguments and null elements throw NPE naming them; a negative timeout says what to do instead. */
    @Test
    void argumentsAreChecked() {
        TaskFuture<Integer> f = pending();
        assertThatThrownBy(() -> Futures.asCompleted(null))
                .isInstanceOf(NullPointerException.class).hasMessage("futures");
        assertThatThrownBy(() -> Futures.asCompleted(Arrays.asList(null, f), Duration.ZERO))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("futures contains null (at position 0)");
        assertThatThrownBy(() -> Futures.asCompleted(List.of(f), null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout");
        assertThatThrownBy(() -> Futures.asCompleted(List.of(f), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative")
                .hasMessageContaining("asCompleted(futures)");
    }
}
