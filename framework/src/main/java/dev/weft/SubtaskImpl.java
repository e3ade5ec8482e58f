package dev.weft;

import dev.weft.internal.jfr.ScopeEvents;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.slf4j.MDC;

/**
 * A forked subtask: its task, its thread once it has one, and its outcome; and, as a
 * {@link Runnable}, its thread's body (as the JDK's own subtasks are).
 *
 * <p>States: {@code RUNNING} (forked, queued or running) moves once to {@code SUCCESS},
 * {@code FAILED} or {@code CANCELLED}. Only the thread that finishes the subtask writes
 * {@link #value}, {@link #exception} and then {@link #state}; the volatile write of {@code state}
 * publishes the other two, so a reader that sees a final state sees the outcome.
 *
 * <p>Its thread does what can wait until the subtask runs, so that {@code fork} does not: a thread
 * of the scope's default factory is made without a name, and names itself
 * ({@code weft-scope-NAME-N}, or {@code weft-scope-N} in an unnamed scope, from
 * {@link #threadIndex}) before anything else. In a scope with a Flight Recorder token, it also
 * times its run for the {@code dev.weft.SubtaskEnded} event ({@link ScopeEvents}).
 */
final class SubtaskImpl<T> implements TaskScope.Subtask<T>, Runnable {
    private final ScopeImpl<?, ?> scope;
    private final Callable<? extends T> task;
    /** The owner's MDC when it forked, or null if it had none. Immutable after construction. */
    private final Map<String, String> mdc;

    /**
     * The next subtask in the scope's completion queue; written once by the thread that queues
     * that next subtask, read by the owner.
     */
    volatile SubtaskImpl<?> nextCompleted;
    /** The subtask forked before this one in the same scope; written by the owner before it publishes this one. */
    SubtaskImpl<?> older;
    /**
     * Written once, before the thread starts, by the thread that starts it (and cleared if it
     * cannot start); read by cancel, and by the thread's body, which runs the subtask only in the
     * thread recorded here.
     */
    volatile Thread thread;
    /**
     * N of the name {@code weft-scope-NAME-N} (or {@code weft-scope-N}) the thread gives itself, or
     * 0 for a thread of the user's factory, which keeps its own name; written by the thread that makes the thread,
     * before starting it, read by the thread once started and by {@link #toString()}.
     */
    int threadIndex;
    /**
     * The innermost open scope of this subtask's thread, where {@link SubtaskBinding} keeps it
     * there ({@code ScopedSubtaskBinding}, JDK 25); read and written only by that thread.
     */
    ScopeImpl<?, ?> innermost;
    /** Written by the finishing thread before {@link #state}; read after reading state. */
    private T value;
    private Throwable exception;
    /** Written once by the finishing thread; read by anyone. */
    private volatile Future.State state = Future.State.RUNNING;
    /**
     * Whether it holds one of the scope's concurrency slots; written under the lock of the scope's
     * {@link ConcurrencyLimit} before the thread starts, read by the same subtask's finishing thread.
     */
    boolean holdsSlot;
    /**
     * Whether its thread has called {@link #run()}: a thread of the user's factory that calls the
     * body a second time does nothing. Read and written by that thread only.
     */
    private boolean ran;
    /** Owner only: set when {@link TaskScope#asCompleted()} returned this subtask. */
    boolean delivered;
    /**
     * Whether it finished once the scope's deadline had passed; written by the finishing thread
     * before it puts the subtask on the completion queue, read by the owner after taking it off.
     */
    boolean afterDeadline;

    SubtaskImpl(ScopeImpl<?, ?> scope, Callable<? extends T> task) {
        this(scope, task, MDC.getCopyOfContextMap());
    }

    private SubtaskImpl(ScopeImpl<?, ?> scope, Callable<? extends T> task, Map<String, String> mdc) {
        this.scope = scope;
        this.task = task;
        this.mdc = mdc;
    }

    /** The placeholder a scope's completion queue starts from; never forked, never returned. */
    static SubtaskImpl<Object> stub(ScopeImpl<?, ?> scope) {
        return new SubtaskImpl<>(scope, null, null);
    }

    ScopeImpl<?, ?> scope() {
        return scope;
    }

    /**
     * The body of the subtask's thread. It runs the subtask only in the thread recorded in
     * {@link #thread}, and only once: a thread that a factory started itself, which the scope
     * refuses, does nothing with it, nor does a second call.
     */
    @Override
    public void run() {
        Thread self = Thread.currentThread();
        if (thread == self && !ran) {
            ran = true;
            if (threadIndex > 0) {
                self.setName(scope.threadName(threadIndex));
            }
            ScopeStructure.runSubtask(this);
        }
    }

    /** The subtask's thread, a member of the scope ({@link ScopeStructure#runSubtask}): runs the task and finishes. */
    void runInScope() {
        if (mdc != null) {
            MDC.setContextMap(mdc);
        } else {
            MDC.clear();   // not whatever this thread inherited from the thread that created it
        }
        Object scopeFlight = scope.flight();
        Object flight = scopeFlight == null ? null : ScopeEvents.subtaskStarted(scopeFlight);
        T result = null;
        Throwable failure = null;
        boolean started = !scope.isCancelled();
        try {
            if (started) {
                result = task.call();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            Throwable violation = ScopeStructure.exitSubtask(this);
            if (violation != null) {
                if (failure != null) {
                    violation.addSuppressed(failure);
                }
                failure = violation;
                result = null;
            }
            MDC.clear();
        }
        scope.finish(this, started, result, failure);
        if (flight != null) {
            ScopeEvents.subtaskEnded(flight, state.name(), exception);   // before close returns: close joins this thread
        }
    }

    /**
     * Records the outcome; called once, by the thread that finishes the subtask. {@code started}
     * says whether its task ran; a failure that is how the task reacted to being interrupted, once
     * the scope was cancelled, makes it CANCELLED rather than FAILED.
     */
    void setOutcome(boolean started, T result, Throwable failure) {
        Future.State finalState;
        if (!started) {
            finalState = Future.State.CANCELLED;
        } else if (failure == null) {
            finalState = Future.State.SUCCESS;
        } else if (scope.isCancelled() && causedByInterrupt(failure)) {
            finalState = Future.State.CANCELLED;
        } else {
            finalState = Future.State.FAILED;
        }
        this.value = result;
        this.exception = failure;
        this.state = finalState;
    }

    /**
     * Returns whether {@code failure} is how a task reacts to being interrupted. A
     * {@link SocketTimeoutException} is an {@code InterruptedIOException} too, but it is a read
     * that timed out, a failure of its own.
     */
    private static boolean causedByInterrupt(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Future.State state() {
        return state;
    }

    @Override
    public T get() {
        checkOwnerMayLook("get()");
        Future.State s = state;
        if (s == Future.State.SUCCESS) {
            return value;
        }
        throw switch (s) {
            case RUNNING -> new IllegalStateException(this + " has not completed; its result exists only after it succeeds");
            case FAILED -> new IllegalStateException(this + " failed; call exception() to see why", exception);
            default -> new IllegalStateException(this + " was cancelled and has no result");
        };
    }

    @Override
    public Throwable exception() {
        checkOwnerMayLook("exception()");
        Future.State s = state;
        if ((s == Future.State.FAILED || s == Future.State.CANCELLED) && exception != null) {
            return exception;
        }
        throw new IllegalStateException(this + " did not end with an exception; call state() first");
    }

    private void checkOwnerMayLook(String method) {
        if (!delivered && scope.ownerMustJoinFirst()) {
            throw new IllegalStateException("Subtask." + method + " called before TaskScope.join(): "
                    + "call join() first, or take subtasks as they complete from asCompleted()");
        }
    }

    @Override
    public String toString() {
        Thread t = thread;
        String who = threadIndex > 0 ? scope.threadName(threadIndex)
                : t != null ? t.getName() : "unstarted subtask of scope '" + scope.name() + "'";
        return "Subtask[" + who + ", " + state + "]";
    }
}
