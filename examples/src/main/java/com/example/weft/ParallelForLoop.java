package com.example.weft;

import static com.example.weft.Console.millisSince;

import dev.weft.Futures;
import dev.weft.Pool;
import dev.weft.SerializableFunction;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Example 1: the parallel for loop, six ways, each on waiting work (a page fetched from a local
 * web server) and on computing work (a sum), with its time and a verdict.
 *
 * <ol>
 * <li>a thread per task ({@code threading.Thread} per item);</li>
 * <li>the IO pool, {@code Pool.io()}: a virtual thread per task ({@code ThreadPool});</li>
 * <li>the executor style: {@code submit} with {@code Futures.asCompleted}, then {@code map} with a
 *     timeout, on a pool of {@code min(32, cores + 4)} platform threads ({@code ThreadPoolExecutor});</li>
 * <li>a process per task ({@code multiprocessing.Process} per item): a process pool that retires
 *     each worker JVM after one task;</li>
 * <li>the CPU pool, {@code Pool.cpu()}: a platform thread per core;</li>
 * <li>the process pool, {@code Pool.processes()} ({@code multiprocessing.Pool},
 *     {@code ProcessPoolExecutor}).</li>
 * </ol>
 *
 * Run it with {@code ./weft example ParallelForLoop [TASKS]}.
 */
public final class ParallelForLoop {
    /** One way to run a loop body over every item in parallel; returns the results in item order. */
    enum Way {
        THREAD_PER_TASK("a thread per task") {
            @Override
            <A, R> List<R> map(SerializableFunction<A, R> body, List<A> items, int processes) throws Exception {
                List<R> results = new ArrayList<>(java.util.Collections.nCopies(items.size(), null));
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    int index = i;
                    threads.add(Thread.ofPlatform().name("loop-thread-" + i)
                            .start(() -> results.set(index, body.apply(items.get(index)))));
                }
                for (Thread thread : threads) {
                    thread.join();                              // join happens-after the thread's write
                }
                return results;
            }
        },
        IO_POOL("Pool.io() (virtual)") {
            @Override
            <A, R> List<R> map(SerializableFunction<A, R> body, List<A> items, int processes) throws Exception {
                return mapIn(Pool.io(), body, items);
            }
        },
        EXECUTOR_SUBMIT("executor: submit+as_completed") {
            @Override
            <A, R> List<R> map(SerializableFunction<A, R> body, List<A> items, int processes) throws Exception {
                try (Pool executor = threadPoolExecutor()) {
                    Map<Future<R>, Integer> index = new IdentityHashMap<>();
                    for (int i = 0; i < items.size(); i++) {
                        A item = items.get(i);
                        index.put(executor.submit(() -> body.apply(item)), i);
                    }
                    List<R> results = new ArrayList<>(java.util.Collections.nCopies(items.size(), null));
                    for (Future<R> done : Futures.asCompleted(index.keySet(), Duration.ofMinutes(5))) {
                        results.set(index.get(done), done.get());
                    }
                    return results;
                }
            }
        },
        EXECUTOR_MAP("executor: map(timeout)") {
            @Override
            <A, R> List<R> map(SerializableFunction<A, R> body, List<A> items, int processes) throws Exception {
                try (Pool executor = threadPoolExecutor()) {
                    List<R> results = new ArrayList<>();
                    executor.imap(body, items, 1, Duration.ofMinutes(5)).forEachRemaining(results::add);
                    return results;
                }
            }
        },
        PROCESS_PER_TASK("a process per task") {
            @Override
            <A, R> List<R> map(SerializableFunction<A, R> body, List<A> items, int processes) throws Exception {
                return mapIn(Pool.processes(c -> c.withName("per-task").withWorkers(items.size())
                        .withMaxTasksPerChild(1).withLazyStart()), body, items);
            }
        },
        CPU_POOL("Pool.cpu() (" + Pool.carrierCount() + " threads)") {
            @Override
            <A, R> List<R> map(SerializableFunction<A, R> body, List<A> items, int processes) throws Exception {
                return mapIn(Pool.cpu(), body, items);
            }
        },
        PROCESS_POOL("Pool.processes() (N JVMs)") {
            @Override
            <A, R> List<R> map(SerializableFunction<A, R> body, List<A> items, int processes) throws Exception {
                return mapIn(Pool.processes(c -> c.withName("loop").withWorkers(processes)), body, items);
            }
        };

        final String label;

        Way(String label) {
            this.label = label;
        }

        abstract <A, R> List<R> map(SerializableFunction<A, R> body, List<A> items, int processes) throws Exception;

        String label(int processes) {
            return label.replace("N JVMs", processes + " JVMs");
        }

        /** Maps with chunks of one item, then closes the pool. */
        static <A, R> List<R> mapIn(Pool pool, SerializableFunction<A, R> body, List<A> items) throws Exception {
            try (pool) {
                return pool.map(body, items, 1);
            }
        }

        /** Python's ThreadPoolExecutor: min(32, cores + 4) platform threads. */
        static Pool threadPoolExecutor() {
            return Pool.cpu(c -> c.withName("executor").withWorkers(Math.min(32, Pool.carrierCount() + 4)));
        }
    }

    /** What one way measured: its time on each kind of work, in ms. */
    record Timing(Way way, long ioMillis, long cpuMillis) {
    }

    private ParallelForLoop() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        run(System.out, tasks, 200, 60_000_000L, Pool.carrierCount());
    }

    /**
     * Runs the loop of {@code tasks} items every way: the IO body fetches a page that takes
     * {@code ioMillis} to arrive, the CPU body sums {@code cpuIterations} terms. The process pool
     * has {@code processes} workers. Returns what each way measured.
     */
    static List<Timing> run(PrintStream out, int tasks, long ioMillis, long cpuIterations, int processes)
            throws Exception {
        out.println("A parallel for loop of " + tasks + " tasks, six ways, on " + Runtime.getRuntime().availableProcessors()
                + " cores    (Python: Thread, ThreadPool, ThreadPoolExecutor, Process, Pool, ProcessPoolExecutor)");
        out.println("   IO task: fetch a page that takes " + ioMillis + " ms to arrive; CPU task: a sum of "
                + cpuIterations + " terms; times include starting the threads or JVMs");
        try (LocalWebServer server = LocalWebServer.start()) {
            List<URI> pages = IntStream.rangeClosed(1, tasks).mapToObj(i -> server.page(i * 100, ioMillis)).toList();
            List<Long> sums = IntStream.rangeClosed(1, tasks).mapToObj(i -> cpuIterations + i).toList();
            Pages.fetch(server.page(1, 0));                         // warms up the server and this JVM's client
            SerializableFunction<URI, Integer> io = ParallelForLoop::pageSize;
            SerializableFunction<Long, Long> cpu = ParallelForLoop::sumTo;

            out.printf("   %-30s %10s %10s%n", "", "IO tasks", "CPU tasks");
            List<Timing> timings = new ArrayList<>();
            List<Integer> ioExpected = null;
            List<Long> cpuExpected = null;
            boolean same = true;
            for (Way way : Way.values()) {
                long start = System.nanoTime();
                List<Integer> ioResults = way.map(io, pages, processes);
                long ioMillisTaken = millisSince(start);
                start = System.nanoTime();
                List<Long> cpuResults = way.map(cpu, sums, processes);
                long cpuMillisTaken = millisSince(start);
                timings.add(new Timing(way, ioMillisTaken, cpuMillisTaken));
                out.printf("   %-30s %7d ms %7d ms%n", way.label(processes), ioMillisTaken, cpuMillisTaken);
                if (ioExpected == null) {
                    ioExpected = ioResults;
                    cpuExpected = cpuResults;
                }
                same &= ioResults.equals(ioExpected) && cpuResults.equals(cpuExpected);
            }
            out.println("   IO results (bytes per page): " + ioExpected);
            out.println("   CPU results (sums): " + cpuExpected);
            out.println(same ? "   every way gave the same results, in item order"
                    : "   the ways gave DIFFERENT results: a bug");
            Timing fastestIo = timings.stream().min(java.util.Comparator.comparingLong(Timing::ioMillis)).orElseThrow();
            Timing fastestCpu = timings.stream().min(java.util.Comparator.comparingLong(Timing::cpuMillis)).orElseThrow();
            out.println("   fastest here: IO " + fastestIo.way().label(processes) + ", CPU "
                    + fastestCpu.way().label(processes));
            out.println("   verdict: waiting work suits a thread per task, best a virtual one (Pool.io()); computing work"
                    + " suits Pool.cpu(), one thread per core; processes pay a JVM start and serialization, worth it only"
                    + " for isolation");
            return timings;
        }
    }

    /** The IO loop body: fetches a page and returns its size. */
    static int pageSize(URI page) {
        try {
            return Pages.fetch(page).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + page, e);
        }
    }

    /** The CPU loop body: a sum that the JIT cannot fold away. */
    static long sumTo(long n) {
        long sum = 0;
        for (long k = 0; k < n; k++) {
            sum += k % 7 == 0 ? k : 1;
        }
        return sum;
    }
}
