package dev.weft;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * A scope's deadline: a virtual thread that waits until the deadline and then times the scope
 * out, unless the scope is joined or closes first. Only a scope opened with a deadline has one.
 *
 * <p>Algorithm. The owner starts the thread in open ({@link #start}), unless the deadline has
 * already passed. The thread parks until the {@link System#nanoTime()} the deadline stands for
 * ({@link Deadlines#toNanoTime(Instant)}), checking {@code closing} each time it wakes; once the
 * time is up it cancels the scope as TIMED_OUT and ends. The owner's join, once every subtask has
 * finished, and its close set {@code closing}, unpark the thread and join it ({@link #stop}), so a
 * deadline that passes after the join cancels nothing, and no deadline thread outlives its scope.
 *
 * <p>Why safe: {@code closing} is volatile and set before the unpark, and the unpark either wakes
 * the parked thread or leaves it a permit that ends its next park at once; either way the thread
 * checks the flag again and ends, so neither waits for the deadline. Both stop the watch only
 * after every subtask has finished, so a timeout that races with it finds nothing to
 * interrupt or drain; and cancelling happens at most once, whichever of the owner, a subtask or
 * this thread gets there first.
 */
final class ScopeDeadline {
    private final ScopeImpl<?, ?> scope;
    private final Instant deadline;
    /** Started by the owner in open (unless already past), stopped and joined by it in join or close. */
    private final Thread thread;
    /** Written by the owner in join or close; read by the deadline thread each time it wakes. */
    private volatile boolean closing;

    ScopeDeadline(ScopeImpl<?, ?> scope, Instant deadline, String threadName) {
        this.scope = scope;
        this.deadline = deadline;
        this.thread = Thread.ofVirtual().name(threadName).unstarted(this::watch);
    }

    /** Owner, in open: starts the watch; returns false, starting nothing, if the deadline is already past. */
    boolean start() {
        if (!deadline.isAfter(Instant.now())) {
            return false;
        }
        thread.start();
        return true;
    }

    /**
     * Owner, in join and in close: stops the watch and waits for its thread (at once the second
     * time); returns whether the owner was interrupted.
     */
    boolean stop() {
        closing = true;
        LockSupport.unpark(thread);
        return ScopeThreads.joinUninterruptibly(thread);
    }

    /** What a scope that reached its deadline throws from join and asCompleted. */
    UncheckedTimeoutException timedOut(int cancelled, int forked) {
        String ending;
        if (forked == 0) {
            ending = "before join() returned; nothing was forked";
        } else if (cancelled == 0) {
            ending = "before join() returned; no subtask was cancelled, each had finished or finished all the same";
        } else {
            String which = cancelled < forked ? cancelled + " of its " + forked + " subtasks were"
                    : forked == 1 ? "its subtask was" : "all " + forked + " subtasks were";
            ending = "before its subtasks finished; " + which + " cancelled";
        }
        return new UncheckedTimeoutException("scope '" + scope.name() + "' reached its deadline " + deadline + " "
                + ending);
    }

    /** For asCompleted(): the deadline passed before the next subtask completed. */
    UncheckedTimeoutException timedOutWhileIterating() {
        return new UncheckedTimeoutException("scope '" + scope.name() + "' reached its deadline " + deadline
                + " while asCompleted() waited for the next subtask; the subtasks that had not finished are cancelled");
    }

    private void watch() {
        long deadlineNanos = Deadlines.toNanoTime(deadline);
        while (!closing) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                scope.timeOut();
                return;
            }
            LockSupport.parkNanos(scope, left);
        }
    }
}
