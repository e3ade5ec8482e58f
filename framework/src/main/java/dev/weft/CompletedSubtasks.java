package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A scope's completion queue, for {@link TaskScope#asCompleted()}: its subtasks in the order
 * they finished. Not to be confused with {@link CompletionQueue}, which waits on futures of any
 * kind through listeners and a blocking queue; this one allocates nothing, not even an object of
 * its own: its two ends are fields of the scope ({@link ScopeImpl#completedHead},
 * {@link ScopeImpl#completedTail}), which only this class touches.
 *
 * <p>Algorithm: an intrusive multi-producer, single-consumer queue (Vyukov's) linked through
 * {@link SubtaskImpl#nextCompleted}. Finishing threads swap themselves in as {@code completedTail}
 * and then link the previous tail to themselves; only the owner reads from
 * {@code completedHead}, a consumed node (at first a stub).
 *
 * <p>Invariants and why safe: each subtask is pushed once, by the thread that finishes it. The
 * swap orders the producers; between a producer's swap and its link, the subtasks after the
 * previous tail are queued but not yet reachable, so {@link #poll} returns null for them until
 * the link is written (the owner waits for that, as it waits for any completion). The volatile
 * {@code nextCompleted} publishes a subtask's outcome, written before its push, to the owner.
 */
final class CompletedSubtasks {
    private CompletedSubtasks() {
    }

    /** Owner, as it opens {@code scope}: an empty queue, a stub at both ends. */
    static void init(ScopeImpl<?, ?> scope) {
        scope.completedHead = SubtaskImpl.stub(scope);
        scope.completedTail = scope.completedHead;
    }

    /** Any thread: queues {@code subtask} of {@code scope}, once, as it finishes. */
    static void push(ScopeImpl<?, ?> scope, SubtaskImpl<?> subtask) {
        SubtaskImpl<?> previous = (SubtaskImpl<?>) TAIL.getAndSet(scope, subtask);
        previous.nextCompleted = subtask;
    }

    /** Owner only: the next completed subtask, or null if none is (fully) queued yet. */
    @SuppressWarnings("unchecked")
    static <T> SubtaskImpl<T> poll(ScopeImpl<T, ?> scope) {
        SubtaskImpl<?> next = scope.completedHead.nextCompleted;
        if (next == null) {
            return null;
        }
        scope.completedHead = next;
        return (SubtaskImpl<T>) next;
    }

    /** Owner only: whether {@link #poll} would return null now. */
    static boolean isEmpty(ScopeImpl<?, ?> scope) {
        return scope.completedHead.nextCompleted == null;
    }

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(ScopeImpl.class, "completedTail", SubtaskImpl.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
