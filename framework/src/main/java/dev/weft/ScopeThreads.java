package dev.weft;

import dev.weft.spi.Engine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * A scope's threads: where its subtask threads come from, and how its close waits for them.
 *
 * <p>Where the threads run is the {@linkplain Engines selected engine}'s business: a
 * {@link Engine.Container}, opened with the scope and closed after every thread has ended, makes
 * each thread from the factory and starts it. The core engine needs no container: its threads
 * are made by the factory and started with {@link Thread#start()} directly. This class checks
 * what the factory returns (a new, unstarted thread); the thread's body is the subtask itself
 * ({@link SubtaskImpl#run()}), which runs only in the thread the scope recorded for it. The scope
 * starts, finishes and cancels subtasks the same way whatever the engine.
 *
 * <p>Names: the default factory makes unnamed virtual threads, one factory for every scope; each
 * thread names itself {@code weft-scope-NAME-N} ({@code weft-scope-N} in an unnamed scope) when it
 * starts ({@link SubtaskImpl#threadIndex}), N counting the threads this class made, from 1. So
 * {@code fork} builds no string. Nor, mostly, does the thread: the names of unnamed scopes' threads
 * are the same strings in every such scope, made once per JVM and kept ({@link #unnamed}), up to
 * {@value #UNNAMED_CACHED}. A named scope's threads append their N to the scope's prefix.
 *
 * <p>Thread safety: {@link #newThread} and {@link #start} are called by the owner, or, in a scope
 * with a concurrency limit (whose container is opened to start threads from any thread), by a
 * finishing subtask that passes its slot on; so {@code made} is counted atomically there.
 * {@link #close} is called by the owner once. The other fields are final.
 */
final class ScopeThreads {
    /** Unnamed virtual threads: the default factory of every scope (safe for concurrent use). */
    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().factory();
    /** How the names of an unnamed scope's threads start. */
    static final String UNNAMED_PREFIX = "weft-scope-";
    /** How many names of unnamed scopes' threads are kept; past that, each thread makes its own. */
    static final int UNNAMED_CACHED = 1024;
    /**
     * {@code weft-scope-N} at index N, made on first use. Any thread reads and writes its slots
     * without synchronization: a {@code String} is immutable and safe to publish through a race,
     * so a reader sees either null, and makes the same string again, or a whole string.
     */
    private static final String[] UNNAMED_NAMES = new String[UNNAMED_CACHED];

    private final ScopeImpl<?, ?> scope;
    private final ThreadFactory factory;
    /** Whether the threads are the default factory's, which name themselves. */
    private final boolean named;
    /** Whether threads may be made by any thread of the scope (a scope with a concurrency limit). */
    private final boolean limited;
    /** Where the subtask threads run, or null on the core engine; opened in open, closed by the owner in close. */
    private final Engine.Container container;
    /** Threads made so far: the owner's alone, or, if {@code limited}, any thread's through {@link #MADE}. */
    private int made;

    /**
     * Opens the container; {@code factory} null means the default factory, and {@code limited}
     * says whether threads may be started from any thread.
     */
    ScopeThreads(ScopeImpl<?, ?> scope, ThreadFactory factory, boolean limited) {
        this.scope = scope;
        this.named = factory == null;
        this.factory = factory != null ? factory : VIRTUAL;
        this.limited = limited;
        Engine engine = Engines.selected();
        this.container = engine == Engines.CORE ? null : engine.open(scope.name(), limited);
    }

    /**
     * Returns a new thread to run {@code subtask}, or throws if the factory gives none or gives one
     * that is already started. The body runs the subtask only in the thread that {@link #start}
     * starts for it: a thread the factory started itself, which this rejects, does nothing with it.
     */
    Thread newThread(SubtaskImpl<?> subtask) {
        Thread thread = container == null ? factory.newThread(subtask) : container.newThread(factory, subtask);
        if (thread == null) {
            throw new RejectedExecutionException("the thread factory of scope '" + scope.name()
                    + "' returned null instead of a thread");
        }
        Thread.State state = thread.getState();
        if (state != Thread.State.NEW) {
            throw new IllegalStateException("the thread factory of scope '" + scope.name() + "' returned " + thread
                    + ", which was already started (state " + state + "); a ThreadFactory must return a new, "
                    + "unstarted thread, as Thread.ofVirtual().factory() does, and leave starting it to the scope");
        }
        if (named) {
            subtask.threadIndex = limited ? (int) MADE.getAndAdd(this, 1) + 1 : ++made;
        }
        return thread;
    }

    /** Whether the threads come from the user's factory, whose thread may end without running its subtask. */
    boolean fromUsersFactory() {
        return !named;
    }

    /** The name of the thread with index {@code index} (1 or more) of an unnamed scope: {@code weft-scope-index}. */
    static String unnamed(int index) {
        if (index >= UNNAMED_CACHED) {
            return UNNAMED_PREFIX + index;
        }
        String name = UNNAMED_NAMES[index];
        if (name == null) {
            name = UNNAMED_PREFIX + index;
            UNNAMED_NAMES[index] = name;
        }
        return name;
    }

    /**
     * Starts {@code thread}, made by {@link #newThread} for {@code subtask}; see
     * {@link Engine.Container#start}: if the engine hands the start to another thread and it fails
     * there, that thread tells the scope ({@link ScopeImpl#startFailed}).
     */
    void start(Thread thread, SubtaskImpl<?> subtask) {
        if (container == null) {
            thread.start();
        } else {
            container.start(thread, failure -> scope.startFailed(subtask, failure));
        }
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
        if (container != null) {
            container.close();
        }
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

    private static final VarHandle MADE;

    static {
        try {
            MADE = MethodHandles.lookup().findVarHandle(ScopeThreads.class, "made", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
