package dev.weft.internal.threads;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the JVM alive while an IO pool has work. Python's interpreter waits at exit for the work
 * given to a {@code ThreadPoolExecutor}; an IO pool's tasks run on virtual threads, which never
 * keep a JVM alive, so without this the tasks an IO pool holds when {@code main} returns would be
 * dropped. One platform thread, not a daemon, named {@value #NAME}, serves every IO pool of the
 * JVM; it runs no task and belongs to no pool.
 *
 * <h2>Algorithm</h2>
 * One count under one lock: {@code busy}, the IO pools that have task threads alive. A pool calls
 * {@link #busy()} when its first task thread of a stretch is about to start (it starts the keeper
 * if there is none) and {@link #idle()} when its last one has exited, both under the pool's own
 * lock, so that each pool's calls alternate; {@code idle()} notes when {@code busy} fell to 0.
 * Neither wakes the keeper, which would cost a stretch a context switch: the keeper wakes every
 * {@value #LINGER_MILLIS} ms by itself, and exits once nothing has been busy for that long. So a
 * program that opens a pool per request, or a pool whose tasks come in stretches, keeps one
 * keeper instead of starting a thread for each, and the keeper outlives the last work, in an open
 * pool or a closed one, by at most twice that.
 *
 * <p>Why this is enough: the keeper is started by {@code busy()}, before the task's own thread,
 * so no task runs without it; it exits only while {@code busy} is 0, under the lock that
 * {@code busy()} takes, so a stretch that begins as it leaves starts a new one.
 */
public final class ExitKeeper {
    /** The keeper's name. */
    public static final String NAME = "weft-exit-keeper";
    /** How long the keeper waits for more work once no IO pool is busy. */
    public static final long LINGER_MILLIS = 100;

    private static final ReentrantLock LOCK = new ReentrantLock();
    /** What the keeper waits on, with a timeout: nothing signals it. */
    private static final Condition TICK = LOCK.newCondition();
    /** IO pools with task threads alive. Under LOCK. */
    private static int busy;
    /** When {@code busy} last fell to 0, in {@link System#nanoTime()}. Under LOCK. */
    private static long idleSince;
    /** The keeper while there is one. Under LOCK. */
    private static Thread keeper;

    private ExitKeeper() {
    }

    /**
     * An IO pool's first task thread of a stretch is about to start: starts a keeper if there is
     * none, before that thread, so that the JVM cannot exit in between. A keeper that cannot start
     * (no native thread to be had) is given up: the tasks run, unkept, as they would without this.
     */
    public static void busy() {
        LOCK.lock();
        try {
            busy++;
            if (keeper == null) {
                // It runs no user code: it holds on to none of the first submitter's loader or inherited values.
                Thread newKeeper = Thread.ofPlatform().name(NAME).daemon(false).inheritInheritableThreadLocals(false)
                        .unstarted(ExitKeeper::keep);
                newKeeper.setContextClassLoader(null);
                keeper = newKeeper;
                try {
                    newKeeper.start();
                } catch (Throwable e) {
                    keeper = null;
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** An IO pool's last task thread of a stretch has exited. */
    public static void idle() {
        LOCK.lock();
        try {
            if (--busy == 0) {
                idleSince = System.nanoTime();
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** The keeper's body; interrupts are ignored: a task that interrupts every thread must not end it early. */
    private static void keep() {
        long linger = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        LOCK.lock();
        try {
            for (;;) {
                try {
                    TICK.awaitNanos(linger);
                } catch (InterruptedException e) {
                    // see above
                }
                if (busy == 0 && System.nanoTime() - idleSince >= linger) {
                    keeper = null;
                    return;
                }
            }
        } finally {
            LOCK.unlock();
        }
    }
}
