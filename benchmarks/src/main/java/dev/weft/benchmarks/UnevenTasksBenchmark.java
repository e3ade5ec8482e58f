package dev.weft.benchmarks;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.SerializableCallable;
import dev.weft.SerializableFunction;
import dev.weft.TaskFuture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Uneven tasks on a process pool, Weft against Python's {@code ProcessPoolExecutor} and
 * {@code multiprocessing.Pool}, in one run. One item in {@code --slow-every} (the first among
 * them) sleeps {@code --slow-ms}, the others {@code --fast-ms}; the tasks sleep, so the figures
 * measure how the pool hands out work, not the machine's CPU. Two wall times per way of running
 * them: until every item is done, and until every fast item is done.
 *
 * <p>Python's workers take an item only when they are free, so no fast item waits behind a slow
 * one while a worker idles. A pool that sends items ahead to busy workers, as Weft's does to keep
 * a stream of tiny tasks flowing, must not leave one behind a slow item either. Beside each
 * figure is the ideal: the wall time of a pool that gives each item, in order, to the first
 * worker free.
 *
 * <ul>
 * <li>{@code map(fn, items, 1)}, against the executor's {@code map} (chunksize 1): every item;</li>
 * <li>a {@code submit} per item, then the fast items' results, then the slow ones';</li>
 * <li>{@code imapUnordered(fn, items, 1)}, read to the end, against {@code Pool.imap_unordered}.</li>
 * </ul>
 *
 * <pre>
 * "$(./weft java)/bin/java" -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.UnevenTasksBenchmark \
 *     --out benchmarks/results/uneven-tasks.json
 * </pre>
 * Options: {@code --help} lists them, with their defaults. To measure another build of Weft, put
 * its jar first on the class path: the workers take the parent's.
 */
@Command(name = "UnevenTasksBenchmark", sortOptions = false,
        description = "Uneven sleeping tasks on a process pool: Weft against Python's pools.")
public final class UnevenTasksBenchmark implements Callable<Integer> {
    @Mixin
    private HelpOption help;
    @Option(names = "--workers", paramLabel = "W", description = "Workers (default: ${DEFAULT-VALUE}).")
    private int workers = 2;
    @Option(names = "--items", paramLabel = "N", description = "Items per run (default: ${DEFAULT-VALUE}).")
    private int items = 40;
    @Option(names = "--slow-every", paramLabel = "K", description = "Every K-th item is slow, from the first (default: ${DEFAULT-VALUE}).")
    private int slowEvery = 40;
    @Option(names = "--slow-ms", paramLabel = "MS", description = "A slow item's sleep (default: ${DEFAULT-VALUE}).")
    private int slowMs = 2000;
    @Option(names = "--fast-ms", paramLabel = "MS", description = "Another item's sleep (default: ${DEFAULT-VALUE}).")
    private int fastMs = 20;
    @Option(names = "--rounds", paramLabel = "R", description = "Runs of each way (default: ${DEFAULT-VALUE}).")
    private int rounds = 5;
    @Option(names = "--no-python", description = "Measures the Weft side alone.")
    private boolean noPython;
    @Option(names = "--out", paramLabel = "FILE", description = "Writes the JSON there too.")
    private Path out;

    private UnevenTasksBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new UnevenTasksBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || items < 1 || slowEvery < 1 || slowMs < 0 || fastMs < 0 || rounds < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--workers, --items, --slow-every and --rounds must be at least 1, the sleeps at least 0");
        }
        StringBuilder json = new StringBuilder("{\n");
        double[] ideal = ideal();
        json.append(line("ideal_ms", ideal[0], "every item: each, in order, to the first worker free"));
        json.append(line("ideal_fast_ms", ideal[1], "every fast item, the same way"));
        Map<String, double[]> weft = weft();
        for (Map.Entry<String, double[]> e : weft.entrySet()) {
            json.append(line(e.getKey(), Stats.of(e.getValue()).median, summary(e.getKey(), e.getValue(), ideal)));
        }
        if (!noPython) {
            Map<String, double[]> python = python();
            if (python != null) {
                for (Map.Entry<String, double[]> e : python.entrySet()) {
                    json.append(line("python_" + e.getKey(), Stats.of(e.getValue()).median,
                            summary(e.getKey(), e.getValue(), ideal)));
                }
                for (String[] pair : new String[][] {{"map_ms", "executor_map_ms"},
                        {"submit_ms", "executor_submit_ms"}, {"submit_fast_ms", "executor_submit_fast_ms"},
                        {"imap_unordered_ms", "pool_imap_unordered_ms"},
                        {"imap_unordered_fast_ms", "pool_imap_unordered_fast_ms"}}) {
                    ratio(json, weft, "weft_" + pair[0], python, pair[1]);
                }
            }
        }
        json.append(String.format(Locale.ROOT,
                "    \"setup\": \"%d workers, %d items, every %d-th sleeps %d ms, the others %d ms; %d rounds; %s\"%n}%n",
                workers, items, slowEvery, slowMs, fastMs, rounds, Runtime.version()));
        if (out != null) {
            Files.writeString(out, json.toString());
        }
        return 0;
    }

    /**
     * The wall times, every item's and every fast item's, of giving each item, in order, to the
     * first worker free: what Python's pools do.
     */
    private double[] ideal() {
        PriorityQueue<Long> free = new PriorityQueue<>();
        for (int w = 0; w < workers; w++) {
            free.add(0L);
        }
        long end = 0;
        long fastEnd = 0;
        for (int i = 0; i < items; i++) {
            long done = free.poll() + sleep(i, slowEvery, slowMs, fastMs);
            end = Math.max(end, done);
            if (!slow(i, slowEvery)) {
                fastEnd = Math.max(fastEnd, done);
            }
            free.add(done);
        }
        return new double[] {end, fastEnd};
    }

    private static boolean slow(int i, int slowEvery) {
        return i % slowEvery == 0;
    }

    /** The task: item {@code i} sleeps as long as it should, and returns itself. Its lambdas capture ints only. */
    private static Integer run(int i, int slowEvery, int slowMs, int fastMs) {
        try {
            Thread.sleep(sleep(i, slowEvery, slowMs, fastMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return i;
    }

    private static long sleep(int i, int slowEvery, int slowMs, int fastMs) {
        return slow(i, slowEvery) ? slowMs : fastMs;
    }

    private Map<String, double[]> weft() throws Exception {
        int every = slowEvery;
        int slow = slowMs;
        int fast = fastMs;
        SerializableFunction<Integer, Integer> task = i -> run(i, every, slow, fast);
        List<Integer> input = IntStream.range(0, items).boxed().toList();
        Map<String, double[]> ms = new LinkedHashMap<>();
        int fastItems = (int) input.stream().filter(i -> !slow(i, every)).count();
        double[] map = new double[rounds];
        double[] submit = new double[rounds];
        double[] submitFast = new double[rounds];
        double[] unordered = new double[rounds];
        double[] unorderedFast = new double[rounds];
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(workers))) {
            SerializableFunction<Integer, Integer> warm = i -> i;
            pool.map(warm, IntStream.range(0, 2 * workers).boxed().toList(), 1);      // every worker started
            for (int r = 0; r < rounds; r++) {
                long t = System.nanoTime();
                pool.map(task, input, 1);
                map[r] = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                List<TaskFuture<Integer>> futures = new ArrayList<>();
                for (Integer i : input) {
                    futures.add(pool.submit((SerializableCallable<Integer>) () -> run(i, every, slow, fast)));
                }
                for (int i = 0; i < items; i++) {
                    if (!slow(i, every)) {
                        futures.get(i).get();
                    }
                }
                submitFast[r] = (System.nanoTime() - t) / 1e6;
                for (TaskFuture<Integer> f : futures) {
                    f.get();
                }
                submit[r] = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                int fastSeen = 0;
                for (var results = pool.imapUnordered(task, input, 1); results.hasNext(); ) {
                    if (!slow(results.next(), every) && ++fastSeen == fastItems) {
                        unorderedFast[r] = (System.nanoTime() - t) / 1e6;
                    }
                }
                unordered[r] = (System.nanoTime() - t) / 1e6;
            }
        }
        ms.put("weft_map_ms", map);
        ms.put("weft_submit_ms", submit);
        ms.put("weft_submit_fast_ms", submitFast);
        ms.put("weft_imap_unordered_ms", unordered);
        ms.put("weft_imap_unordered_fast_ms", unorderedFast);
        return ms;
    }

    /** The samples' spread, and their median against the ideal for every item, or for the fast ones. */
    private static String summary(String name, double[] samples, double[] ideal) {
        Stats s = Stats.of(samples);
        return String.format(Locale.ROOT, "median of %d, min %.1f, max %.1f; %.3f of the ideal",
                s.n, s.min, s.max, s.median / ideal[name.endsWith("_fast_ms") ? 1 : 0]);
    }

    private static void ratio(StringBuilder json, Map<String, double[]> weft, String weftKey,
                              Map<String, double[]> python, String pythonKey) {
        double[] p = python.get(pythonKey);
        if (p != null) {
            json.append(line(weftKey.replace("_ms", "") + "_vs_python", Stats.of(weft.get(weftKey)).median
                    / Stats.of(p).median, "Weft's median over Python's " + pythonKey));
        }
    }

    private static String line(String name, double value, String note) {
        String text = String.format(Locale.ROOT, "    \"%s\": %.3f, \"%s_note\": \"%s\",%n", name, value, name, note);
        System.out.print(text);
        return text;
    }

    /** Python's side: the arrays of wall times the script prints, by name; null without python3. */
    private Map<String, double[]> python() throws IOException, InterruptedException {
        Path script = Files.createTempFile("weft-uneven-tasks-", ".py");
        try (InputStream in = UnevenTasksBenchmark.class.getResourceAsStream("/python/uneven_tasks_bench.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(workers),
                    Integer.toString(items), Integer.toString(slowEvery), Integer.toString(slowMs),
                    Integer.toString(fastMs), Integer.toString(rounds))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                System.out.println("the Python side failed (exit " + p.exitValue() + "): it is skipped");
                return null;
            }
            Map<String, double[]> ms = new TreeMap<>();
            Matcher m = Pattern.compile("\"(\\w+)\": \\[([^\\]]*)\\]").matcher(text);
            while (m.find()) {
                String[] values = m.group(2).split(",");
                double[] samples = new double[values.length];
                for (int i = 0; i < values.length; i++) {
                    samples[i] = Double.parseDouble(values[i].trim());
                }
                ms.put(m.group(1), samples);
            }
            return ms;
        } catch (IOException e) {
            System.out.println("python3 is not available (" + e.getMessage() + "): the Python side is skipped");
            return null;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
