package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static dev.weft.testing.Tasks.call;
import static dev.weft.testing.Tasks.fn;

import dev.weft.testing.Boom;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Flag;
import dev.weft.testing.PoolKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/**
 * {@code apply}, {@code applyAsync} and {@link AsyncResult}: ported from CPython's
 * {@code _TestPool.test_apply}, {@code test_async}, {@code test_async_timeout},
 * {@code test_map_async_callbacks} and the callback tests of {@code test_thread_pool}, over every
 * pool kind. Tasks are serializable ({@code fn}, {@code call}) and coordinate through {@link Flag}s,
 * so that they run in a process pool's workers too; callbacks run in the test's JVM.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncResultTest {

    /** apply runs the function in the pool and returns its result; the Callable form too. */
    @EveryPool
    void applyReturnsTheResult(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            assertThat(pool.apply(fn((Integer x) -> x * x), 7)).isEqualTo(49);
            assertThat(pool.apply(call(() -> Thread.currentThread().getName()))).startsWith(kind.threadName());
        }
    }

    /** apply rethrows the task's exception wrapped once in FailedException. */
    @EveryPool
    void applyWrapsTheTaskException(PoolKind kind) {
        try (Pool pool = kind.open()) {
            assertThatThrownBy(() -> pool.apply(fn(x -> { throw new Boom("apply"); }), 1))
                    .isInstanceOf(FailedException.class)
                    .cause().isInstanceOf(Boom.class).hasMessage("apply");
        }
    }

    /** get(timeout) throws TimeoutException while the task runs; ready and successful then tell the outcome. */
    @EveryPool
    void getWithTimeoutTimesOutThenSucceeds(PoolKind kind) throws Exception {
        Flag release = Flag.create();
        try (Pool pool = kind.open()) {
            AsyncResult<String> r = pool.applyAsync(fn(x -> {
                release.await("the test released the task");
                return x;
            }), "done");
            assertThatThrownBy(() -> r.get(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class)
                    .hasMessage("the result was not ready within 20 ms");
            assertThat(r.ready()).isFalse();
            assertThat(r.waitFor(Duration.ZERO)).isFalse();
            assertThatThrownBy(r::successful).isInstanceOf(IllegalStateException.class);
            release.raise();
            assertThat(r.waitFor(Duration.ofSeconds(10))).isTrue();
            assertThat(r.ready()).isTrue();
            assertThat(r.successful()).isTrue();
            assertThat(r.get(Duration.ZERO)).isEqualTo("done");
        }
    }

    /** A failed task's result is ready and not successful; get throws FailedException with the cause. */
    @EveryPool
    void failedResultIsReadyAndNotSuccessful(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            AsyncResult<Object> r = pool.applyAsync(fn(x -> { throw new Boom("async"); }), 1);
            r.waitFor();
            assertThat(r.successful()).isFalse();
            assertThatThrownBy(r::get).isInstanceOf(FailedException.class).cause().isInstanceOf(Boom.class);
        }
    }

    /**
     * callback gets the result, before the result is ready, in the worker thread that ran the task
     * (for worker JVMs: in the parent's reader thread of the worker that ran it).
     */
    @EveryPool
    void callbackRunsInWorkerBeforeReady(PoolKind kind) throws Exception {
        AtomicReference<String> callbackThread = new AtomicReference<>();
        List<List<Object>> got = new CopyOnWriteArrayList<>();
        try (Pool pool = kind.open()) {
            AsyncResult<List<Object>> r = pool.applyAsync(fn(x -> List.of(x + 1, Thread.currentThread().getName())),
                    41, v -> {
                        got.add(v);
                        callbackThread.set(Thread.currentThread().getName());
                    }, e -> got.add(List.of(e)));
            List<Object> result = r.get();
            assertThat(result.get(0)).isEqualTo(42);
            assertThat(got).containsExactly(result);     // the callback had returned when get returned
            String taskThread = (String) result.get(1);
            assertThat(taskThread).startsWith(kind.threadName());
            kind.assertCallbackThread(callbackThread.get(), taskThread);
        }
    }

    /** errorCallback receives the task's own exception; callback is not called. */
    @EveryPool
    void errorCallbackReceivesTheTaskException(PoolKind kind) throws Exception {
        List<Object> got = new CopyOnWriteArrayList<>();
        try (Pool pool = kind.open()) {
            Boom boom = new Boom("err");
            AsyncResult<Object> r = pool.applyAsync(fn(x -> { throw boom; }), 1, got::add, got::add);
            r.waitFor();
            assertThat(got).singleElement().satisfies(e -> kind.assertArrived((Throwable) e, boom));
        }
    }

    /** A callback that throws is logged; the result is still delivered and the pool keeps working. */
    @EveryPool
    void throwingCallbackBreaksNothing(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            AsyncResult<Integer> r = pool.applyAsync(fn(x -> x), 5, v -> { throw new Boom("callback"); },
                    e -> { throw new Boom("errorCallback"); });
            assertThat(r.get(Duration.ofSeconds(10))).isEqualTo(5);
            AsyncResult<Integer> f = pool.applyAsync(fn(x -> { throw new Boom("task"); }), 5, v -> { },
                    e -> { throw new Boom("errorCallback"); });
            assertThatThrownBy(() -> f.get(Duration.ofSeconds(10))).isInstanceOf(FailedException.class);
            assertThat(pool.apply(fn((Integer x) -> x * 2), 21)).isEqualTo(42);
        }
    }

    /** Cancelling the result's future cancels and interrupts the task; get throws CancellationException. */
    @EveryPool
    void cancellingTheFutureInterruptsTheTask(PoolKind kind) throws Exception {
        Flag started = Flag.create();
        Flag interrupted = Flag.create();
        try (Pool pool = kind.open()) {
            AsyncResult<Object> r = pool.applyAsync(fn(x -> {
                started.raise();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.raise();
                }
                return x;
            }), 1);
            started.await("the task started");
            assertThat(r.future().cancel(true)).isTrue();
            interrupted.await("the task was interrupted");
            assertThat(r.ready()).isTrue();
            assertThat(r.successful()).isFalse();
            assertThatThrownBy(r::get).isInstanceOf(CancellationException.class);
        }
    }

    /** Negative timeouts are rejected at the call. */
    @EveryPool
    void negativeTimeoutIsRejected(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            AsyncResult<Integer> r = pool.applyAsync(fn(x -> x), 1);
            assertThatThrownBy(() -> r.get(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.waitFor(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(r.get()).isEqualTo(1);
        }
    }
}
