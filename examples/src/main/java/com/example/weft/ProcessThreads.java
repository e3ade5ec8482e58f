package com.example.weft;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import dev.weft.UncheckedInterruptedException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Example 4: thread pools inside process workers. Five process tasks each run five IO subtasks in
 * a {@link TaskScope} inside their worker JVM; every subtask returns a value, each process task
 * adds up its subtasks' values, and the main program adds up the processes' totals: the values
 * flow worker thread → process → main, as in the seed ({@code ProcessPoolExecutor} whose tasks use
 * a {@code ThreadPoolExecutor}).
 *
 * <p>A worker's own {@code System.out} is forwarded to the parent's, but its lines would mix with
 * other workers' in any order; so each subtask returns its line with its value, and the parent
 * prints them in order.
 *
 * Run it with {@code ./weft example ProcessThreads}.
 */
public final class ProcessThreads {
    /** What one subtask did: its numbers, the thread and JVM it ran in, and its value. */
    record ThreadResult(int process, int worker, String thread, long pid, int value) implements Serializable {
    }

    /** What one process task did: its subtasks' results and their total. */
    record ProcessResult(int process, String thread, long pid, List<ThreadResult> threads, int total)
            implements Serializable {
    }

    private ProcessThreads() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out, 5, 5, Pool.carrierCount(), 100);
    }

    /**
     * Runs {@code processes} process tasks on {@code workers} worker JVMs, each with
     * {@code threads} subtasks that wait {@code millis} (simulated IO); returns the main total.
     */
    static int run(PrintStream out, int processes, int threads, int workers, long millis) throws Exception {
        out.println(processes + " process tasks on " + workers + " worker JVMs, each with " + threads
                + " IO subtasks in a scope    (Python: ProcessPoolExecutor tasks that use a ThreadPoolExecutor)");
        List<ProcessResult> results;
        try (ProcessPool pool = Pool.processes(c -> c.withName("outer").withWorkers(workers))) {
            results = pool.map(i -> processTask(i, threads, millis), IntStream.rangeClosed(1, processes).boxed().toList(), 1);
        }
        int total = 0;
        for (ProcessResult process : results) {
            for (ThreadResult thread : process.threads()) {
                out.printf("   Process %d, thread worker %d: value %d  (%s in JVM %d)%n", thread.process(),
                        thread.worker(), thread.value(), thread.thread(), thread.pid());
            }
            out.printf("   Process %d total: %d  (task thread %s in JVM %d)%n", process.process(), process.total(),
                    process.thread(), process.pid());
            total += process.total();
        }
        out.println("   main total: " + total + ", from " + results.size() + " processes of " + threads
                + " threads each, in " + results.stream().map(ProcessResult::pid).distinct().count() + " worker JVMs");
        return total;
    }

    /** A process task: runs its subtasks in a scope, in its worker JVM, and adds up their values. */
    static ProcessResult processTask(int process, int threads, long millis) {
        try (var scope = TaskScope.open(Joiner.<ThreadResult>allSuccessful(), c -> c.withName("process-" + process))) {
            for (int j = 1; j <= threads; j++) {
                int worker = j;
                scope.fork(() -> {
                    Thread.sleep(millis);                        // simulated IO
                    return new ThreadResult(process, worker, Thread.currentThread().getName(),
                            ProcessHandle.current().pid(), value(process, worker));
                });
            }
            List<ThreadResult> done = scope.join();
            return new ProcessResult(process, Thread.currentThread().getName(), ProcessHandle.current().pid(), done,
                    done.stream().mapToInt(ThreadResult::value).sum());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException("process task " + process + " was interrupted", e);
        }
    }

    /** The value subtask {@code worker} of process {@code process} computes. */
    static int value(int process, int worker) {
        return process * 10 + worker;
    }
}
