package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.TaskFuture;
import dev.weft.testing.Await;
import dev.weft.testing.Flag;
import dev.weft.testing.Tasks;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A worker's task thread reads its tasks from the channel and runs them itself; while one runs
 * long, the worker still reads what the parent sends.
 */
class WorkerChannelTest {

    /**
     * A task too big for the socket's buffers, sent to a worker whose only task thread is busy, is
     * read all the same: the submit that writes it returns while the first task still runs.
     */
    @Test
    void aWorkerReadsWhatItIsSentWhileItsTaskRunsLong() throws Exception {
        Flag started = Flag.create();
        Flag release = Flag.create();
        byte[] big = new byte[8 << 20];
        big[big.length - 1] = 7;
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withTasksInFlight(2))) {
            assertThat(pool.submit(() -> 0).get()).isZero();    // ready, and its task thread reads the channel
            TaskFuture<String> first = pool.submit(() -> {
                started.raise();
                release.await("the test releases the first task");
                return "first";
            });
            started.await("the first task started in its worker");
            AtomicReference<TaskFuture<Integer>> second = new AtomicReference<>();
            Thread submitter = Thread.ofVirtual().start(() -> second.set(pool.submit(() -> big[big.length - 1] + 0)));
            Await.until("the submit of an 8 MB task to the busy worker returned", () -> second.get() != null);
            assertThat(first.isDone()).as("the first task still runs").isFalse();
            release.raise();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(second.get().get(30, TimeUnit.SECONDS)).isEqualTo(7);
            submitter.join();
        }
    }

    /**
     * cancel(true) reaches a long task that the task thread read itself, and one that it was
     * given with the channel after the worker's other thread had read for a long task before.
     */
    @Test
    void cancelReachesALongTaskWhoeverReadIt() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            assertThat(pool.submit(() -> 0).get()).isZero();    // ready, and its task thread reads the channel
            for (int round = 1; round <= 3; round++) {
                Flag started = Flag.create();
                Flag interrupted = Flag.create();
                TaskFuture<Object> f = pool.submit(Tasks.sleepUntilInterrupted(started, interrupted));
                started.await("long task " + round + " started in its worker");
                assertThat(f.cancel(true)).isTrue();
                interrupted.await("long task " + round + " was interrupted in its worker");
            }
            assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).get(30, TimeUnit.SECONDS)).isFalse();
        }
    }
}
