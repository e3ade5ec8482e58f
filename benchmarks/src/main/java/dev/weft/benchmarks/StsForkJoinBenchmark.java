package dev.weft.benchmarks;

import dev.weft.TaskScope;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fork+join overhead of Weft's two engines against the raw JDK 25 {@link StructuredTaskScope}, side
 * by side: open a scope, fork {@code n} trivial subtasks (each returns a constant), join, close.
 * {@code weftCore} and {@code weftSts} run the same Weft code ({@link ForkJoinBenchmark#weft(int)});
 * the engine is chosen per JVM, so each runs in its own fork with {@code -Ddev.weft.engine}.
 * {@code rawSts} is {@code StructuredTaskScope.open(Joiner.allSuccessfulOrThrow())}, the JDK's
 * counterpart of Weft's default policy. {@code rawExecutor} and {@code joinedThreads} are
 * {@link ForkJoinBenchmark}'s, so that the JDK's scope, which also waits for its threads to end,
 * can be set against the executor issue 2 measures Weft against. Every fork runs with
 * {@code --enable-preview}, so they differ only in the code they run. Built only on JDK 25 (profile {@code sts} of the benchmarks).
 *
 * <pre>
 * ./weft mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar StsForkJoinBenchmark -rf json -rff benchmarks/results/sts-fork-join.json
 * </pre>
 *
 * Results, with the machine they were measured on: {@code docs/sts-engine.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StsForkJoinBenchmark {

    private static final Callable<Integer> TASK = () -> 42;

    /** Subtasks per scope. */
    @Param({"1", "10", "100"})
    public int n;

    /** Fails the fork at once if it does not run the engine its name says. */
    @Setup
    public void checkEngine(org.openjdk.jmh.infra.BenchmarkParams params) {
        String label = params.getBenchmark();
        String wanted = label.endsWith("weftSts") ? "sts" : label.endsWith("weftCore") ? "core" : null;
        if (wanted != null && !TaskScope.engine().equals(wanted)) {
            throw new IllegalStateException(label + " runs on engine " + TaskScope.engine());
        }
    }

    /** Weft on its core engine. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-preview", "-Ddev.weft.engine=core"})
    public List<Integer> weftCore() throws InterruptedException {
        return ForkJoinBenchmark.weft(n);
    }

    /** Weft on the sts engine: the same code, its threads in a JDK StructuredTaskScope. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-preview", "-Ddev.weft.engine=sts"})
    public List<Integer> weftSts() throws InterruptedException {
        return ForkJoinBenchmark.weft(n);
    }

    /**
     * The raw executor of {@link ForkJoinBenchmark}, whose {@code close} does not wait for its
     * threads to end: the peer of issue 2's fork+join target, here beside the JDK's own scope.
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "--enable-preview")
    public int rawExecutor() throws Exception {
        return ForkJoinBenchmark.raw(n);
    }

    /** The floor of a batch that waits for its threads to end ({@link ForkJoinBenchmark#joinedThreads}). */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "--enable-preview")
    public int joinedThreads() throws Exception {
        return ForkJoinBenchmark.joinedThreads(n);
    }

    /** The raw JDK 25 StructuredTaskScope with its all-must-succeed joiner. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "--enable-preview")
    public int rawSts() throws InterruptedException {
        return rawSts(n);
    }

    /** The workload of {@link #rawSts()}, shared with {@link StsInterleaved}. */
    static int rawSts(int n) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<Integer>allSuccessfulOrThrow())) {
            for (int i = 0; i < n; i++) {
                scope.fork(TASK);
            }
            return scope.join().mapToInt(Subtask::get).sum();
        }
    }
}
