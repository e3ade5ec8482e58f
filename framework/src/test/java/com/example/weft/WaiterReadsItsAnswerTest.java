package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.TaskFuture;
import dev.weft.testing.Background;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A platform thread that waits in {@code get()} for the one task its worker holds reads the answer
 * itself, so that no thread of the parent has to wake it: the task's callbacks then run in that
 * thread, which completed the future. Seen from a package of the user's own, through the callbacks'
 * thread, over sequential calls of which many find the worker's reader offering its turn.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WaiterReadsItsAnswerTest {
    private static final int CALLS = 3_000;

    /** How many of {@code CALLS} sequential {@code submit().get()} had their callback run in the calling thread. */
    private static int completedByTheCaller(ProcessPool pool) throws Exception {
        pool.submit(() -> 0).get();                     // the worker started
        Thread caller = Thread.currentThread();
        int byCaller = 0;
        int watched = 0;
        for (int i = 0; i < CALLS; i++) {
            int n = i;
            TaskFuture<Integer> future = pool.submit(() -> n + 1);
            AtomicReference<Thread> completer = new AtomicReference<>();
            future.onDone(f -> completer.set(Thread.currentThread()));
            boolean doneBefore = future.isDone();       // done already: the callback ran here, as added
            assertThat(future.get()).isEqualTo(n + 1);
            if (!doneBefore && completer.get() == caller) {
                byCaller++;
            }
            watched += doneBefore ? 0 : 1;
        }
        assertThat(watched).as("calls whose callback was added before the answer came").isPositive();
        return byCaller;
    }

    @Test
    void aSequentialGetReadsItsOwnAnswerOnMoreThanOneCore() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: the reader never offers its turn");
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            assertThat(completedByTheCaller(pool)).as("calls completed in the calling thread").isPositive();
        }
    }

    @Test
    void withNoIdleSpinTheReaderCompletesEveryTask() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withIdleSpin(Duration.ZERO))) {
            assertThat(completedByTheCaller(pool)).isZero();
        }
    }

    @Test
    void aVirtualThreadWaitsToBeWoken() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            assertThat(Background.callInVirtualThread(() -> completedByTheCaller(pool)))
                    .as("calls completed in the virtual thread").isZero();
        }
    }
}
