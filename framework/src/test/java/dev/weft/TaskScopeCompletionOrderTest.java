package dev.weft;

import static java.util.concurrent.Future.State.CANCELLED;
import static java.util.concurrent.Future.State.FAILED;
import static java.util.concurrent.Future.State.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.testing.Await;
import dev.weft.testing.Background;
import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.EveryEngine;
import dev.weft.testing.ScopeEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TaskScope#asCompleted()}: subtasks in the order they complete, each once, in every final
 * state, with more forked while iterating, and the iterator's reaction to a deadline and to an
 * interrupt. The JDK's scope has no such method (it has {@code Joiner.allUntil} and a stream of
 * subtasks); these tests are Weft's own, in the style of the JDK's.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeCompletionOrderTest {

    /** Subtasks come back in the order they complete, not the order they were forked. */
    @EveryEngine
    void subtasksComeBackInCompletionOrder(ScopeEngine engine) throws Exception {
        CountDownLatch releaseA = new CountDownLatch(1);
        CountDownLatch releaseB = new CountDownLatch(1);
        CountDownLatch releaseC = new CountDownLatch(1);
        try (TaskScope<String, List<String>> scope = engine.open()) {
            Subtask<String> a = scope.fork(() -> waitFor(releaseA, "a"));
            Subtask<String> b = scope.fork(() -> waitFor(releaseB, "b"));
            Subtask<String> c = scope.fork(() -> waitFor(releaseC, "c"));
            Iterator<Subtask<String>> completed = scope.asCompleted().iterator();

            releaseC.countDown();
            assertThat(completed.next()).isSameAs(c);
            releaseA.countDown();
            assertThat(completed.next()).isSameAs(a);
            releaseB.countDown();
            assertThat(completed.next()).isSameAs(b);
            assertThat(completed.hasNext()).isFalse();
            assertThatThrownBy(completed::next).isInstanceOf(NoSuchElementException.class);

            assertThat(scope.join()).containsExactly("a", "b", "c");
        }
    }

    /** Each subtask returned may be read at once, before join: get() and exception() are allowed on it. */
    @EveryEngine
    void subtasksReturnedMayBeReadBeforeJoin(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("read early");
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll())) {
            scope.fork(() -> "fine");
            scope.fork(() -> {
                throw boom;
            });
            List<Object> outcomes = new ArrayList<>();
            for (Subtask<String> subtask : scope.asCompleted()) {
                outcomes.add(subtask.state() == SUCCESS ? subtask.get() : subtask.exception());
            }
            assertThat(outcomes).containsExactlyInAnyOrder("fine", boom);
            scope.join();
        }
    }

    /** The owner may fork more while it iterates; iteration ends when every subtask forked so far has come back, each once. */
    @EveryEngine
    void forkingWhileIteratingExtendsTheIteration(ScopeEngine engine) throws Exception {
        int total = 10;
        try (TaskScope<Integer, List<Integer>> scope = engine.open(Joiner.<Integer>allSuccessful(),
                c -> c.withConcurrencyLimit(2))) {
            scope.fork(() -> 0);
            scope.fork(() -> 1);
            int forked = 2;
            List<Integer> seen = new ArrayList<>();
            for (Subtask<Integer> done : scope.asCompleted()) {
                seen.add(done.get());
                if (forked < total) {
                    int k = forked++;
                    scope.fork(() -> k);
                }
            }
            assertThat(seen).hasSize(total).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(scope.join()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    /** With nothing forked, the iteration is empty. */
    @EveryEngine
    void nothingForkedMeansAnEmptyIteration(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open()) {
            assertThat(scope.asCompleted().iterator().hasNext()).isFalse();
            assertThat(scope.join()).isEmpty();
        }
    }

    /** Subtasks come back in every final state: successful, failed and, after the cancellation, cancelled. */
    @EveryEngine
    void subtasksComeBackInEveryState(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("cancels");
        CountDownLatch goFail = new CountDownLatch(1);
        CountDownLatch blockerStarted = new CountDownLatch(1);
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(
                Joiner.<String>allUntil(s -> s.state() == FAILED))) {
            Subtask<String> blocker = scope.fork(() -> Blocking.untilInterrupted(blockerStarted, null));
            Subtask<String> failing = scope.fork(() -> {
                Await.latch(goFail);
                throw boom;
            });
            Subtask<String> fine = scope.fork(() -> "fine");
            Await.latch(blockerStarted);
            Iterator<Subtask<String>> completed = scope.asCompleted().iterator();

            assertThat(completed.next()).isSameAs(fine);
            assertThat(fine.get()).isEqualTo("fine");
            goFail.countDown();
            assertThat(completed.next()).isSameAs(failing);
            assertThat(failing.exception()).isSameAs(boom);
            assertThat(completed.next()).isSameAs(blocker);
            assertThat(blocker.state()).isEqualTo(CANCELLED);
            assertThat(completed.hasNext()).isFalse();

            assertThat(scope.join()).containsExactly(blocker, failing, fine);
        }
    }

    /** When the deadline passes during the iteration, the iterator throws UncheckedTimeoutException, and so does join. */
    @EveryEngine
    void deadlineDuringIterationThrowsUncheckedTimeout(ScopeEngine engine) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withTimeout(Duration.ofMillis(100)))) {
            Subtask<String> blocker = scope.fork(() -> Blocking.untilInterrupted(started, interrupted));
            List<Subtask<String>> seen = new ArrayList<>();
            assertThatThrownBy(() -> scope.asCompleted().forEach(seen::add))
                    .isInstanceOf(UncheckedTimeoutException.class);
            assertThat(seen).doesNotContain(blocker);
            assertThat(scope.isCancelled()).isTrue();
            assertThatThrownBy(scope::join).isInstanceOf(UncheckedTimeoutException.class);
            assertThat(blocker.state()).isEqualTo(CANCELLED);
            assertThat(interrupted.getCount()).isEqualTo(started.getCount());
        }
    }

    /** An owner interrupted while waiting in the iterator gets UncheckedInterruptedException, with its interrupt status set again. */
    @EveryEngine
    void interruptDuringIterationThrowsUncheckedInterruptedAndKeepsTheStatus(ScopeEngine engine) throws Exception {
        Thread owner = Thread.currentThread();
        try (TaskScope<String, List<String>> scope = engine.open()) {
            scope.fork(() -> Blocking.untilInterrupted());
            Iterator<Subtask<String>> completed = scope.asCompleted().iterator();
            try (Background background = new Background()) {
                background.start("interrupter", () -> {
                    Await.blockedIn(owner, "hasNext");
                    owner.interrupt();
                });

                assertThatThrownBy(completed::hasNext)
                        .isInstanceOf(UncheckedInterruptedException.class)
                        .cause().isInstanceOf(InterruptedException.class);
            }
            assertThat(Thread.currentThread().isInterrupted()).isTrue();

            assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);   // consumes the interrupt
            assertThat(scope.isCancelled()).isTrue();
        }
    }

    /** asCompleted after join, or after close, throws IllegalStateException. */
    @EveryEngine
    void asCompletedAfterJoinOrCloseThrowsIllegalState(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open()) {
            scope.fork(() -> "x");
            scope.join();
            assertThatThrownBy(scope::asCompleted).isInstanceOf(IllegalStateException.class);
        }
        TaskScope<String, List<String>> closed = engine.open();
        closed.close();
        assertThatThrownBy(closed::asCompleted).isInstanceOf(IllegalStateException.class);
    }

    private static String waitFor(CountDownLatch release, String result) throws InterruptedException {
        Await.latch(release);
        return result;
    }
}
