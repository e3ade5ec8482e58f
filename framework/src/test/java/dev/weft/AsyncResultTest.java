package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Boom;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Await;
import dev.weft.testing.PoolKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/**
 * {@code apply}, {@code applyAsync} and {@link AsyncResult}: ported from CPython's
 * {@code _TestPool.test_apply}, {@code test_async}, {@code test_async_timeout},
 * {@code test_map_async_callbacks} and the callback tests of {@code test_thread_pool}, over every
 * pool kind.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncResultTest {

    /** apply runs the function in the pool and returns its result; the Callable form too. */
    @EveryPool
    void applyReturnsTheResult(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            assertThat(pool.apply((Integer x) -> x * x, 7)).isEqualTo(49);
            assertThat(pool.apply(() -> Thread.currentThread().getName())).startsWith(kind.threadName());
        }
    }

    /** apply rethrows the task's exception wrapped once in FailedException. */
    @EveryPool
    void applyWrapsTheTaskException(PoolKind kind) {
        try (Pool pool = kind.open()) {
            assertThatThrownBy(() -> pool.apply(x -> { throw new Boom("apply"); }, 1))
                    .isInstanceOf(FailedException.class)
                    .cause().isInstanceOf(Boom.class).hasMessage("apply");
        }
    }

    /** get(timeout) throws TimeoutException while the task runs; ready and successful then tell the outcome. */
    @EveryPool
    void getWithTimeoutTimesOutThenSucceeds(PoolKind kind) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Pool pool = kind.open()) {
            AsyncResult<String> r = pool.applyAsync(x -> { Await.latchUninterruptibly(release); return x; }, "done");
            assertThatThrownBy(() -> r.get(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class);
            assertThat(r.ready()).isFalse();
            assertThat(r.waitFor(Duration.ZERO)).isFalse();
            assertThatThrownBy(r::successful).isInstanceOf(IllegalStateException.class);
            release.countDown();
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
            AsyncResult<Object> r = pool.applyAsync(x -> { throw new Boom("async"); }, 1);
            r.waitFor();
            assertThat(r.successful()).isFalse();
            assertThatThrownBy(r::get).isInstanceOf(FailedException.class).cause().isInstanceOf(Boom.class);
        }
    }

    /** callback gets the result in the worker thread that ran the task, before the result is ready. */
    @EveryPool
    void callbackRunsInWorkerBeforeReady(PoolKind kind) throws Exception {
        AtomicReference<String> callbackThread = new AtomicReference<>();
        AtomicReference<String> taskThread = new AtomicReference<>();
        List<Integer> got = new CopyOnWriteArrayList<>();
        try (Pool pool = kind.open()) {
            AsyncResult<Integer> r = pool.applyAsync(x -> {
                taskThread.set(Thread.currentThread().getName());
                return x + 1;
            }, 41, v -> {
                got.add(v);
                callbackThread.set(Thread.currentThread().getName());
            }, e -> got.add(-1));
            assertThat(r.get()).isEqualTo(42);
            assertThat(got).containsExactly(42);     // the callback had returned when get returned
            assertThat(callbackThread.get()).isEqualTo(taskThread.get()).startsWith(kind.threadName());
        }
    }

    /** errorCallback receives the task's own exception; callback is not called. */
    @EveryPool
    void errorCallbackReceivesTheTaskException(PoolKind kind) throws Exception {
        List<Object> got = new CopyOnWriteArrayList<>();
        try (Pool pool = kind.open()) {
            Boom boom = new Boom("err");
            AsyncResult<Object> r = pool.applyAsync(x -> { throw boom; }, 1, got::add, got::add);
            r.waitFor();
            assertThat(got).containsExactly(boom);
        }
    }

    /** A callback that throws is logged; the result is still delivered and the pool keeps working. */
    @EveryPool
    void throwingCallbackBreaksNothing(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            AsyncResult<Integer> r = pool.applyAsync(x -> x, 5, v -> { throw new Boom("callback"); },
                    e -> { throw new Boom("errorCallback"); });
            assertThat(r.get(Duration.ofSeconds(10))).isEqualTo(5);
            AsyncResult<Integer> f = pool.applyAsync(x -> { throw new Boom("task"); }, 5, v -> { },
                    e -> { throw new Boom("errorCallback"); });
            assertThatThrownBy(() -> f.get(Duration.ofSeconds(10))).isInstanceOf(FailedException.class);
            assertThat(pool.apply((Integer x) -> x * 2, 21)).isEqualTo(42);
        }
    }

    /** Cancelling the result's future cancels and interrupts the task; get throws CancellationException. */
    @EveryPool
    void cancellingTheFutureInterruptsTheTask(PoolKind kind) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        try (Pool pool = kind.open()) {
            AsyncResult<Object> r = pool.applyAsync(x -> {
                started.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return x;
            }, 1);
            Await.latch(started);
            assertThat(r.future().cancel(true)).isTrue();
            Await.latch(interrupted);
            assertThat(r.ready()).isTrue();
            assertThat(r.successful()).isFalse();
            assertThatThrownBy(r::get).isInstanceOf(CancellationException.class);
        }
    }

    /** Negative timeouts are rejected at the call. */
    @EveryPool
    void negativeTimeoutIsRejected(PoolKind kind) throws Exception {
        try (Pool pool = kind.open()) {
            AsyncResult<Integer> r = pool.applyAsync(x -> x, 1);
            assertThatThrownBy(() -> r.get(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.waitFor(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(r.get()).isEqualTo(1);
        }
    }
}
