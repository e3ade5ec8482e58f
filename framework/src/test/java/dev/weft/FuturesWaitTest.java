package dev.weft;

import static dev.weft.testing.FutureFixtures.cancelled;
import static dev.weft.testing.FutureFixtures.failed;
import static dev.weft.testing.FutureFixtures.pending;
import static dev.weft.testing.FutureFixtures.successful;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Await;
import dev.weft.testing.Background;
import dev.weft.testing.RecordingFutureTask;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link Futures#wait}: the behaviours of CPython's {@code test_wait.py}, ported, over
 * {@link TaskFuture}, {@link FutureTask} and {@link CompletableFuture}, plus argument checks and
 * proof that nothing stays attached to the futures once {@code wait} has returned.
 */
class FuturesWaitTest {
    /** Bounds the waits that must return at once, so that a broken wait fails instead of hanging. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** Waits with {@link #BOUND} and checks that wait returned long before it, as it must at once. */
    private static <F extends Future<?>> Futures.Waited<F> waitAtOnce(List<F> futures, ReturnWhen returnWhen)
            throws InterruptedException {
        long start = System.nanoTime();
        var w = Futures.wait(futures, returnWhen, BOUND);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND.dividedBy(2));
        return w;
    }

    /** A future given twice counts once (CPython issue 20369). */
    @Test
    void duplicateFuturesCountOnce() throws Exception {
        FutureTask<Integer> task = new FutureTask<>(() -> 2);
        try (Background background = new Background()) {
            background.start(task::run);
            var w = Futures.wait(List.of(task, task), ReturnWhen.ALL_COMPLETED);
            assertThat(w.done()).containsExactly(task);
            assertThat(w.notDone()).isEmpty();
        }
    }

    /** FIRST_COMPLETED returns when one future completes, with the others not done. */
    @Test
    void firstCompletedReturnsWhenOneCompletes() throws Exception {
        TaskFuture<Integer> first = pending();
        TaskFuture<Integer> never = pending();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                first.complete(42);
            });
            var w = Futures.wait(List.of(first, never), ReturnWhen.FIRST_COMPLETED);
            assertThat(w.done()).containsExactly(first);
            assertThat(w.notDone()).containsExactly(never);
        }
    }

    /** A cancelled future is done, so FIRST_COMPLETED returns at once (Python would still wait). */
    @Test
    void firstCompletedCountsACancelledFutureAsDone() throws Exception {
        TaskFuture<Integer> off = cancelled();
        TaskFuture<Integer> a = pending();
        TaskFuture<Integer> b = pending();
        var w = waitAtOnce(List.of(off, a, b), ReturnWhen.FIRST_COMPLETED);
        assertThat(w.done()).containsExactly(off);
        assertThat(w.notDone()).containsExactly(a, b);
    }

    /** FIRST_COMPLETED returns at once with every future that is already done. */
    @Test
    void firstCompletedReturnsAtOnceWhenSomeAreAlreadyDone() throws Exception {
        TaskFuture<Integer> off = cancelled();
        TaskFuture<Integer> ok = successful();
        TaskFuture<Integer> never = pending();
        var w = waitAtOnce(List.of(off, ok, never), ReturnWhen.FIRST_COMPLETED);
        assertThat(w.done()).containsExactly(off, ok);
        assertThat(w.notDone()).containsExactly(never);
        assertThat(never.registeredNodes()).isZero();
    }

    /** FIRST_EXCEPTION returns when a future fails, with those completed before it done. */
    @Test
    void firstExceptionReturnsWhenOneFails() throws Exception {
        TaskFuture<Integer> ok = pending();
        TaskFuture<Integer> bad = pending();
        TaskFuture<Integer> never = pending();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                ok.complete(42);
                bad.completeExceptionally(new IOException("this is an exception"));
            });
            Futures.Waited<TaskFuture<Integer>> w =
                    Futures.wait(List.of(ok, bad, never), ReturnWhen.FIRST_EXCEPTION);
            assertThat(w.done()).containsExactlyInAnyOrder(ok, bad);
            assertThat(w.notDone()).containsExactly(never);
        }
    }

    /** FIRST_EXCEPTION with some futures already done (cancelled among them) waits for the failure. */
    @Test
    void firstExceptionWithSomeAlreadyComplete() throws Exception {
        TaskFuture<Integer> ok = successful();
        TaskFuture<Integer> off = cancelled();
        TaskFuture<Integer> bad = pending();
        TaskFuture<Integer> never = pending();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                bad.completeExceptionally(new ArithmeticException("/ by zero"));
            });
            Futures.Waited<TaskFuture<Integer>> w =
                    Futures.wait(List.of(ok, off, bad, never), ReturnWhen.FIRST_EXCEPTION);
            assertThat(w.done()).containsExactly(ok, off, bad);
            assertThat(w.notDone()).containsExactly(never);
        }
    }

    /** FIRST_EXCEPTION returns at once when a future has already failed. */
    @Test
    void firstExceptionReturnsAtOnceWhenOneAlreadyFailed() throws Exception {
        TaskFuture<Integer> bad = failed();
        TaskFuture<Integer> never = pending();
        var w = waitAtOnce(List.of(bad, never), ReturnWhen.FIRST_EXCEPTION);
        assertThat(w.done()).containsExactly(bad);
        assertThat(w.notDone()).containsExactly(never);
    }

    /** A cancellation is not an exception: FIRST_EXCEPTION keeps waiting after one. */
    @Test
    void firstExceptionKeepsWaitingAfterACancellation() throws Exception {
        TaskFuture<Integer> off = pending();
        TaskFuture<Integer> ok = pending();
        AtomicBoolean waitReturned = new AtomicBoolean();
        AtomicBoolean stillWaitingAfterCancel = new AtomicBoolean();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                off.cancel(true);
                Thread.sleep(100);      // show that wait stays blocked...
                stillWaitingAfterCancel.set(!waitReturned.get());
                ok.complete(1);         // ...until the last future completes
            });
            var w = Futures.wait(List.of(off, ok), ReturnWhen.FIRST_EXCEPTION);
            waitReturned.set(true);
            assertThat(w.done()).containsExactly(off, ok);
            assertThat(w.notDone()).isEmpty();
        }
        assertThat(stillWaitingAfterCancel).isTrue();
    }

    /** FIRST_EXCEPTION waits for all when none fails, as ALL_COMPLETED does. */
    @Test
    void firstExceptionWaitsForAllWhenNoneFails() throws Exception {
        TaskFuture<Integer> ok = successful();
        TaskFuture<Integer> a = pending();
        TaskFuture<Integer> b = pending();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                b.complete(2);
                Await.blocked(me);
                a.complete(1);
            });
            var w = Futures.wait(List.of(ok, a, b), ReturnWhen.FIRST_EXCEPTION);
            assertThat(w.done()).containsExactly(ok, b, a);
            assertThat(w.notDone()).isEmpty();
        }
    }

    /** ALL_COMPLETED waits for every future, whatever its outcome. */
    @Test
    void allCompletedWaitsForEveryFuture() throws Exception {
        TaskFuture<Integer> ok = successful();
        TaskFuture<Integer> off = cancelled();
        TaskFuture<Integer> bad = failed();
        TaskFuture<Integer> laterBad = pending();
        TaskFuture<Integer> laterOk = pending();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                laterBad.completeExceptionally(new ArithmeticException("/ by zero"));
                Await.blocked(me);
                laterOk.complete(42);
            });
            Futures.Waited<TaskFuture<Integer>> w =
                    Futures.wait(List.of(ok, off, bad, laterBad, laterOk), ReturnWhen.ALL_COMPLETED);
            assertThat(w.done()).containsExactly(ok, off, bad, laterBad, laterOk);
            assertThat(w.notDone()).isEmpty();
        }
    }

    /** A timeout returns what is done and what is not; it does not throw. */
    @Test
    void timeoutReturnsWhatIsDoneWithoutThrowing() throws Exception {
        TaskFuture<Integer> off = cancelled();
        TaskFuture<Integer> bad = failed();
        TaskFuture<Integer> ok = successful();
        TaskFuture<Integer> never = pending();
        Futures.Waited<TaskFuture<Integer>> w =
                Futures.wait(List.of(off, bad, ok, never), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(50));
        assertThat(w.done()).containsExactly(off, bad, ok);
        assertThat(w.notDone()).containsExactly(never);
    }

    /** Duration.ZERO looks without waiting, and attaches nothing to the futures. */
    @Test
    void zeroTimeoutPollsWithoutAttachingAnything() throws Exception {
        TaskFuture<Integer> ok = successful();
        TaskFuture<Integer> never = pending();
        RecordingFutureTask<Integer> task = new RecordingFutureTask<>(() -> 1);
        Futures.Waited<Future<Integer>> w =
                Futures.wait(List.of(ok, never, task), ReturnWhen.ALL_COMPLETED, Duration.ZERO);
        assertThat(w.done()).containsExactly(ok);
        assertThat(w.notDone()).containsExactly(never, task);
        assertThat(never.registeredNodes()).isZero();
        assertThat(task.getters()).isEmpty();
    }

    /** An empty collection returns at once, for every condition. */
    @Test
    void emptyCollectionReturnsAtOnce() throws Exception {
        for (ReturnWhen when : ReturnWhen.values()) {
            Futures.Waited<Future<?>> w = Futures.wait(List.of(), when);
            assertThat(w.done()).isEmpty();
            assertThat(w.notDone()).isEmpty();
        }
    }

    /** wait works over FutureTasks, and sees a FutureTask that threw as failed. */
    @Test
    void worksOverFutureTasks() throws Exception {
        FutureTask<Integer> ok = new FutureTask<>(() -> 42);
        FutureTask<Integer> bad = new FutureTask<>(() -> {
            throw new IOException("this is an exception");
        });
        FutureTask<Integer> never = new FutureTask<>(() -> 0);
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                ok.run();
                Await.blocked(me);
                bad.run();
            });
            Futures.Waited<FutureTask<Integer>> w =
                    Futures.wait(List.of(ok, bad, never), ReturnWhen.FIRST_EXCEPTION);
            assertThat(w.done()).containsExactlyInAnyOrder(ok, bad);
            assertThat(w.notDone()).containsExactly(never);
        }
    }

    /** wait works over CompletableFutures. */
    @Test
    void worksOverCompletableFutures() throws Exception {
        CompletableFuture<Integer> ok = new CompletableFuture<>();
        CompletableFuture<Integer> never = new CompletableFuture<>();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                ok.complete(42);
            });
            var w = Futures.wait(List.of(ok, never), ReturnWhen.FIRST_COMPLETED);
            assertThat(w.done()).containsExactly(ok);
            assertThat(w.notDone()).containsExactly(never);
        }
    }

    /** One wait may mix TaskFutures, CompletableFutures and FutureTasks. */
    @Test
    void mixesKindsOfFutures() throws Exception {
        TaskFuture<Integer> taskFuture = pending();
        CompletableFuture<Integer> completable = new CompletableFuture<>();
        FutureTask<Integer> futureTask = new FutureTask<>(() -> 3);
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                futureTask.run();
                Await.blocked(me);
                completable.complete(2);
                Await.blocked(me);
                taskFuture.complete(1);
            });
            Futures.Waited<Future<Integer>> w =
                    Futures.wait(List.of(taskFuture, completable, futureTask), ReturnWhen.ALL_COMPLETED);
            assertThat(w.done()).containsExactlyInAnyOrder(futureTask, completable, taskFuture);
        }
    }

    /** Repeated timed-out waits on a TaskFuture that never completes leave no listener on it. */
    @Test
    void timedOutWaitsLeaveNoListenerOnATaskFuture() throws Exception {
        TaskFuture<Integer> never = pending();
        for (int i = 0; i < 20; i++) {
            Futures.wait(List.of(never), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(1));
            assertThat(never.registeredNodes()).isZero();
        }
    }

    /** When wait returns because another future completed, the listeners on the rest are gone. */
    @Test
    void returningWaitLeavesNoListenerOnTheOthers() throws Exception {
        TaskFuture<Integer> first = pending();
        TaskFuture<Integer> never = pending();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                assertThat(never.registeredNodes()).isEqualTo(1);
                first.complete(1);
            });
            Futures.wait(List.of(first, never), ReturnWhen.FIRST_COMPLETED);
        }
        assertThat(never.registeredNodes()).isZero();
    }

    /** A FutureTask is watched by a virtual thread named weft-futures-watcher, ended before wait returns. */
    @Test
    void futureTaskWatcherEndsBeforeWaitReturns() throws Exception {
        RecordingFutureTask<Integer> never = new RecordingFutureTask<>(() -> 0);
        Futures.wait(List.of(never), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(20));
        assertThat(never.getters()).hasSize(1);
        Thread watcher = never.getters().get(0);
        assertThat(watcher.isAlive()).isFalse();
        assertThat(watcher.isVirtual()).isTrue();
        assertThat(watcher.getName()).isEqualTo("weft-futures-watcher");
    }

    /** A pending CompletableFuture keeps one small completion node per wait, until it completes. */
    @Test
    void completableFutureKeepsOneCompletionNodePerWaitUntilItCompletes() throws Exception {
        CompletableFuture<Integer> later = new CompletableFuture<>();
        Futures.wait(List.of(later), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(1));
        Futures.wait(List.of(later), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(1));
        assertThat(later.getNumberOfDependents()).isEqualTo(2);
        later.complete(1);
        assertThat(later.getNumberOfDependents()).isZero();
    }

    /** An interrupted wait throws InterruptedException and leaves no listener or watcher behind. */
    @Test
    void interruptedWaitThrowsAndCleansUp() throws Exception {
        TaskFuture<Integer> never = pending();
        RecordingFutureTask<Integer> neverTask = new RecordingFutureTask<>(() -> 0);
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                me.interrupt();
            });
            assertThatThrownBy(() -> Futures.wait(List.of(never, neverTask), ReturnWhen.ALL_COMPLETED))
                    .isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).as("throwing InterruptedException clears the interrupt status").isFalse();
        }
        assertThat(never.registeredNodes()).isZero();
        assertThat(neverTask.gettersEnded()).isTrue();
    }

    /** The result sets keep their order and cannot be modified. */
    @Test
    void resultSetsAreOrderedAndUnmodifiable() throws Exception {
        TaskFuture<Integer> a = successful();
        TaskFuture<Integer> b = pending();
        TaskFuture<Integer> c = failed();
        TaskFuture<Integer> d = pending();
        var w = Futures.wait(List.of(a, b, c, d), ReturnWhen.ALL_COMPLETED, Duration.ZERO);
        assertThat(w.done()).containsExactly(a, c);
        assertThat(w.notDone()).containsExactly(b, d);
        assertThatThrownBy(() -> w.done().add(b)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> w.notDone().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    /** Null arguments and null elements throw NPE naming them; a negative timeout says what to do instead. */
    @Test
    void argumentsAreChecked() {
        TaskFuture<Integer> f = pending();
        assertThatThrownBy(() -> Futures.wait(null, ReturnWhen.ALL_COMPLETED))
                .isInstanceOf(NullPointerException.class).hasMessage("futures");
        assertThatThrownBy(() -> Futures.wait(Arrays.asList(f, null), ReturnWhen.ALL_COMPLETED))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("futures contains null (at position 1)");
        assertThatThrownBy(() -> Futures.wait(List.of(f), null))
                .isInstanceOf(NullPointerException.class).hasMessage("returnWhen");
        assertThatThrownBy(() -> Futures.wait(List.of(f), ReturnWhen.ALL_COMPLETED, null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout");
        assertThatThrownBy(() -> Futures.wait(List.of(f), ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative")
                .hasMessageContaining("Duration.ZERO");
        assertThat(f.registeredNodes()).isZero();
    }

    /** A future that completes while wait is running is seen even with a long timeout. */
    @Test
    void timedWaitReturnsAsSoonAsTheConditionIsMet() throws Exception {
        TaskFuture<Integer> f = pending();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                f.complete(1);
            });
            long start = System.nanoTime();
            var w = Futures.wait(List.of(f), ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(30));
            assertThat(w.done()).containsExactly(f);
            assertThat(System.nanoTime() - start).isLessThan(SECONDS.toNanos(20));
        }
    }
}
