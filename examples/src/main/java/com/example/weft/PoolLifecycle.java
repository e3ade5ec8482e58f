package com.example.weft;

import static com.example.weft.Console.millisSince;
import static com.example.weft.Console.section;

import dev.weft.AsyncResult;
import dev.weft.FailedException;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.ResultIterator;
import java.io.PrintStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * Example 2: a process pool's life cycle, create → submit (synchronous and asynchronous) → wait →
 * shut down, with every call of Python's {@code multiprocessing.Pool} and the five ways people
 * use it:
 *
 * <ol>
 * <li>map, then iterate the results;</li>
 * <li>{@code apply_async} and forget (callbacks report; shutdown and join wait for them);</li>
 * <li>{@code map_async} and forget;</li>
 * <li>{@code imap_unordered}, results as they complete;</li>
 * <li>{@code imap_unordered}, take the first result, then terminate the rest.</li>
 * </ol>
 *
 * Run it with {@code ./weft example PoolLifecycle}.
 */
public final class PoolLifecycle {
    /** A task's input: a number to square and how long the squaring takes. */
    record Job(int n, long millis) implements Serializable {
    }

    private PoolLifecycle() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out, 4, 300);
    }

    /** Runs the tour on pools of {@code workers} worker JVMs; a slow task takes {@code slowMillis}. */
    static void run(PrintStream out, int workers, long slowMillis) throws Exception {
        List<String> callbacks = new CopyOnWriteArrayList<>();   // written by the pool's reader threads
        long start = System.nanoTime();
        try (ProcessPool pool = Pool.processes(c -> c.withName("lifecycle").withWorkers(workers))) {
            section(out, "1. Create", "Pool(processes=" + workers + ")");
            out.println("   Pool.processes(c -> c.withWorkers(" + workers + ")) returned in " + millisSince(start)
                    + " ms; its " + pool.workers() + " worker JVMs start in the background, and tasks wait for them");

            section(out, "2. Submit and wait: apply, map, starmap", "apply, map, starmap");
            out.println("   apply(square, 7) = " + pool.apply(PoolLifecycle::square, new Job(7, 0)));
            out.println("   map(square, 1..8) = " + pool.map(PoolLifecycle::square, jobs(8, 0)));
            out.println("   starmap(multiply, (2,3) (4,5) (6,7)) = " + pool.starmap(PoolLifecycle::multiply,
                    List.of(Map.entry(2, 3), Map.entry(4, 5), Map.entry(6, 7))));

            section(out, "3. Submit without waiting: applyAsync, mapAsync and AsyncResult", "apply_async, map_async");
            AsyncResult<Integer> ok = pool.applyAsync(PoolLifecycle::square, new Job(9, slowMillis),
                    r -> callbacks.add("callback got " + r + " on " + Thread.currentThread().getName()),
                    e -> callbacks.add("error callback got " + e));
            AsyncResult<Integer> bad = pool.applyAsync(PoolLifecycle::square, new Job(13, 0),
                    r -> callbacks.add("callback got " + r),
                    e -> callbacks.add("error callback got " + e + " on " + Thread.currentThread().getName()));
            out.println("   applyAsync(square, 9) returned at once; ready() = " + ok.ready());
            out.println("   waitFor(10 s) = " + ok.waitFor(Duration.ofSeconds(10)) + ", successful() = "
                    + ok.successful() + ", get() = " + ok.get());
            bad.waitFor();
            out.println("   applyAsync(square, 13): successful() = " + bad.successful());
            try {
                bad.get();
            } catch (FailedException e) {
                out.println("   get() threw " + e.getClass().getSimpleName() + ", cause: " + e.getCause());
            }
            callbacks.forEach(line -> out.println("   " + line));    // both results are ready, so their callbacks ran
            callbacks.clear();
            AsyncResult<List<Integer>> all = pool.mapAsync(PoolLifecycle::square, jobs(8, 0));
            out.println("   mapAsync(square, 1..8).get() = " + all.get());

            section(out, "4. Five patterns", "map / apply_async / map_async / imap_unordered");
            out.print("   a. map, then iterate:");
            for (int square : pool.map(PoolLifecycle::square, jobs(5, 0))) {
                out.print(" " + square);
            }
            out.println();
            out.print("      imap, lazily and in order:");
            ResultIterator<Integer> inOrder = pool.imap(PoolLifecycle::square, jobs(5, 0));
            inOrder.forEachRemaining(square -> out.print(" " + square));
            out.println();

            for (Job job : jobs(4, slowMillis)) {
                pool.applyAsync(PoolLifecycle::square, job,
                        r -> callbacks.add("apply_async callback: " + r), e -> callbacks.add("error: " + e));
            }
            out.println("   b. applyAsync four times and forget the results (callbacks report them)");
            pool.mapAsync(PoolLifecycle::square, jobs(4, slowMillis), 1,
                    r -> callbacks.add("map_async callback: " + r), e -> callbacks.add("error: " + e));
            out.println("   c. mapAsync and forget the result (its callback reports it)");

            out.print("   d. imapUnordered, as completed (slowest first in the input):");
            List<Job> uneven = IntStream.rangeClosed(1, 4).mapToObj(i -> new Job(i, (5 - i) * slowMillis / 2)).toList();
            pool.imapUnordered(PoolLifecycle::square, uneven).forEachRemaining(square -> out.print(" " + square));
            out.println();

            section(out, "5. Shut down, then wait", "close(); join()");
            pool.shutdown();
            pool.join();
            out.println("   shutdown(); join() returned: every forgotten task ran and its callback reported");
            callbacks.stream().sorted().forEach(line -> out.println("   " + line));
        }
        firstResultThenTerminate(out, workers);
    }

    /** Pattern e: the first result wins; terminate() cancels the rest instead of waiting for them. */
    private static void firstResultThenTerminate(PrintStream out, int workers) throws Exception {
        out.println();
        out.println("   e. imapUnordered, the first result, then terminate the rest    (Python: next(it); pool.terminate())");
        try (ProcessPool pool = Pool.processes(c -> c.withName("first-wins").withWorkers(workers))) {
            List<Job> jobs = new ArrayList<>(List.of(new Job(1, 0)));
            for (int i = 2; i <= 2 * workers; i++) {
                jobs.add(new Job(i, 60_000));                    // would take a minute each
            }
            ResultIterator<Integer> results = pool.imapUnordered(PoolLifecycle::square, jobs);
            out.println("      first result: " + results.next() + "; terminate()");
            long start = System.nanoTime();
            pool.terminate();
            int cancelled = 0;
            String firstError = null;
            while (results.hasNext()) {
                try {
                    out.println("      another result: " + results.next());
                } catch (CancellationException e) {
                    cancelled++;
                    firstError = firstError == null ? e.toString() : firstError;
                }
            }
            pool.join();
            out.println("      the other " + cancelled + " tasks ended cancelled (next() threw " + firstError + ")");
            out.println("      terminate() and join() took " + millisSince(start) + " ms, not a minute");
        }
    }

    private static List<Job> jobs(int count, long millis) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> new Job(i, millis)).toList();
    }

    /** Squares {@code job.n()} after {@code job.millis()}; 13 is refused, to show a failing task. */
    static int square(Job job) {
        if (job.n() == 13) {
            throw new IllegalArgumentException("13 is unlucky");
        }
        try {
            Thread.sleep(job.millis());                          // simulates work
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while squaring " + job.n());
        }
        return job.n() * job.n();
    }

    static int multiply(int a, int b) {
        return a * b;
    }
}
