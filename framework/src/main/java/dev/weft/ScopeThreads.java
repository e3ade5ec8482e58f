package dev.weft;

import dev.weft.spi.Engine;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * A scope's threads: where its subtask threads come from, and how its close waits for them.
 *
 * <p>Where the threads run is the {@linkplain Engines selected engine}'s business: a
 * {@link Engine.Container}, opened with the scope and closed after every thread has ended, makes
 * each thread from the factory and starts it. This class checks what the factory returns (a new,
 * unstarted thread), and gives each thread a body that runs its subtask only if the scope
 * recorded that very thread in {@link SubtaskImpl#thread}; the scope starts, finishes and cancels
 * subtasks the same way whatever the engine.
 *
 * <p>Thread safety: the fields are final. {@link #newThread} and {@link #start} are called by the
 * owner, or, in a scope with a concurrency limit (whose container is opened to start threads from
 * any thread), by a finishing subtask that passes its slot on; {@link #close} by the owner once.
 */
final class ScopeThreads {
    private final String scopeName;
    private final ThreadFactory factory;
    /** Where the subtask threads run; opened by the owner in open, closed by it in close. */
    private final Engine.Container container;

    /**
     * Opens the container; {@code factory} null means virtual threads named {@code threadPrefix}
     * and a number, and {@code limited} says whether threads may be started from any thread.
     */
    ScopeThreads(String scopeName, ThreadFactory factory, String threadPrefix, boolean limited) {
        this.scopeName = scopeName;
        this.factory = factory != null ? factory : Thread.ofVirtual().name(threadPrefix, 1).factory();
        this.container = Engines.selected().open(scopeName, limited);
    }

    /**
     * Returns a new thread to run {@code subtask}, or throws if the factory gives none or gives one
     * that is already started. The body runs the subtask only in the thread that {@link #start}
     * starts for it: a thread the factory started itself, which this rejects, does nothing with it.
     */
    Thread newThread(SubtaskImpl<?> subtask) {
        Thread thread = container.newThread(factory, () -> {
            if (subtask.thread == Thread.currentThread()) {
                subtask.run();
            }
        });
        if (thread == null) {
            throw new RejectedExecutionException("the thread factory of scope '" + scopeName
                    + "' returned null instead of a thread");
        }
        Thread.State state = thread.getState();
        if (state != Thread.State.NEW) {
            throw new IllegalStateException("the thread factory of scope '" + scopeName + "' returned " + thread
                    + ", which was already started (state " + state + "); a ThreadFactory must return a new, "
                    + "unstarted thread, as Thread.ofVirtual().factory() does, and leave starting it to the scope");
        }
        return thread;
    }

    /** Starts {@code thread} in the container; see {@link Engine.Container#start} for {@code failed}. */
    void start(Thread thread, Consumer<Throwable> failed) {
        container.start(thread, failed);
    }

    /**
     * Owner, in close, once every subtask has finished: joins the thread of each subtask from
     * {@code newest} on (through {@link SubtaskImpl#older}); returns whether the owner was
     * interrupted meanwhile.
     */
    boolean joinAll(SubtaskImpl<?> newest) {
        boolean interrupted = false;
        for (SubtaskImpl<?> subtask = newest; subtask != null; subtask = subtask.older) {
            interrupted |= joinUninterruptibly(subtask.thread);
        }
        return interrupted;
    }

    /** Closes the container; called once by the owner, after every thread has ended. */
    void close() {
        container.close();
    }

    /**
     * Joins {@code thread}, keeping an interrupt for later. By the time close gets here the
     * thread has finished its subtask and is in the JVM's exit path, which takes a few
     * microseconds; spinning that long first saves allocating its termination latch and parking
     * the owner a second time, which costs more on most scopes.
     */
    static boolean joinUninterruptibly(Thread thread) {
        if (thread == null) {
            return false;
        }
        for (int spins = 0; spins < 256 && thread.isAlive(); spins++) {
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }
}
