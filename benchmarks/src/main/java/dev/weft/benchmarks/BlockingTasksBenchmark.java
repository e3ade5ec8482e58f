package dev.weft.benchmarks;

import dev.weft.TaskScope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The IO-bound case Weft is for: {@code tasks} subtasks that each block for {@code sleepMillis}
 * (a {@code Thread.sleep} stands in for a network call), timed as one batch from the first fork
 * to the end of {@code close}. The ideal is {@code sleepMillis} plus the time to start and finish
 * {@code tasks} virtual threads; the raw JDK baseline is a
 * {@link Executors#newVirtualThreadPerTaskExecutor()} that submits the same tasks and gets each
 * future.
 *
 * <p>Single-shot: one batch is one measurement, and the sleep dominates, so the figure is wall
 * time rather than throughput. Target: {@code weft} at most 1.1 times {@code raw}.
 *
 * <pre>
 * ./weft bench BlockingTasksBenchmark -f 2 -wi 5 -i 20 -rf json -rff benchmarks/results/blocking-tasks.json
 * </pre>
 *
 * {@link Interleaved} measures the same workload with the two engines in alternating blocks.
 * Results, with the figures and the machine they were measured on: {@code docs/benchmarks.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(1)
public class BlockingTasksBenchmark {

    /** Subtasks per batch. */
    @Param({"10000"})
    public int tasks;

    /** How long each subtask blocks. */
    @Param({"100"})
    public long sleepMillis;

    /** Weft: one scope, {@code fork} each, {@code join}, {@code close}. */
    @Benchmark
    public List<Long> weft() throws InterruptedException {
        return weft(tasks, sleepMillis);
    }

    /** The raw JDK: one executor, {@code submit} each, {@code get} each, {@code close}. */
    @Benchmark
    public long raw() throws InterruptedException, ExecutionException {
        return raw(tasks, sleepMillis);
    }

    private static Callable<Long> sleeper(long sleepMillis) {
        return () -> {
            Thread.sleep(sleepMillis);
            return sleepMillis;
        };
    }

    static List<Long> weft(int tasks, long sleepMillis) throws InterruptedException {
        Callable<Long> task = sleeper(sleepMillis);
        try (var scope = TaskScope.<Long>open()) {
            for (int i = 0; i < tasks; i++) {
                scope.fork(task);
            }
            return scope.join();
        }
    }

    static long raw(int tasks, long sleepMillis) throws InterruptedException, ExecutionException {
        Callable<Long> task = sleeper(sleepMillis);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> futures = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                futures.add(executor.submit(task));
            }
            long sum = 0;
            for (Future<Long> f : futures) {
                sum += f.get();
            }
            return sum;
        }
    }
}
