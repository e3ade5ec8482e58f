package dev.weft;

import static dev.weft.testing.FutureFixtures.cancelled;
import static dev.weft.testing.FutureFixtures.failed;
import static dev.weft.testing.FutureFixtures.pending;
import static dev.weft.testing.FutureFixtures.running;
import static dev.weft.testing.FutureFixtures.successful;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Await;
import dev.weft.testing.Background;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Future.State;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskFuture}: the behaviours of CPython's {@code test_future.py}, ported, plus what Java
 * adds: cancelling a running future, interrupting its runner, and waiters that leave nothing behind.
 */
class TaskFutureTest {

    // ------------------------------------------------------------ fixtures (a future in each state: FutureFixtures)

    private static String capturingStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------ states

    /** A pending future is not done, not running and not cancelled; its state is RUNNING. */
    @Test
    void pendingFutureIsNotDoneNotRunningNotCancelled() {
        TaskFuture<Integer> f = pending();
        assertThat(f.isDone()).isFalse();
        assertThat(f.isRunning()).isFalse();
        assertThat(f.isCancelled()).isFalse();
        assertThat(f.state()).isEqualTo(State.RUNNING);
    }

    /** markRunning makes a future running, still not done. */
    @Test
    void markRunningMakesThePendingFutureRunning() {
        TaskFuture<Integer> f = running();
        assertThat(f.isRunning()).isTrue();
        assertThat(f.isDone()).isFalse();
        assertThat(f.isCancelled()).isFalse();
        assertThat(f.state()).isEqualTo(State.RUNNING);
    }

    /** Each final state is done, not running, and reported by state(). */
    @Test
    void finalStatesAreDoneAndNotRunning() {
        TaskFuture<Integer> ok = successful(42);
        TaskFuture<Integer> bad = failed(new IOException());
        TaskFuture<Integer> off = cancelled();
        for (TaskFuture<Integer> f : List.of(ok, bad, off)) {
            assertThat(f.isDone()).isTrue();
            assertThat(f.isRunning()).isFalse();
        }
        assertThat(ok.state()).isEqualTo(State.SUCCESS);
        assertThat(bad.state()).isEqualTo(State.FAILED);
        assertThat(off.state()).isEqualTo(State.CANCELLED);
        assertThat(List.of(ok.isCancelled(), bad.isCancelled(), off.isCancelled()))
                .containsExactly(false, false, true);
    }

    /** markRunning returns false for a cancelled future, so the task never starts. */
    @Test
    void markRunningReturnsFalseWhenCancelled() {
        SettableFuture<Integer> f = cancelled();
        assertThat(f.markRunning()).isFalse();
        assertThat(f.isCancelled()).isTrue();
    }

    /** markRunning throws IllegalStateException when already running or completed. */
    @Test
    void markRunningThrowsWhenRunningOrCompleted() {
        assertThatThrownBy(running()::markRunning).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
        assertThatThrownBy(successful(1)::markRunning).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already completed");
        assertThatThrownBy(failed(new IOException())::markRunning).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------ cancel

    /** cancel cancels a pending future. */
    @Test
    void cancelCancelsAPendingFuture() {
        TaskFuture<Integer> f = pending();
        assertThat(f.cancel(false)).isTrue();
        assertThat(f.state()).isEqualTo(State.CANCELLED);
    }

    /** cancel cancels a running future too (Java's contract; Python returns False and keeps it running). */
    @Test
    void cancelCancelsARunningFuture() {
        TaskFuture<Integer> f = running();
        assertThat(f.cancel(false)).isTrue();
        assertThat(f.isCancelled()).isTrue();
        assertThat(f.isRunning()).isFalse();
        assertThat(f.complete(1)).isFalse();
    }

    /** cancel returns false and changes nothing for a completed or already cancelled future. */
    @Test
    void cancelReturnsFalseWhenAlreadyDone() {
        TaskFuture<Integer> ok = successful(5);
        TaskFuture<Integer> bad = failed(new IOException());
        TaskFuture<Integer> off = cancelled();
        assertThat(ok.cancel(true)).isFalse();
        assertThat(bad.cancel(true)).isFalse();
        assertThat(off.cancel(true)).isFalse();
        assertThat(ok.state()).isEqualTo(State.SUCCESS);
        assertThat(bad.state()).isEqualTo(State.FAILED);
        assertThat(off.state()).isEqualTo(State.CANCELLED);
    }

    // ------------------------------------------------------------ result and exception

    /** get with a zero timeout reports each state without waiting. */
    @Test
    void getWithZeroTimeoutReportsEachState() throws Exception {
        IOException boom = new IOException("boom");
        assertThatThrownBy(() -> pending().get(0, SECONDS)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> running().get(0, SECONDS)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> cancelled().get(0, SECONDS)).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> failed(boom).get(0, SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
        assertThat(successful(42).get(0, SECONDS)).isEqualTo(42);
        assertThat(successful(null).get(0, SECONDS)).isNull();
    }

    /** A negative timeout does not wait, as in the JDK. */
    @Test
    void getWithNegativeTimeoutDoesNotWait() throws Exception {
        assertThatThrownBy(() -> pending().get(-1, SECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(successful(7).get(-1, SECONDS)).isEqualTo(7);
    }

    /** Untimed get returns at once for a done future, and reports it as the timed one does. */
    @Test
    void untimedGetReportsADoneFuture() throws Exception {
        IOException boom = new IOException("boom");
        assertThat(successful(42).get()).isEqualTo(42);
        assertThatThrownBy(() -> failed(boom).get())
                .isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
        assertThatThrownBy(() -> cancelled().get()).isInstanceOf(CancellationException.class);
    }

    /** resultNow and exceptionNow follow the JDK's Future contract for every state. */
    @Test
    void resultNowAndExceptionNowFollowTheJdkContract() {
        IOException boom = new IOException("boom");
        assertThat(successful(42).resultNow()).isEqualTo(42);
        assertThat(failed(boom).exceptionNow()).isSameAs(boom);
        assertThatThrownBy(() -> pending().resultNow()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pending().exceptionNow()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> failed(boom).resultNow()).isInstanceOf(IllegalStateException.class)
                .hasCause(boom);
        assertThatThrownBy(() -> successful(1).exceptionNow()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cancelled().resultNow()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cancelled().exceptionNow()).isInstanceOf(IllegalStateException.class);
    }

    /** A getter blocked in get is released with the result another thread sets. */
    @Test
    void blockedGetReturnsTheResultSetByAnotherThread() throws Exception {
        TaskFuture<Integer> f = pending();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                f.complete(42);
            });
            assertThat(f.get(10, SECONDS)).isEqualTo(42);
        }
    }

    /** A getter blocked in get gets CancellationException when another thread cancels. */
    @Test
    void blockedGetThrowsWhenAnotherThreadCancels() throws Exception {
        TaskFuture<Integer> f = pending();
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                f.cancel(true);
            });
            assertThatThrownBy(() -> f.get(10, SECONDS)).isInstanceOf(CancellationException.class);
        }
    }

    /** A getter blocked in get gets the exception another thread sets, as the cause. */
    @Test
    void blockedGetThrowsTheExceptionSetByAnotherThread() throws Exception {
        TaskFuture<Integer> f = pending();
        IOException boom = new IOException("boom");
        Thread me = Thread.currentThread();
        try (Background background = new Background()) {
            background.start(() -> {
                Await.blocked(me);
                f.completeExceptionally(boom);
            });
            assertThatThrownBy(() -> f.get(10, SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
        }
    }

    /** One completion releases every blocked getter. */
    @Test
    void completionReleasesEveryBlockedGetter() throws Exception {
        TaskFuture<Integer> f = pending();
        List<Integer> results = new CopyOnWriteArrayList<>();
        try (Background background = new Background()) {
            List<Thread> getters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                boolean timed = i % 2 == 0;
                getters.add(background.start(() -> results.add(timed ? f.get(10, SECONDS) : f.get())));
            }
            getters.forEach(Await::blocked);
            f.complete(42);
        }
        assertThat(results).containsExactly(42, 42, 42, 42, 42);
    }

    /** A second completion of any kind returns false and keeps the first (Python raises instead). */
    @Test
    void secondCompletionReturnsFalseAndKeepsTheFirst() throws Exception {
        TaskFuture<Integer> f = pending();
        assertThat(f.complete(1)).isTrue();
        assertThat(f.complete(2)).isFalse();
        assertThat(f.completeExceptionally(new IOException())).isFalse();
        assertThat(f.cancel(true)).isFalse();
        assertThat(f.get()).isEqualTo(1);

        IOException first = new IOException("first");
        TaskFuture<Integer> g = failed(first);
        assertThat(g.completeExceptionally(new IOException("second"))).isFalse();
        assertThat(g.complete(3)).isFalse();
        assertThat(g.exceptionNow()).isSameAs(first);
    }

    /** Of concurrent complete, completeExceptionally and cancel, exactly one wins, and the state is its. */
    @Test
    void exactlyOneOfConcurrentCompletionsWins() throws Exception {
        for (int round = 0; round < 100; round++) {
            TaskFuture<Integer> f = pending();
            CyclicBarrier start = new CyclicBarrier(3);
            AtomicBoolean completed = new AtomicBoolean();
            AtomicBoolean failed = new AtomicBoolean();
            AtomicBoolean cancelled = new AtomicBoolean();
            try (Background background = new Background()) {
                background.start(() -> {
                    start.await(10, SECONDS);
                    completed.set(f.complete(1));
                });
                background.start(() -> {
                    start.await(10, SECONDS);
                    failed.set(f.completeExceptionally(new IOException()));
                });
                background.start(() -> {
                    start.await(10, SECONDS);
                    cancelled.set(f.cancel(true));
                });
            }
            assertThat(List.of(completed.get(), failed.get(), cancelled.get())).containsOnlyOnce(true);
            State expected = completed.get() ? State.SUCCESS : failed.get() ? State.FAILED : State.CANCELLED;
            assertThat(f.state()).isEqualTo(expected);
        }
    }

    // ------------------------------------------------------------ callbacks

    /** A callback added before completion sees the result. */
    @Test
    void callbackSeesTheResult() {
        AtomicReference<Integer> seen = new AtomicReference<>();
        TaskFuture<Integer> f = pending();
        f.onDone(g -> seen.set(g.resultNow()));
        f.complete(5);
        assertThat(seen.get()).isEqualTo(5);
    }

    /** A callback added before completion sees the exception. */
    @Test
    void callbackSeesTheException() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        IOException boom = new IOException("test");
        TaskFuture<Integer> f = pending();
        f.onDone(g -> seen.set(g.exceptionNow()));
        f.completeExceptionally(boom);
        assertThat(seen.get()).isSameAs(boom);
    }

    /** A callback added before cancellation sees the future cancelled. */
    @Test
    void callbackSeesTheCancellation() {
        AtomicBoolean wasCancelled = new AtomicBoolean();
        TaskFuture<Integer> f = pending();
        f.onDone(g -> wasCancelled.set(g.isCancelled()));
        assertThat(f.cancel(false)).isTrue();
        assertThat(wasCancelled).isTrue();
    }

    /** Callbacks added before completion run once each, in registration order, in the completing thread. */
    @Test
    void callbacksRunInRegistrationOrderInTheCompletingThread() throws Exception {
        TaskFuture<Integer> f = pending();
        List<String> trail = new CopyOnWriteArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int n = i;
            f.onDone(g -> trail.add(n + " in " + Thread.currentThread().getName()));
        }
        try (Background background = new Background()) {
            background.start(() -> f.complete(0));
        }
        assertThat(trail).containsExactly(
                "1 in test-background-0", "2 in test-background-0", "3 in test-background-0");
    }

    /** A callback added to a done future runs at once, in the caller's thread, for every final state. */
    @Test
    void callbackAddedWhenDoneRunsAtOnceInTheCallersThread() {
        Thread me = Thread.currentThread();
        for (TaskFuture<Integer> f : List.of(successful(5), failed(new IOException()), cancelled())) {
            AtomicReference<Thread> ranIn = new AtomicReference<>();
            f.onDone(g -> ranIn.set(Thread.currentThread()));
            assertThat(ranIn.get()).as("callback on %s", f).isSameAs(me);
        }
    }

    /** A callback that throws is logged with its exception, and the callbacks after it still run. */
    @Test
    void throwingCallbackIsLoggedAndTheOthersStillRun() {
        AtomicBoolean raisingWasCalled = new AtomicBoolean();
        AtomicBoolean nextWasCalled = new AtomicBoolean();
        TaskFuture<Integer> f = pending();
        f.onDone(g -> {
            raisingWasCalled.set(true);
            throw new IllegalStateException("doh!");
        });
        f.onDone(g -> nextWasCalled.set(true));
        String log = capturingStderr(() -> assertThat(f.complete(5)).isTrue());
        assertThat(raisingWasCalled).isTrue();
        assertThat(nextWasCalled).isTrue();
        assertThat(log).contains("WARN", "exception calling callback",
                "java.lang.IllegalStateException: doh!");
    }

    /** A callback that throws when added to a done future is logged, and onDone returns normally. */
    @Test
    void throwingCallbackAddedWhenDoneIsLogged() {
        TaskFuture<Integer> f = successful(5);
        String log = capturingStderr(() -> f.onDone(g -> {
            throw new IllegalStateException("doh!");
        }));
        assertThat(log).contains("exception calling callback", "doh!");
    }

    /** onDone(callback, executor) hands the callback to the executor: it runs in the executor's thread, with the future. */
    @Test
    void callbackGivenAnExecutorRunsThere() throws Exception {
        TaskFuture<Integer> f = pending();
        SettableFuture<Thread> ranIn = SettableFuture.create();
        AtomicReference<TaskFuture<Integer>> seen = new AtomicReference<>();
        try (ExecutorService elsewhere = Executors.newSingleThreadExecutor(r -> new Thread(r, "elsewhere"))) {
            f.onDone(g -> {
                seen.set(g);
                ranIn.complete(Thread.currentThread());
            }, elsewhere);
            assertThat(ranIn.isDone()).isFalse();
            f.complete(5);
            assertThat(ranIn.get(10, SECONDS).getName()).isEqualTo("elsewhere");
            assertThat(seen.get()).isSameAs(f);

            SettableFuture<Thread> lateRanIn = SettableFuture.create();
            f.onDone(g -> lateRanIn.complete(Thread.currentThread()), elsewhere);   // already done
            assertThat(lateRanIn.get(10, SECONDS).getName()).isEqualTo("elsewhere");
        }
    }

    /** An executor that refuses the callback is logged as a callback that throws; onDone and complete return normally. */
    @Test
    void callbackRefusedByItsExecutorIsLogged() {
        TaskFuture<Integer> f = pending();
        AtomicBoolean ran = new AtomicBoolean();
        Executor refusing = r -> {
            throw new RejectedExecutionException("no room");
        };
        f.onDone(g -> ran.set(true), refusing);
        String log = capturingStderr(() -> assertThat(f.complete(5)).isTrue());
        assertThat(log).contains("exception calling callback", "RejectedExecutionException: no room");
        assertThat(ran).isFalse();
        assertThatThrownBy(() -> f.onDone(g -> { }, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> f.onDone(null, refusing)).isInstanceOf(NullPointerException.class);
    }

    /** Blocked getters are released before the callbacks run, so a slow callback does not hold them. */
    @Test
    void blockedGettersAreReleasedBeforeCallbacksRun() throws Exception {
        TaskFuture<Integer> f = pending();
        CountDownLatch getterReturned = new CountDownLatch(1);
        AtomicBoolean getterReturnedFirst = new AtomicBoolean();
        f.onDone(g -> {
            try {
                getterReturnedFirst.set(getterReturned.await(10, SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (Background background = new Background()) {
            Thread getter = background.start(() -> {
                f.get();
                getterReturned.countDown();
            });
            Await.blocked(getter);
            f.complete(1);
        }
        assertThat(getterReturnedFirst).isTrue();
    }

    /** Callbacks added by several threads while another completes the future each run exactly once. */
    @Test
    void callbacksAddedDuringCompletionRunExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 250;
        TaskFuture<Integer> f = pending();
        AtomicIntegerArray runs = new AtomicIntegerArray(threads * perThread);
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        try (Background background = new Background()) {
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                background.start(() -> {
                    start.await(10, SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        int slot = base + i;
                        f.onDone(g -> runs.incrementAndGet(slot));
                    }
                });
            }
            start.await(10, SECONDS);
            f.complete(1);
        }
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("callback %d", i).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------ listeners (package-private, for Futures)

    /** A removed listener does not run, and its node is gone. */
    @Test
    void removedListenerDoesNotRunAndLeavesNothingBehind() {
        TaskFuture<Integer> f = pending();
        AtomicInteger runs = new AtomicInteger();
        Object kept = f.addListener(runs::incrementAndGet);
        Object removed = f.addListener(() -> runs.addAndGet(100));
        assertThat(f.registeredNodes()).isEqualTo(2);
        f.removeListener(removed);
        assertThat(f.registeredNodes()).isEqualTo(1);
        f.complete(1);
        assertThat(runs).hasValue(1);
        f.removeListener(kept);    // after completion: harmless
    }

    /** A listener added to a done future runs at once and there is nothing to remove. */
    @Test
    void listenerAddedWhenDoneRunsAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        assertThat(successful(1).addListener(runs::incrementAndGet)).isNull();
        assertThat(runs).hasValue(1);
    }

    // ------------------------------------------------------------ waiters leave nothing behind

    /** Getters that time out, from several threads, remove their nodes. */
    @Test
    void timedOutGettersLeaveNothingBehind() throws Exception {
        TaskFuture<Integer> f = pending();
        try (Background background = new Background()) {
            for (int t = 0; t < 4; t++) {
                background.start(() -> {
                    for (int i = 0; i < 25; i++) {
                        assertThatThrownBy(() -> f.get(1, MILLISECONDS)).isInstanceOf(TimeoutException.class);
                    }
                });
            }
        }
        assertThat(f.registeredNodes()).isZero();
    }

    /** An interrupted getter throws InterruptedException and removes its node. */
    @Test
    void interruptedGetterThrowsAndLeavesNothingBehind() throws Exception {
        TaskFuture<Integer> f = pending();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (Background background = new Background()) {
            Thread getter = background.start(() -> {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    thrown.set(e);
                }
            });
            Await.blocked(getter);
            assertThat(f.registeredNodes()).isEqualTo(1);
            getter.interrupt();
        }
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(f.registeredNodes()).isZero();
    }

    /** get on a done future returns even if the caller's interrupt status is set (and keeps it set). */
    @Test
    void getOnADoneFutureIgnoresAPendingInterrupt() throws Exception {
        TaskFuture<Integer> f = successful(3);
        Thread.currentThread().interrupt();
        try {
            assertThat(f.get()).isEqualTo(3);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    // ------------------------------------------------------------ the runner and cancel(true)

    /** cancel(true) of a running future cancels it at once and interrupts the runner. */
    @Test
    void cancelWithInterruptInterruptsTheRunner() throws Exception {
        SettableFuture<Integer> f = pending();
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean runnerInterrupted = new AtomicBoolean();
        AtomicBoolean lateCompletion = new AtomicBoolean(true);
        try (Background background = new Background()) {
            background.start(() -> {
                assertThat(f.markRunning()).isTrue();
                running.countDown();
                try {
                    new CountDownLatch(1).await(10, SECONDS);   // the work: waits to be interrupted
                } catch (InterruptedException e) {
                    runnerInterrupted.set(true);
                    lateCompletion.set(f.completeExceptionally(e));
                }
            });
            assertThat(running.await(10, SECONDS)).isTrue();
            assertThat(f.cancel(true)).isTrue();
            assertThat(f.isCancelled()).isTrue();
            assertThatThrownBy(() -> f.get(0, SECONDS)).isInstanceOf(CancellationException.class);
        }
        assertThat(runnerInterrupted).isTrue();
        assertThat(lateCompletion).isFalse();
        assertThat(f.isCancelled()).isTrue();
    }

    /** cancel(false) of a running future cancels it but does not interrupt the runner. */
    @Test
    void cancelWithoutInterruptLeavesTheRunnerAlone() throws Exception {
        SettableFuture<Integer> f = pending();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelDone = new CountDownLatch(1);
        AtomicBoolean runnerInterrupted = new AtomicBoolean();
        try (Background background = new Background()) {
            background.start(() -> {
                f.markRunning();
                running.countDown();
                try {
                    cancelDone.await(10, SECONDS);
                } catch (InterruptedException e) {
                    runnerInterrupted.set(true);
                }
                runnerInterrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
                f.complete(1);
            });
            assertThat(running.await(10, SECONDS)).isTrue();
            assertThat(f.cancel(false)).isTrue();
            cancelDone.countDown();
        }
        assertThat(runnerInterrupted).isFalse();
        assertThat(f.isCancelled()).isTrue();
    }

    /** cancel(true) after the runner completed the future fails and does not interrupt the former runner. */
    @Test
    void cancelAfterCompletionDoesNotInterruptTheFormerRunner() throws Exception {
        SettableFuture<Integer> f = pending();
        CountDownLatch completed = new CountDownLatch(1);
        CountDownLatch cancelTried = new CountDownLatch(1);
        AtomicBoolean runnerInterrupted = new AtomicBoolean();
        try (Background background = new Background()) {
            background.start(() -> {
                f.markRunning();
                f.complete(1);
                completed.countDown();
                try {   // the thread's next task
                    cancelTried.await(10, SECONDS);
                } catch (InterruptedException e) {
                    runnerInterrupted.set(true);
                }
                runnerInterrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
            });
            assertThat(completed.await(10, SECONDS)).isTrue();
            assertThat(f.cancel(true)).isFalse();
            cancelTried.countDown();
        }
        assertThat(runnerInterrupted).isFalse();
    }

    /**
     * When cancel(true) has won but not yet interrupted the runner, the runner's final complete
     * waits until the interrupt is delivered, so it cannot hit the thread's next task.
     */
    @Test
    void runnersFinalCompleteWaitsUntilTheCancellingInterruptIsDelivered() throws Exception {
        CountDownLatch inOnCancel = new CountDownLatch(1);
        CountDownLatch releaseOnCancel = new CountDownLatch(1);
        TaskFuture<Integer> f = new TaskFuture<>() {
            @Override
            protected void onCancel(boolean mayInterruptIfRunning) {
                inOnCancel.countDown();
                try {
                    releaseOnCancel.await(10, SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onCancel(mayInterruptIfRunning);
            }
        };
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean callingComplete = new AtomicBoolean();
        AtomicBoolean completeReturned = new AtomicBoolean();
        AtomicBoolean completeWon = new AtomicBoolean(true);
        AtomicBoolean interruptedOnReturn = new AtomicBoolean();
        try (Background background = new Background()) {
            Thread runner = background.start(() -> {
                f.tryMarkRunning();
                running.countDown();
                assertThat(inOnCancel.await(10, SECONDS)).isTrue();
                callingComplete.set(true);
                completeWon.set(f.complete(1));     // the work finished just as cancel took the future
                completeReturned.set(true);
                interruptedOnReturn.set(Thread.interrupted());
                finish.await(10, SECONDS);          // the thread's next task
            });
            assertThat(running.await(10, SECONDS)).isTrue();
            background.start(() -> f.cancel(true));
            Await.until("the runner calls complete", callingComplete::get);
            Await.blocked(runner);
            assertThat(completeReturned).as("complete returned before the interrupt was delivered").isFalse();
            releaseOnCancel.countDown();
            Await.until("the runner's complete returned", completeReturned::get);
            finish.countDown();
        }
        assertThat(completeWon).isFalse();
        assertThat(interruptedOnReturn).isTrue();
    }

    /** cancel(true) of a pending future interrupts nobody, the cancelling thread included. */
    @Test
    void cancelOfAPendingFutureInterruptsNobody() {
        TaskFuture<Integer> f = pending();
        assertThat(f.cancel(true)).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    /** When several threads cancel at once, one wins and onCancel runs once, with its argument. */
    @Test
    void onCancelRunsOnceWhenSeveralThreadsCancel() throws Exception {
        AtomicInteger onCancelCalls = new AtomicInteger();
        AtomicInteger wins = new AtomicInteger();
        TaskFuture<Integer> f = new TaskFuture<>() {
            @Override
            protected void onCancel(boolean mayInterruptIfRunning) {
                assertThat(mayInterruptIfRunning).isTrue();
                onCancelCalls.incrementAndGet();
            }
        };
        CyclicBarrier start = new CyclicBarrier(4);
        try (Background background = new Background()) {
            for (int i = 0; i < 4; i++) {
                background.start(() -> {
                    start.await(10, SECONDS);
                    if (f.cancel(true)) {
                        wins.incrementAndGet();
                    }
                });
            }
        }
        assertThat(wins).hasValue(1);
        assertThat(onCancelCalls).hasValue(1);
    }

    /** An onCancel override replaces the interrupt (as a process pool sends a message instead). */
    @Test
    void onCancelOverrideReplacesTheInterrupt() throws Exception {
        AtomicBoolean messageSent = new AtomicBoolean();
        TaskFuture<Integer> f = new TaskFuture<>() {
            @Override
            protected void onCancel(boolean mayInterruptIfRunning) {
                messageSent.set(mayInterruptIfRunning);
            }
        };
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelDone = new CountDownLatch(1);
        AtomicBoolean runnerInterrupted = new AtomicBoolean();
        try (Background background = new Background()) {
            background.start(() -> {
                f.tryMarkRunning();
                running.countDown();
                try {
                    cancelDone.await(10, SECONDS);
                } catch (InterruptedException e) {
                    runnerInterrupted.set(true);
                }
                f.complete(1);
            });
            assertThat(running.await(10, SECONDS)).isTrue();
            assertThat(f.cancel(true)).isTrue();
            cancelDone.countDown();
        }
        assertThat(messageSent).isTrue();
        assertThat(runnerInterrupted).isFalse();
    }

    // ------------------------------------------------------------ conversion and repr

    /** toCompletableFuture copies the value, the exception, or the cancellation. */
    @Test
    void toCompletableFutureCopiesTheOutcome() {
        TaskFuture<Integer> ok = pending();
        TaskFuture<Integer> bad = pending();
        TaskFuture<Integer> off = pending();
        CompletableFuture<Integer> okCopy = ok.toCompletableFuture();
        CompletableFuture<Integer> badCopy = bad.toCompletableFuture();
        CompletableFuture<Integer> offCopy = off.toCompletableFuture();
        assertThat(okCopy).isNotDone();
        IOException boom = new IOException("boom");
        ok.complete(42);
        bad.completeExceptionally(boom);
        off.cancel(false);
        assertThat(okCopy.resultNow()).isEqualTo(42);
        assertThat(badCopy.exceptionNow()).isSameAs(boom);
        assertThat(offCopy.isCancelled()).isTrue();
        assertThat(successful(7).toCompletableFuture().resultNow()).isEqualTo(7);
    }

    /** Completing or cancelling the CompletableFuture copy does not affect the TaskFuture. */
    @Test
    void completingTheCompletableFutureCopyDoesNotAffectTheFuture() {
        TaskFuture<Integer> f = pending();
        f.toCompletableFuture().complete(1);
        f.toCompletableFuture().cancel(true);
        assertThat(f.isDone()).isFalse();
        f.complete(2);
        assertThat(f.resultNow()).isEqualTo(2);
    }

    /** toString names the class, the identity hash and the state. */
    @Test
    void toStringShowsTheState() {
        assertThat(pending().toString()).matches("SettableFuture@[0-9a-f]+\\[Pending]");
        assertThat(running().toString()).matches("SettableFuture@[0-9a-f]+\\[Running]");
        assertThat(cancelled().toString()).matches("SettableFuture@[0-9a-f]+\\[Cancelled]");
        assertThat(failed(new IOException("disk")).toString())
                .matches("SettableFuture@[0-9a-f]+\\[Completed exceptionally: java.io.IOException: disk]");
        assertThat(successful(42).toString()).matches("SettableFuture@[0-9a-f]+\\[Completed normally]");
    }

    /** Null arguments are rejected with a NullPointerException naming them; a null result is allowed. */
    @Test
    void nullArgumentsAreRejectedButANullResultIsAllowed() {
        TaskFuture<Integer> f = pending();
        assertThatThrownBy(() -> f.completeExceptionally(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("exception");
        assertThatThrownBy(() -> f.onDone(null))
                .isInstanceOf(NullPointerException.class).hasMessage("callback");
        assertThatThrownBy(() -> f.get(1, null)).isInstanceOf(NullPointerException.class).hasMessage("unit");
        assertThat(f.isDone()).isFalse();
        assertThat(f.complete(null)).isTrue();
        assertThat(f.resultNow()).isNull();
    }
}
