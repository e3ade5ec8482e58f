package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Boom;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Await;
import dev.weft.testing.PoolKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Worker initializers: ported from CPython's {@code test_concurrent_futures/test_init.py}
 * ({@code InitializerMixin}, {@code FailingInitializerMixin}) and the {@code initializer} tests of
 * {@code _TestPool}, over every pool kind.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolInitializerTest {

    /** The initializer runs on the worker thread, once, before that thread's first task. */
    @EveryPool
    void initializerRunsOnTheWorkerBeforeItsFirstTask(PoolKind kind) throws Exception {
        Map<Thread, Integer> initialized = new ConcurrentHashMap<>();
        try (Pool pool = kind.open(c -> c.withInitializer(() -> initialized.merge(Thread.currentThread(), 1, Integer::sum)))) {
            List<TaskFuture<Thread>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> {
                    assertThat(initialized).containsEntry(Thread.currentThread(), 1);
                    assertThat(Pool.currentWorker()).isPresent();
                    return Thread.currentThread();
                }));
            }
            for (TaskFuture<Thread> f : futures) {
                assertThat(initialized).containsKey(f.get(10, TimeUnit.SECONDS));
            }
        }
        assertThat(initialized.values()).containsOnly(1);
        assertThat(initialized.keySet()).allMatch(t -> t.getName().startsWith(kind.threadName()));
    }

    /** A failing initializer breaks the pool: waiting tasks fail with BrokenPoolException carrying its exception, later submits throw it. */
    @EveryPool
    void failingInitializerBreaksThePool(PoolKind kind) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Boom boom = new Boom("init");
        Pool pool = kind.open(c -> c.withInitializer(() -> {
            calls.incrementAndGet();
            Await.latchUninterruptibly(release);
            throw boom;
        }));
        List<TaskFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(pool.submit(() -> 1));
        }
        release.countDown();
        for (TaskFuture<Integer> f : futures) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BrokenPoolException.class).cause().isSameAs(boom);
        }
        assertThatThrownBy(() -> pool.submit(() -> 2)).isInstanceOf(BrokenPoolException.class).cause().isSameAs(boom);
        assertThatThrownBy(() -> pool.map((Integer x) -> x, List.of(1))).isInstanceOf(BrokenPoolException.class);
        pool.shutdown();
        pool.join();
        assertThat(calls.get()).isLessThanOrEqualTo(kind.bounded() ? PoolKind.WORKERS : 10);   // no respawn loop
    }

    /** A broken CPU pool starts no new worker: its threads all end, and the initializer ran once per worker. */
    @Test
    void brokenCpuPoolDoesNotRespawn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Pool pool = Pool.cpu(c -> c.withWorkers(2).withInitializer(() -> {
            calls.incrementAndGet();
            throw new Boom("init");
        }));
        Await.until("the pool is broken", () -> {
            try {
                pool.submit(() -> 1);
                return false;
            } catch (BrokenPoolException e) {
                return true;
            }
        });
        pool.shutdown();
        pool.join();
        assertThat(calls.get()).isBetween(1, 2);
    }
}
