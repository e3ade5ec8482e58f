package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.FailedException;
import dev.weft.Futures;
import dev.weft.ReturnWhen;
import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.UncheckedTimeoutException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Promises of scopes and futures that a program outside Weft's packages found broken: each test
 * here failed (or hung, which its timeout turns into a failure) on the code before its fix.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScopeEdgesTest {

    /**
     * A factory whose thread fails before it runs the subtask, or hands it to another thread, used
     * to leave the subtask RUNNING and join waiting for good, deadline or not. The subtask now fails,
     * naming the thread.
     */
    @Test
    void aFactorysThreadThatNeverRunsItsSubtaskFailsIt() throws Exception {
        ThreadFactory failsFirst = r -> Thread.ofVirtual().unstarted(() -> {
            throw new IllegalStateException("set-up failed before the subtask ran");
        });
        ThreadFactory handsOff = r -> Thread.ofVirtual().unstarted(() -> Thread.ofVirtual().start(r));
        for (ThreadFactory factory : List.of(failsFirst, handsOff)) {
            try (var scope = TaskScope.open(Joiner.<String>awaitAll(),
                    c -> c.withThreadFactory(factory).withTimeout(Duration.ofMinutes(10)))) {
                Subtask<String> abandoned = scope.fork(() -> "never runs");
                scope.join();

                assertThat(abandoned.state()).isEqualTo(Future.State.FAILED);
                assertThat(abandoned.exception()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("which ended without running its subtask");
            }
        }
        try (var scope = TaskScope.open(Joiner.<String>allSuccessful(), c -> c.withThreadFactory(failsFirst))) {
            scope.fork(() -> "never runs");
            assertThatThrownBy(scope::join).isInstanceOf(FailedException.class)
                    .cause().hasMessageContaining("ended without running its subtask");
        }
    }

    /**
     * A factory's thread that calls the subtask's body twice runs the task once: the second call
     * does nothing. It used to run the task again and count the subtask done twice, so join
     * waited for good (and a concurrency limit gave its slot away twice).
     */
    @Test
    void aFactorysThreadThatRunsItsSubtaskTwiceRunsTheTaskOnce() throws Exception {
        ThreadFactory twice = r -> Thread.ofVirtual().unstarted(() -> {
            r.run();
            r.run();
        });
        AtomicInteger calls = new AtomicInteger();
        try (var scope = TaskScope.open(Joiner.<Integer>awaitAll(), c -> c.withThreadFactory(twice))) {
            Subtask<Integer> once = scope.fork(calls::incrementAndGet);
            scope.join();
            assertThat(once.get()).isEqualTo(1);
        }
        assertThat(calls).hasValue(1);
    }

    /**
     * The subtasks that completed before the deadline still come out of asCompleted, then the
     * iterator throws; it used to throw at once, and their results were lost.
     */
    @Test
    void asCompletedReturnsWhatCompletedBeforeTheDeadlineThenThrows() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (var scope = TaskScope.open(Joiner.<String>awaitAll(),
                c -> c.withDeadline(Instant.now().plusSeconds(1)))) {
            Subtask<String> a = scope.fork(() -> "a");
            Subtask<String> b = scope.fork(() -> "b");
            scope.fork(() -> {
                never.await();
                return "slow";
            });
            while (a.state() == Future.State.RUNNING || b.state() == Future.State.RUNNING) {
                Thread.onSpinWait();     // both finish at once; the test's timeout bounds the wait
            }
            while (!scope.isCancelled()) {
                Thread.onSpinWait();     // the deadline, a second away
            }

            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> {
                for (Subtask<String> done : scope.asCompleted()) {
                    seen.add(done.get());
                }
            }).isInstanceOf(UncheckedTimeoutException.class).hasMessageContaining("while asCompleted() waited");
            assertThat(seen).containsExactlyInAnyOrder("a", "b");
            assertThatThrownBy(scope::join).isInstanceOf(UncheckedTimeoutException.class)
                    .hasMessageEndingWith("before its subtasks finished; 1 of its 3 subtasks were cancelled");
        }
    }

    /** A deadline that passes once every subtask has finished cancels none, and join's message says so. */
    @Test
    void aDeadlineThatCancelsNothingSaysSo() throws Exception {
        try (var scope = TaskScope.open(Joiner.<String>awaitAll(), c -> c.withName("quick")
                .withDeadline(Instant.now().plusMillis(200)))) {
            Subtask<String> one = scope.fork(() -> "one");
            while (one.state() == Future.State.RUNNING || !scope.isCancelled()) {
                Thread.onSpinWait();
            }
            assertThatThrownBy(scope::join).isInstanceOf(UncheckedTimeoutException.class)
                    .hasMessageStartingWith("scope 'quick' reached its deadline")
                    .hasMessageEndingWith("before join() returned; no subtask was cancelled, each had finished "
                            + "or finished all the same");
            assertThat(one.get()).isEqualTo("one");
        }
    }

    /**
     * A subtask whose own scope failed passes that scope's FailedException on, and the outer join
     * throws it as it is, not wrapped again: rethrowIf finds the IOException. Two such failures are
     * flattened into one wrapper that holds both causes.
     */
    @Test
    void aNestedScopesFailureIsNotWrappedTwice() throws Exception {
        IOException reset = new IOException("connection reset");
        try (var outer = TaskScope.<String>open()) {
            outer.fork(() -> {
                try (var inner = TaskScope.<String>open()) {
                    inner.fork(() -> {
                        throw reset;
                    });
                    return inner.join().get(0);
                }
            });
            FailedException thrown = catchFailed(outer);
            assertThat(thrown.getCause()).isSameAs(reset);
            assertThatThrownBy(() -> {
                throw thrown.rethrowIf(IOException.class);
            }).isSameAs(reset);
        }

        IOException refused = new IOException("connection refused");
        CyclicBarrier bothFailed = new CyclicBarrier(2);
        try (var outer = TaskScope.open(Joiner.<String>allSuccessful())) {
            for (IOException failure : List.of(reset, refused)) {
                outer.fork(() -> {
                    try (var inner = TaskScope.<String>open()) {
                        inner.fork(() -> {
                            throw failure;
                        });
                        try {
                            return inner.join().get(0);
                        } catch (FailedException e) {
                            bothFailed.await();      // so that neither is cancelled by the other's failure
                            throw e;
                        }
                    }
                });
            }
            FailedException thrown = catchFailed(outer);
            assertThat(thrown.failures()).containsExactlyInAnyOrder(reset, refused);
            assertThat(thrown.getCause()).isIn(reset, refused);
        }
    }

    private static FailedException catchFailed(TaskScope<String, List<String>> scope) {
        try {
            scope.join();
        } catch (FailedException e) {
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("join returned");
    }

    /**
     * A foreign future whose get() throws an Error once done still counts as done and failed: the
     * thread that waited on it used to die of the Error, so wait() never returned, and a future
     * already done made wait() throw the Error.
     */
    @Test
    void aForeignFutureWhoseGetThrowsAnErrorStillCompletesTheWait() throws Exception {
        ErrorFuture alreadyDone = new ErrorFuture();
        alreadyDone.done.countDown();
        assertThat(Futures.wait(List.of(alreadyDone), ReturnWhen.FIRST_EXCEPTION).done()).containsExactly(alreadyDone);

        ErrorFuture later = new ErrorFuture();
        Thread.ofVirtual().start(() -> {
            try {
                later.waitedOn.await();      // Weft's watcher waits in get(): now complete it
                later.done.countDown();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(Futures.wait(List.of(later), ReturnWhen.FIRST_COMPLETED).done()).containsExactly(later);
    }

    /** Done once {@code done} is counted down; get() then throws the task's Error as it is, as some wrappers do. */
    private static final class ErrorFuture implements Future<Object> {
        final CountDownLatch done = new CountDownLatch(1);
        final CountDownLatch waitedOn = new CountDownLatch(1);

        @Override public boolean cancel(boolean mayInterrupt) { return false; }
        @Override public boolean isCancelled() { return false; }
        @Override public boolean isDone() { return done.getCount() == 0; }

        @Override
        public Object get() throws InterruptedException {
            waitedOn.countDown();
            done.await();
            throw new AssertionError("the task's own error, rethrown as it is");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) throws InterruptedException {
            return get();
        }
    }

    /**
     * A policy that calls join(), close() or fork() from onComplete, which the owner runs itself
     * for a subtask forked after cancellation, is refused: join and close used to wait for good,
     * and a fork that the policy answers with another fork recursed until the stack overflowed.
     */
    @Test
    void joinOrCloseFromThePolicyIsRefused() throws Exception {
        AtomicReference<TaskScope<Object, String>> scope = new AtomicReference<>();
        List<Throwable> refusals = new ArrayList<>();
        Joiner<Object, String> policy = new Joiner<>() {
            @Override
            public boolean onComplete(Subtask<?> subtask) {
                for (Runnable call : List.<Runnable>of(() -> {
                    try {
                        scope.get().join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, () -> scope.get().close(), () -> scope.get().fork(() -> 2))) {
                    try {
                        call.run();
                    } catch (IllegalStateException e) {
                        refusals.add(e);
                    }
                }
                return false;
            }

            @Override
            public String result() {
                return "joined";
            }
        };
        try (var cancelled = TaskScope.open(policy, c -> c.withTimeout(Duration.ZERO))) {
            scope.set(cancelled);
            cancelled.fork(() -> 1);     // forked after cancellation: the owner tells the policy
            assertThat(refusals).hasSize(3).allSatisfy(e -> assertThat(e)
                    .hasMessageContaining("called from the join policy of scope"));
            assertThatThrownBy(cancelled::join).isInstanceOf(UncheckedTimeoutException.class)
                    .hasMessageEndingWith("its subtask was cancelled");
        }
    }

    /**
     * A subtask that ignores the interrupt and succeeds while close waits for it was not cancelled:
     * close's message no longer says it was.
     */
    @Test
    void closeWithoutJoinCountsOnlyWhatWasCancelled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        var scope = TaskScope.open(Joiner.<String>awaitAll());
        Subtask<String> stubborn = scope.fork(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException ignored) {
                // it finishes its work all the same
            }
            return "done";
        });
        started.await();

        assertThatThrownBy(scope::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("its subtask finished, but its outcome was never joined");
        assertThat(stubborn.state()).isEqualTo(Future.State.SUCCESS);
    }

    /**
     * A read that timed out after the scope was cancelled is a failure of its own, not the
     * subtask's answer to the interrupt: it stays FAILED and is kept among the suppressed.
     */
    @Test
    void aSocketTimeoutAfterCancellationIsAFailure() throws Exception {
        IllegalStateException first = new IllegalStateException("first");
        SocketTimeoutException timedOut = new SocketTimeoutException("Read timed out");
        try (var scope = TaskScope.open(Joiner.<String>allSuccessful())) {
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            Subtask<String> reader = scope.fork(() -> {
                reading.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw timedOut;
                }
                return "unreachable";
            });
            scope.fork(() -> {
                reading.await();        // fail only once the reader runs: a reader never started ends CANCELLED
                throw first;
            });
            FailedException thrown = catchFailed(scope);
            assertThat(thrown.getCause()).isSameAs(first);
            assertThat(reader.state()).isEqualTo(Future.State.FAILED);
            assertThat(thrown.getSuppressed()).containsExactly(timedOut);
        }
    }
}
