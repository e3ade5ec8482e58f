package dev.weft.benchmarks;

import dev.weft.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Pool.cpu().map} over {@code items} (1,000,000) tiny items with Python's default
 * chunksize ({@code ceil(n / (4 × workers))}: 125,000 on 2 workers, so 8 chunk tasks), against
 * the JDK's answer to the same job, a parallel stream ({@code items.parallelStream().map(fn).toList()},
 * on the common pool, whose workers and the calling thread make as many threads as cores). The
 * function is one multiply-add on a boxed {@code Integer}, so the figure is the cost of the
 * machinery: copying the input, splitting it, collecting the results in order.
 *
 * <p>Target: {@code parallelStream / weft} at least 0.8 (Weft's throughput against the stream's).
 *
 * <pre>
 * ./weft bench 'CpuPoolBenchmark|PoolMapBenchmark' -f 2 -wi 3 -i 5 -rf json -rff benchmarks/results/pools-cpu.json
 * </pre>
 *
 * Results and the machine: {@code docs/benchmarks.md}, section Pools.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// A fixed, pre-touched heap: on this VM the first touch of a page is slow, and with a growing heap
// G1's pauses varied tenfold between runs; both sides get the same heap.
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class PoolMapBenchmark {

    /** The tiny function: one multiply-add. */
    static final Function<Integer, Integer> TINY = x -> x * 31 + 7;

    /** How many items a map call gets. */
    @Param({"1000000"})
    public int items;

    private Pool pool;
    private List<Integer> inputs;

    @Setup(Level.Trial)
    public void setUp() {
        pool = Pool.cpu();
        inputs = inputs(items);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** {@code Pool.cpu().map(fn, items)}, default chunksize. */
    @Benchmark
    public List<Integer> weft() throws InterruptedException {
        return pool.map(TINY, inputs);
    }

    /** {@code items.parallelStream().map(fn).toList()}. */
    @Benchmark
    public List<Integer> parallelStream() {
        return parallelStream(inputs);
    }

    /** The items, in an {@code ArrayList} as a caller would have them. */
    static List<Integer> inputs(int items) {
        return IntStream.range(0, items).boxed().collect(Collectors.toCollection(ArrayList::new));
    }

    static List<Integer> parallelStream(List<Integer> inputs) {
        return inputs.parallelStream().map(TINY).toList();
    }
}
