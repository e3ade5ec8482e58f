package dev.weft.benchmarks;

import dev.weft.Pool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A pool's fixed cost, as code that opens a pool per request pays it: {@code Pool.io()} opened and
 * closed empty, and with one task; against the JDK's {@code newVirtualThreadPerTaskExecutor()} doing
 * the same. Since issue 18 a pool registers its {@code PoolMXBean} as it opens and unregisters it
 * as it terminates; {@code -jvmArgs -Ddev.weft.jmx=false} measures the same without them.
 *
 * <pre>
 * ./weft bench PoolLifeBenchmark -f 2 -rf json -rff benchmarks/results/pool-life.json
 * ./weft bench PoolLifeBenchmark -f 2 -jvmArgs -Ddev.weft.jmx=false
 * </pre>
 *
 * Results: {@code docs/benchmarks.md}, "Issue 18: what watching costs".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolLifeBenchmark {

    /** {@code Pool.io()} opened and closed, without a task. */
    @Benchmark
    public void weftEmpty() {
        Pool.io().close();
    }

    /** {@code Pool.io()}, one task, its result, close. */
    @Benchmark
    public int weftOneTask() throws InterruptedException, ExecutionException {
        try (Pool pool = Pool.io()) {
            return pool.submit(() -> 42).get();
        }
    }

    /** The JDK's executor opened and closed, without a task. */
    @Benchmark
    public void rawEmpty() {
        Executors.newVirtualThreadPerTaskExecutor().close();
    }

    /** The JDK's executor, one task, its result, close. */
    @Benchmark
    public int rawOneTask() throws InterruptedException, ExecutionException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            return pool.submit(() -> 42).get();
        }
    }
}
