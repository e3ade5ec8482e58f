package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.ResultIterator;
import dev.weft.SerializableCallable;
import dev.weft.SerializableFunction;
import dev.weft.testing.Await;
import dev.weft.testing.Gate;
import dev.weft.testing.TempDirs;
import dev.weft.testing.ThreadDump;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process pool sends tasks ahead to a busy worker, so that a stream of short tasks never waits
 * for a round trip. Python's workers take a task only when they are free, so a task never waits
 * behind another while a worker idles; neither may a task of Weft's: the pool takes back the
 * tasks sent ahead to a worker whose task runs long, for an idle worker to run. Each test here
 * held a task behind a stalled one, on the code before.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SentAheadTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * Two workers: one stalls on a gate, the other is busy behind a second gate while a third task
     * is submitted, which the pool sends ahead to the stalled one (the workers hold one task each,
     * and ties go to the first). Once the second worker is free, the third task runs there, while
     * the first still stalls. So it does in a pool shut down before the second worker is free: a
     * shut-down pool runs the tasks it was given, and keeps that worker for it rather than stopping
     * it as idle.
     */
    @ParameterizedTest(name = "shut down first: {0}")
    @ValueSource(booleans = {false, true})
    void aTaskSentAheadToAStalledWorkerRunsOnAnIdleOne(boolean shutDown) throws Exception {
        String name = "sent-ahead-" + shutDown;
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2).withName(name));
             Gate stall = Gate.closed(); Gate busy = Gate.closed()) {      // opened before the pool closes
            Future<Long> stalled = stall.holdIn(pool, "the first task holds a worker");
            Future<Long> other = busy.holdIn(pool, "the second task holds the other worker");
            Future<Long> behind = pool.submit((SerializableCallable<Long>) SentAheadTest::pid);

            if (shutDown) {
                pool.shutdown();
            }
            busy.open();
            long free = other.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(behind.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(free);
            assertThat(stalled).isNotDone();
            stall.open();
            assertThat(stalled.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotEqualTo(free);
            if (shutDown) {
                assertThat(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(ThreadDump.liveThreadNames()).as("the pool's threads, virtual ones included, after close")
                .noneMatch(thread -> thread.startsWith("weft-process-" + name + "-"));
    }

    /**
     * Python's {@code imap_unordered} yields every other result while one item stalls its worker;
     * so does Weft's, though the items after the stalled one were sent ahead to its worker.
     */
    @Test
    void imapUnorderedYieldsEveryOtherResultWhileOneItemStalls() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2)); Gate stall = Gate.closed()) {
            SerializableFunction<Integer, Integer> fn = x -> {
                if (x == 0) {
                    stall.pass();
                }
                return x;
            };
            ResultIterator<Integer> results = pool.imapUnordered(fn, IntStream.range(0, 20).boxed().toList(), 1);
            List<Integer> before = new ArrayList<>();
            for (int i = 1; i < 20; i++) {
                before.add(results.next(WAIT));
            }

            assertThat(before).containsExactlyInAnyOrderElementsOf(IntStream.range(1, 20).boxed().toList());
            // Item 0 may still be on its way to the gate: its worker's first task loads the classes it needs.
            Await.until("item 0 stalls its worker", () -> stall.arrivals() == 1, WAIT);
            stall.open();
            assertThat(results.next(WAIT)).isZero();
            assertThat(results.hasNext()).isFalse();
        }
    }

    /**
     * Two workers, one held in its initializer: the tasks sent to it while it starts run on the
     * other, once that one is ready and idle, rather than waiting for the initializer. The slow
     * worker, once ready, takes tasks again: a task sent ahead behind a stalled one runs on it.
     */
    @Test
    void tasksSentToAWorkerStillStartingRunOnOneThatIsReady() throws Exception {
        String first = TempDirs.create("weft-first-").resolve("first").toString();
        try (Gate slow = Gate.closed(); Gate stall = Gate.closed()) {
            ProcessPool pool = Pool.processes(c -> c.withWorkers(2).withInitializer(() -> {
                if (claim(first)) {
                    slow.pass();                        // the first worker to get here waits
                }
            }));
            try {
                List<Future<Long>> early = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    early.add(pool.submit((SerializableCallable<Long>) SentAheadTest::pid));
                }
                Set<Long> ran = new HashSet<>();
                for (Future<Long> task : early) {
                    ran.add(task.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                }

                assertThat(ran).as("the workers that ran the early tasks").hasSize(1);
                Await.until("the other worker waits in its initializer", () -> slow.arrivals() == 1, WAIT);
                slow.open();
                Future<Long> stalled = stall.holdIn(pool, "a task holds a worker");
                Future<Long> next = pool.submit((SerializableCallable<Long>) SentAheadTest::pid);
                long other = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(stalled).isNotDone();
                stall.open();
                assertThat(stalled.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotEqualTo(other);
            } finally {
                slow.open();
                stall.open();
                pool.close();
            }
        }
    }

    /**
     * A task taken back from a worker does not count toward its {@code maxTasksPerChild}, as
     * Python counts the tasks a worker ran. With a limit of three, a worker that ran one task is
     * given a stalled one and, sent ahead behind it, a third, which the other worker runs once it
     * is free: the first still runs a third task of its own before it retires.
     */
    @Test
    void aTaskTakenBackDoesNotCountTowardTheTaskLimit() throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2).withMaxTasksPerChild(3));
             Gate warm = Gate.closed(); Gate stall = Gate.closed(); Gate busy = Gate.closed()) {
            // Both workers ready and idle, so that each next task goes to the first with the fewest.
            List<Future<Long>> warming = List.of(warm.holdIn(pool, "a task holds a worker"),
                    warm.holdIn(pool, "a task holds the other worker"));
            warm.open();
            for (Future<Long> task : warming) {
                task.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            Future<Long> stalled = stall.holdIn(pool, "the stalled task holds a worker");
            Future<Long> other = busy.holdIn(pool, "the other task holds the other worker");
            Future<Long> behind = pool.submit((SerializableCallable<Long>) SentAheadTest::pid);
            busy.open();

            assertThat(behind.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the task sent ahead behind the stalled one, taken back")
                    .isEqualTo(other.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            stall.open();
            long first = stalled.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            long third = pool.submit((SerializableCallable<Long>) SentAheadTest::pid).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            long fourth = pool.submit((SerializableCallable<Long>) SentAheadTest::pid).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(third).as("the third task of the worker that ran the stalled one").isEqualTo(first);
            assertThat(fourth).as("a task past that worker's limit").isNotEqualTo(first);
        }
    }

    /** Whether this process is the first to create {@code file}. */
    private static boolean claim(String file) {
        try {
            Files.createFile(Path.of(file));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
