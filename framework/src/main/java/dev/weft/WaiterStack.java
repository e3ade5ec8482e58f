package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Everything that waits for a {@link TaskFuture} to complete: one Treiber stack of {@link Node}s,
 * headed by the future's {@code stack} field, holding blocked {@code get()} callers
 * ({@link Node#WAITER}), package-private listeners ({@link Node#LISTENER}) and {@code onDone}
 * callbacks ({@link Node#CALLBACK}). The nodes are pushed and removed here; the future walks them
 * when it completes.
 *
 * <p>Algorithm. Registering pushes a node with a CAS on the head. The winner of the future's
 * completion swaps the stack for the {@link #DONE} sentinel ({@link #takeAll}), so no node can be
 * added afterwards ({@link #push} fails, and the caller handles the completed future itself),
 * then walks the detached list, which is never modified by the completer, only read.
 *
 * <p>Waiters that time out or are interrupted, and removed listeners, clear their node's
 * {@code item} and unlink every dead node they find ({@link #remove}), as
 * {@code FutureTask.removeWaiter} does; so a future that never completes does not collect garbage
 * however often it is waited on. A removal racing with completion may leave its node in the
 * detached list: the completer skips dead nodes, and at worst unparks a thread spuriously or runs
 * a listener that was being removed.
 *
 * <p>Thread safety: any thread may push or remove; the head changes only by CAS, and a node's
 * fields are volatile.
 */
final class WaiterStack {
    /** Replaces the stack at completion; no node can be pushed after it. */
    private static final Node DONE = new Node(Node.CALLBACK, null);

    private WaiterStack() {
    }

    /** Pushes {@code node}; returns false, without pushing, if the future has completed. */
    static boolean push(TaskFuture<?> future, Node node) {
        for (;;) {
            Node head = future.stack;
            if (head == DONE) {
                return false;
            }
            node.next = head;
            if (STACK.compareAndSet(future, head, node)) {
                return true;
            }
        }
    }

    /** Called once, by the winner of the completion: returns the stack and leaves DONE in its place. */
    static Node takeAll(TaskFuture<?> future) {
        return (Node) STACK.getAndSet(future, DONE);
    }

    /** Marks {@code node} dead and unlinks every dead node from the live stack (FutureTask's way). */
    static void remove(TaskFuture<?> future, Node node) {
        node.item = null;
        retry:
        for (;;) {
            for (Node pred = null, q = future.stack, s; q != null && q != DONE; q = s) {
                s = q.next;
                if (q.item != null) {
                    pred = q;
                } else if (pred != null) {
                    pred.next = s;
                    if (pred.item == null) {    // pred was removed meanwhile: start again
                        continue retry;
                    }
                } else if (!STACK.compareAndSet(future, q, s)) {
                    continue retry;
                }
            }
            return;
        }
    }

    /** Returns how many nodes, dead ones included, the live stack holds; 0 once completed. */
    static int size(TaskFuture<?> future) {
        int count = 0;
        for (Node n = future.stack; n != null && n != DONE; n = n.next) {
            count++;
        }
        return count;
    }

    /** An entry of the stack: a parked waiter, a removable listener or a callback. */
    static final class Node {
        static final int WAITER = 0;
        static final int LISTENER = 1;
        static final int CALLBACK = 2;

        final int kind;
        /** The Thread, Runnable or Consumer; null once removed. Written by the registering thread
         *  (null on removal), read by the completer and by removers. */
        volatile Object item;
        /** The next (older) node. Written by the pusher before publication and by removers when
         *  unlinking; read by all. */
        volatile Node next;

        Node(int kind, Object item) {
            this.kind = kind;
            this.item = item;
        }
    }

    private static final VarHandle STACK;

    static {
        try {
            STACK = MethodHandles.lookup().findVarHandle(TaskFuture.class, "stack", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
