package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.Await;
import dev.weft.testing.Gate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recall (tasks sent ahead to a busy worker, taken back for an idle one) against the pool's
 * own end. Its behaviour as a user sees it is in {@code com.example.weft.SentAheadTest}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolRecallTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * A task on its way back from a worker as the pool terminates is cancelled. terminate()
     * empties the queue and cancels what it took (running their callbacks) before it cancels the
     * tasks out on workers; a task taken back whose CANCELLED was read in between once went back
     * to the queue, in a pool that starts no worker again, and its future never completed. Here
     * the worker's reader is held in a callback while the task comes back, and let go from the
     * callback of a task that terminate() takes from the queue.
     */
    @Test
    void aTaskTakenBackAsThePoolTerminatesIsCancelled() throws Exception {
        ProcessPool pool = Pool.processes(c -> c.withWorkers(2).withTasksInFlight(3));
        ProcessPoolImpl impl = (ProcessPoolImpl) pool;
        CountDownLatch readerHeld = new CountDownLatch(1);
        CountDownLatch letReaderGo = new CountDownLatch(1);
        try (Gate first = Gate.closed(); Gate stall = Gate.closed(); Gate busy = Gate.closed();
             Gate later = Gate.closed()) {
            Await.until("both workers are ready", () -> impl.readyPids().size() == 2, WAIT);
            TaskFuture<Long> running = first.holdIn(pool, "a task holds the first worker");
            busy.holdIn(pool, "a task holds the second worker");
            List<TaskFuture<Long>> all = new ArrayList<>(List.of(running));
            all.add(pool.submit(stall.task()));     // the first worker: runs next
            all.add(pool.submit(busy.task()));      // the second
            TaskFuture<Long> back = pool.submit((SerializableCallable<Long>) () -> 0L);    // the first, sent ahead
            all.add(back);
            running.onDone(f -> {
                readerHeld.countDown();
                Await.latchUninterruptibly(letReaderGo);
            });
            first.open();
            Await.latch(readerHeld);
            Await.until("the first worker runs the stalled task", () -> stall.arrivals() == 1, WAIT);
            busy.open();                            // the second worker goes idle: the task sent ahead is taken back
            Await.until("the pool takes the task back", () -> !impl.recallingPids().isEmpty(), WAIT);
            for (int i = 0; i < 3; i++) {
                all.add(pool.submit(later.task()));     // the second worker's whole window
            }
            TaskFuture<Long> queued = pool.submit((SerializableCallable<Long>) () -> 0L);
            all.add(queued);
            queued.onDone(f -> {                    // run by terminate() as it cancels the queue
                letReaderGo.countDown();
                Await.until("the task taken back is done", back::isDone, Duration.ofSeconds(10));
            });

            pool.terminate();

            assertThat(queued.isCancelled()).isTrue();
            assertThat(back.isCancelled()).as("the task taken back").isTrue();
            assertThat(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(all).allSatisfy(task -> assertThat(task.isDone()).isTrue());
        } finally {
            letReaderGo.countDown();
            pool.terminate();
        }
    }
}
