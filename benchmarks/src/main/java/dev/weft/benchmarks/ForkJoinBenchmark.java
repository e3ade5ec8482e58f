package dev.weft.benchmarks;

import dev.weft.TaskScope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * The fixed cost of structure: open a scope, fork {@code n} trivial subtasks (each returns a
 * constant), join, close; against the raw JDK doing the same job, a
 * {@link Executors#newVirtualThreadPerTaskExecutor()} opened per batch, {@code submit} and
 * {@code get} for each task, then {@code close}. Both start one virtual thread per task and both
 * wait in {@code close} for every thread to end, so the difference is Weft's bookkeeping: the
 * subtask handle, the join policy's callbacks, the completion count, the owner's wake-up.
 *
 * <p>Target: {@code weft} at most 1.2 times {@code raw} for every {@code n}.
 *
 * <pre>
 * ./weft bench ForkJoinBenchmark -f 3 -wi 3 -i 5 -rf json -rff benchmarks/results/fork-join.json
 * </pre>
 *
 * At these sizes the figure is mostly the cost of waking threads, which drifts from one second to
 * the next on a small machine; {@link Interleaved} measures the same workload with the two engines
 * in alternating blocks. Results, with the figures and the machine they were measured on: {@code docs/benchmarks.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ForkJoinBenchmark {

    private static final Callable<Integer> TASK = () -> 42;

    /** Subtasks per scope. */
    @Param({"1", "10", "100"})
    public int n;

    /** Weft: {@code TaskScope.open()}, {@code fork} each, {@code join}, {@code close}. */
    @Benchmark
    public List<Integer> weft() throws InterruptedException {
        return weft(n);
    }

    /** The raw JDK: an executor per batch, {@code submit} each, {@code get} each, {@code close}. */
    @Benchmark
    public int raw() throws InterruptedException, ExecutionException {
        return raw(n);
    }

    /** The floor of any scope that waits for its threads to end: see {@link #joinedThreads(int)}. */
    @Benchmark
    public int joinedThreads() throws Exception {
        return joinedThreads(n);
    }

    static List<Integer> weft(int n) throws InterruptedException {
        try (var scope = TaskScope.<Integer>open()) {
            for (int i = 0; i < n; i++) {
                scope.fork(TASK);
            }
            return scope.join();
        }
    }

    private static final ThreadFactory UNNAMED = Thread.ofVirtual().factory();

    /**
     * The least a batch can do that, like a Weft scope or the JDK's {@code StructuredTaskScope},
     * lets no thread outlive it: an unnamed virtual thread per task, a count of the tasks done, the
     * owner parked until it reaches zero, then a join of every thread. No handles, no policy, no
     * names, no context. The raw executor's {@code close} does less: it returns once every task
     * has run, while the threads may still be on their way out. Comparing Weft with this separates
     * what Weft adds from what waiting for termination costs.
     */
    static int joinedThreads(int n) throws Exception {
        Thread owner = Thread.currentThread();
        AtomicInteger left = new AtomicInteger(n);
        int[] results = new int[n];
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            int slot = i;
            threads[i] = UNNAMED.newThread(() -> {
                try {
                    results[slot] = TASK.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    if (left.decrementAndGet() == 0) {
                        LockSupport.unpark(owner);
                    }
                }
            });
            threads[i].start();
        }
        while (left.get() != 0) {
            LockSupport.park();
        }
        int sum = 0;
        for (int i = 0; i < n; i++) {
            threads[i].join();
            sum += results[i];
        }
        return sum;
    }

    static int raw(int n) throws InterruptedException, ExecutionException {
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
