package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.SerialLimits;
import dev.weft.TaskFuture;
import dev.weft.testing.Await;
import dev.weft.testing.Background;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread whose interrupt status is set (a task cancelled with an interrupt that goes on, say)
 * may still submit to a process pool, and one interrupted while its submit writes the task (a
 * subtask of a scope that a sibling's failure cancels, say) finishes the submit: the submit writes
 * the task to the worker's socket, and a socket written by an interrupted thread would close,
 * killing the worker that got the task and failing every task it held. The task runs on the same
 * worker, and the caller keeps its interrupt status. From a package of the user's own.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InterruptedCallerTest {
    /** Far more than a socket's buffer holds: the submit writes for a while. */
    private static final int LARGE = 48 << 20;

    /** Submits from this thread with its interrupt status set; returns whether the task ran on the first worker. */
    private static boolean submitWhileInterrupted(ProcessPool pool) throws Exception {
        long worker = pool.submit(() -> ProcessHandle.current().pid()).get();
        Thread.currentThread().interrupt();
        TaskFuture<Long> future = pool.submit(() -> ProcessHandle.current().pid());
        assertThat(Thread.interrupted()).as("the caller's interrupt status, kept by the submit").isTrue();
        assertThat(future.get()).as("the worker that ran the task").isEqualTo(worker);
        return pool.submit(() -> ProcessHandle.current().pid()).get() == worker;
    }

    private static ProcessPool.Configuration largeTasks(ProcessPool.Configuration c) {
        return c.withWorkers(1).withSerialLimits(SerialLimits.defaults().withMaxArrayLength(LARGE));
    }

    /**
     * Submits a task that captures {@code LARGE} bytes from a new thread, and interrupts that
     * thread while the submit writes the task to the worker's socket; returns whether the task
     * ran on the first worker, which the next task also reaches.
     */
    private static boolean interruptedWhileItsSubmitWrites(ProcessPool pool, Thread.Builder builder) throws Exception {
        long worker = pool.submit(() -> ProcessHandle.current().pid()).get();
        byte[] large = new byte[LARGE];
        large[LARGE - 1] = 7;
        FutureTask<TaskFuture<List<Long>>> submit = new FutureTask<>(
                () -> pool.submit(() -> List.of(ProcessHandle.current().pid(), (long) large[large.length - 1])));
        Thread submitter = builder.name("submitter").start(submit);
        Await.inSocketCall(submitter);
        submitter.interrupt();
        TaskFuture<List<Long>> future = submit.get(60, TimeUnit.SECONDS);
        assertThat(future.get(60, TimeUnit.SECONDS)).as("the worker that ran the task, and what it was sent")
                .containsExactly(worker, 7L);
        return pool.submit(() -> ProcessHandle.current().pid()).get() == worker;
    }

    @Test
    void aPlatformThreadInterruptedWhileItsSubmitWritesFinishesIt() throws Exception {
        try (ProcessPool pool = Pool.processes(InterruptedCallerTest::largeTasks)) {
            assertThat(interruptedWhileItsSubmitWrites(pool, Thread.ofPlatform())).isTrue();
        }
    }

    @Test
    void aVirtualThreadInterruptedWhileItsSubmitWritesFinishesIt() throws Exception {
        try (ProcessPool pool = Pool.processes(InterruptedCallerTest::largeTasks)) {
            assertThat(interruptedWhileItsSubmitWrites(pool, Thread.ofVirtual())).isTrue();
        }
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
