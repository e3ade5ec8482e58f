package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A scope's completion queue, for {@link TaskScope#asCompleted()}: its subtasks in the order
 * they finished. Not to be confused with {@link CompletionQueue}, which waits on futures of any
 * kind through listeners and a blocking queue; this one allocates nothing per subtask.
 *
 * <p>Algorithm: an intrusive multi-producer, single-consumer queue (Vyukov's) linked through
 * {@link SubtaskImpl#nextCompleted}. Finishing threads swap themselves in as {@code tail} and then
 * link the previous tail to themselves; only the owner reads from {@code head}, a consumed node
 * (at first a stub).
 *
 * <p>Invariants and why safe: each subtask is pushed once, by the thread that finishes it. The
 * swap orders the producers; between a producer's swap and its link, the subtasks after the
 * previous tail are queued but not yet reachable, so {@link #poll} returns null for them until
 * the link is written (the owner waits for that, as it waits for any completion). The volatile
 * {@code nextCompleted} publishes a subtask's outcome, written before its push, to the owner.
 */
final class CompletedSubtasks {
    /** The last subtask queued; swapped by finishing threads (any thread). */
    private volatile SubtaskImpl<?> tail;
    /** Owner only: the last subtask consumed, at first a stub. */
    private SubtaskImpl<?> head;

    CompletedSubtasks(ScopeImpl<?, ?> scope) {
        this.head = SubtaskImpl.stub(scope);
        this.tail = head;
    }

    /** Any thread: queues {@code subtask}, once, as it finishes. */
    void push(SubtaskImpl<?> subtask) {
        SubtaskImpl<?> previous = (SubtaskImpl<?>) TAIL.getAndSet(this, subtask);
        previous.nextCompleted = subtask;
    }

    /** Owner only: the next completed subtask, or null if none is (fully) queued yet. */
    @SuppressWarnings("unchecked")
    <T> SubtaskImpl<T> poll() {
        SubtaskImpl<?> next = head.nextCompleted;
        if (next == null) {
            return null;
        }
        head = next;
        return (SubtaskImpl<T>) next;
    }

    /** Owner only: whether {@link #poll} would return null now. */
    boolean isEmpty() {
        return head.nextCompleted == null;
    }

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(CompletedSubtasks.class, "tail", SubtaskImpl.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
