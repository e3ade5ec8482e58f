package dev.weft.internal.jfr;

import java.util.List;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The events of a process pool's worker JVMs, as the parent sees them: {@code dev.weft.WorkerStarted}
 * and {@code dev.weft.WorkerExited}; call only where {@link Jfr#started}. Both are enabled by
 * default: a worker starts and ends rarely, and an end that nobody asked for is what a recording
 * should show.
 *
 * <p>{@link #started} commits {@code WorkerStarted} and returns the worker's token, a begun
 * {@code WorkerExited}, so that the exit's duration is the worker's life; a worker started while no
 * recording wanted either event has no token, and its exit is then recorded without a duration
 * ({@link #exited} with a null token).
 *
 * <p>Thread safety: the token is made by the thread that starts the worker and handed to the
 * worker's reader, which commits the exit, through the pool's lock.
 */
public final class WorkerEvents {
    /** What both events say: which worker of which pool. */
    abstract static class OfWorker extends Event {
        @Label("Pool")
        String pool;
        @Label("Worker")
        @Description("The worker's number in its pool, as in weft-process-POOL-N")
        int worker;
        @Label("Process Id")
        long pid;
    }

    /** A worker JVM started: committed by the thread that launched it. */
    @Name("dev.weft.WorkerStarted")
    @Label("Worker Started")
    @Category({"Weft", "Process Pool"})
    @Description("A process pool launched a worker JVM")
    @StackTrace(false)
    static final class Started extends OfWorker {
    }

    /** A worker JVM exited: its duration is its life; committed by its reader thread in the parent. */
    @Name("dev.weft.WorkerExited")
    @Label("Worker Exited")
    @Category({"Weft", "Process Pool"})
    @Description("A process pool's worker JVM exited; the duration is its life, if it started during the recording")
    @StackTrace(false)
    static final class Exited extends OfWorker {
        @Label("Exit Code")
        int exitCode;
        @Label("How")
        @Description("How it ended, in words: its exit code, the signal that killed it, a broken channel")
        String how;
        @Label("Expected")
        @Description("Whether the pool asked it to end (a stop, the pool's terminate or break); false for a death")
        boolean expected;
        @Label("Ready")
        @Description("Whether it had started its initializer and said it was ready")
        boolean ready;
        @Label("Standard Error")
        @Description("The last lines it wrote to its standard error")
        String stderr;
    }

    private static final Started STARTED = new Started();
    private static final Exited EXITED = new Exited();

    private WorkerEvents() {
    }

    /**
     * The thread that launched worker {@code worker} of {@code pool}: commits {@code WorkerStarted}
     * if it is enabled, and returns the worker's token, or null if neither event is.
     */
    public static Object started(String pool, int worker, long pid) {
        if (STARTED.isEnabled()) {
            of(new Started(), pool, worker, pid).commit();
        }
        if (!EXITED.isEnabled()) {
            return null;
        }
        Exited token = new Exited();
        token.begin();
        return token;
    }

    /**
     * The worker's reader, once the process has exited: commits {@code WorkerExited} if it is
     * enabled. {@code token} is what {@link #started} returned, or null.
     */
    public static void exited(Object token, String pool, int worker, long pid, int exitCode, String how,
                              boolean expected, boolean ready, List<String> stderrTail) {
        Exited event = token != null ? (Exited) token : new Exited();
        if (event.isEnabled()) {
            if (token != null) {
                event.end();
            }
            of(event, pool, worker, pid);
            event.exitCode = exitCode;
            event.how = how;
            event.expected = expected;
            event.ready = ready;
            event.stderr = String.join("\n", stderrTail);
            event.commit();
        }
    }

    /** Fills in which worker {@code event} is of. */
    private static <E extends OfWorker> E of(E event, String pool, int worker, long pid) {
        event.pool = pool;
        event.worker = worker;
        event.pid = pid;
        return event;
    }
}
