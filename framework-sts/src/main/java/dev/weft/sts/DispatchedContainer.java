package dev.weft.sts;

import dev.weft.spi.Engine;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The container of a scope with a concurrency limit, where threads other than the owner start
 * subtasks: a subtask that finishes starts the next queued one. A JDK {@link StructuredTaskScope}
 * lets only its owner fork, so a dispatcher thread owns the JDK scope of the subtasks and forks for
 * everyone.
 *
 * <h2>Algorithm</h2>
 * The owner opens an outer JDK scope (named after the Weft scope) and forks into it one dispatcher
 * thread, {@code weft-scope-NAME-dispatcher}, a virtual thread that Weft makes itself. The
 * dispatcher inherits the owner's {@code ScopedValue} bindings, opens the inner JDK scope (same
 * name), which captures them, and then forks every thread handed to {@link #start}: it takes them
 * from a queue in the order they were handed in, and parks when the queue is empty. A thread the
 * JDK scope cannot start is reported to its {@code failed} callback, from the dispatcher.
 *
 * <p>Close, by the owner once every subtask thread has ended (so every start handed in was taken):
 * sets {@code closing} and unparks the dispatcher, which sees an empty queue, closes the inner JDK
 * scope and ends; then the owner joins and closes the outer one, which waits for the dispatcher.
 * Both sides write their own volatile (the queue, {@code closing}) before they read the other's,
 * and unpark after writing, so no hand-off or wake-up is lost.
 *
 * <p>In a thread dump the tree is one level deeper than without a limit: the scope's container
 * holds the dispatcher, whose container, of the same name, holds the subtask threads.
 */
final class DispatchedContainer implements Engine.Container {
    /** A thread to start, and whom to tell if it cannot be. */
    private record Start(Thread thread, Consumer<Throwable> failed) {
    }

    private final StsEngine.Made made = new StsEngine.Made();
    private final String name;
    private final StructuredTaskScope<Object, Void> outer;
    /** Put by any thread of the scope, taken by the dispatcher only. */
    private final ConcurrentLinkedQueue<Start> starts = new ConcurrentLinkedQueue<>();
    /** Written once by the owner in close; read by the dispatcher. */
    private volatile boolean closing;
    /** The dispatcher thread, made by the outer scope's factory in the owner's fork. */
    private final Thread dispatcher;

    DispatchedContainer(String name) {
        this.name = name;
        ThreadFactory named = Thread.ofVirtual().name("weft-scope-" + name + "-dispatcher").factory();
        Thread[] made = new Thread[1];
        this.outer = StructuredTaskScope.open(Joiner.awaitAll(),
                c -> c.withName(name).withThreadFactory(task -> made[0] = named.newThread(task)));
        try {
            outer.fork(() -> {
                dispatch();
                return null;
            });
        } catch (RuntimeException | Error e) {
            StsEngine.closeJoined(outer);
            throw e;
        }
        this.dispatcher = made[0];
    }

    @Override
    public Thread newThread(ThreadFactory factory, Runnable body) {
        return made.make(factory, body);
    }

    @Override
    public void start(Thread thread, Consumer<Throwable> failed) {
        starts.add(new Start(thread, failed));
        LockSupport.unpark(dispatcher);
    }

    /** The dispatcher's task: forks every thread handed in, until the owner closes. */
    private void dispatch() {
        StructuredTaskScope<Object, Void> inner = StructuredTaskScope.open(Joiner.awaitAll(),
                c -> c.withName(name).withThreadFactory(made));
        try {
            while (true) {
                Start next = starts.poll();
                if (next != null) {
                    try {
                        made.fork(inner, next.thread());
                    } catch (RuntimeException | Error e) {
                        next.failed().accept(e);
                    }
                } else if (closing) {
                    return;
                } else {
                    LockSupport.park(this);
                    Thread.interrupted();   // nobody interrupts the dispatcher on purpose; never spin on a stray one
                }
            }
        } finally {
            StsEngine.closeJoined(inner);
        }
    }

    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(dispatcher);
        StsEngine.closeJoined(outer);
    }
}
