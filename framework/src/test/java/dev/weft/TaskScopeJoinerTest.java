package dev.weft;

import static java.util.concurrent.Future.State.CANCELLED;
import static java.util.concurrent.Future.State.RUNNING;
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
import dev.weft.testing.ThreadCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;

/**
 * What Weft guarantees to a user-written {@link Joiner}: who calls {@code onFork}, {@code onComplete}
 * and {@code result}, how often, in which state, and in what order. Ported from the custom-joiner
 * tests of the JDK's {@code StructuredTaskScopeTest}, adapted to Weft, where {@code onComplete} is
 * called for every subtask, cancelled ones included, and a throwing {@code onComplete} fails the join
 * instead of reaching the uncaught-exception handler.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeJoinerTest {

    /**
     * A policy that records every call it gets and what it saw, and cancels the scope when a completed
     * subtask matches {@code cancelWhen}. Problems it notices are collected, not thrown, so that they
     * fail the test rather than the scope.
     */
    static final class RecordingJoiner implements Joiner<String, List<Future.State>> {
        final Thread owner = Thread.currentThread();
        final Predicate<Subtask<? extends String>> cancelWhen;
        /** Owner only (onFork and result). */
        final List<Subtask<? extends String>> forked = new ArrayList<>();
        final Map<Subtask<?>, AtomicInteger> completions = new ConcurrentHashMap<>();
        final Map<Subtask<?>, Thread> completedIn = new ConcurrentHashMap<>();
        final Queue<String> problems = new ConcurrentLinkedQueue<>();
        final AtomicInteger onForkCalls = new AtomicInteger();
        volatile boolean resultCalled;

        RecordingJoiner(Predicate<Subtask<? extends String>> cancelWhen) {
            this.cancelWhen = cancelWhen;
        }

        @Override
        public void onFork(Subtask<? extends String> subtask) {
            onForkCalls.incrementAndGet();
            if (Thread.currentThread() != owner) {
                problems.add("onFork called by " + Thread.currentThread());
            }
            if (subtask.state() != RUNNING) {
                problems.add("onFork saw " + subtask.state());
            }
            forked.add(subtask);
        }

        @Override
        public boolean onComplete(Subtask<? extends String> subtask) {
            completions.computeIfAbsent(subtask, s -> new AtomicInteger()).incrementAndGet();
            completedIn.put(subtask, Thread.currentThread());
            if (subtask.state() == RUNNING) {
                problems.add("onComplete saw a RUNNING subtask");
            }
            return cancelWhen.test(subtask);
        }

        @Override
        public List<Future.State> result() {
            resultCalled = true;
            if (Thread.currentThread() != owner) {
                problems.add("result called by " + Thread.currentThread());
            }
            List<Future.State> states = new ArrayList<>();
            for (Subtask<? extends String> subtask : forked) {
                AtomicInteger count = completions.get(subtask);
                if (count == null || count.get() != 1) {
                    problems.add("result saw " + subtask + " completed " + count + " times");
                }
                states.add(subtask.state());
            }
            return states;
        }
    }

    /** onFork is called by the owner, with the subtask RUNNING, before the subtask's task can start. */
    @EveryEngine
    void onForkIsCalledByTheOwnerBeforeTheSubtaskStarts(ScopeEngine engine) throws Exception {
        RecordingJoiner joiner = new RecordingJoiner(s -> false);
        try (TaskScope<String, List<Future.State>> scope = engine.open(joiner)) {
            for (int i = 1; i <= 3; i++) {
                int forksBeforeMe = i;
                scope.fork(() -> String.valueOf(joiner.onForkCalls.get() >= forksBeforeMe));
            }
            assertThat(scope.join()).containsExactly(SUCCESS, SUCCESS, SUCCESS);
            assertThat(joiner.forked).extracting(s -> (Object) s.get()).containsOnly("true");
        }
        assertThat(joiner.problems).isEmpty();
    }

    /** onComplete is called exactly once per subtask, in its final state, cancelled ones included, in the thread the contract names. */
    @EveryEngine
    void onCompleteIsCalledOncePerSubtaskIncludingCancelledOnes(ScopeEngine engine) throws Exception {
        RecordingJoiner joiner = new RecordingJoiner(s -> s.state() == SUCCESS && "trigger".equals(s.get()));
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch blockersStarted = new CountDownLatch(2);
        AtomicBoolean cancelledOnesRan = new AtomicBoolean();
        Thread[] triggerThread = new Thread[1];
        Thread owner = Thread.currentThread();
        try (TaskScope<String, List<Future.State>> scope = engine.open(joiner, c -> c.withConcurrencyLimit(3))) {
            Subtask<String> blocker1 = scope.fork(() -> Blocking.untilInterrupted(blockersStarted, null));
            Subtask<String> blocker2 = scope.fork(() -> Blocking.untilInterrupted(blockersStarted, null));
            Subtask<String> trigger = scope.fork(() -> {
                triggerThread[0] = Thread.currentThread();
                Await.latch(go);
                return "trigger";
            });
            Subtask<String> queued1 = scope.fork(() -> {
                cancelledOnesRan.set(true);
                return "queued";
            });
            Subtask<String> queued2 = scope.fork(() -> {
                cancelledOnesRan.set(true);
                return "queued";
            });
            Await.latch(blockersStarted);
            go.countDown();
            Await.until("the trigger cancelled the scope", scope::isCancelled);
            Subtask<String> late1 = scope.fork(() -> {
                cancelledOnesRan.set(true);
                return "late";
            });
            Subtask<String> late2 = scope.fork(() -> {
                cancelledOnesRan.set(true);
                return "late";
            });

            assertThat(scope.join()).containsExactly(
                    CANCELLED, CANCELLED, SUCCESS, CANCELLED, CANCELLED, CANCELLED, CANCELLED);
            assertThat(cancelledOnesRan).isFalse();
            assertThat(joiner.completions).hasSize(7).allSatisfy((s, n) -> assertThat(n).hasValue(1));
            // The contract: a subtask's own thread; for one cancelled before it started, the thread that
            // cancelled (here the trigger's); for one forked after the cancellation, the owner's fork.
            assertThat(joiner.completedIn.get(trigger)).isSameAs(triggerThread[0]);
            assertThat(joiner.completedIn.get(queued1)).isSameAs(triggerThread[0]);
            assertThat(joiner.completedIn.get(queued2)).isSameAs(triggerThread[0]);
            assertThat(joiner.completedIn.get(late1)).isSameAs(owner);
            assertThat(joiner.completedIn.get(late2)).isSameAs(owner);
            assertThat(joiner.completedIn.get(blocker1)).isNotSameAs(owner);
            assertThat(joiner.completedIn.get(blocker2)).isNotSameAs(owner);
        }
        assertThat(joiner.problems).isEmpty();
    }

    /** result is called by the owner only after every onComplete has returned, and sees all their effects. */
    @EveryEngine
    void resultIsCalledAfterEveryOnCompleteHasReturned(ScopeEngine engine) throws Exception {
        CountDownLatch inSlowOnComplete = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger completedPlain = new AtomicInteger();
        int[] effects = new int[1];   // plain writes in onComplete, read in result
        Thread owner = Thread.currentThread();
        Joiner<String, Integer> joiner = new Joiner<>() {
            @Override
            public boolean onComplete(Subtask<? extends String> subtask) {
                if ("slow".equals(subtask.get())) {
                    inSlowOnComplete.countDown();
                    Await.latchUninterruptibly(release);
                }
                synchronized (effects) {
                    effects[0]++;
                }
                completedPlain.incrementAndGet();
                return false;
            }

            @Override
            public Integer result() {
                assertThat(Thread.currentThread()).isSameAs(owner);
                return completedPlain.get() * 100 + effects[0];
            }
        };
        try (TaskScope<String, Integer> scope = engine.open(joiner)) {
            scope.fork(() -> "fast");
            scope.fork(() -> "slow");
            try (Background background = new Background()) {
                background.start("releaser", () -> {
                    Await.latch(inSlowOnComplete);
                    Await.blockedIn(owner, "join");   // the last subtask's task is over; join still waits
                    release.countDown();
                });
                assertThat(scope.join()).isEqualTo(202);
            }
        }
    }

    /** onComplete returning true cancels the scope: running siblings are interrupted. */
    @EveryEngine
    void onCompleteReturningTrueCancelsTheScope(ScopeEngine engine) throws Exception {
        RecordingJoiner joiner = new RecordingJoiner(s -> true);
        CountDownLatch interrupted = new CountDownLatch(1);
        try (TaskScope<String, List<Future.State>> scope = engine.open(joiner)) {
            CountDownLatch started = new CountDownLatch(1);
            scope.fork(() -> Blocking.untilInterrupted(started, interrupted));
            scope.fork(() -> {
                Await.latch(started);
                return "first to complete";
            });
            assertThat(scope.join()).containsExactly(CANCELLED, SUCCESS);
            assertThat(scope.isCancelled()).isTrue();
            assertThat(interrupted.getCount()).isZero();
        }
        assertThat(joiner.problems).isEmpty();
    }

    /** onComplete throwing cancels the scope, and join throws FailedException with that exception as cause. */
    @EveryEngine
    void onCompleteThrowingFailsTheJoinWithThatCause(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("onComplete");
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicBoolean resultCalled = new AtomicBoolean();
        Joiner<String, String> joiner = new Joiner<>() {
            @Override
            public boolean onComplete(Subtask<? extends String> subtask) {
                if (subtask.state() == SUCCESS) {
                    throw boom;
                }
                return false;
            }

            @Override
            public String result() {
                resultCalled.set(true);
                return "unexpected";
            }
        };
        try (TaskScope<String, String> scope = engine.open(joiner)) {
            CountDownLatch started = new CountDownLatch(1);
            Subtask<String> blocker = scope.fork(() -> Blocking.untilInterrupted(started, interrupted));
            scope.fork(() -> {
                Await.latch(started);
                return "done";
            });
            assertThatThrownBy(scope::join).isInstanceOf(FailedException.class).cause().isSameAs(boom);
            assertThat(scope.isCancelled()).isTrue();
            assertThat(interrupted.getCount()).isZero();
            assertThat(blocker.state()).isEqualTo(CANCELLED);
            assertThat(resultCalled).isFalse();
        }
    }

    /** onFork throwing makes fork throw that exception; the subtask never exists, never runs, never completes. */
    @EveryEngine
    void onForkThrowingMakesForkThrowAndTheSubtaskNeverExists(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("onFork");
        AtomicBoolean ran = new AtomicBoolean();
        AtomicInteger completions = new AtomicInteger();
        ThreadCounter threads = engine.counter();
        Joiner<String, String> joiner = new Joiner<>() {
            @Override
            public void onFork(Subtask<? extends String> subtask) {
                throw boom;
            }

            @Override
            public boolean onComplete(Subtask<? extends String> subtask) {
                completions.incrementAndGet();
                return false;
            }

            @Override
            public String result() {
                return "joined";
            }
        };
        TaskScope<String, String> scope = engine.open(joiner, c -> c.withThreadFactory(threads));
        try {
            assertThatThrownBy(() -> scope.fork(() -> {
                ran.set(true);
                return "x";
            })).isSameAs(boom);
            assertThat(scope.join()).isEqualTo("joined");
        } finally {
            scope.close();
        }
        assertThat(ran).isFalse();
        assertThat(completions).hasValue(0);
        assertThat(threads.started()).as("no thread ran").isZero();
    }

    /** An exception thrown by result, other than FailedException, reaches the caller of join wrapped once in FailedException. */
    @EveryEngine
    void resultThrowingIsWrappedOnceInFailedException(ScopeEngine engine) throws Exception {
        Exception checked = new java.io.IOException("result");
        Joiner<String, String> joiner = () -> {
            throw checked;
        };
        try (TaskScope<String, String> scope = engine.open(joiner)) {
            scope.fork(() -> "x");
            assertThatThrownBy(scope::join).isExactlyInstanceOf(FailedException.class).cause().isSameAs(checked);
        }
    }

    /** A FailedException thrown by result reaches the caller of join as it is, not wrapped again. */
    @EveryEngine
    void resultThrowingFailedExceptionPassesThroughUnwrapped(ScopeEngine engine) throws Exception {
        FailedException failed = new FailedException("policy says no", new Boom("inner"));
        Joiner<String, String> joiner = () -> {
            throw failed;
        };
        try (TaskScope<String, String> scope = engine.open(joiner)) {
            scope.fork(() -> "x");
            assertThatThrownBy(scope::join).isSameAs(failed);
        }
    }

    /** result is not called when the deadline passes: join throws UncheckedTimeoutException instead. */
    @EveryEngine
    void resultIsNotCalledWhenTheDeadlinePasses(ScopeEngine engine) throws Exception {
        RecordingJoiner joiner = new RecordingJoiner(s -> false);
        try (TaskScope<String, List<Future.State>> scope = engine.open(joiner,
                c -> c.withTimeout(Duration.ofMillis(50)))) {
            scope.fork(() -> Blocking.untilInterrupted());
            assertThatThrownBy(scope::join).isInstanceOf(UncheckedTimeoutException.class);
            assertThat(joiner.resultCalled).isFalse();
            assertThat(joiner.completions).hasSize(1);
        }
        assertThat(joiner.problems).isEmpty();
    }

    /** result is not called when the owner is interrupted in join: join throws InterruptedException instead. */
    @EveryEngine
    void resultIsNotCalledWhenTheOwnerIsInterrupted(ScopeEngine engine) throws Exception {
        RecordingJoiner joiner = new RecordingJoiner(s -> false);
        try (TaskScope<String, List<Future.State>> scope = engine.open(joiner)) {
            scope.fork(() -> Blocking.untilInterrupted());
            Thread.currentThread().interrupt();
            assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
            assertThat(joiner.resultCalled).isFalse();
        }
        assertThat(joiner.completions).hasSize(1);
        assertThat(joiner.problems).isEmpty();
    }
}
