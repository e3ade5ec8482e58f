package dev.weft;

import static java.util.concurrent.Future.State.CANCELLED;
import static java.util.concurrent.Future.State.FAILED;
import static java.util.concurrent.Future.State.RUNNING;
import static java.util.concurrent.Future.State.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.testing.Await;
import dev.weft.testing.Background;
import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.EveryEngine;
import dev.weft.testing.ScopeEngine;
import dev.weft.testing.ThreadCounter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The life cycle of a scope: fork, join once, close; who may call what; what a {@link Subtask} tells
 * before and after join; and how close cancels, waits and deals with interrupts. Ported from the fork,
 * join, close, confinement and Subtask tests of the JDK's {@code StructuredTaskScopeTest}, adapted to
 * Weft: a scope is joined exactly once (an interrupted join is not retried), close without join throws
 * after cancelling, and subtasks always reach SUCCESS, FAILED or CANCELLED.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeLifecycleTest {

    // ---- fork and join --------------------------------------------------------------------------

    /** A subtask forked from a Runnable succeeds with a null result. */
    @EveryEngine
    void forkRunnableSucceedsWithNullResult(ScopeEngine engine) throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        try (TaskScope<Object, List<Object>> scope = engine.open()) {
            Subtask<Object> subtask = scope.fork(() -> ran.set(true));
            assertThat(scope.join()).containsExactly((Object) null);
            assertThat(subtask.state()).isEqualTo(SUCCESS);
            assertThat(subtask.get()).isNull();
        }
        assertThat(ran).isTrue();
    }

    /** fork after join throws IllegalStateException, whether or not anything was forked before. */
    @EveryEngine
    void forkAfterJoinThrowsIllegalState(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open()) {
            scope.join();
            assertThatThrownBy(() -> scope.fork(() -> "late")).isInstanceOf(IllegalStateException.class);
        }
        try (TaskScope<String, List<String>> scope = engine.open()) {
            scope.fork(() -> "first");
            scope.join();
            assertThatThrownBy(() -> scope.fork(() -> "late")).isInstanceOf(IllegalStateException.class);
        }
    }

    /** fork after close throws IllegalStateException. */
    @EveryEngine
    void forkAfterCloseThrowsIllegalState(ScopeEngine engine) {
        TaskScope<String, List<String>> scope = engine.open();
        scope.close();
        assertThatThrownBy(() -> scope.fork(() -> "late")).isInstanceOf(IllegalStateException.class);
    }

    /** A scope is joined once: a second join throws IllegalStateException, after a result or after a failure. */
    @EveryEngine
    void joinTwiceThrowsIllegalState(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open()) {
            scope.fork(() -> "x");
            scope.join();
            assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class);
        }
        try (TaskScope<String, List<String>> scope = engine.open()) {
            scope.fork(() -> {
                throw new Boom("join twice");
            });
            assertThatThrownBy(scope::join).isInstanceOf(FailedException.class);
            assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class);
        }
    }

    /** join after close throws IllegalStateException. */
    @EveryEngine
    void joinAfterCloseThrowsIllegalState(ScopeEngine engine) {
        TaskScope<String, List<String>> scope = engine.open();
        scope.close();
        assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class);
    }

    // ---- owner confinement ----------------------------------------------------------------------

    /** Only the owner may fork: another thread and a subtask get WrongThreadException. */
    @EveryEngine
    void forkByAnotherThreadThrowsWrongThread(ScopeEngine engine) throws Exception {
        try (TaskScope<Object, List<Object>> scope = engine.open()) {
            assertThat(Background.call(() -> catchThrowable(() -> scope.fork(() -> "x"))))
                    .isInstanceOf(WrongThreadException.class);
            Subtask<Object> fromSubtask = scope.fork(() -> catchThrowable(() -> scope.fork(() -> "x")));
            scope.join();
            assertThat(fromSubtask.get()).isInstanceOf(WrongThreadException.class);
        }
    }

    /** Only the owner may join: another thread and a subtask get WrongThreadException. */
    @EveryEngine
    void joinByAnotherThreadThrowsWrongThread(ScopeEngine engine) throws Exception {
        try (TaskScope<Object, List<Object>> scope = engine.open()) {
            assertThat(Background.call(() -> catchThrowable(scope::join))).isInstanceOf(WrongThreadException.class);
            Subtask<Object> fromSubtask = scope.fork(() -> catchThrowable(scope::join));
            scope.join();
            assertThat(fromSubtask.get()).isInstanceOf(WrongThreadException.class);
        }
    }

    /** Only the owner may close: another thread and a subtask get WrongThreadException, and the scope stays open. */
    @EveryEngine
    void closeByAnotherThreadThrowsWrongThread(ScopeEngine engine) throws Exception {
        try (TaskScope<Object, List<Object>> scope = engine.open()) {
            assertThat(Background.call(() -> catchThrowable(scope::close))).isInstanceOf(WrongThreadException.class);
            Subtask<Object> fromSubtask = scope.fork(() -> catchThrowable(scope::close));
            scope.join();
            assertThat(fromSubtask.get()).isInstanceOf(WrongThreadException.class);
            assertThat(scope.isCancelled()).isFalse();
        }
    }

    /** Only the owner may call asCompleted or iterate it: another thread and a subtask get WrongThreadException. */
    @EveryEngine
    void asCompletedByAnotherThreadThrowsWrongThread(ScopeEngine engine) throws Exception {
        try (TaskScope<Object, List<Object>> scope = engine.open()) {
            assertThat(Background.call(() -> catchThrowable(scope::asCompleted)))
                    .isInstanceOf(WrongThreadException.class);
            Iterable<Subtask<Object>> ownersView = scope.asCompleted();
            assertThat(Background.call(() -> catchThrowable(() -> ownersView.iterator().hasNext())))
                    .isInstanceOf(WrongThreadException.class);
            Subtask<Object> fromSubtask = scope.fork(() -> catchThrowable(scope::asCompleted));
            scope.join();
            assertThat(fromSubtask.get()).isInstanceOf(WrongThreadException.class);
        }
    }

    // ---- Subtask accessors ----------------------------------------------------------------------

    /** Before join, the owner's get() throws IllegalStateException naming join(), even on a subtask that has succeeded. */
    @EveryEngine
    void getBeforeJoinThrowsIllegalStateNamingJoin(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open()) {
            Subtask<String> subtask = scope.fork(() -> "x");
            Await.until("the subtask succeeded", () -> subtask.state() == SUCCESS);
            assertThatThrownBy(subtask::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("join()");
            scope.join();
            assertThat(subtask.get()).isEqualTo("x");
        }
    }

    /** Before join, the owner's exception() throws IllegalStateException naming join(), even on a subtask that has failed. */
    @EveryEngine
    void exceptionBeforeJoinThrowsIllegalStateNamingJoin(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("early");
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll())) {
            Subtask<String> subtask = scope.fork(() -> {
                throw boom;
            });
            Await.until("the subtask failed", () -> subtask.state() == FAILED);
            assertThatThrownBy(subtask::exception).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("join()");
            scope.join();
            assertThat(subtask.exception()).isSameAs(boom);
        }
    }

    /** A running subtask is RUNNING, and the owner's get() and exception() throw IllegalStateException. */
    @EveryEngine
    void runningSubtaskHasNeitherResultNorException(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open()) {
            Subtask<String> subtask = scope.fork(() -> Blocking.untilInterrupted());
            assertThat(subtask.state()).isEqualTo(RUNNING);
            assertThatThrownBy(subtask::get).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(subtask::exception).isInstanceOf(IllegalStateException.class);
            Thread.currentThread().interrupt();
            assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
        }
    }

    /** get() on a failed subtask throws IllegalStateException (with the failure as cause); exception() returns the failure. */
    @EveryEngine
    void getOnFailedSubtaskThrowsIllegalState(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("failed");
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll())) {
            Subtask<String> subtask = scope.fork(() -> {
                throw boom;
            });
            scope.join();
            assertThat(subtask.state()).isEqualTo(FAILED);
            assertThatThrownBy(subtask::get).isInstanceOf(IllegalStateException.class).hasCause(boom);
            assertThat(subtask.exception()).isSameAs(boom);
        }
    }

    /** exception() on a successful subtask throws IllegalStateException. */
    @EveryEngine
    void exceptionOnSuccessfulSubtaskThrowsIllegalState(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open()) {
            Subtask<String> subtask = scope.fork(() -> "fine");
            scope.join();
            assertThat(subtask.get()).isEqualTo("fine");
            assertThatThrownBy(subtask::exception).isInstanceOf(IllegalStateException.class);
        }
    }

    /** A cancelled subtask has no result; exception() gives the interrupt if it had started, and throws if it never started. */
    @EveryEngine
    void cancelledSubtaskHasNoResult(ScopeEngine engine) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>allUntil(s -> true),
                c -> c.withConcurrencyLimit(2))) {
            Subtask<String> interrupted = scope.fork(() -> Blocking.untilInterrupted(started, null));
            Await.latch(started);
            Subtask<String> canceller = scope.fork(() -> "cancel");
            Subtask<String> neverStarted = scope.fork(() -> "never");   // queued behind the limit
            scope.join();

            assertThat(canceller.state()).isEqualTo(SUCCESS);
            assertThat(interrupted.state()).isEqualTo(CANCELLED);
            assertThatThrownBy(interrupted::get).isInstanceOf(IllegalStateException.class);
            assertThat(interrupted.exception()).isInstanceOf(InterruptedException.class);
            assertThat(neverStarted.state()).isEqualTo(CANCELLED);
            assertThatThrownBy(neverStarted::get).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(neverStarted::exception).isInstanceOf(IllegalStateException.class);
        }
    }

    /** After cancellation, a failure caused by the interrupt ends CANCELLED, while a real failure still ends FAILED. */
    @EveryEngine
    void onlyInterruptCausedFailuresAfterCancellationEndCancelled(ScopeEngine engine) throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        Boom real = new Boom("real");
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>allUntil(s -> true))) {
            Subtask<String> wrapped = scope.fork(() -> {
                try {
                    return Blocking.untilInterrupted(bothStarted, null);
                } catch (InterruptedException e) {
                    throw new IllegalStateException("wrapped", e);   // an exception caused by the interrupt
                }
            });
            Subtask<String> unrelated = scope.fork(() -> {
                try {
                    return Blocking.untilInterrupted(bothStarted, null);
                } catch (InterruptedException e) {
                    throw real;
                }
            });
            Await.latch(bothStarted);
            scope.fork(() -> "cancel");
            scope.join();
            assertThat(wrapped.state()).isEqualTo(CANCELLED);
            assertThat(wrapped.exception()).isInstanceOf(IllegalStateException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(unrelated.state()).isEqualTo(FAILED);
            assertThat(unrelated.exception()).isSameAs(real);
        }
    }

    /** An InterruptedException before any cancellation (an interrupt from outside the scope) is a plain failure. */
    @EveryEngine
    void interruptWithoutCancellationIsAFailure(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll())) {
            Subtask<String> subtask = scope.fork(() -> {
                throw new InterruptedException("not from the scope");
            });
            scope.join();
            assertThat(scope.isCancelled()).isFalse();
            assertThat(subtask.state()).isEqualTo(FAILED);
            assertThat(subtask.exception()).isInstanceOf(InterruptedException.class);
        }
    }

    // ---- close ----------------------------------------------------------------------------------

    /** close without join interrupts the unfinished subtasks, waits for their threads to end, then throws IllegalStateException. */
    @EveryEngine
    void closeWithoutJoinCancelsWaitsThenThrowsIllegalState(ScopeEngine engine) throws Exception {
        ThreadCounter threads = engine.counter();
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withThreadFactory(threads));
        Subtask<String> a = scope.fork(() -> Blocking.untilInterrupted(started, interrupted));
        Subtask<String> b = scope.fork(() -> Blocking.untilInterrupted(started, interrupted));
        Subtask<String> done = scope.fork(() -> "done");
        Await.latch(started);
        Await.until("the third subtask succeeded", () -> done.state() == SUCCESS);

        assertThatThrownBy(scope::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 of its 3 subtasks were cancelled, and no outcome was joined")
                .hasMessageContaining("call join() before close()");

        assertThat(scope.isCancelled()).isTrue();
        assertThat(interrupted.getCount()).isZero();
        assertThat(List.of(a.state(), b.state())).containsOnly(CANCELLED);
        assertThat(done.state()).isEqualTo(SUCCESS);
        assertThat(threads.alive()).isEmpty();
        assertThat(threads.live()).isZero();
    }

    /** close without join after every subtask finished cancels nothing, and its message says the outcomes were not joined. */
    @EveryEngine
    void closeWithoutJoinAfterEverySubtaskFinishedSaysSo(ScopeEngine engine) throws Exception {
        ThreadCounter threads = engine.counter();
        TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withThreadFactory(threads));
        Subtask<String> done = scope.fork(() -> "done");
        Await.until("the subtask's thread ended", () -> done.state() == SUCCESS && threads.live() == 0);

        assertThatThrownBy(scope::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("its subtask finished, but its outcome was never joined");

        assertThat(scope.isCancelled()).isFalse();
        assertThat(done.state()).isEqualTo(SUCCESS);
    }

    /** close waits for a subtask that keeps running after the interrupt; when close returns, it has ended. */
    @EveryEngine
    void closeWaitsForAStragglerToEnd(ScopeEngine engine) throws Exception {
        Straggler straggler = Straggler.forkIn(engine);
        TaskScope<String, List<String>> scope = straggler.scope;
        Thread owner = Thread.currentThread();
        try (Background background = new Background()) {
            background.start("releaser", () -> {
                Await.latch(straggler.interrupted);
                Await.blockedIn(owner, "close");
                straggler.release.countDown();
            });

            assertThatThrownBy(scope::close).isInstanceOf(IllegalStateException.class);
        }

        assertThat(straggler.finished).isTrue();
        assertThat(straggler.threads.alive()).isEmpty();
    }

    /** An interrupt of the owner waiting in close does not cut the wait short, and close sets the interrupt status again. */
    @EveryEngine
    void closeKeepsWaitingWhenTheOwnerIsInterruptedAndRestoresTheInterrupt(ScopeEngine engine) throws Exception {
        Straggler straggler = Straggler.forkIn(engine);
        TaskScope<String, List<String>> scope = straggler.scope;
        Thread owner = Thread.currentThread();
        Thread.currentThread().interrupt();
        assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);   // cancels; the straggler goes on
        boolean interruptStatus;
        try (Background background = new Background()) {
            background.start("interrupter", () -> {
                Await.latch(straggler.interrupted);
                Await.blockedIn(owner, "close");
                owner.interrupt();
                Await.blockedIn(owner, "close");   // still waiting after the interrupt
                straggler.release.countDown();
            });

            scope.close();
            interruptStatus = Thread.interrupted();
        }

        assertThat(interruptStatus).isTrue();
        assertThat(straggler.finished).isTrue();
        assertThat(straggler.threads.alive()).isEmpty();
    }

    /** close called with the interrupt status already set still waits for every subtask, and keeps the status set. */
    @EveryEngine
    void closeWithInterruptStatusSetStillWaits(ScopeEngine engine) throws Exception {
        Straggler straggler = Straggler.forkIn(engine);
        TaskScope<String, List<String>> scope = straggler.scope;
        Thread owner = Thread.currentThread();
        Thread.currentThread().interrupt();
        assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
        boolean interruptStatus;
        try (Background background = new Background()) {
            background.start("releaser", () -> {
                Await.latch(straggler.interrupted);
                Await.blockedIn(owner, "close");
                straggler.release.countDown();
            });

            Thread.currentThread().interrupt();
            scope.close();
            interruptStatus = Thread.interrupted();
        }

        assertThat(interruptStatus).isTrue();
        assertThat(straggler.finished).isTrue();
        assertThat(straggler.threads.alive()).isEmpty();
    }

    /** Closing a closed scope does nothing, even when the first close threw. */
    @EveryEngine
    void closeTwiceIsANoOp(ScopeEngine engine) throws Exception {
        TaskScope<String, List<String>> scope = engine.open();
        scope.fork(() -> Blocking.untilInterrupted());
        assertThatThrownBy(scope::close).isInstanceOf(IllegalStateException.class);
        scope.close();
        scope.close();

        TaskScope<String, List<String>> joined = engine.open();
        joined.fork(() -> "x");
        joined.join();
        joined.close();
        joined.close();
    }

    /** A scope that forked nothing may be closed without join. */
    @EveryEngine
    void closeWithoutForksNeedsNoJoin(ScopeEngine engine) {
        TaskScope<String, List<String>> scope = engine.open();
        scope.close();
        assertThat(scope.isCancelled()).isFalse();
    }

    // ---- interrupted join -----------------------------------------------------------------------

    /** join with the interrupt status set throws InterruptedException, clears the status, and cancels the scope. */
    @EveryEngine
    void joinInterruptedThrowsInterruptedExceptionAndCancelsTheScope(ScopeEngine engine) throws Exception {
        ThreadCounter threads = engine.counter();
        CountDownLatch interrupted = new CountDownLatch(1);
        Subtask<String> subtask;
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withThreadFactory(threads))) {
            CountDownLatch started = new CountDownLatch(1);
            subtask = scope.fork(() -> Blocking.untilInterrupted(started, interrupted));
            Await.latch(started);
            Thread.currentThread().interrupt();
            assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(scope.isCancelled()).isTrue();
            Await.latch(interrupted);
            assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> scope.fork(() -> "late")).isInstanceOf(IllegalStateException.class);
        }
        assertThat(subtask.state()).isEqualTo(CANCELLED);
        assertThat(threads.alive()).isEmpty();
    }

    /**
     * join waits for the thread of the newest subtask to end, not only for its subtask to finish, so
     * that the owner is woken once that thread has terminated (see {@code ScopeImpl.awaitAll}). The
     * thread here lingers after its subtask has finished, until released: join must still be
     * waiting then, and the thread must have ended when join returns.
     */
    @Test
    void joinWaitsForTheNewestSubtasksThreadToEnd() throws Exception {
        CountDownLatch finishTask = new CountDownLatch(1);
        CountDownLatch endThread = new CountDownLatch(1);
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory lingering = body -> {
            Thread thread = Thread.ofVirtual().unstarted(() -> {
                body.run();
                Await.latchUninterruptibly(endThread);
            });
            made.add(thread);
            return thread;
        };
        Thread owner = Thread.currentThread();
        try (TaskScope<String, List<String>> scope = TaskScope.open(Joiner.<String>allSuccessful(),
                c -> c.withThreadFactory(lingering))) {
            Subtask<String> subtask = scope.fork(() -> {
                Await.latch(finishTask);
                return "done";
            });
            try (Background background = new Background()) {
                background.start("releaser", () -> {
                    try {
                        Await.blockedIn(owner, "join");
                        finishTask.countDown();
                        Await.until("the subtask finished", () -> subtask.state() == SUCCESS);
                        Await.blockedIn(owner, "join");     // still: its thread has not ended
                    } finally {
                        endThread.countDown();
                    }
                });
                assertThat(scope.join()).containsExactly("done");
                assertThat(made.getFirst().isAlive()).as("the subtask's thread, when join returned").isFalse();
            }
        }
    }

    /** An owner interrupted while blocked in join gets InterruptedException, and the scope is cancelled. */
    @EveryEngine
    void joinInterruptedWhileWaitingThrowsInterruptedException(ScopeEngine engine) throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread owner = Thread.currentThread();
        try (TaskScope<String, List<String>> scope = engine.open()) {
            CountDownLatch started = new CountDownLatch(1);
            Subtask<String> subtask = scope.fork(() -> Blocking.untilInterrupted(started, interrupted));
            Await.latch(started);
            try (Background background = new Background()) {
                background.start("interrupter", () -> {
                    Await.blockedIn(owner, "join");
                    owner.interrupt();
                });
                assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
            }
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(scope.isCancelled()).isTrue();
            Await.latch(interrupted);
            Await.until("the subtask ended", () -> subtask.state() == CANCELLED);
        }
    }

    /**
     * A scope (default policy, threads counted) with one running subtask, the straggler, that blocks
     * until interrupted, then ignores the cancellation until {@link #release} and finishes normally.
     */
    private static final class Straggler {
        final ThreadCounter threads;
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean finished = new AtomicBoolean();
        final TaskScope<String, List<String>> scope;

        private Straggler(ScopeEngine engine) {
            threads = engine.counter();
            scope = engine.open(Joiner.<String>allSuccessful(), c -> c.withThreadFactory(threads));
        }

        /** Opens the scope on {@code engine}, forks the straggler, and returns once it has started. */
        static Straggler forkIn(ScopeEngine engine) throws InterruptedException {
            Straggler straggler = new Straggler(engine);
            CountDownLatch started = new CountDownLatch(1);
            straggler.scope.fork(() -> straggler.body(started));
            Await.latch(started);
            return straggler;
        }

        private String body(CountDownLatch started) {
            try {
                Blocking.untilInterrupted(started, null);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            Await.latchUninterruptibly(release);
            finished.set(true);
            return "straggler";
        }
    }
}
