package dev.weft;

import dev.weft.internal.jfr.Jfr;
import dev.weft.internal.jfr.PoolEvents;
import dev.weft.internal.remote.RemoteDispatcher;
import java.util.concurrent.Callable;
import java.util.concurrent.RunnableFuture;

/**
 * A task of an {@link AbstractPool}: the future its caller holds (the read side: nobody outside
 * the pool can complete it) and the runnable a worker runs.
 *
 * <p>{@link #run()} completes the future as {@link SettableFuture} asks of an executor: it skips a
 * task whose future is no longer pending when its turn comes (cancelled; or already run, by a
 * caller that ran it as the {@code RunnableFuture} it is), and otherwise marks it running,
 * registers it with the pool's running set (so that {@code terminate} can interrupt it), runs it
 * and always ends with {@code complete} or {@code completeExceptionally}, which waits for a
 * cancelling interrupt to be delivered. It never throws, so a worker survives every task. A task
 * that starts after {@code terminate} cancels itself instead of running: the pool re-checks its
 * state after registering, and {@code terminate} sweeps the running set after setting the state,
 * so one of the two always sees the other.
 *
 * <p>A thread of the pool that waits for this future without a timeout goes through
 * {@link AbstractPool#enterOwnWait}, which throws rather than let it wait for ever.
 *
 * <h2>Counted and recorded</h2>
 * The pool calls {@link #queued()} under its lock when it accepts the task, before any worker can
 * see it; from then on the task counts itself in the pool's {@link PoolBean} as it starts and ends
 * (the future's {@link #onStarted}, once, and {@link #onEnding}, before anyone can see it done),
 * and, if a recording wanted its events when it was queued, records them ({@link PoolEvents},
 * through the token {@code flight}). A task the pool never accepted (a map's chunk refused after
 * shutdown) counts nothing.
 */
final class PoolTask<T> extends AbstractPool.OwnFuture<T>
        implements RunnableFuture<T>, PoolMapping.CancelFlag, RemoteDispatcher.Ticket {
    /**
     * The task; dropped once the future completes, as {@code FutureTask} drops its own, so that a
     * caller that keeps done futures (or a pool that keeps its last thread) keeps no argument or
     * input alive. Written by the submitting thread, cleared by the completing one; a thread that
     * still reads it afterwards only keeps it a little longer.
     */
    private Callable<? extends T> callable;
    /** Tasks given to {@code execute} have no future anyone reads, so their failures are logged. */
    private final boolean logFailure;
    /**
     * Whether the pool accepted it; written once by the submitting thread under the pool's lock,
     * before any other thread can see the task, read by the threads that start and end it.
     */
    private boolean queued;
    /** The Flight Recorder token ({@link PoolEvents}), or null; written with {@code queued}. */
    private Object flight;

    PoolTask(AbstractPool pool, Callable<? extends T> callable, boolean logFailure) {
        super(pool);
        this.callable = callable;
        this.logFailure = logFailure;
    }

    /** The task as submitted: what a process pool sends to a worker. */
    Callable<? extends T> callable() {
        return callable;
    }

    /** Under the pool's lock, as it accepts the task: counts it queued, and records it if a recording wants. */
    void queued() {
        queued = true;
        pool.bean.queued();
        if (Jfr.started()) {
            flight = PoolEvents.queued(pool.name, pool.kind);
        }
    }

    @Override
    void onStarted() {
        if (queued) {
            pool.bean.started();
            if (flight != null) {
                PoolEvents.started(flight);
            }
        }
    }

    @Override
    void onEnding(State outcome, boolean wasRunning, int delta) {
        if (queued) {
            pool.bean.ended(outcome, wasRunning, delta);
        }
    }

    @Override
    void onEnded(boolean wasRunning) {
        callable = null;
        if (flight != null) {
            State outcome = state();
            PoolEvents.ended(flight, outcome.name(), outcome == State.FAILED ? exceptionNow() : null);
        }
    }

    /** A pool whose tasks run elsewhere cancels them there; otherwise the runner thread is interrupted. */
    @Override
    void onCancel(boolean mayInterruptIfRunning) {
        if (!pool.cancelRemotely(this, mayInterruptIfRunning)) {
            super.onCancel(mayInterruptIfRunning);
        }
    }

    /** Runs the task in the calling worker thread; see the class comment. Never throws. */
    @Override
    public void run() {
        Callable<? extends T> task = callable;     // before a racing completion drops it
        if (pool.isTerminating()) {
            cancel(false);
            return;
        }
        if (!tryMarkRunning()) {
            return;                         // cancelled before its turn, or already run
        }
        pool.running.add(this);
        try {
            if (pool.isTerminating()) {
                cancel(false);
                complete(null);             // returns false; waits for a racing cancel(true)
            } else {
                PoolMapping.CancelFlag.RUNNING.set(this);
                try {
                    complete(task.call());
                } finally {
                    PoolMapping.CancelFlag.RUNNING.remove();
                }
            }
        } catch (Throwable e) {
            if (completeExceptionally(e) && logFailure) {
                Logs.pool().warn("task {} run by execute() in pool '{}' threw", task, pool.name(), e);
            }
        } finally {
            pool.running.remove(this);
        }
    }
}
