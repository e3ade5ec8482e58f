package dev.weft.testing;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A parent JVM for the orphan tests: opens a process pool, prints its workers' pids on one line
 * once one has run a task, then waits to be killed.
 *
 * <p>With an argument, a path: the pool's one worker JVM pauses as it starts, before its main
 * class runs, until that file is deleted (HotSpot's {@code -XX:+PauseAtStartup}); the parent prints
 * its pid once the worker has paused, so that the test can kill the parent while its worker is
 * starting.
 */
public final class OrphanParent {
    private OrphanParent() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            Path pauseFile = Path.of(args[0]);
            ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withJvmArgs("-XX:+UnlockDiagnosticVMOptions",
                    "-XX:+PauseAtStartup", "-XX:PauseAtStartupFile=" + pauseFile));
            Await.until("the worker paused as it started", () -> Files.exists(pauseFile), Await.LIMIT.multipliedBy(3));
            System.out.println("PIDS " + children() + (pool.isShutdown() ? " (shut down?)" : ""));
        } else {
            ProcessPool pool = Pool.processes(c -> c.withWorkers(2));
            // Once a task has run, every worker has been launched; a slower one may run none of them.
            pool.map(x -> Pool.currentWorker().orElseThrow().pid(), List.of(1, 2, 3, 4, 5, 6), 1);
            System.out.println("PIDS " + children());
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);       // until the test kills this JVM
    }

    /** The pids of this JVM's children, its pool's workers, separated by spaces. */
    private static String children() {
        return ProcessHandle.current().children().map(p -> String.valueOf(p.pid())).reduce((a, b) -> a + " " + b)
                .orElse("");
    }
}
