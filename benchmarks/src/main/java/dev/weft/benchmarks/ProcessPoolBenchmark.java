package dev.weft.benchmarks;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.SerializableCallable;
import dev.weft.TaskFuture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The process pool against Python's {@code ProcessPoolExecutor} and {@code multiprocessing.Pool},
 * in one run: the Python side runs with the machine's {@code python3} (skipped, with a message,
 * when there is none), the Weft side in this JVM, one after the other.
 *
 * <ul>
 * <li>submit throughput of trivial tasks (submit all, then wait for all), stateless
 *     ({@code () -> 1}) and capturing a value ({@code () -> k + 1}, Weft only);</li>
 * <li>sequential {@code submit().get()} round trip;</li>
 * <li>{@code map} over 1,000,000 tiny items, with Weft's default chunksize and with 100;</li>
 * <li>worker start to first result (a new pool of one worker): with the automatic startup
 *     cache (and its training pool's figure), without any, and with the pool's own;</li>
 * <li>the seed's CPU workload, 8 tasks each summing 0..50,000,000, sequential and on the pool:
 *     the speedup.</li>
 * </ul>
 *
 * <pre>
 * "$(./weft java)/bin/java" -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.ProcessPoolBenchmark \
 *     --out benchmarks/results/process-pool.json
 * </pre>
 * Options: {@code --help} lists them, with their defaults.
 */
@Command(name = "ProcessPoolBenchmark", sortOptions = false,
        description = "The process pool against Python's ProcessPoolExecutor and multiprocessing.Pool.")
public final class ProcessPoolBenchmark implements Callable<Integer> {
    @Mixin
    private HelpOption help;
    @Option(names = "--workers", paramLabel = "W", description = "Worker JVMs (default: the carrier count, ${DEFAULT-VALUE}).")
    private int workers = Pool.carrierCount();
    @Option(names = "--submits", paramLabel = "N", description = "Tasks per submit round (default: ${DEFAULT-VALUE}).")
    private int submits = 100_000;
    @Option(names = "--roundtrips", paramLabel = "N", description = "submit().get() calls per block (default: ${DEFAULT-VALUE}).")
    private int roundtrips = 20_000;
    @Option(names = "--map-items", paramLabel = "N", description = "Items per map (default: ${DEFAULT-VALUE}).")
    private int mapItems = 1_000_000;
    @Option(names = "--no-python", description = "Measures the Weft side alone.")
    private boolean noPython;
    @Option(names = "--out", paramLabel = "FILE", description = "Writes the JSON there too.")
    private Path out;

    private ProcessPoolBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProcessPoolBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean python = !noPython;
        StringBuilder json = new StringBuilder("{\n");
        json.append(String.format(Locale.ROOT, "  \"java\": \"%s\", \"workers\": %d, \"cpus\": %d,%n",
                Runtime.version(), workers, Runtime.getRuntime().availableProcessors()));
        if (python) {
            String result = runPython(workers, Math.min(submits, 20_000), Math.min(roundtrips, 2_000), mapItems);
            System.out.println("python: " + result);
            json.append("  \"python\": ").append(result == null ? "null" : result).append(",\n");
        }
        json.append("  \"weft\": {\n");
        Path runDir = Files.createTempDirectory("weft-bench-");
        try {
            json.append(firstResult(runDir));
            weftFigures(json);
        } finally {
            RunFiles.deleteTree(runDir);         // the run's automatic startup cache, about 16 MB
        }
        json.setLength(json.length() - 2);
        json.append("\n  }\n}\n");
        RunFiles.emit(json, out);
        return 0;
    }

    /** The figures after the first result, on pools that use the run's automatic cache. */
    private void weftFigures(StringBuilder json) throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withTasksInFlight(1))) {
            pool.submit(() -> 1).get();
        }
        int w = workers;
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(w))) {
            pool.map(x -> x, IntStream.range(0, 1000).boxed().toList(), 1);       // every worker started and warm
            // A task that captures nothing is the same in every instance (sent once per worker);
            // one that captures a value, as most real tasks do, crosses with its value each time.
            json.append(submitThroughput(pool, submits, "submit_per_s", i -> () -> 1, i -> 1));
            json.append(submitThroughput(pool, submits, "submit_capturing_per_s", i -> () -> i + 1, i -> i + 1));
            json.append(roundTrip(pool, roundtrips));
            json.append(map(pool, mapItems, 0));
            json.append(map(pool, mapItems, 100));
            json.append(seed(pool));
        }
    }

    /**
     * A new pool of one worker to its first result: with the automatic startup cache (the default;
     * its training run first, timed on its own), with none ({@code -Dweft.startupCache=off}), and
     * with a cache of the pool's own ({@code withStartupCache}, trained on this very task first).
     * The automatic cache lives in {@code dir}, this run's, so that every run trains it afresh.
     */
    private static String firstResult(Path dir) throws Exception {
        Path cache = dir.resolve("workers.aot");
        StringBuilder out = new StringBuilder();
        // The automatic cache stays in this run's directory for the rest of the run: trained here, not
        // during the throughput figures.
        System.setProperty("weft.startupCache", dir.resolve("automatic").toString());
        long start = System.nanoTime();
        double trainingFirst;
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
            pool.submit(() -> 1).get();
            trainingFirst = (System.nanoTime() - start) / 1e6;
        }
        double trainingClosed = (System.nanoTime() - start) / 1e6;
        out.append(line("first_result_training_ms", trainingFirst, "the automatic cache's first pool, which "
                + "trains it; closed after " + Math.round(trainingClosed) + " ms"));
        out.append(firstResult("first_result_ms", null));
        System.setProperty("weft.startupCache", "off");
        out.append(firstResult("first_result_nocache_ms", null));
        System.setProperty("weft.startupCache", dir.resolve("automatic").toString());
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withStartupCache(cache))) {
            pool.submit(() -> 1).get();         // the training run; the cache is written when the worker exits
        }
        out.append(firstResult("first_result_cached_ms", Files.isRegularFile(cache) ? cache : null));
        Files.deleteIfExists(cache);
        return out.toString();
    }

    private static String firstResult(String name, Path cache) throws Exception {
        double[] ms = new double[7];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            try (ProcessPool pool = Pool.processes(c -> cache == null ? c.withWorkers(1)
                    : c.withWorkers(1).withStartupCache(cache))) {
                pool.submit(() -> 1).get();
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Stats s = Stats.of(ms);
        return line(name, s.median, (cache == null && name.contains("cached") ? "NO CACHE WRITTEN; " : "")
                + "median of " + ms.length + ", min " + s.min);
    }

    /**
     * Submits {@code n} tasks, {@code task.apply(i)} for each i, then waits for all and checks each
     * result against {@code expected}; best of 5 rounds, in tasks per second.
     */
    private static String submitThroughput(ProcessPool pool, int n, String name,
                                           IntFunction<SerializableCallable<Integer>> task, IntUnaryOperator expected)
            throws Exception {
        double[] rates = new double[5];
        for (int r = 0; r < rates.length; r++) {
            long start = System.nanoTime();
            List<TaskFuture<Integer>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(task.apply(i)));
            }
            for (int i = 0; i < n; i++) {
                int result = futures.get(i).get();
                if (result != expected.applyAsInt(i)) {
                    throw new AssertionError(name + ": task " + i + " returned " + result);
                }
            }
            rates[r] = n / ((System.nanoTime() - start) / 1e9);
        }
        Stats s = Stats.of(rates);
        return line(name, s.max, "best of 5; median " + (long) s.median);
    }

    private static String roundTrip(ProcessPool pool, int n) throws Exception {
        for (int i = 0; i < n / 4; i++) {
            pool.submit(() -> 1).get();
        }
        double[] us = new double[5];
        for (int r = 0; r < us.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pool.submit(() -> 1).get();
            }
            us[r] = (System.nanoTime() - start) / 1e3 / n;
        }
        Stats s = Stats.of(us);
        return line("roundtrip_us", s.median, "median of 5 blocks of " + n + "; best " + s.min);
    }

    private static String map(ProcessPool pool, int n, int chunksize) throws Exception {
        List<Integer> items = IntStream.range(0, n).boxed().toList();
        double[] rates = new double[3];
        for (int r = 0; r < rates.length; r++) {
            long start = System.nanoTime();
            List<Integer> result = chunksize == 0 ? pool.map(x -> x, items) : pool.map(x -> x, items, chunksize);
            rates[r] = n / ((System.nanoTime() - start) / 1e9);
            if (result.size() != n) {
                throw new AssertionError("map lost items");
            }
        }
        Stats s = Stats.of(rates);
        return line("map_items_per_s_chunksize_" + (chunksize == 0 ? "default" : chunksize), s.max,
                "best of 3; median " + (long) s.median);
    }

    private static long sumTo(long n) {
        long sum = 0;
        for (long i = 0; i < n; i++) {
            sum += i ^ (i >>> 3);         // not a closed form the JIT could fold
        }
        return sum;
    }

    /** The seed's 8 sums, in this JVM one after another and on the pool, 5 times in turn; the medians. */
    private static String seed(ProcessPool pool) throws Exception {
        List<Long> inputs = java.util.Collections.nCopies(8, 50_000_000L);
        pool.map(ProcessPoolBenchmark::sumTo, inputs, 1);                        // warm the workers' JIT
        long expected = 8 * sumTo(50_000_000L);
        double[] sequentialS = new double[5];
        double[] poolS = new double[5];
        double[] speedup = new double[5];
        for (int r = 0; r < speedup.length; r++) {
            long start = System.nanoTime();
            long sequential = 0;
            for (long n : inputs) {
                sequential += sumTo(n);
            }
            sequentialS[r] = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            long parallel = pool.map(ProcessPoolBenchmark::sumTo, inputs, 1).stream().mapToLong(Long::longValue).sum();
            poolS[r] = (System.nanoTime() - start) / 1e9;
            if (sequential != expected || parallel != expected) {
                throw new AssertionError("sums differ");
            }
            speedup[r] = sequentialS[r] / poolS[r];
        }
        Stats s = Stats.of(speedup);
        return line("seed_sequential_s", Stats.of(sequentialS).median, "8 x sum to 50M in this JVM; median of 5")
                + line("seed_pool_s", Stats.of(poolS).median, pool.workers() + " workers; median of 5")
                + line("seed_speedup", s.median, "median of 5 (min " + String.format(Locale.ROOT, "%.2f", s.min)
                        + ", max " + String.format(Locale.ROOT, "%.2f", s.max) + "); ideal " + pool.workers());
    }

    private static String line(String name, double value, String note) {
        String text = String.format(Locale.ROOT, "    \"%s\": %.2f, \"%s_note\": \"%s\",%n", name, value, name, note);
        System.out.print(text);
        return text;
    }

    private static String runPython(int workers, int submits, int roundtrips, int mapItems) throws IOException,
            InterruptedException {
        Path script = Files.createTempFile("weft-process-pool-bench-", ".py");
        try (InputStream in = ProcessPoolBenchmark.class.getResourceAsStream("/python/process_pool_bench.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(workers),
                    Integer.toString(submits), Integer.toString(roundtrips), Integer.toString(mapItems))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? text : null;
        } catch (IOException e) {
            System.out.println("python3 is not available (" + e.getMessage() + "): the Python side is skipped");
            return null;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
