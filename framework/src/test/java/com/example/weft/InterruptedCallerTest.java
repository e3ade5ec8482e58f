package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.TaskFuture;
import dev.weft.testing.Background;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread whose interrupt status is set (a task cancelled with an interrupt that goes on, say)
 * may still submit to a process pool: the submit writes the task to the worker's socket, and a
 * socket written by an interrupted thread would close, killing the worker that got the task. The
 * task runs on the same worker, and the caller keeps its interrupt status. From a package of the
 * user's own.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InterruptedCallerTest {

    /** Submits from this thread with its interrupt status set; returns whether the task ran on the first worker. */
    private static boolean submitWhileInterrupted(ProcessPool pool) throws Exception {
        long worker = pool.submit(() -> ProcessHandle.current().pid()).get();
        Thread.currentThread().interrupt();
        TaskFuture<Long> future = pool.submit(() -> ProcessHandle.current().pid());
        assertThat(Thread.interrupted()).as("the caller's interrupt status, kept by the submit").isTrue();
        assertThat(future.get()).as("the worker that ran the task").isEqualTo(worker);
        return pool.submit(() -> ProcessHandle.current().pid()).get() == worker;
    }

    @Test
    void aPlatformThreadSubmitsWithItsInterruptSet() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            assertThat(submitWhileInterrupted(pool)).isTrue();
        }
    }

    @Test
    void aVirtualThreadSubmitsWithItsInterruptSet() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            assertThat(Background.callInVirtualThread(() -> submitWhileInterrupted(pool))).isTrue();
        }
    }
}
