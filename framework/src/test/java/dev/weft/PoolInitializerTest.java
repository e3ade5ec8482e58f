package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static dev.weft.testing.Tasks.call;
import static dev.weft.testing.Tasks.fn;
import static dev.weft.testing.Tasks.run;

import dev.weft.testing.Boom;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Await;
import dev.weft.testing.Flag;
import dev.weft.testing.PoolKind;
import dev.weft.testing.QuietOutput;
import dev.weft.testing.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Worker initializers: ported from CPython's {@code test_concurrent_futures/test_init.py}
 * ({@code InitializerMixin}, {@code FailingInitializerMixin}) and the {@code initializer} tests of
 * {@code _TestPool}, over every pool kind. Initializers and tasks are serializable and count in
 * {@link Tally}s, so that they run in a process pool's workers too.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(QuietOutput.class)
class PoolInitializerTest {

    /**
     * The initializer runs on the worker thread, once, before that thread's first task. A thread is
     * known by its process, its id (never reused in a JVM) and its name.
     */
    @EveryPool
    void initializerRunsOnTheWorkerBeforeItsFirstTask(PoolKind kind) throws Exception {
        Tally initialized = Tally.create();
        try (Pool pool = kind.open(c -> c.withInitializer(run(() -> initialized.add(currentThread()))))) {
            List<TaskFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(call(() -> {
                    assertThat(initialized.count(currentThread())).isEqualTo(1);
                    assertThat(Pool.currentWorker()).isPresent();
                    return currentThread();
                })));
            }
            for (TaskFuture<String> f : futures) {
                String thread = f.get(10, TimeUnit.SECONDS);
                assertThat(initialized.keys()).contains(thread);
            }
        }
        assertThat(initialized.keys()).doesNotHaveDuplicates()
                .allMatch(t -> t.substring(t.lastIndexOf('@') + 1).startsWith(kind.threadName()));
    }

    /** This thread as a tally key: pid@thread-id@name. */
    private static String currentThread() {
        Thread t = Thread.currentThread();
        return ProcessHandle.current().pid() + "@" + t.threadId() + "@" + t.getName();
    }

    /**
     * A failing initializer breaks the pool: waiting tasks fail with BrokenPoolException carrying its
     * exception, later submits throw it, and its message says so once.
     */
    @EveryPool
    void failingInitializerBreaksThePool(PoolKind kind) throws Exception {
        Flag release = Flag.create();
        Tally calls = Tally.create();
        Boom boom = new Boom("init");
        Pool pool = kind.open(c -> c.withInitializer(run(() -> {
            calls.add();
            release.await("the test released the initializer");
            throw boom;
        })));
        List<TaskFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(pool.submit(call(() -> 1)));
        }
        release.raise();
        for (TaskFuture<Integer> f : futures) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BrokenPoolException.class)
                    .satisfies(e -> kind.assertArrived(e.getCause(), boom));
        }
        assertThatThrownBy(() -> pool.submit(call(() -> 2))).isInstanceOf(BrokenPoolException.class)
                .satisfies(e -> kind.assertArrived(e.getCause(), boom))
                .satisfies(e -> assertThat(e.getMessage()).containsOnlyOnce("is broken"));
        assertThatThrownBy(() -> pool.map(fn((Integer x) -> x), List.of(1))).isInstanceOf(BrokenPoolException.class);
        pool.shutdown();
        pool.join();
        assertThat(calls.count()).isLessThanOrEqualTo(kind.bounded() ? PoolKind.WORKERS : 10);   // no respawn loop
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
