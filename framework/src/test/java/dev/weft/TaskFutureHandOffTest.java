package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskFuture#completeHandingOff}: completion by a thread that must run no listener or
 * callback (a cluster engine's). It releases blocked {@code get()} callers itself and hands the
 * rest, in the usual order, to the executor it is given.
 */
class TaskFutureHandOffTest {
    private static final long LIMIT = 10;

    /** What the completing thread handed off, to be run when the test says. */
    private static final class Handed implements java.util.concurrent.Executor {
        final List<Runnable> runnables = new ArrayList<>();

        @Override
        public void execute(Runnable command) {
            runnables.add(command);
        }
    }

    /** A blocked get() wakes with the value; the listener and callbacks wait for the executor, then run there, in order. */
    @Test
    void waitersWakeHereListenersAndCallbacksRunWhereTheyAreHandedInOrder() throws Exception {
        SettableFuture<Integer> future = SettableFuture.create();
        List<String> ran = new CopyOnWriteArrayList<>();
        future.onDone(f -> ran.add("callback 1 in " + Thread.currentThread().getName()));
        future.addListener(() -> ran.add("listener in " + Thread.currentThread().getName()));
        future.onDone(f -> ran.add("callback 2 in " + Thread.currentThread().getName()));
        FutureTask<Integer> waiter = new FutureTask<>(() -> future.get(LIMIT, TimeUnit.SECONDS));
        Thread waiting = Thread.ofPlatform().name("waiter").start(waiter);
        awaitBlocked(waiting);
        Handed handed = new Handed();
        Thread completing = Thread.ofPlatform().name("engine").start(() -> future.completeHandingOff(42, handed));
        completing.join(TimeUnit.SECONDS.toMillis(LIMIT));
        assertThat(waiter.get(LIMIT, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(ran).as("what ran in the completing thread").isEmpty();
        assertThat(handed.runnables).hasSize(1);
        Thread.ofPlatform().name("completer").start(handed.runnables.get(0)).join(TimeUnit.SECONDS.toMillis(LIMIT));
        assertThat(ran).containsExactly("listener in completer", "callback 1 in completer", "callback 2 in completer");
    }

    /** With nothing but waiters, nothing is handed off; a callback added after runs in the thread that adds it. */
    @Test
    void withoutListenersNothingIsHandedOffAndLaterCallbacksRunWhereAdded() {
        SettableFuture<String> future = SettableFuture.create();
        Handed handed = new Handed();
        assertThat(future.completeHandingOff("done", handed)).isTrue();
        assertThat(handed.runnables).isEmpty();
        List<Thread> ranIn = new ArrayList<>();
        future.onDone(f -> ranIn.add(Thread.currentThread()));
        assertThat(ranIn).containsExactly(Thread.currentThread());
        assertThat(future.resultNow()).isEqualTo("done");
    }

    /** A future already done stays as it is: false at once, nothing handed off, even after a cancel(true). */
    @Test
    void aDoneFutureIsLeftAsItIs() {
        SettableFuture<Integer> cancelled = SettableFuture.create();
        cancelled.onDone(f -> { });
        assertThat(cancelled.cancel(true)).isTrue();
        Handed handed = new Handed();
        assertThat(cancelled.completeHandingOff(1, handed)).isFalse();
        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(handed.runnables).isEmpty();
        assertThatThrownBy(() -> cancelled.completeHandingOff(1, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("elsewhere");
    }

    /** Waits, bounded, until {@code thread} parks in get(). */
    private static void awaitBlocked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT);
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the waiter did not block: " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }
}
