package dev.weft.benchmarks;

import dev.weft.TaskScope;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Issue 17's measure of a scope's fixed cost: fork + join of {@code n} trivial subtasks on Weft's
 * core engine against the JDK 25 {@code StructuredTaskScope}
 * ({@code StructuredTaskScope.open(Joiner.allSuccessfulOrThrow())}), with the raw
 * {@code newVirtualThreadPerTaskExecutor} and the joined-threads floor beside them, all four in one
 * JVM, in interleaved blocks.
 *
 * <p>Each round runs one block (about 200 ms) of each side, in an order that rotates from round to
 * round, so each side goes first as often as any other and every block has the other three within
 * a second of it. A round gives each side's time per scope (wall, and CPU of the whole process);
 * its ratios to the JDK's scope in the same round are the figures. Reported per {@code n}: the
 * median of the rounds' ratios, their quartiles and their extremes, and each side's median time.
 * The workloads are {@link ForkJoinBenchmark}'s and {@link StsForkJoinBenchmark#rawSts(int)}, the
 * code the JMH benchmarks run.
 *
 * <pre>
 * java --enable-preview -Ddev.weft.engine=core -cp benchmarks/target/benchmarks.jar \
 *     dev.weft.benchmarks.StsInterleaved --out benchmarks/results/sts-interleaved.json
 * </pre>
 *
 * <p>Two builds of Weft, or more, compare in the same run: {@code --build main=a.jar --build
 * change=b.jar} adds a side for each, {@link ForkJoinBenchmark#weft} on that jar's Weft, loaded in a
 * class loader of its own, and reports each later build's ratio to the first, round by round. A
 * build given twice under two names (an A/A pair) shows how far the method can be trusted.
 *
 * <p>Options: {@code --help} lists them, with their defaults. It refuses to run
 * unless Weft is on its core engine: the benchmark jar holds the {@code sts} engine too, which
 * {@code --enable-preview} would otherwise select. Built only on JDK 25 (profile {@code sts} of
 * the benchmarks). Results: {@code docs/benchmarks.md}, "Weft against the JDK's scope".
 */
@Command(name = "StsInterleaved", sortOptions = false,
        description = "Fork + join on Weft's core engine against JDK 25's StructuredTaskScope, interleaved in one JVM.")
public final class StsInterleaved implements Callable<Integer> {
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * The fixed sides, in the order of the JSON and the table; {@link #STS} is the reference. The
     * builds of {@code --build} follow them.
     */
    private static final String[] SIDES = {"weft", "sts", "executor", "joined"};
    private static final int WEFT = 0, STS = 1, EXECUTOR = 2, JOINED = 3;

    @FunctionalInterface
    private interface Op {
        void run(int n) throws Exception;
    }

    private static final Op[] OPS = {
            ForkJoinBenchmark::weft, StsForkJoinBenchmark::rawSts, ForkJoinBenchmark::raw,
            ForkJoinBenchmark::joinedThreads};

    @Mixin
    private HelpOption help;
    @Option(names = "--rounds", paramLabel = "R", description = "Rounds per n (default: ${DEFAULT-VALUE}).")
    private int rounds = 30;
    @Option(names = "--warmup", paramLabel = "S", description = "Seconds of warm-up per n (default: ${DEFAULT-VALUE}).")
    private int warmupSeconds = 5;
    @Option(names = "--block-ms", paramLabel = "B", description = "Milliseconds per block (default: ${DEFAULT-VALUE}).")
    private long blockMs = 200;
    @Option(names = "--n", paramLabel = "N", split = ",", description = "Subtasks per scope (default: 1,10,100).")
    private int[] sizes = {1, 10, 100};
    @Option(names = "--out", paramLabel = "FILE", description = "Writes the JSON there, every block included.")
    private Path out;
    @Option(names = "--build", paramLabel = "NAME=JAR", description = "Adds a side: ForkJoinBenchmark.weft on the "
            + "Weft jar JAR, in a class loader of its own (repeatable); the others' ratios to the first build are reported.")
    private Map<String, Path> builds = new LinkedHashMap<>();

    private StsInterleaved() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StsInterleaved()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!TaskScope.engine().equals("core")) {
            System.err.println("StsInterleaved measures Weft's core engine, but it runs on '" + TaskScope.engine()
                    + "': add -Ddev.weft.engine=core");
            return 2;
        }
        List<String> sides = new ArrayList<>(List.of(SIDES));
        List<Op> ops = new ArrayList<>(List.of(OPS));
        for (Map.Entry<String, Path> build : builds.entrySet()) {
            if (!Files.isRegularFile(build.getValue())) {
                System.err.println("--build " + build.getKey() + ": no jar at " + build.getValue());
                return 2;
            }
            sides.add("weft@" + build.getKey());
            ops.add(buildOp(build.getValue()));
        }
        long blockNanos = blockMs * 1_000_000L;
        System.out.printf(Locale.ROOT, "# StsInterleaved: %d rounds of %d blocks of ~%d ms per n, JVM %s, engine %s, "
                        + "JDK 25 classes of the multi-release jar %s, %d CPUs%n",
                rounds, sides.size(), blockNanos / 1_000_000, System.getProperty("java.vm.version"), TaskScope.engine(),
                versionedClassesSeen(TaskScope.class.getClassLoader()) ? "seen" : "not seen",
                Runtime.getRuntime().availableProcessors());
        StringBuilder json = new StringBuilder("{\n  \"benchmark\": \"dev.weft.benchmarks.StsInterleaved\",\n");
        json.append("  \"vmVersion\": \"").append(System.getProperty("java.vm.version")).append("\",\n");
        json.append("  \"rounds\": ").append(rounds).append(",\n  \"blockMs\": ").append(blockNanos / 1_000_000)
                .append(",\n  \"results\": [\n");
        for (int k = 0; k < sizes.length; k++) {
            int n = sizes[k];
            long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
            while (System.nanoTime() < warmupEnd) {
                for (Op op : ops) {
                    block(op, n, blockNanos / 4);
                }
            }
            // [metric: wall, cpu][side][round], µs per scope
            double[][][] times = new double[2][sides.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < sides.size(); j++) {
                    int side = (r + j) % sides.size();
                    double[] t = block(ops.get(side), n, blockNanos);
                    times[0][side][r] = t[0];
                    times[1][side][r] = t[1];
                }
            }
            json.append("    {\"n\": ").append(n);
            for (int m = 0; m < 2; m++) {
                String metric = m == 0 ? "wall" : "cpu";
                System.out.printf(Locale.ROOT, "n=%-3d %-4s us/scope (median):", n, metric);
                for (int side = 0; side < sides.size(); side++) {
                    System.out.printf(Locale.ROOT, "  %s %.2f", sides.get(side), Stats.of(times[m][side]).median);
                }
                System.out.println();
                json.append(",\n     \"").append(metric).append("\": {");
                for (int side = 0; side < sides.size(); side++) {
                    json.append(side == 0 ? "" : ", ").append('"').append(sides.get(side)).append("\": ")
                            .append(array(times[m][side]));
                }
                json.append(",\n       \"ratios\": {");
                List<int[]> pairs = new ArrayList<>(List.of(new int[] {WEFT, STS}, new int[] {EXECUTOR, STS},
                        new int[] {JOINED, STS}, new int[] {WEFT, JOINED}));
                for (int side = SIDES.length; side < sides.size(); side++) {
                    pairs.add(new int[] {side, STS});
                    if (side > SIDES.length) {
                        pairs.add(new int[] {side, SIDES.length});     // against the first build
                    }
                }
                for (int p = 0; p < pairs.size(); p++) {
                    int a = pairs.get(p)[0], b = pairs.get(p)[1];
                    double[] ratio = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        ratio[r] = times[m][a][r] / times[m][b][r];
                    }
                    Stats s = Stats.of(ratio);
                    String name = sides.get(a) + "/" + sides.get(b);
                    System.out.printf(Locale.ROOT, "      %-4s %-24s median %.3f  IQR %.3f-%.3f  min %.3f  max %.3f%n",
                            metric, name, s.median, s.q1, s.q3, s.min, s.max);
                    json.append(p == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                            "\"%s\": {\"median\": %.4f, \"q1\": %.4f, \"q3\": %.4f, \"min\": %.4f, \"max\": %.4f}",
                            name, s.median, s.q1, s.q3, s.min, s.max));
                }
                json.append("}}");
            }
            json.append("}").append(k + 1 < sizes.length ? ",\n" : "\n");
        }
        json.append("  ]\n}\n");
        Interleaved.write(out, json);
        return 0;
    }

    /** Whether {@code loader} sees weft's {@code META-INF/versions/25} (absent before issue 17, or in a jar without Multi-Release). */
    private static boolean versionedClassesSeen(ClassLoader loader) {
        try {
            Class.forName("dev.weft.ScopedSubtaskBinding", false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * {@link ForkJoinBenchmark#weft} as compiled into this jar, run on the Weft of {@code jar}: the
     * class is defined again in a {@link BuildLoader} over that jar, so that the same bytes link to
     * that build's classes. How two builds of Weft are compared in one JVM, each round giving both
     * the same moment of the machine.
     */
    private static Op buildOp(Path jar) throws Exception {
        BuildLoader loader = new BuildLoader(jar);
        Class<?> workloads = Class.forName(ForkJoinBenchmark.class.getName(), true, loader);
        Class<?> scope = Class.forName(TaskScope.class.getName(), true, loader);
        Object engine = scope.getMethod("engine").invoke(null);
        if (!engine.equals("core")) {
            throw new IllegalStateException(jar + " runs on engine '" + engine + "': add -Ddev.weft.engine=core");
        }
        System.out.println("# " + jar + ": JDK 25 classes " + (versionedClassesSeen(loader) ? "seen" : "not seen"));
        MethodHandle weft = MethodHandles.privateLookupIn(workloads, MethodHandles.lookup())
                .findStatic(workloads, "weft", MethodType.methodType(List.class, int.class));
        return n -> {
            try {
                List<?> results = (List<?>) weft.invokeExact(n);
                if (results.size() != n) {
                    throw new AssertionError(jar + ": " + results.size() + " results of " + n);
                }
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        };
    }

    /**
     * Weft's classes from one jar, and this jar's own classes ({@code dev.weft.benchmarks}) defined
     * again over them; every other class from the application's loader, shared by all builds.
     */
    private static final class BuildLoader extends URLClassLoader {
        private static final String BENCHMARKS = StsInterleaved.class.getPackageName() + ".";

        BuildLoader(Path jar) throws IOException {
            super(new URL[] {jar.toUri().toURL()}, StsInterleaved.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.weft.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = name.startsWith(BENCHMARKS) ? defineAgain(name) : findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private Class<?> defineAgain(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    /** Runs {@code op} for about {@code nanos} (at least once); returns µs of wall and process CPU time per run. */
    private static double[] block(Op op, int n, long nanos) throws Exception {
        long cpuStart = CPU.getProcessCpuTime();
        long start = System.nanoTime();
        long now;
        long runs = 0;
        do {
            op.run(n);
            runs++;
        } while ((now = System.nanoTime()) - start < nanos);
        long cpu = CPU.getProcessCpuTime() - cpuStart;
        return new double[] {(now - start) / 1e3 / runs, cpu / 1e3 / runs};
    }

    private static String array(double[] xs) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < xs.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", xs[i]));
        }
        return s.append(']').toString();
    }
}
