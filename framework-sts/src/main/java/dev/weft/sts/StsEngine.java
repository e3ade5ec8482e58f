package dev.weft.sts;

import dev.weft.spi.Engine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The {@code sts} engine: each Weft scope's subtask threads run in a JDK
 * {@link StructuredTaskScope}, opened by the scope's owner, so they inherit the bindings of the
 * owner's {@code ScopedValue}s and appear in a thread dump as threads of a container named after
 * the scope, owned by the scope's owner.
 *
 * <h2>What the JDK scope does, and what it does not</h2>
 * The JDK scope is only a thread container here: it is opened with {@link Joiner#awaitAll()} (it
 * never cancels on its own) and no timeout. Weft's core keeps everything else on top, unchanged:
 * the join policy, the deadline, cancellation by interrupt, the concurrency limit, completion order,
 * {@code ContextKey} and MDC, and the structure checks. When Weft's scope closes, every subtask
 * thread has already ended, so the JDK scope's {@code join} returns at once and its {@code close}
 * finds nothing to wait for.
 *
 * <h2>Threads from the scope's factory</h2>
 * Weft makes a subtask's thread with the scope's factory before the subtask exists for its policy
 * (so that a refusal leaves no trace), and starts it later; the JDK makes and starts a thread in one
 * call, {@code fork}. So a {@link Handoff} bridges them: {@link Container#newThread} has the factory
 * make a thread that will run a {@code Handoff}, and {@link Container#start} forks into the JDK
 * scope with a factory that gives back that very thread and points the handoff at the JDK's
 * subtask, which calls Weft's body. The JDK scope then starts the thread as its own: in its
 * container, with the scope's {@code ScopedValue} bindings.
 *
 * <h2>Who may fork</h2>
 * Only a JDK scope's owner may fork in it, but under a concurrency limit Weft starts a queued
 * subtask from the thread of the subtask that just finished. For such scopes a
 * {@link DispatchedContainer} forks a dispatcher thread, which owns a second JDK scope and forks
 * into it on behalf of any thread; see there.
 */
final class StsEngine implements Engine {

    StsEngine() {
    }

    @Override
    public String name() {
        return "sts";
    }

    @Override
    public Container open(String scopeName, boolean startsFromAnyThread) {
        return startsFromAnyThread ? new DispatchedContainer(scopeName) : new DirectContainer(scopeName);
    }

    /**
     * The task of a subtask thread made before the JDK scope forks it: Weft's {@code body}, and the
     * JDK's subtask, which the fork's thread factory hands in before the thread starts (the start
     * publishes it). The thread runs the JDK's subtask, which calls the body.
     */
    static final class Handoff implements Runnable {
        final Runnable body;
        Runnable jdkSubtask;

        Handoff(Runnable body) {
            this.body = body;
        }

        /**
         * Runs the JDK's subtask; nothing if there is none, as when a thread factory started the
         * thread itself before handing it over (the fork has failed at its call already).
         */
        @Override
        public void run() {
            Runnable subtask = jdkSubtask;
            if (subtask != null) {
                subtask.run();
            }
        }
    }

    /**
     * The threads of one JDK scope: made by {@link #make} and not yet started, each with its
     * handoff; and, as the JDK scope's thread factory, the one that gives back the thread being
     * forked.
     */
    static final class Made implements ThreadFactory {
        /** Put by whichever thread makes a thread, removed by the one that starts it: any thread of the scope. */
        private final Map<Thread, Handoff> unstarted = new ConcurrentHashMap<>();
        /**
         * The thread being forked and its handoff; written and read only by the JDK scope's owner,
         * around its {@code fork}, which calls {@link #newThread} in the same thread.
         */
        private Thread forking;
        private Handoff forkingHandoff;

        Thread make(ThreadFactory factory, Runnable body) {
            Handoff handoff = new Handoff(body);
            Thread thread = factory.newThread(handoff);
            if (thread != null) {
                unstarted.put(thread, handoff);
            }
            return thread;
        }

        /**
         * Forks {@code thread} into {@code scope}, which the calling thread owns. Throws if the JDK
         * scope did not start it: its {@code fork} does not say so itself when it is shut down.
         */
        void fork(StructuredTaskScope<Object, Void> scope, Thread thread) {
            Handoff handoff = unstarted.remove(thread);
            if (handoff == null) {
                throw new IllegalArgumentException(thread + " was not made by this container, or was started twice");
            }
            Runnable body = handoff.body;
            forking = thread;
            forkingHandoff = handoff;
            try {
                scope.fork(() -> {
                    body.run();
                    return null;
                });
            } finally {
                forking = null;
                forkingHandoff = null;
            }
            if (thread.getState() == Thread.State.NEW) {
                throw new IllegalStateException("the JDK's StructuredTaskScope of this scope is shut down and did not "
                        + "start " + thread + "; was an enclosing StructuredTaskScope or ScopedValue binding "
                        + "closed while this scope was open?");
            }
        }

        /** The JDK scope's factory, called inside its {@code fork}: the thread made earlier, now to run {@code task}. */
        @Override
        public Thread newThread(Runnable task) {
            Thread thread = forking;
            if (thread == null) {
                throw new IllegalStateException("a StructuredTaskScope of the sts engine forked outside Weft");
            }
            forkingHandoff.jdkSubtask = task;
            return thread;
        }
    }

    /** A scope without a concurrency limit: its owner owns the JDK scope and forks into it. */
    static final class DirectContainer implements Container {
        private final Made made = new Made();
        private final StructuredTaskScope<Object, Void> scope;

        DirectContainer(String name) {
            this.scope = StructuredTaskScope.open(Joiner.awaitAll(), c -> c.withName(name).withThreadFactory(made));
        }

        @Override
        public Thread newThread(ThreadFactory factory, Runnable body) {
            return made.make(factory, body);
        }

        @Override
        public void start(Thread thread, Consumer<Throwable> failed) {
            made.fork(scope, thread);
        }

        @Override
        public void close() {
            closeJoined(scope);
        }
    }

    /**
     * Closes a JDK scope whose threads have all ended: joins it (it returns at once, and it must be
     * joined or close throws), then closes it, keeping an interrupt for the caller.
     */
    static void closeJoined(StructuredTaskScope<?, ?> scope) {
        boolean interrupted = false;
        try {
            scope.join();
        } catch (InterruptedException e) {
            interrupted = true;   // close below still waits, uninterruptibly, and does not throw for a started join
        } finally {
            try {
                scope.close();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
