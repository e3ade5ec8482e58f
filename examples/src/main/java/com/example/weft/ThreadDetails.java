package com.example.weft;

import dev.weft.AsyncResult;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.TaskFuture;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Example 5: which threads a process pool uses, by name. In a worker JVM: the thread that runs the
 * initializer, the thread that runs the tasks, and the worker's other threads; in the parent: the
 * helper threads the pool runs for each worker, and the thread that runs a callback.
 *
 * <p>Python: {@code current_process().name}, {@code current_thread().name} in the initializer and
 * in a task.
 *
 * Run it with {@code ./weft example ThreadDetails}.
 */
public final class ThreadDetails {
    /** Set by the initializer in each worker JVM, read by that worker's tasks; one writer, then readers. */
    private static volatile String initializerThread = "(the initializer has not run)";

    /** What a task saw in its worker JVM. */
    record Seen(Pool.Worker worker, String taskThread, String initializerThread, List<String> workerThreads)
            implements Serializable {
    }

    private ThreadDetails() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out, 2);
    }

    /** Runs two tasks per worker on a pool of {@code workers} worker JVMs and prints who ran what. */
    static void run(PrintStream out, int workers) throws Exception {
        out.println("Threads of a process pool of " + workers + " workers, named 'details'");
        try (ProcessPool pool = Pool.processes(c -> c.withName("details").withWorkers(workers)
                .withInitializer(() -> initializerThread = Thread.currentThread().getName()))) {
            List<TaskFuture<Seen>> futures = new ArrayList<>();
            for (int i = 0; i < 2 * workers; i++) {
                futures.add(pool.submit(ThreadDetails::look));
            }
            TreeSet<String> seen = new TreeSet<>();
            for (TaskFuture<Seen> future : futures) {
                Seen s = future.get();
                seen.add(String.format("   worker %d (JVM %d): initializer ran on %s; tasks run on %s;"
                                + " its threads: %s", s.worker().index(), s.worker().pid(), s.initializerThread(),
                        s.taskThread(), s.workerThreads()));
            }
            out.println("In the worker JVMs (Pool.currentWorker(), Thread.currentThread()):");
            seen.forEach(out::println);

            out.println("In the parent, the pool's helper threads:");
            for (String name : parentThreads("weft-process-details-")) {
                out.println("   " + name + (name.endsWith("-reader")
                        ? "  (reads the worker's results, completes the futures, runs callbacks)"
                        : "  (copies the worker's standard error to ours)"));
            }
            List<String> callbackThread = new ArrayList<>();
            AsyncResult<String> r = pool.applyAsync(x -> x, "hello", x -> callbackThread.add(Thread.currentThread().getName()),
                    e -> callbackThread.add("error: " + e));
            r.get();                                             // ready only after the callback returned
            out.println("A callback of applyAsync ran on " + callbackThread.get(0) + " (in the parent)");
        }
        out.println("After close(), helper threads left: " + parentThreads("weft-process-details-").size());
    }

    /** A task: reports where it runs. */
    static Seen look() throws InterruptedException {
        Thread.sleep(100);                                        // simulated work, so both workers get tasks
        List<String> threads = new ArrayList<>(parentThreads("weft-"));
        return new Seen(Pool.currentWorker().orElseThrow(), Thread.currentThread().getName(), initializerThread, threads);
    }

    /** The names of this JVM's live threads that start with {@code prefix}, sorted. */
    static List<String> parentThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).sorted().toList();
    }
}
