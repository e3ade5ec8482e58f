package dev.weft.internal.process;

/**
 * A process pool's rule for faults: which ends of its workers, ends that nobody asked for, break
 * it (see {@link WorkerExit} for how an end is read).
 *
 * <ul>
 * <li>{@code AfterDeath.BREAK} ({@code breakOnEveryEnd}): every one, as Python's {@code ProcessPoolExecutor}.</li>
 * <li>{@code AfterDeath.REPLACE}: a kill from outside never does, however many there are;
 *     nor does a death after the worker was ready (a task's {@code System.exit}, a crash, out of
 *     memory): only that worker's tasks fail. A fault that repeats does: a failing initializer at
 *     once (here, its exit code without its exception; its exception itself breaks the pool as it
 *     arrives), and {@value #START_FAILURES} workers in a row that cannot start, with no worker
 *     becoming ready and no task completing in between ({@link #progress}), so that a JVM that
 *     cannot start (a bad flag, a missing class) is not started again and again.</li>
 * </ul>
 * Either proof of progress resets the count: a worker that became ready shows that fresh workers
 * can start, and a completed task shows that the pool does its work.
 *
 * <p>Not thread-safe: used under the pool's lock.
 */
public final class WorkerFaults {
    /** Workers in a row that cannot start, with no progress in between, that break the pool. */
    public static final int START_FAILURES = 3;

    /** Whether every end nobody asked for breaks the pool ({@code AfterDeath.BREAK}). */
    private final boolean breakOnEveryEnd;
    /** Workers that could not start since the last progress; under the pool's lock. */
    private int startFailures;

    public WorkerFaults(boolean breakOnEveryEnd) {
        this.breakOnEveryEnd = breakOnEveryEnd;
    }

    /** A worker became ready, or a task completed. */
    public void progress() {
        startFailures = 0;
    }

    /** Why {@code exit}, which nobody asked for, breaks the pool; null if a new worker replaces it. */
    public String breaks(WorkerExit exit) {
        if (breakOnEveryEnd) {
            return exit + " " + exit.how() + ", and the pool's policy is AfterDeath.BREAK" + exit.lastLines();
        }
        if (exit.initializerFailed()) {
            return "its initializer failed in " + exit + ", which exited with code " + exit.exitCode()
                    + " before it could send the exception" + exit.lastLines();
        }
        if (!exit.startFault() || ++startFailures < START_FAILURES) {
            return null;
        }
        return START_FAILURES + " workers in a row could not start, with no worker becoming ready and no task "
                + "completing in between; the last, " + exit + ", " + exit.how() + exit.lastLines();
    }
}
