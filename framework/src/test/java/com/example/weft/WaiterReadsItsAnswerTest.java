package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.TaskFuture;
import dev.weft.testing.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A platform thread that waits in {@code get()} for the one task its worker holds may read the
 * answer itself (so that no thread has to wake it), but the future's callbacks still run in the
 * pool's reader, after {@code get()} has returned: a callback may wait for what the caller does
 * next. From a package of the user's own, over sequential calls of which many find the worker's
 * reader offering its turn (dev.weft's ProcessPoolReadTurnTest counts them).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WaiterReadsItsAnswerTest {
    private static final int CALLS = 2_000;

    @Test
    void aCallbackNeverRunsInTheCallersGet() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            pool.submit(() -> 0).get();             // the worker started
            Thread caller = Thread.currentThread();
            AtomicInteger inCaller = new AtomicInteger();
            AtomicInteger timedOut = new AtomicInteger();
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < CALLS; i++) {
                int n = i;
                TaskFuture<Integer> future = pool.submit(() -> n + 1);
                CountDownLatch afterGet = new CountDownLatch(1);
                AtomicReference<Thread> ranIn = new AtomicReference<>();
                AtomicBoolean adding = new AtomicBoolean(true);
                future.onDone(f -> {
                    if (adding.get() && Thread.currentThread() == caller) {
                        ran.incrementAndGet();          // done already: it runs here, as it is added
                        return;
                    }
                    ranIn.set(Thread.currentThread());
                    try {
                        // Waits for what the caller does once get() returns: it would wait for itself in get().
                        if (!afterGet.await(2, TimeUnit.SECONDS)) {
                            timedOut.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ran.incrementAndGet();
                });
                adding.set(false);
                assertThat(future.get()).isEqualTo(n + 1);
                afterGet.countDown();
                if (ranIn.get() == caller) {
                    inCaller.incrementAndGet();
                    break;                              // it waited for the caller in vain: that says it
                }
            }
            assertThat(inCaller).as("callbacks run in the caller's get()").hasValue(0);
            Await.until("every callback ran", () -> ran.get() == CALLS, Duration.ofSeconds(30));
            assertThat(timedOut).as("callbacks that waited for the caller in vain").hasValue(0);
        }
    }
}
