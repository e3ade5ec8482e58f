package dev.weft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A scope's concurrency limit: at most {@code limit} of its subtasks run at once; the others
 * wait, in fork order, for a slot. Only a scope opened with a limit has one.
 *
 * <p>Algorithm. One lock guards the number of slots taken ({@code active}) and the queue of
 * subtasks waiting for one. The owner's fork takes a slot or queues the subtask
 * ({@link #acquire}). A subtask that finishes holding a slot passes it to the next queued subtask
 * ({@link #passOn}), which inherits it while {@code active} stays the same, or gives it back when
 * none waits. Cancelling the scope empties the queue ({@link #drain}).
 *
 * <p>Invariants: {@code active} never exceeds {@code limit}, and counts the slots held
 * ({@link SubtaskImpl#holdsSlot}) and not yet given back; a queued subtask holds none. Why
 * cancellation loses no subtask: {@link #acquire} and {@link #passOn} read the scope's
 * cancellation under the lock, and the scope drains under the same lock after setting it; so a
 * subtask is either refused, or drained (and finished as cancelled by the scope), never left
 * queued.
 */
final class ConcurrencyLimit {
    /** What {@link #acquire} did with a subtask: gave it a slot, queued it, or refused it. */
    static final int STARTS = 0, WAITS = 1, REFUSED = 2;

    private final ScopeImpl<?, ?> scope;
    private final int limit;
    /** Guards {@code queued} and {@code active}, which the owner and finishing threads touch. */
    private final ReentrantLock queueLock = new ReentrantLock();
    private final ArrayDeque<SubtaskImpl<?>> queued = new ArrayDeque<>();
    private int active;

    ConcurrencyLimit(ScopeImpl<?, ?> scope, int limit) {
        this.scope = scope;
        this.limit = limit;
    }

    /**
     * Takes a slot for {@code subtask} ({@code STARTS}) or queues it ({@code WAITS}); {@code REFUSED} if
     * the scope is cancelled. The cancellation is checked under the lock: a cancel drains the queue under
     * the same lock after setting {@code cancelState}, so a subtask is either refused here or drained.
     */
    int acquire(SubtaskImpl<?> subtask) {
        queueLock.lock();
        try {
            if (scope.isCancelled()) {
                return REFUSED;
            }
            if (active < limit) {
                active++;
                subtask.holdsSlot = true;
                return STARTS;
            }
            queued.add(subtask);
            return WAITS;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Passes a freed slot to the next queued subtask and returns it, to be started by the caller;
     * or, if none waits or the scope is cancelled, gives the slot back and returns null.
     */
    SubtaskImpl<?> passOn() {
        queueLock.lock();
        try {
            SubtaskImpl<?> next = scope.isCancelled() ? null : queued.poll();
            if (next == null) {
                active--;
                return null;
            }
            next.holdsSlot = true;
            return next;
        } finally {
            queueLock.unlock();
        }
    }

    /** Empties the queue, for a scope that was just cancelled; returns what was queued, in order. */
    List<SubtaskImpl<?>> drain() {
        queueLock.lock();
        try {
            List<SubtaskImpl<?>> drained = new ArrayList<>(queued);
            queued.clear();
            return drained;
        } finally {
            queueLock.unlock();
        }
    }
}
