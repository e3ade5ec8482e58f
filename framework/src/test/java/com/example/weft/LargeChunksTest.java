package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.SerializableCallable;
import dev.weft.SerializableFunction;
import dev.weft.TaskFuture;
import dev.weft.testing.Await;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Writes that wait for a worker. A map whose chunks and results are each larger than a socket's buffer, several in flight on one
 * worker: the caller writes the next chunk while the worker writes a result, and neither side may
 * wait for the other. The caller's write once held the worker's channel lock while it blocked on a
 * full socket, and the reader needed that lock to count the result's function as answered; the
 * reader stopped reading, the worker blocked on its result, and the map never ended.
 */
class LargeChunksTest {
    private static final int ITEMS = 1_000_000;
    private static final int CHUNK = 100_000;       // about 500 KB each way, over the socket's buffers

    /**
     * {@code terminate()} returns while another thread's write waits for a worker that does not
     * read (stopped with SIGSTOP, here): it kills the workers before it cancels the tasks they hold,
     * since cancelling one writes to its worker, behind the waiting write. The task being written
     * ends, and no worker outlives the pool.
     */
    @Test
    void terminateReturnsWhileAWriteWaitsForAWorkerThatDoesNotRead() throws Exception {
        ProcessPool pool = Pool.processes(c -> c.withWorkers(1));
        long pid = pool.submit((SerializableCallable<Long>) () -> ProcessHandle.current().pid()).get(60, TimeUnit.SECONDS);
        try {
            signal("-STOP", pid);
            byte[] big = new byte[8 << 20];
            FutureTask<TaskFuture<Integer>> submitting = new FutureTask<>(
                    () -> pool.submit((SerializableCallable<Integer>) () -> big.length));
            Thread submitter = Thread.ofPlatform().start(submitting);
            Await.inSocketCall(submitter);          // writing to the stopped worker, or waiting to
            FutureTask<Void> terminating = new FutureTask<>(() -> {
                pool.terminate();
                return null;
            });
            Thread.ofPlatform().start(terminating);
            terminating.get(30, TimeUnit.SECONDS);
            TaskFuture<Integer> written = submitting.get(30, TimeUnit.SECONDS);
            assertThat(written.state()).isIn(Future.State.CANCELLED, Future.State.FAILED);
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ProcessHandle.of(pid).map(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join().isAlive()))
                    .isIn(Optional.empty(), Optional.of(false));
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            pool.terminate();
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /**
     * Maps whose chunks and results outgrow the socket's buffers, each after a stretch of tiny
     * tasks (so that the worker's task thread holds the channel and its standby sleeps): the worker
     * writes a result while the parent's reader writes it the next chunk. The worker once read
     * nothing while it wrote, the parent's reader read nothing while it wrote, and a map hung (in
     * 1 of about 20 maps of {@code ProcessPoolBenchmark}; here by the second round). Now the
     * worker's standby takes the channel from a write that waits, as from a long task.
     */
    @Test
    void mapsAfterTinyTasksEndWhenBothSidesWriteMoreThanTheSocketHolds() throws Exception {
        List<Integer> items = IntStream.range(0, ITEMS).boxed().toList();
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2))) {
            for (int round = 0; round < 10; round++) {      // the hang it guards against came by the second
                for (int i = 0; i < 500; i++) {
                    assertThat(pool.submit((SerializableCallable<Integer>) () -> 1).get(30, TimeUnit.SECONDS)).isEqualTo(1);
                }
                for (int m = 0; m < 3; m++) {
                    FutureTask<List<Integer>> mapped = new FutureTask<>(
                            () -> pool.map((SerializableFunction<Integer, Integer>) x -> x, items));
                    Thread.ofVirtual().start(mapped);
                    try {
                        assertThat(mapped.get(30, TimeUnit.SECONDS)).as("round %d, map %d", round, m)
                                .hasSize(ITEMS).startsWith(0, 1, 2).endsWith(ITEMS - 1);
                    } finally {
                        if (!mapped.isDone()) {
                            pool.terminate();   // both sides stuck in writes: killing the workers ends it
                        }
                    }
                }
            }
        }
    }

    @Test
    void aMapOfChunksLargerThanTheSocketsBuffersEnds() throws Exception {
        List<Integer> items = IntStream.range(0, ITEMS).boxed().toList();
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withTasksInFlight(4))) {
            for (int round = 0; round < 3; round++) {
                FutureTask<List<Integer>> mapped = new FutureTask<>(
                        () -> pool.map((SerializableFunction<Integer, Integer>) x -> x + 1, items, CHUNK));
                Thread.ofVirtual().start(mapped);
                try {
                    List<Integer> result = mapped.get(60, TimeUnit.SECONDS);
                    assertThat(result).hasSize(ITEMS);
                    assertThat(result.get(0)).isEqualTo(1);
                    assertThat(result.get(ITEMS - 1)).isEqualTo(ITEMS);
                } finally {
                    if (!mapped.isDone()) {
                        pool.terminate();       // the caller is stuck in a write: killing the worker ends it
                    }
                }
            }
        }
    }
}
