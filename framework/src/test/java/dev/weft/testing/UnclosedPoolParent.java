package dev.weft.testing;

import dev.weft.Pool;
import dev.weft.ProcessPool;

/**
 * A parent JVM for the test of what keeps a JVM alive: opens a process pool of one worker, runs a
 * task, prints the worker's pid on one line, and returns from {@code main}, closing the pool first
 * only when its argument is {@code close}.
 */
public final class UnclosedPoolParent {
    private UnclosedPoolParent() {
    }

    public static void main(String[] args) throws Exception {
        ProcessPool pool = Pool.processes(c -> c.withWorkers(1));
        long pid = pool.submit(() -> ProcessHandle.current().pid()).get();
        System.out.println("WORKER " + pid);
        System.out.flush();
        if (args.length > 0 && args[0].equals("close")) {
            pool.close();
        }
    }
}
