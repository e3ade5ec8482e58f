package dev.weft;

import static java.util.concurrent.Future.State.CANCELLED;
import static java.util.concurrent.Future.State.FAILED;
import static java.util.concurrent.Future.State.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.testing.Await;
import dev.weft.testing.Background;
import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.EveryEngine;
import dev.weft.testing.ScopeEngine;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;

/**
 * The built-in join policies: {@link Joiner#allSuccessful()}, {@link Joiner#anySuccessful()},
 * {@link Joiner#awaitAll()} and {@link Joiner#allUntil}. Ported from the Joiner tests of the JDK's
 * {@code StructuredTaskScopeTest}, adapted to Weft: join waits for every subtask to stop even after
 * a cancellation, so stragglers that fail late are reported as suppressed failures; siblings stopped
 * by a cancellation end {@code CANCELLED}.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopePolicyTest {

    // ---- allSuccessful ------------------------------------------------------------------------

    /** allSuccessful: join returns the results in fork order, although later forks finish first. */
    @EveryEngine
    void allSuccessfulReturnsResultsInForkOrder(ScopeEngine engine) throws Exception {
        int n = 5;
        CountDownLatch[] finished = new CountDownLatch[n + 1];
        for (int i = 0; i <= n; i++) {
            finished[i] = new CountDownLatch(1);
        }
        finished[n].countDown();
        try (TaskScope<Integer, List<Integer>> scope = engine.open()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                scope.fork(() -> {
                    Await.latch(finished[k + 1]);   // subtask k waits for subtask k+1: the last forked goes first
                    finished[k].countDown();
                    return k;
                });
            }
            List<Integer> results = scope.join();
            assertThat(results).containsExactly(0, 1, 2, 3, 4);
            assertThatThrownBy(() -> results.add(5)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    /** allSuccessful: a scope with no subtasks joins to an empty list. */
    @EveryEngine
    void allSuccessfulWithNoSubtasksReturnsAnEmptyList(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open()) {
            assertThat(scope.join()).isEmpty();
        }
    }

    /** allSuccessful: the first failure cancels the siblings, and join throws it as the cause with later real failures suppressed. */
    @EveryEngine
    void allSuccessfulFirstFailureCancelsSiblingsAndLaterFailuresAreSuppressed(ScopeEngine engine) throws Exception {
        Boom first = new Boom("first");
        Boom later = new Boom("later");
        CountDownLatch sleeperInterrupted = new CountDownLatch(1);
        CountDownLatch stragglerInterrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch siblingsStarted = new CountDownLatch(2);
        Thread owner = Thread.currentThread();
        try (TaskScope<String, List<String>> scope = engine.open()) {
            Subtask<String> sleeper = scope.fork(() -> Blocking.untilInterrupted(siblingsStarted, sleeperInterrupted));
            Subtask<String> straggler = scope.fork(() -> {
                try {
                    Blocking.untilInterrupted(siblingsStarted, null);
                } catch (InterruptedException e) {
                    stragglerInterrupted.countDown();
                }
                Await.latchUninterruptibly(release);  // ignores the cancellation until released
                throw later;
            });
            Subtask<String> failing = scope.fork(() -> {
                Await.latch(siblingsStarted);
                throw first;
            });
            FailedException e;
            try (Background background = new Background()) {
                background.start("releaser", () -> {
                    Await.latch(stragglerInterrupted);
                    Await.blockedIn(owner, "join");   // join is still waiting for the straggler
                    release.countDown();
                });

                e = catchThrowableOfType(FailedException.class, scope::join);
            }

            assertThat(e.getCause()).isSameAs(first);
            assertThat(e.getSuppressed()).containsExactly(later);
            assertThat(e.failures()).containsExactly(first, later);
            assertThat(scope.isCancelled()).isTrue();
            assertThat(sleeperInterrupted.getCount()).isZero();
            assertThat(failing.state()).isEqualTo(FAILED);
            assertThat(straggler.state()).isEqualTo(FAILED);
            assertThat(sleeper.state()).isEqualTo(CANCELLED);
            assertThat(sleeper.exception()).isInstanceOf(InterruptedException.class);
        }
    }

    /** allSuccessful: FailedException.rethrowIf hands back the cause by type. */
    @EveryEngine
    void allSuccessfulFailureCanBeRethrownByType(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("typed");
        try (TaskScope<String, List<String>> scope = engine.open()) {
            scope.fork(() -> "fine");
            scope.fork(() -> {
                throw boom;
            });
            FailedException e = catchThrowableOfType(FailedException.class, scope::join);
            assertThatThrownBy(() -> {
                throw e.rethrowIf(Boom.class);
            }).isSameAs(boom);
            assertThat(e.rethrowIf(IllegalStateException.class)).isSameAs(e);
        }
    }

    // ---- anySuccessful ------------------------------------------------------------------------

    /** anySuccessful: the first success is the result and cancels the rest; a later success does not replace it. */
    @EveryEngine
    void anySuccessfulFirstSuccessWinsAndCancelsTheRest(ScopeEngine engine) throws Exception {
        CountDownLatch blockerInterrupted = new CountDownLatch(1);
        AtomicBoolean lateSawInterrupt = new AtomicBoolean();
        CountDownLatch othersStarted = new CountDownLatch(2);
        try (TaskScope<String, String> scope = engine.open(Joiner.<String>anySuccessful())) {
            Subtask<String> blocker = scope.fork(() -> Blocking.untilInterrupted(othersStarted, blockerInterrupted));
            Subtask<String> late = scope.fork(() -> {
                try {
                    Blocking.untilInterrupted(othersStarted, null);
                } catch (InterruptedException e) {
                    lateSawInterrupt.set(true);
                }
                return "late";   // succeeds only after the winner cancelled the scope
            });
            Subtask<String> winner = scope.fork(() -> {
                Await.latch(othersStarted);
                return "winner";
            });

            assertThat(scope.join()).isEqualTo("winner");
            assertThat(scope.isCancelled()).isTrue();
            assertThat(winner.state()).isEqualTo(SUCCESS);
            assertThat(blockerInterrupted.getCount()).isZero();
            assertThat(blocker.state()).isEqualTo(CANCELLED);
            assertThat(lateSawInterrupt).isTrue();
            assertThat(late.state()).isEqualTo(SUCCESS);
        }
    }

    /** anySuccessful: failures do not cancel; a success after failures is still the result. */
    @EveryEngine
    void anySuccessfulIgnoresFailuresWhileOneSucceeds(ScopeEngine engine) throws Exception {
        try (TaskScope<String, String> scope = engine.open(Joiner.<String>anySuccessful(),
                c -> c.withConcurrencyLimit(1))) {
            Subtask<String> failing1 = scope.fork(() -> {
                throw new Boom("one");
            });
            Subtask<String> failing2 = scope.fork(() -> {
                throw new Boom("two");
            });
            scope.fork(() -> "third time lucky");
            assertThat(scope.join()).isEqualTo("third time lucky");
            assertThat(failing1.state()).isEqualTo(FAILED);
            assertThat(failing2.state()).isEqualTo(FAILED);
        }
    }

    /** anySuccessful: a null result is a success like any other. */
    @EveryEngine
    void anySuccessfulAcceptsANullResult(ScopeEngine engine) throws Exception {
        try (TaskScope<String, String> scope = engine.open(Joiner.<String>anySuccessful())) {
            scope.fork(() -> null);
            assertThat(scope.join()).isNull();
        }
    }

    /** anySuccessful: when every subtask fails, join throws FailedException carrying every failure. */
    @EveryEngine
    void anySuccessfulWhenAllFailCarriesEveryFailure(ScopeEngine engine) throws Exception {
        Boom a = new Boom("a");
        Boom b = new Boom("b");
        Boom c = new Boom("c");
        try (TaskScope<String, String> scope = engine.open(Joiner.<String>anySuccessful())) {
            for (Boom boom : List.of(a, b, c)) {
                scope.fork(() -> {
                    throw boom;
                });
            }
            FailedException e = catchThrowableOfType(FailedException.class, scope::join);
            assertThat(e.failures()).containsExactlyInAnyOrder(a, b, c);
            assertThat(e.getSuppressed()).hasSize(2).doesNotContain(e.getCause());
            assertThat(scope.isCancelled()).isFalse();
        }
    }

    /** anySuccessful: failures are carried in the order they happened, the first as cause. */
    @EveryEngine
    void anySuccessfulCarriesFailuresInTheOrderTheyHappened(ScopeEngine engine) throws Exception {
        Boom a = new Boom("a");
        Boom b = new Boom("b");
        Boom c = new Boom("c");
        // A limit of one runs the subtasks one after the other, in fork order.
        try (TaskScope<String, String> scope = engine.open(Joiner.<String>anySuccessful(),
                cf -> cf.withConcurrencyLimit(1))) {
            for (Boom boom : List.of(a, b, c)) {
                scope.fork(() -> {
                    throw boom;
                });
            }
            FailedException e = catchThrowableOfType(FailedException.class, scope::join);
            assertThat(e.getCause()).isSameAs(a);
            assertThat(e.getSuppressed()).containsExactly(b, c);
        }
    }

    /** anySuccessful: with nothing forked, join throws FailedException caused by NoSuchElementException. */
    @EveryEngine
    void anySuccessfulWithNoSubtasksFailsWithNoSuchElement(ScopeEngine engine) throws Exception {
        try (TaskScope<String, String> scope = engine.open(Joiner.<String>anySuccessful())) {
            assertThatThrownBy(scope::join)
                    .isInstanceOf(FailedException.class)
                    .cause().isInstanceOf(NoSuchElementException.class);
        }
    }

    // ---- awaitAll -----------------------------------------------------------------------------

    /** awaitAll: a failure cancels nothing, and join returns every subtask in fork order, each inspectable. */
    @EveryEngine
    void awaitAllCancelsNothingAndReturnsEverySubtaskInForkOrder(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("awaitAll");
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean slowWasInterrupted = new AtomicBoolean();
        Thread owner = Thread.currentThread();
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll())) {
            Subtask<String> slow = scope.fork(() -> {
                Await.latch(release);     // an interrupt here would fail this subtask
                slowWasInterrupted.set(Thread.currentThread().isInterrupted());
                return "slow";
            });
            Subtask<String> failing = scope.fork(() -> {
                throw boom;
            });
            Subtask<String> fine = scope.fork(() -> "fine");
            List<Subtask<String>> subtasks;
            try (Background background = new Background()) {
                background.start("releaser", () -> {
                    Await.until("the failure and the success are in", () ->
                            failing.state() == FAILED && fine.state() == SUCCESS);
                    Await.blockedIn(owner, "join");
                    assertThat(scope.isCancelled()).isFalse();
                    release.countDown();
                });

                subtasks = scope.join();
            }

            assertThat(subtasks).containsExactly(slow, failing, fine);
            assertThat(scope.isCancelled()).isFalse();
            assertThat(slow.get()).isEqualTo("slow");
            assertThat(slowWasInterrupted).isFalse();
            assertThat(failing.exception()).isSameAs(boom);
            assertThat(fine.get()).isEqualTo("fine");
            assertThatThrownBy(() -> subtasks.add(slow)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    /** awaitAll: a scope with no subtasks joins to an empty list. */
    @EveryEngine
    void awaitAllWithNoSubtasksReturnsAnEmptyList(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll())) {
            assertThat(scope.join()).isEmpty();
        }
    }

    // ---- allUntil -----------------------------------------------------------------------------

    /** allUntil: a completed subtask that matches cancels the scope; join returns every subtask; each was tested once. */
    @EveryEngine
    void allUntilCancelsWhenACompletedSubtaskMatches(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("until");
        AtomicInteger tested = new AtomicInteger();
        CountDownLatch blockerInterrupted = new CountDownLatch(1);
        Joiner<String, List<Subtask<String>>> joiner = Joiner.allUntil(s -> {
            tested.incrementAndGet();
            return s.state() == FAILED;
        });
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(joiner)) {
            CountDownLatch blockerStarted = new CountDownLatch(1);
            Subtask<String> done = scope.fork(() -> "done");
            Subtask<String> blocker = scope.fork(() -> Blocking.untilInterrupted(blockerStarted, blockerInterrupted));
            Subtask<String> failing = scope.fork(() -> {
                Await.latch(blockerStarted);
                Await.until("the first subtask is done", () -> done.state() == SUCCESS);
                throw boom;
            });

            List<Subtask<String>> subtasks = scope.join();

            assertThat(subtasks).containsExactly(done, blocker, failing);
            assertThat(scope.isCancelled()).isTrue();
            assertThat(done.get()).isEqualTo("done");
            assertThat(failing.exception()).isSameAs(boom);
            assertThat(blockerInterrupted.getCount()).isZero();
            assertThat(blocker.state()).isEqualTo(CANCELLED);
            assertThat(tested).hasValue(3);
        }
    }

    /** allUntil: a predicate that never matches lets every subtask finish, like awaitAll. */
    @EveryEngine
    void allUntilThatNeverMatchesWaitsForAll(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>allUntil(s -> false))) {
            Subtask<String> failing = scope.fork(() -> {
                throw new Boom("ignored");
            });
            Subtask<String> fine = scope.fork(() -> "fine");
            assertThat(scope.join()).containsExactly(failing, fine);
            assertThat(scope.isCancelled()).isFalse();
            assertThat(failing.state()).isEqualTo(FAILED);
            assertThat(fine.state()).isEqualTo(SUCCESS);
        }
    }

    /** allUntil: a predicate that throws cancels the scope and join throws FailedException with that cause. */
    @EveryEngine
    void allUntilPredicateThatThrowsFailsTheJoin(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("predicate");
        CountDownLatch blockerInterrupted = new CountDownLatch(1);
        Joiner<String, List<Subtask<String>>> joiner = Joiner.allUntil(s -> {
            if (s.state() == SUCCESS) {
                throw boom;
            }
            return false;
        });
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(joiner)) {
            CountDownLatch blockerStarted = new CountDownLatch(1);
            Subtask<String> blocker = scope.fork(() -> Blocking.untilInterrupted(blockerStarted, blockerInterrupted));
            scope.fork(() -> {
                Await.latch(blockerStarted);
                return "trigger";
            });
            assertThatThrownBy(scope::join).isInstanceOf(FailedException.class).cause().isSameAs(boom);
            assertThat(scope.isCancelled()).isTrue();
            assertThat(blockerInterrupted.getCount()).isZero();
            assertThat(blocker.state()).isEqualTo(CANCELLED);
        }
    }
}
