package dev.weft.benchmarks;

import dev.weft.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
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
 * The seed's CPU workload on {@link Pool#cpu()}: {@code tasks} tasks (8), each summing
 * {@code 0..limit} (50,000,000), run three ways in one JMH run: one after another on the calling
 * thread ({@code sequential}), through {@code Pool.cpu()}'s {@code map} with Python's default
 * chunksize ({@code weft}; for 8 items on 2 workers that is 1 item a task), and through a
 * {@link ForkJoinPool} of the same size ({@code forkJoin}, a fork of each task, then a join of
 * each). Both pools are made once per trial, with {@link Pool#carrierCount()} threads.
 *
 * <p>Targets: {@code sequential / weft} at least 0.95 × cores (the speedup), and
 * {@code forkJoin / weft} at least 0.97 (Weft's throughput against the JDK's pool).
 *
 * <pre>
 * ./weft bench 'CpuPoolBenchmark|PoolMapBenchmark' -f 2 -wi 3 -i 5 -rf json -rff benchmarks/results/pools-cpu.json
 * ./weft bench CpuPoolBenchmark -p workers=1,2,4 -f 1 -rf json -rff benchmarks/results/pools-cpu-workers.json
 * </pre>
 *
 * <p>The sum is a plain {@code sum += i}: HotSpot unrolls it but has no closed form for it, so
 * every iteration is an add (about 15 ms a task here, checked against the {@code sequential}
 * figure); the limit comes from a {@link Param} field and each sum is returned, so the JIT can
 * neither fold a constant nor drop the loop. {@link Interleaved} ({@code --only pools}) measures
 * the same workloads with each pair of sides in alternating blocks. Results and the machine:
 * {@code docs/benchmarks.md}, section Pools.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CpuPoolBenchmark {

    /** Tasks per batch. */
    @Param({"8"})
    public int tasks;

    /** Each task sums {@code 0..limit}. */
    @Param({"50000000"})
    public long limit;

    /** Threads of both pools; 0 for {@link Pool#carrierCount()}. {@code -p workers=1,2,4} gives speedup against workers. */
    @Param({"0"})
    public int workers;

    private Pool pool;
    private ForkJoinPool forkJoinPool;
    private List<Long> inputs;

    @Setup(Level.Trial)
    public void setUp() {
        pool = workers == 0 ? Pool.cpu() : Pool.cpu(c -> c.withWorkers(workers));
        forkJoinPool = new ForkJoinPool(pool.workers());
        inputs = inputs(tasks, limit);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        forkJoinPool.close();
    }

    /** One task after another on the benchmark thread. */
    @Benchmark
    public long sequential() {
        return sequential(inputs);
    }

    /** {@code Pool.cpu().map(sum, inputs)}: Python's {@code Pool.map} with its default chunksize. */
    @Benchmark
    public long weft() throws InterruptedException {
        return weft(pool, inputs);
    }

    /** A {@code ForkJoinPool} of the same size: fork each task, then join each. */
    @Benchmark
    public long forkJoin() throws ExecutionException, InterruptedException {
        return forkJoin(forkJoinPool, inputs);
    }

    /** {@code tasks} copies of {@code limit}, as the items of the batch. */
    static List<Long> inputs(int tasks, long limit) {
        return LongStream.generate(() -> limit).limit(tasks).boxed().toList();
    }

    /** The task body: {@code 0 + 1 + ... + limit}, one add per iteration. */
    static long sum(long limit) {
        long sum = 0;
        for (long i = 0; i <= limit; i++) {
            sum += i;
        }
        return sum;
    }

    static long sequential(List<Long> inputs) {
        long total = 0;
        for (long limit : inputs) {
            total += sum(limit);
        }
        return total;
    }

    static long weft(Pool pool, List<Long> inputs) throws InterruptedException {
        long total = 0;
        for (long s : pool.map(CpuPoolBenchmark::sum, inputs)) {
            total += s;
        }
        return total;
    }

    static long forkJoin(ForkJoinPool forkJoinPool, List<Long> inputs) throws ExecutionException, InterruptedException {
        List<ForkJoinTask<Long>> forked = new ArrayList<>(inputs.size());
        for (long limit : inputs) {
            forked.add(forkJoinPool.submit(() -> sum(limit)));
        }
        long total = 0;
        for (ForkJoinTask<Long> task : forked) {
            total += task.get();
        }
        return total;
    }
}
