package dev.weft.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.weft.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The JMH benchmarks' workloads again, with Weft and the raw JDK measured in alternating blocks in
 * one JVM, so that each weft block has a raw block right beside it in time. For each block it
 * takes the wall time per batch and the CPU time the whole process spent per batch (owner,
 * carriers, GC and JIT threads together); the figures are the ratios weft/raw of adjacent pairs
 * of blocks: their mean with a 99.9% confidence interval, and their median.
 *
 * <p>Why a second harness: JMH measures every iteration of {@code raw} first and every iteration of
 * {@code weft} after, in separate JVMs, seconds to minutes apart. On a small machine the cost of a
 * fork and join of a few virtual threads is mostly the cost of waking threads (carriers, and the
 * owner when it is a platform thread), and that shifts by tens of percent from one second to the
 * next, and more when other processes share the two cores. Blocks of a fifth of a second, taken
 * in turn and in alternating order, see the same conditions; JMH's per-side error bars do not.
 * CPU time per batch is, in addition, hardly changed by other processes. The price: both engines
 * share one JVM, its compiled JDK code and its heap (one side's garbage may be collected during
 * the other side's block), which JMH's separate forks avoid. So both are reported.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.Interleaved \
 *     --out benchmarks/results/interleaved.json
 * </pre>
 *
 * Options: {@code --help} lists them, with their defaults.
 *
 * <p>{@code pools} is the CPU pool against its peers ({@link CpuPoolBenchmark},
 * {@link PoolMapBenchmark}): the seed's 8 sums on {@code Pool.cpu()} against the same sums one
 * after another (the ratio is the inverse of the speedup) and against a {@code ForkJoinPool} of
 * the same size, and a map over 1,000,000 tiny items against a parallel stream. There the
 * other side is named by {@code peer}, and its blocks are the JSON's {@code raw}.
 */
@Command(name = "Interleaved", sortOptions = false,
        description = "The JMH benchmarks' workloads, Weft and its peer in alternating blocks in one JVM.")
public final class Interleaved implements Callable<Integer> {
    private static final long BLOCK_NANOS = 200_000_000L;
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * One measured workload: what runs for each side, and how to report it. {@code peer} names
     * the side Weft is compared with: {@code raw} (the raw JDK) unless said otherwise.
     */
    private record Workload(String name, String unit, double nanosPerUnit, Op weft, Op raw, String peer,
                            String subject) {
        Workload(String name, String unit, double nanosPerUnit, Op weft, Op raw) {
            this(name, unit, nanosPerUnit, weft, raw, "raw");
        }

        Workload(String name, String unit, double nanosPerUnit, Op weft, Op raw, String peer) {
            this(name, unit, nanosPerUnit, weft, raw, peer, "weft");
        }
    }

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    @Mixin
    private HelpOption help;
    @Option(names = "--pairs", paramLabel = "P", description = "Pairs of blocks per workload (default: ${DEFAULT-VALUE}).")
    private int pairs = 30;
    @Option(names = "--warmup", paramLabel = "S", description = "Seconds of warm-up per workload (default: ${DEFAULT-VALUE}).")
    private int warmupSeconds = 5;
    @Option(names = "--only", paramLabel = "fork-join|blocking|pools", description = "Runs these workloads alone.")
    private String only;
    @Option(names = "--out", paramLabel = "FILE", description = "Writes a JSON copy there, every block included.")
    private Path out;

    private Interleaved() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Interleaved()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Workload> workloads = new ArrayList<>();
        if (only == null || only.equals("fork-join")) {
            for (int n : new int[] {1, 10, 100}) {
                workloads.add(new Workload("fork-join n=" + n, "us/op", 1e3,
                        () -> ForkJoinBenchmark.weft(n), () -> ForkJoinBenchmark.raw(n)));
            }
            for (int n : new int[] {1, 10, 100}) {
                workloads.add(new Workload("fork-join n=" + n, "us/op", 1e3, () -> ForkJoinBenchmark.joinedThreads(n),
                        () -> ForkJoinBenchmark.raw(n), "raw", "joinedThreads"));
            }
        }
        if (only == null || only.equals("blocking")) {
            workloads.add(new Workload("blocking tasks=10000 sleep=100ms", "ms/op", 1e6,
                    () -> BlockingTasksBenchmark.weft(10_000, 100), () -> BlockingTasksBenchmark.raw(10_000, 100)));
        }
        boolean pools = only == null || only.equals("pools");
        // The pools live across all the blocks of their workloads; none is started otherwise.
        try (Pool cpu = pools ? Pool.cpu() : null;
             ForkJoinPool forkJoin = pools ? new ForkJoinPool(Pool.carrierCount()) : null) {
            if (pools) {
                List<Long> sums = CpuPoolBenchmark.inputs(8, 50_000_000L);
                workloads.add(new Workload("cpu-sum 8x50M", "ms/op", 1e6,
                        () -> CpuPoolBenchmark.weft(cpu, sums), () -> CpuPoolBenchmark.sequential(sums), "sequential"));
                workloads.add(new Workload("cpu-sum 8x50M", "ms/op", 1e6,
                        () -> CpuPoolBenchmark.weft(cpu, sums), () -> CpuPoolBenchmark.forkJoin(forkJoin, sums), "forkJoin"));
                List<Integer> items = PoolMapBenchmark.inputs(1_000_000);
                workloads.add(new Workload("map 1M tiny items", "ms/op", 1e6,
                        () -> cpu.map(PoolMapBenchmark.TINY, items), () -> PoolMapBenchmark.parallelStream(items),
                        "parallelStream"));
            }
            measure(workloads, pairs, warmupSeconds, out);
        }
        return 0;
    }

    private static void measure(List<Workload> workloads, int pairs, int warmupSeconds, Path out) throws Exception {

        System.out.printf(Locale.ROOT, "# Interleaved: %d pairs of ~%d ms blocks per workload, JVM %s%n",
                pairs, BLOCK_NANOS / 1_000_000, System.getProperty("java.vm.version"));
        StringBuilder json = new StringBuilder("{\n  \"benchmark\": \"dev.weft.benchmarks.Interleaved\",\n");
        json.append("  \"vmVersion\": \"").append(System.getProperty("java.vm.version")).append("\",\n");
        json.append("  \"pairs\": ").append(pairs).append(",\n  \"results\": [\n");
        for (int k = 0; k < workloads.size(); k++) {
            Workload w = workloads.get(k);
            long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
            while (System.nanoTime() < warmupEnd) {
                block(w.weft, w.nanosPerUnit);
                block(w.raw, w.nanosPerUnit);
            }
            double[][] weft = new double[2][pairs];
            double[][] raw = new double[2][pairs];
            for (int p = 0; p < pairs; p++) {
                double[] a;
                double[] b;
                if (p % 2 == 0) {
                    a = block(w.weft, w.nanosPerUnit);
                    b = block(w.raw, w.nanosPerUnit);
                } else {
                    b = block(w.raw, w.nanosPerUnit);
                    a = block(w.weft, w.nanosPerUnit);
                }
                for (int m = 0; m < 2; m++) {
                    weft[m][p] = a[m];
                    raw[m][p] = b[m];
                }
            }
            json.append("    {\"workload\": \"").append(w.name).append("\", \"subject\": \"").append(w.subject)
                    .append("\", \"peer\": \"").append(w.peer)
                    .append("\", \"unit\": \"").append(w.unit).append("\"");
            for (int m = 0; m < 2; m++) {
                String metric = m == 0 ? "wall" : "cpu";
                double[] ratio = new double[pairs];
                for (int p = 0; p < pairs; p++) {
                    ratio[p] = weft[m][p] / raw[m][p];
                }
                Stats sw = Stats.of(weft[m]);
                Stats sr = Stats.of(raw[m]);
                Stats sq = Stats.of(ratio);
                System.out.printf(Locale.ROOT,
                        "%-34s %-4s %s %9.3f %s (median %9.3f)  %s %9.3f (median %9.3f)  %s/%s %.3f ± %.3f (median %.3f)%n",
                        w.name, metric, w.peer, sr.mean, w.unit, sr.median, w.subject, sw.mean, sw.median, w.subject,
                        w.peer, sq.mean, sq.error, sq.median);
                json.append(String.format(Locale.ROOT,
                        ",%n     \"%s\": {\"ratio\": %.4f, \"ratioError\": %.4f, \"ratioMedian\": %.4f, ",
                        metric, sq.mean, sq.error, sq.median));
                json.append("\"raw\": ").append(array(raw[m])).append(", \"weft\": ").append(array(weft[m])).append("}");
            }
            json.append("}").append(k + 1 < workloads.size() ? ",\n" : "\n");
        }
        json.append("  ]\n}\n");
        write(out, json);
    }

    /** Writes {@code json} to {@code out}, making its directory, and says so; does nothing if {@code out} is null. */
    static void write(Path out, CharSequence json) throws java.io.IOException {
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, json);
            System.out.println("wrote " + out);
        }
    }

    /**
     * Runs {@code op} for about one block (at least once); returns the mean wall time and the mean
     * CPU time of the whole process (every thread: owner, carriers, GC, JIT) per run, in units.
     */
    private static double[] block(Op op, double nanosPerUnit) throws Exception {
        long cpuStart = CPU.getProcessCpuTime();
        long start = System.nanoTime();
        long now;
        long runs = 0;
        do {
            op.run();
            runs++;
        } while ((now = System.nanoTime()) - start < BLOCK_NANOS);
        long cpu = CPU.getProcessCpuTime() - cpuStart;
        return new double[] {(now - start) / nanosPerUnit / runs, cpu / nanosPerUnit / runs};
    }

    private static String array(double[] xs) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < xs.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", xs[i]));
        }
        return s.append(']').toString();
    }
}
