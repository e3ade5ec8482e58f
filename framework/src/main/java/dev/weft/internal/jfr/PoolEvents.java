package dev.weft.internal.jfr;

import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The events of a pool's task: {@code dev.weft.PoolTaskQueued}, {@code dev.weft.PoolTaskStarted}
 * and {@code dev.weft.PoolTaskEnded}, for every kind of pool (in the parent, for the pools whose
 * tasks run elsewhere); call only where {@link Jfr#started}.
 *
 * <h2>How a task uses them</h2>
 * When the pool accepts a task, {@link #queued} commits {@code PoolTaskQueued} if it is enabled and,
 * if any of the three is, returns the task's token: a {@code PoolTaskEnded} that carries the pool,
 * a number for the task and the time it was queued. A task queued while no recording wanted them has
 * no token, and records nothing later. When the task starts ({@link #started}: in the worker thread
 * of a thread pool; for a process or cluster pool, in the thread that sends it, just before), the
 * token is begun, and {@code PoolTaskStarted} committed with the time it waited; when its future
 * completes or is cancelled ({@link #ended}, in the thread that does it), the token is committed if
 * it lasted past the threshold. Its duration is the run, from start to end; a task that ended
 * without starting (cancelled, or failed by a broken pool) has none.
 *
 * <h2>Defaults</h2>
 * All three are off unless a recording enables them: each costs every task of every pool clock
 * reads and an object. Once enabled, {@code PoolTaskEnded} has a 20 ms threshold unless the
 * recording sets another.
 *
 * <p>Thread safety: a token is handed from the queueing thread to the starting one and then to the
 * ending one through the pool's own happens-before edges (its queue, the future's state).
 */
public final class PoolEvents {
    /** Numbers the tasks queued while a recording wanted these events; any thread. */
    private static final AtomicLong IDS = new AtomicLong();

    /** What every task event says: which task of which pool. */
    abstract static class OfTask extends Event {
        @Label("Pool")
        String pool;
        @Label("Kind")
        @Description("io, cpu, processes or cluster")
        String kind;
        @Label("Task Id")
        @Description("A number for the task, the same in its three events")
        long taskId;
    }

    /** A task queued: committed by the thread that submitted it. */
    @Name("dev.weft.PoolTaskQueued")
    @Label("Pool Task Queued")
    @Category({"Weft", "Pools"})
    @Description("A pool accepted a task (a submit, or a chunk of a map); the event's thread submitted it")
    @Enabled(false)
    @StackTrace(false)
    static final class Queued extends OfTask {
    }

    /** A task started: committed where it starts. */
    @Name("dev.weft.PoolTaskStarted")
    @Label("Pool Task Started")
    @Category({"Weft", "Pools"})
    @Description("A pool's task started: in a thread pool, the event's thread runs it; in a process or cluster "
            + "pool, the event's thread sends it to a worker or member")
    @Enabled(false)
    @StackTrace(false)
    static final class Started extends OfTask {
        @Label("Wait Time")
        @Description("From queued to started")
        @Timespan(Timespan.NANOSECONDS)
        long waitTime;
    }

    /** A task ended: its duration is its run; committed by the thread that completed or cancelled its future. */
    @Name("dev.weft.PoolTaskEnded")
    @Label("Pool Task Ended")
    @Category({"Weft", "Pools"})
    @Description("A pool's task ended; the duration is its run, from start to end (none if it never started)")
    @Enabled(false)
    @Threshold("20 ms")
    @StackTrace(false)
    static final class Ended extends OfTask {
        @Label("Outcome")
        @Description("SUCCESS, FAILED or CANCELLED")
        String outcome;
        @Label("Started")
        @Description("Whether it started before it ended")
        boolean started;
        @Label("Wait Time")
        @Description("From queued to started, or to its end if it never started")
        @Timespan(Timespan.NANOSECONDS)
        long waitTime;
        @Label("Exception")
        Class<?> exception;
        @Label("Message")
        String message;
        /** When it was queued, by {@link System#nanoTime()}: not recorded. */
        transient long queuedAt;
    }

    private static final Queued QUEUED = new Queued();
    private static final Started STARTED = new Started();
    private static final Ended ENDED = new Ended();

    private PoolEvents() {
    }

    /**
     * The submitting thread, when pool {@code pool} of kind {@code kind} accepts a task: commits
     * {@code PoolTaskQueued} if it is enabled, and returns the task's token, or null if a recording
     * wants none of the three events.
     */
    public static Object queued(String pool, String kind) {
        boolean queued = QUEUED.isEnabled();
        if (!queued && !ENDED.isEnabled() && !STARTED.isEnabled()) {
            return null;
        }
        long id = IDS.incrementAndGet();
        if (queued) {
            of(new Queued(), pool, kind, id).commit();
        }
        Ended token = of(new Ended(), pool, kind, id);
        token.queuedAt = System.nanoTime();
        return token;
    }

    /** Fills in which task {@code event} is of. */
    private static <E extends OfTask> E of(E event, String pool, String kind, long taskId) {
        event.pool = pool;
        event.kind = kind;
        event.taskId = taskId;
        return event;
    }

    /** The thread that starts the task of {@code token}: begins it, and commits {@code PoolTaskStarted} if enabled. */
    public static void started(Object token) {
        Ended task = (Ended) token;
        task.started = true;
        task.waitTime = System.nanoTime() - task.queuedAt;
        task.begin();
        if (STARTED.isEnabled()) {
            Started event = of(new Started(), task.pool, task.kind, task.taskId);
            event.waitTime = task.waitTime;
            event.commit();
        }
    }

    /**
     * The thread that completed or cancelled the future of the task of {@code token}: commits its
     * {@code PoolTaskEnded} if it lasted past the threshold. {@code failure} may be null.
     */
    public static void ended(Object token, String outcome, Throwable failure) {
        Ended task = (Ended) token;
        if (task.started) {
            task.end();
        } else {
            task.waitTime = System.nanoTime() - task.queuedAt;
        }
        if (task.shouldCommit()) {
            task.outcome = outcome;
            if (failure != null) {
                task.exception = failure.getClass();
                task.message = failure.getMessage();
            }
            task.commit();
        }
    }
}
