package dev.weft.benchmarks;

import dev.weft.TaskScope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A fresh JVM's first scope: fork + join of {@code --n} trivial subtasks, the first time a program
 * does it and the second time, in JVMs started for that alone, side by side with the JDK's own
 * {@link StructuredTaskScope} and the raw virtual-thread executor. Steady-state figures
 * ({@link StsInterleaved}) say what a scope costs a service that forks all day; these say what a
 * command-line tool or a function started for one request pays before its first answer.
 *
 * <p>Each child JVM runs on a thin jar, as a program that ships Weft does: Weft's classes (its
 * core engine), SLF4J with slf4j-simple, and {@link Child}. The sides:
 * <ul>
 * <li>{@code weft}: {@code TaskScope.open()}, forks, {@code join}, as the program's first act;</li>
 * <li>{@code weft_logged}: the same in a program that has started SLF4J before (it asked for a
 *     logger), as a service that logs does: what Weft adds to such a program;</li>
 * <li>{@code sts}: {@code StructuredTaskScope.open(Joiner.allSuccessfulOrThrow())}, JDK 25 preview;</li>
 * <li>{@code executor}: {@code Executors.newVirtualThreadPerTaskExecutor()}, submits, gets, close.</li>
 * </ul>
 * Every child runs with {@code --enable-preview}. The rounds rotate the sides, each first as often
 * as the others, and run twice: on the JDK's default CDS archive, then each side from an AOT cache
 * trained on a run of its own (JDK 25's {@code -XX:AOTCacheOutput}), as a program can ship one.
 *
 * <pre>
 * "$(./weft java)/bin/java" --enable-preview -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.ColdStartBenchmark \
 *     --out benchmarks/results/cold-start.json
 * </pre>
 * JDK 25 only (compiled in profile {@code sts}). Its files (the thin jar, the caches) are in a
 * temporary directory that it deletes.
 */
@Command(name = "ColdStartBenchmark", sortOptions = false,
        description = "A fresh JVM's first scope: Weft against the JDK's StructuredTaskScope and the raw executor.")
public final class ColdStartBenchmark implements Callable<Integer> {
    private static final String[] SIDES = {"weft", "weft_logged", "sts", "executor"};
    private static final String PREFIX = "cold-start:";

    @Mixin
    private HelpOption help;
    @Option(names = "--rounds", paramLabel = "R", description = "JVMs per side and mode (default: ${DEFAULT-VALUE}).")
    private int rounds = 20;
    @Option(names = "--n", paramLabel = "N", description = "Subtasks per scope (default: ${DEFAULT-VALUE}).")
    private int n = 10;
    @Option(names = "--out", paramLabel = "FILE", description = "Writes the JSON there too.")
    private Path out;

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ColdStartBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || n < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rounds and --n must be at least 1");
        }
        Path dir = Files.createTempDirectory("weft-cold-start-");
        StringBuilder json = new StringBuilder("{\n");
        try {
            String jar = WorkerStartBenchmark.thinJar(System.getProperty("java.class.path"), null,
                    dir.resolve("program.jar"), Child.class, Child.Weft.class, Child.Sts.class,
                    Child.Executor.class).toString();
            json.append(String.format(Locale.ROOT, "  \"java\": \"%s\", \"cpus\": %d, \"n\": %d, \"rounds\": %d,%n",
                    Runtime.version(), Runtime.getRuntime().availableProcessors(), n, rounds));
            json.append(mode("default_cds", jar, side -> null));
            for (String side : SIDES) {
                run(jar, side, "-XX:AOTCacheOutput=" + dir.resolve(side + ".aot"));   // trains the side's cache
            }
            json.append(mode("aot_cache", jar, side -> "-XX:AOTCache=" + dir.resolve(side + ".aot")));
        } finally {
            RunFiles.deleteTree(dir);
        }
        json.setLength(json.length() - 2);
        json.append("\n}\n");
        RunFiles.emit(json, out);
        return 0;
    }

    /** {@code rounds} JVMs of each side, rotating, each with the flag {@code cache} gives its side (or none). */
    private String mode(String name, String jar, java.util.function.Function<String, String> cache) throws Exception {
        int sides = SIDES.length;
        double[][][] figures = new double[sides][4][rounds];  // side, {first scope, second, JVM, SLF4J}, round
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < sides; k++) {
                int side = (r + k) % sides;
                double[] run = run(jar, SIDES[side], cache.apply(SIDES[side]));
                for (int f = 0; f < run.length; f++) {
                    figures[side][f][r] = run[f];
                }
            }
        }
        StringBuilder lines = new StringBuilder();
        for (int s = 0; s < sides; s++) {
            String side = SIDES[s];
            lines.append(WorkerStartBenchmark.line(side + "_first_ms", Stats.of(figures[s][0]),
                    "the program's first scope of " + n + " subtasks, open to close; median of " + rounds + " JVMs"));
            lines.append(WorkerStartBenchmark.line(side + "_second_ms", Stats.of(figures[s][1]), "its second scope"));
            lines.append(WorkerStartBenchmark.line(side + "_jvm_ms", Stats.of(figures[s][2]),
                    "the whole JVM, from its spawn to its exit"));
        }
        lines.append(WorkerStartBenchmark.line("slf4j_start_ms", Stats.of(figures[1][3]),
                "weft_logged's LoggerFactory.getLogger before its first scope: SLF4J's start (slf4j-simple)"));
        for (String against : new String[] {"sts", "executor"}) {
            int b = List.of(SIDES).indexOf(against);
            for (int a : new int[] {0, 1}) {
                lines.append(WorkerStartBenchmark.line(SIDES[a] + "_to_" + against + "_first",
                        Stats.of(WorkerStartBenchmark.ratios(figures[a][0], figures[b][0])),
                        "the first scopes, ratio round by round"));
            }
        }
        return WorkerStartBenchmark.section(name, lines.toString());
    }

    /**
     * Runs {@link Child} for {@code side} in a fresh JVM on {@code jar}, with {@code flag} unless
     * null; returns its first and second scope's ms, the ms from the spawn to its exit, and the ms
     * SLF4J took to start before the first scope (0 but for {@code weft_logged}).
     */
    private double[] run(String jar, String side, String flag) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-preview"));
        if (flag != null) {
            command.add(flag);
        }
        command.addAll(List.of("-cp", jar, Child.class.getName(), side, Integer.toString(n)));
        boolean training = flag != null && flag.startsWith("-XX:AOTCacheOutput");
        long start = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = child.waitFor(120, TimeUnit.SECONDS);
        double jvm = (System.nanoTime() - start) / 1e6;
        if (!ended || child.exitValue() != 0) {
            child.destroyForcibly();
            throw new IOException("a " + side + " JVM failed: " + command + "\n" + output);
        }
        String line = output.lines().filter(l -> l.startsWith(PREFIX)).findFirst()
                .orElseThrow(() -> new IOException("a " + side + " JVM printed no figures: " + command + "\n" + output));
        if (!training && !line.equals(output.strip())) {
            throw new IOException("a " + side + " JVM printed more than its figures (a warning the figures would "
                    + "hide): " + command + "\n" + output);
        }
        String[] ms = line.substring(PREFIX.length()).strip().split(" ");
        return new double[] {Double.parseDouble(ms[0]), Double.parseDouble(ms[1]), jvm, Double.parseDouble(ms[2])};
    }

    /**
     * The program of a child JVM: {@code args[0]} names the side, {@code args[1]} the subtasks per
     * scope; prints the ms its first and second scope took, and the ms SLF4J took to start (0 but
     * for {@code weft_logged}). Each side is a class of its own, so a child loads the classes of
     * its side alone. The workloads are those of {@link ForkJoinBenchmark} and
     * {@link StsForkJoinBenchmark}, written again here: calling those would load their classes,
     * and whatever their verification pulls in, into a JVM whose class loading is what is timed.
     */
    public static final class Child {
        static final Callable<Integer> TASK = () -> 42;     // not private: the thin jar has no nest host

        private Child() {
        }

        public static void main(String[] args) throws Exception {
            String side = args[0];
            int n = Integer.parseInt(args[1]);
            long slf4j = System.nanoTime();
            if (side.equals("weft_logged")) {
                LoggerFactory.getLogger(Child.class);     // SLF4J starts here, before the clock
            }
            slf4j = System.nanoTime() - slf4j;
            long[] nanos = new long[3];
            for (int i = 0; i < 2; i++) {
                nanos[i] = System.nanoTime();
                int sum = switch (side) {
                    case "weft", "weft_logged" -> Weft.forkJoin(n);
                    case "sts" -> Sts.forkJoin(n);
                    case "executor" -> Executor.forkJoin(n);
                    default -> throw new IllegalArgumentException("no side " + side);
                };
                nanos[i + 1] = System.nanoTime();
                if (sum != 42 * n) {
                    throw new AssertionError("the subtasks summed to " + sum);
                }
            }
            System.out.printf(Locale.ROOT, "%s %.3f %.3f %.3f%n", PREFIX, (nanos[1] - nanos[0]) / 1e6,
                    (nanos[2] - nanos[1]) / 1e6, slf4j / 1e6);
        }

        static final class Weft {
            static int forkJoin(int n) throws InterruptedException {
                try (var scope = TaskScope.<Integer>open()) {
                    for (int i = 0; i < n; i++) {
                        scope.fork(TASK);
                    }
                    int sum = 0;
                    for (int value : scope.join()) {
                        sum += value;
                    }
                    return sum;
                }
            }
        }

        static final class Sts {
            static int forkJoin(int n) throws InterruptedException {
                try (var scope = StructuredTaskScope.open(Joiner.<Integer>allSuccessfulOrThrow())) {
                    for (int i = 0; i < n; i++) {
                        scope.fork(TASK);
                    }
                    return scope.join().mapToInt(StructuredTaskScope.Subtask::get).sum();
                }
            }
        }

        static final class Executor {
            static int forkJoin(int n) throws InterruptedException, ExecutionException {
                try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<Integer>> futures = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        futures.add(executor.submit(TASK));
                    }
                    int sum = 0;
                    for (Future<Integer> f : futures) {
                        sum += f.get();
                    }
                    return sum;
                }
            }
        }
    }
}
