package dev.weft.testing;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import java.util.List;

/**
 * A parent JVM for the orphan test: opens a process pool, prints its workers' pids on one line,
 * then waits to be killed.
 */
public final class OrphanParent {
    private OrphanParent() {
    }

    public static void main(String[] args) throws Exception {
        ProcessPool pool = Pool.processes(c -> c.withWorkers(2));
        List<Long> pids = pool.map(x -> Pool.currentWorker().orElseThrow().pid(), List.of(1, 2, 3, 4, 5, 6), 1);
        System.out.println("PIDS " + pids.stream().distinct().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse(""));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);       // until the test kills this JVM
    }
}
