package dev.weft.testing;

import static dev.weft.testing.Tasks.call;

import dev.weft.Pool;
import dev.weft.TaskFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * Tasks that hold a pool's workers until the test releases them, on every pool kind (they
 * coordinate through a {@link Flag} and a {@link Tally}): so that later tasks wait in the pool's
 * queue, or so that a known number of tasks is running.
 */
public final class Busy {
    private Busy() {
    }

    /** Submits a task per worker that holds it until the returned flag is raised; returns once all run. */
    public static Flag everyWorker(Pool pool) {
        return hold(pool, pool.workers(), new ArrayList<>());
    }

    /**
     * Submits {@code tasks} tasks that each run until the returned flag is raised, adding their
     * futures to {@code futures}; returns once all of them run.
     */
    public static Flag hold(Pool pool, int tasks, List<TaskFuture<Object>> futures) {
        Flag release = Flag.create();
        Tally busy = Tally.create();
        for (int i = 0; i < tasks; i++) {
            futures.add(pool.submit(call(() -> {
                busy.add();
                release.await("the test releases the workers");
                return null;
            })));
        }
        busy.awaitCount(tasks, tasks + " tasks run and hold their workers");
        return release;
    }
}
