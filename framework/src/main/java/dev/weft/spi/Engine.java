package dev.weft.spi;

import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Internal, not API (see the package {@code dev.weft.spi}): where a scope's subtask threads
 * run. The core's own engine starts them with {@link Thread#start()}; the {@code sts} engine starts
 * them in a {@code java.util.concurrent.StructuredTaskScope}, so that they inherit the owner's
 * {@code ScopedValue} bindings and appear under the scope in a thread dump.
 *
 * <p>The core calls an engine in this order, for each scope: {@link #open} once, by the owner, as
 * the scope opens; then, for each subtask, {@link Container#newThread} and {@link Container#start}
 * on the thread that {@code newThread} returned; finally {@link Container#close}, once, by the owner,
 * after every thread it started has terminated. The thread's body is the core's: it runs the task,
 * records the outcome and tells the join policy, whatever the engine.
 *
 * <p>Implementations must be thread-safe; one engine serves every scope of the JVM.
 *
 * @since 0.1
 */
public interface Engine {

    /** The engine's name: {@code "core"} or {@code "sts"}. */
    String name();

    /**
     * Opens the container of a new scope; called by the scope's owner while it opens the scope.
     *
     * @param scopeName           the scope's name, for thread dumps
     * @param startsFromAnyThread whether {@link Container#start} may be called by threads other than
     *                            the owner: true for a scope with a concurrency limit, where a
     *                            finishing subtask starts the next queued one
     */
    Container open(String scopeName, boolean startsFromAnyThread);

    /**
     * The threads of one scope.
     *
     * @since 0.1
     */
    interface Container {

        /**
         * Returns a new, unstarted thread from {@code factory} that will run {@code body} once
         * started by {@link #start}, or null if the factory returned null. Whatever the factory
         * throws is thrown as is. Called by the owner, or by any thread of the scope if the
         * container was opened with {@code startsFromAnyThread}.
         */
        Thread newThread(ThreadFactory factory, Runnable body);

        /**
         * Starts {@code thread}, made by {@link #newThread}, in this container. If it cannot be
         * started, this throws and the thread never runs; or, if the start was handed to another
         * thread, that thread later calls {@code failed} with the reason (the thread never runs
         * then either). Called as {@link #newThread} is.
         */
        void start(Thread thread, Consumer<Throwable> failed);

        /** Closes the container; called once by the owner, after every started thread has terminated. */
        void close();
    }
}
