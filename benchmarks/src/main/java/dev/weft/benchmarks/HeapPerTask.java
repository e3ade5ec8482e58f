package dev.weft.benchmarks;

import dev.weft.TaskScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Heap per blocked task, Weft against the raw JDK: how many bytes of heap one subtask costs while
 * it is blocked, with {@code --tasks} of them (100,000 by default) blocked at once.
 *
 * <p>How it measures, per variant and round, in a fresh JVM of its own (so that neither variant
 * pays for the other's classes, JIT code or garbage):
 * <ol>
 * <li>run batches of up to 10,000 of the same tasks to completion, so that the classes are
 *     loaded and the task's frames are compiled;</li>
 * <li>{@code baseline}: heap used after a full GC ({@link MemoryMXBean#gc()}, repeated until the
 *     figure is stable);</li>
 * <li>start every task; each counts down {@code started}, then blocks on a shared gate. Once all
 *     have started and all are queued on the gate, {@code blocked}: heap used after a full GC;</li>
 * <li>open the gate, join, close; {@code after}: heap used after a full GC, to show that nothing
 *     stayed behind.</li>
 * </ol>
 * The figure is {@code (blocked - baseline) / tasks}. It counts everything a blocked task keeps
 * alive: the virtual thread, its stack (a parked virtual thread's frames live on the heap, in
 * stack chunks, so every frame Weft adds under the task is counted), the handle (a
 * {@code Subtask} or a {@code Future}) and the bookkeeping of the scope or executor. Weft runs
 * the task in {@code TaskScope.open()} with the default policy; the raw JDK runs it in
 * {@link Executors#newVirtualThreadPerTaskExecutor()} and keeps the futures in a list, as a
 * caller that wants the results must.
 *
 * <p>Target: {@code weft} at most 1.5 times {@code raw}.
 *
 * <pre>
 * ./weft mvn -q package -DskipTests -pl benchmarks -am      # or ./weft bench -l once
 * java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.HeapPerTask \
 *     --out benchmarks/results/heap-per-task.json
 * </pre>
 *
 * Options: {@code --help} lists them, with their defaults. JVM options given to this program
 * (say {@code -XX:+UseParallelGC}) are passed on to the measuring JVMs. Results, with the
 * machine they were measured on: {@code docs/benchmarks.md}.
 */
@Command(name = "HeapPerTask", sortOptions = false,
        description = "Heap per blocked task, Weft against the raw JDK, each round in fresh JVMs.")
public final class HeapPerTask implements Callable<Integer> {

    private static final String[] VARIANTS = {"weft", "raw"};
    private static final String RESULT = "RESULT ";
    private static final int WARMUP_ROUNDS = 20;

    @Mixin
    private HelpOption help;
    @Option(names = "--tasks", paramLabel = "N", description = "Tasks blocked at once (default: ${DEFAULT-VALUE}).")
    private int tasks = 100_000;
    @Option(names = "--rounds", paramLabel = "R",
            description = "Rounds; the variants alternate which goes first (default: ${DEFAULT-VALUE}).")
    private int rounds = 10;
    @Option(names = "--out", paramLabel = "FILE", description = "Writes a JSON copy of the figures there.")
    private Path out;
    /** Set by the parent for the JVM that measures one variant. */
    @Option(names = "--variant", hidden = true)
    private String variant;

    private HeapPerTask() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new HeapPerTask()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (variant != null) {
            measure(variant, tasks);
        } else {
            compare(tasks, rounds, out);
        }
        return 0;
    }

    // ---- the parent: runs each variant in fresh JVMs and compares ----

    private static void compare(int tasks, int rounds, Path out) throws IOException, InterruptedException {
        System.out.printf(Locale.ROOT, "# HeapPerTask: %,d tasks blocked at once, %d rounds, JVM %s (%s)%n",
                tasks, rounds, System.getProperty("java.vm.version"), System.getProperty("java.vm.name"));
        List<double[]> weft = new ArrayList<>();
        List<double[]> raw = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                String v = VARIANTS[(round + k) % 2];   // alternate which variant goes first
                double[] r = runChild(v, tasks);
                (v.equals("weft") ? weft : raw).add(r);
                System.out.printf(Locale.ROOT,
                        "round %d  %-4s  %8.1f bytes/task   (baseline %,d B, blocked %,d B, after %,d B)%n",
                        round + 1, v, r[0], (long) r[1], (long) r[2], (long) r[3]);
            }
        }
        double[] w = meanAndError(weft);
        double[] r = meanAndError(raw);
        double ratio = w[0] / r[0];
        double ratioError = ratio * Math.hypot(w[1] / w[0], r[1] / r[0]);
        System.out.println();
        System.out.printf(Locale.ROOT, "weft  %8.1f ± %.1f bytes/task (median %.1f)%n", w[0], w[1], w[2]);
        System.out.printf(Locale.ROOT, "raw   %8.1f ± %.1f bytes/task (median %.1f)%n", r[0], r[1], r[2]);
        System.out.printf(Locale.ROOT, "ratio weft/raw = %.3f ± %.3f, of the medians %.3f (target <= 1.5: %s)%n",
                ratio, ratioError, w[2] / r[2], ratio <= 1.5 ? "met" : "MISSED");
        System.out.println("(± is the 99.9% confidence half-interval over the rounds, as JMH reports it;"
                + " a round now and then reads high, so the medians are shown too)");
        if (out != null) {
            writeJson(out, tasks, rounds, weft, raw, w, r, ratio, ratioError);
            System.out.println("wrote " + out);
        }
    }

    private static double[] runChild(String variant, int tasks) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HeapPerTask.class.getName());
        command.add("--variant");
        command.add(variant);
        command.add("--tasks");
        command.add(Integer.toString(tasks));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        for (String line : output.split("\n")) {
            if (exit == 0 && line.startsWith(RESULT)) {
                String[] f = line.substring(RESULT.length()).trim().split(" ");
                double[] r = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    r[i] = Double.parseDouble(f[i]);
                }
                return r;
            }
        }
        throw new IllegalStateException("the " + variant + " JVM exited with " + exit
                + " and no result; its output:\n" + output);
    }

    /** Mean, 99.9% confidence half-interval and median of the bytes/task of each round. */
    private static double[] meanAndError(List<double[]> samples) {
        Stats s = Stats.of(samples.stream().mapToDouble(x -> x[0]).toArray());
        return new double[] {s.mean, s.error, s.median};
    }

    private static void writeJson(Path out, int tasks, int rounds, List<double[]> weft, List<double[]> raw,
                                  double[] w, double[] r, double ratio, double ratioError) throws IOException {
        StringBuilder json = new StringBuilder();
        json.append("{\n");
        json.append("  \"benchmark\": \"dev.weft.benchmarks.HeapPerTask\",\n");
        json.append("  \"unit\": \"bytes/task\",\n");
        json.append("  \"tasks\": ").append(tasks).append(",\n");
        json.append("  \"rounds\": ").append(rounds).append(",\n");
        json.append("  \"jvm\": \"").append(System.getProperty("java.home")).append("\",\n");
        json.append("  \"vmVersion\": \"").append(System.getProperty("java.vm.version")).append("\",\n");
        json.append("  \"jvmArgs\": \"").append(String.join(" ",
                ManagementFactory.getRuntimeMXBean().getInputArguments()).replace("\"", "\\\"")).append("\",\n");
        json.append("  \"variants\": {\n");
        appendVariant(json, "weft", weft, w).append(",\n");
        appendVariant(json, "raw", raw, r).append("\n");
        json.append("  },\n");
        json.append(String.format(Locale.ROOT, "  \"ratio\": %.4f,%n  \"ratioError\": %.4f,%n  \"ratioOfMedians\": %.4f,%n",
                ratio, ratioError, w[2] / r[2]));
        json.append("  \"target\": 1.5\n");
        json.append("}\n");
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, json);
    }

    private static StringBuilder appendVariant(StringBuilder json, String name, List<double[]> samples, double[] stats) {
        json.append("    \"").append(name).append("\": {");
        json.append(String.format(Locale.ROOT, "\"mean\": %.2f, \"error\": %.2f, \"median\": %.2f, \"rounds\": [",
                stats[0], stats[1], stats[2]));
        for (int i = 0; i < samples.size(); i++) {
            double[] s = samples.get(i);
            json.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                    "{\"bytesPerTask\": %.2f, \"baseline\": %d, \"blocked\": %d, \"after\": %d}",
                    s[0], (long) s[1], (long) s[2], (long) s[3]));
        }
        return json.append("]}");
    }

    // ---- the child: measures one variant ----

    /** A way to run {@code tasks} copies of {@code task}, calling {@code whileBlocked} meanwhile. */
    private interface Variant {
        void run(int tasks, Callable<Void> task, Runnable whileBlocked) throws Exception;
    }

    private static void measure(String name, int tasks) throws Exception {
        Variant variant = switch (name) {
            case "weft" -> HeapPerTask::weft;
            case "raw" -> HeapPerTask::raw;
            default -> throw new IllegalArgumentException("unknown variant " + name);
        };
        // Load the classes and let the JIT compile the frames that a blocked task leaves on its
        // stack: an interpreted frame is larger than a compiled one, and a parked virtual thread
        // keeps its frames on the heap, so a cold JVM would measure the interpreter.
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            runOnce(variant, Math.min(tasks, 10_000), () -> { });
        }
        usedAfterGc();

        long baseline = usedAfterGc();
        long[] blocked = new long[1];
        runOnce(variant, tasks, () -> blocked[0] = usedAfterGc());
        long after = usedAfterGc();
        double perTask = (double) (blocked[0] - baseline) / tasks;
        System.out.println(RESULT + perTask + " " + baseline + " " + blocked[0] + " " + after);
    }

    private static void runOnce(Variant variant, int tasks, Runnable whileBlocked) throws Exception {
        CountDownLatch started = new CountDownLatch(tasks);
        Semaphore gate = new Semaphore(0);
        Callable<Void> task = () -> {
            started.countDown();
            gate.acquire();
            return null;
        };
        variant.run(tasks, task, () -> {
            try {
                if (!started.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("only " + (tasks - started.getCount()) + " of "
                            + tasks + " tasks started in 5 minutes");
                }
                // Every task has started; wait until every one is queued on the gate too.
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (gate.getQueueLength() < tasks) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + gate.getQueueLength() + " of "
                                + tasks + " tasks blocked in a minute");
                    }
                    Thread.sleep(10);
                }
                whileBlocked.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the tasks to block", e);
            } finally {
                gate.release(tasks);
            }
        });
    }

    private static void weft(int tasks, Callable<Void> task, Runnable whileBlocked) throws InterruptedException {
        try (var scope = TaskScope.<Void>open()) {
            for (int i = 0; i < tasks; i++) {
                scope.fork(task);
            }
            whileBlocked.run();
            scope.join();
        }
    }

    private static void raw(int tasks, Callable<Void> task, Runnable whileBlocked)
            throws InterruptedException, ExecutionException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> futures = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                futures.add(executor.submit(task));
            }
            whileBlocked.run();
            for (Future<Void> f : futures) {
                f.get();
            }
        }
    }

    /** Heap used after full GCs, repeated until two readings agree within 64 KiB. */
    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = -1;
        for (int i = 0; i < 10; i++) {
            memory.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (previous >= 0 && Math.abs(used - previous) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
