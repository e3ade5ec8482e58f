package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.TaskFuture;
import dev.weft.testing.Await;
import dev.weft.testing.Flag;
import dev.weft.testing.Tasks;
import java.util.concurrent.CountDownLatch;
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
     * A task too big for the socket's buffers, sent while the worker's task thread waits to write a
     * result that the parent does not read (its reader is held in a callback), is read all the
     * same: writing an outcome counts as running, so the worker's other thread takes the channel.
     * Before, nothing in the worker read meanwhile, and the submit waited for as long as the
     * reader was held; in a map, whose reader writes the next chunk itself, that was for good.
     */
    @Test
    void aWorkerReadsWhatItIsSentWhileItWaitsToWriteAResult() throws Exception {
        Flag go = Flag.create();
        CountDownLatch readerHeld = new CountDownLatch(1);
        CountDownLatch releaseReader = new CountDownLatch(1);
        byte[] big = new byte[8 << 20];
        big[big.length - 1] = 7;
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withTasksInFlight(4))) {
            try {
                assertThat(pool.submit(() -> 0).get()).isZero();
                TaskFuture<Integer> holding = pool.submit(() -> {
                    go.await("the test registered its callback");
                    return 1;
                });
                holding.onDone(f -> {           // run by the parent's reader for this worker, which completes it
                    readerHeld.countDown();
                    try {
                        releaseReader.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                go.raise();
                assertThat(readerHeld.await(30, TimeUnit.SECONDS)).as("the reader runs the callback").isTrue();
                TaskFuture<byte[]> largeResult = pool.submit(() -> new byte[1 << 20]);   // its write waits for the reader
                AtomicReference<TaskFuture<Integer>> largeTask = new AtomicReference<>();
                Thread submitter = Thread.ofVirtual().start(() -> largeTask.set(pool.submit(() -> big[big.length - 1] + 0)));
                Await.until("the submit of an 8 MB task returned while the worker waits to write a result",
                        () -> largeTask.get() != null);
                releaseReader.countDown();
                assertThat(holding.get(30, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(largeResult.get(30, TimeUnit.SECONDS)).hasSize(1 << 20);
                assertThat(largeTask.get().get(30, TimeUnit.SECONDS)).isEqualTo(7);
                submitter.join();
            } finally {
                releaseReader.countDown();
            }
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
