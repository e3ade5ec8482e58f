package com.example.weft;

import static com.example.weft.Console.millisSince;
import static com.example.weft.Console.section;

import dev.weft.BrokenProcessPoolException;
import dev.weft.Futures;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.ProcessPool.AfterDeath;
import dev.weft.ResultIterator;
import dev.weft.SharedCounter;
import dev.weft.TaskFuture;
import dev.weft.UncheckedTimeoutException;
import java.io.PrintStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.IntStream;

/**
 * Example 7: the executor API of a process pool in detail, Python's
 * {@code concurrent.futures.ProcessPoolExecutor}:
 *
 * <ol>
 * <li>{@code submit} with {@code as_completed};</li>
 * <li>{@code map} with a chunksize and a timeout: 24 items in chunks of 3 over 4 workers, showing
 *     which worker ran each chunk, then a map whose timeout passes;</li>
 * <li>{@code shutdown(wait=True, cancel_futures=True)};</li>
 * <li>a worker killed mid-run, and the broken-pool error.</li>
 * </ol>
 *
 * Run it with {@code ./weft example ExecutorApi}.
 */
public final class ExecutorApi {
    /** A result that says where it was computed. */
    record Placed(int item, int square, int worker) implements Serializable {
    }

    private ExecutorApi() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out, 4, 200);
    }

    /** Runs the tour on a pool of {@code workers} worker JVMs; a slow task takes {@code slowMillis}. */
    static void run(PrintStream out, int workers, long slowMillis) throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withName("executor").withWorkers(workers))) {
            submitAsCompleted(out, pool, slowMillis);
            mapWithChunksizeAndTimeout(out, pool, workers, slowMillis);
            shutdownCancellingFutures(out, pool, workers, slowMillis);
        }
        workerKilledMidRun(out);
    }

    private static void submitAsCompleted(PrintStream out, ProcessPool pool, long slowMillis) {
        section(out, "1. submit, then as_completed", "executor.submit(fn, x); as_completed(futures, timeout)");
        List<Future<Placed>> futures = new ArrayList<>();
        for (int item = 1; item <= 4; item++) {
            long millis = (5 - item) * slowMillis / 2;                  // the last submitted is the fastest
            int n = item;
            futures.add(pool.submit(() -> place(n, millis)));
        }
        out.print("   submitted 1, 2, 3, 4 (slowest first); completed:");
        for (Future<Placed> done : Futures.asCompleted(futures, Duration.ofMinutes(1))) {
            out.print(" " + done.resultNow().item());
        }
        out.println();
    }

    private static void mapWithChunksizeAndTimeout(PrintStream out, ProcessPool pool, int workers, long slowMillis) {
        section(out, "2. map with chunksize and timeout", "executor.map(fn, items, timeout=..., chunksize=3)");
        List<Integer> items = IntStream.rangeClosed(1, 24).boxed().toList();
        ResultIterator<Placed> results = pool.imap(n -> place(n, slowMillis / 4), items, 3, Duration.ofMinutes(1));
        Map<Integer, List<Integer>> chunks = new TreeMap<>();
        List<Integer> squares = new ArrayList<>();
        while (results.hasNext()) {
            Placed p = results.next();
            squares.add(p.square());
            chunks.computeIfAbsent((p.item() - 1) / 3, k -> new ArrayList<>()).add(p.worker());
            Console.progress(out, "map", squares.size(), items.size());
        }
        out.println("   24 items in chunks of 3 over " + workers + " workers; results in item order: " + squares);
        chunks.forEach((chunk, placedOn) -> out.printf("   chunk %d (items %2d-%2d): worker %s%n", chunk + 1,
                3 * chunk + 1, 3 * chunk + 3, placedOn.stream().distinct().map(String::valueOf).reduce((a, b) -> a + "+" + b).orElseThrow()));

        long start = System.nanoTime();
        ResultIterator<Placed> late = pool.imap(n -> place(n, n == 3 ? 60_000 : 0), List.of(1, 2, 3, 4), 1,
                Duration.ofMillis(slowMillis + 500));
        out.print("   map over 1..4 where item 3 takes a minute, timeout " + (slowMillis + 500) + " ms:");
        try {
            while (late.hasNext()) {
                out.print(" " + late.next().square());
            }
        } catch (UncheckedTimeoutException e) {
            out.println();
            out.println("   next() threw " + e + " after " + millisSince(start) + " ms; the iteration is over: hasNext() = "
                    + late.hasNext());
        }
    }

    private static void shutdownCancellingFutures(PrintStream out, ProcessPool pool, int workers, long slowMillis)
            throws InterruptedException {
        section(out, "3. shutdown(wait, cancelFutures)", "executor.shutdown(wait=True, cancel_futures=True)");
        List<TaskFuture<Placed>> futures = new ArrayList<>();
        try (SharedCounter started = SharedCounter.create()) {
            for (int item = 1; item <= 6 * workers; item++) {
                int n = item;
                futures.add(pool.submit(() -> {
                    started.incrementAndGet();                                  // tells the parent it began
                    return place(n, slowMillis);
                }));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (started.get() < workers && System.nanoTime() < deadline) {
                Thread.sleep(1);                                                // until every worker has begun one
            }
            pool.shutdown(true, true);
        }
        Map<Future.State, Integer> states = new TreeMap<>();
        futures.forEach(f -> states.merge(f.state(), 1, Integer::sum));
        out.println("   submitted " + futures.size() + " tasks of " + slowMillis + " ms to " + workers
                + " workers, then shutdown(true, true) returned: " + states);
        out.println("   the tasks that had begun ran to the end; the others, queued in the parent or sent ahead to a"
                + " busy worker, were cancelled; every future is done: "
                + futures.stream().allMatch(Future::isDone));
        try {
            pool.submit(() -> place(0, 0));
        } catch (RejectedExecutionException e) {
            out.println("   a submit after shutdown throws " + e);
        }
    }

    private static void workerKilledMidRun(PrintStream out) throws Exception {
        section(out, "4. A worker killed mid-run", "BrokenProcessPool");
        try (SharedCounter running = SharedCounter.create();
             ProcessPool pool = Pool.processes(c -> c.withName("fragile").withWorkers(1)
                     .withAfterDeath(AfterDeath.BREAK))) {
            TaskFuture<Placed> victim = pool.submit(() -> {
                running.set(ProcessHandle.current().pid());                  // tells the parent who to kill
                return place(1, 60_000);
            });
            TaskFuture<Placed> queued = pool.submit(() -> place(2, 0));
            long pid = awaitNonZero(running);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            out.println("   killed worker JVM " + pid + " (as kill -9 would) while it ran a task");
            try {
                victim.get();
            } catch (ExecutionException e) {
                BrokenProcessPoolException broken = (BrokenProcessPoolException) e.getCause();
                out.println("   its task's get() threw ExecutionException, cause: " + broken);
                out.println("   exitCode() = " + broken.exitCode() + ", stderrTail() = " + broken.stderrTail());
            }
            try {
                queued.get();
            } catch (ExecutionException | CancellationException e) {
                out.println("   the task queued behind it: " + (e instanceof ExecutionException ? e.getCause() : e));
            }
            try {
                pool.submit(() -> place(3, 0));
            } catch (RejectedExecutionException e) {
                out.println("   a later submit throws " + e);
            }
        }
    }

    /** Waits until a task has published its pid; a bounded poll of shared memory, in the example's parent. */
    private static long awaitNonZero(SharedCounter counter) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (counter.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the task did not start within a minute");
            }
            Thread.sleep(5);
        }
        return counter.get();
    }

    /** A task: squares {@code n} after {@code millis} and says which worker did it. */
    static Placed place(int n, long millis) {
        try {
            Thread.sleep(millis);                                           // simulates work
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while squaring " + n);
        }
        return new Placed(n, n * n, Pool.currentWorker().map(Pool.Worker::index).orElse(0));
    }
}
