package dev.weft.internal.process;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Whose turn it is to read a worker's channel: its reader thread's, or a thread's that waits for
 * an answer and reads it itself ({@link WorkerProcess#readWhileWaiting}). At most one of them reads
 * at a time, and every hand-over is a volatile write or a successful compare-and-set, so the one
 * that reads next sees all that the last one did.
 *
 * <pre>
 *   READER --offer--> OFFERED --lend--> LENT
 *      ^                 |  ^             |
 *      +----retake-------+  +--giveBack---+
 *   READER or OFFERED --close--> CLOSED (once no waiter holds it)
 * </pre>
 * Only the reader thread calls {@link #offer}, {@link #retake} and {@link #close}, and only in the
 * states shown; any thread may call {@link #lend}, and only the thread that lent calls
 * {@link #giveBack}. While OFFERED, nobody reads: the reader only asks whether input is there,
 * which does not move the stream, and takes its turn back before it reads. Once CLOSED, as the
 * reader ends, nobody reads again.
 */
public final class ReadTurn {
    /** The reader thread reads. */
    public static final int READER = 0;
    /** Nobody reads; a waiter may take the turn, the reader may take it back. */
    public static final int OFFERED = 1;
    /** A waiter reads. */
    public static final int LENT = 2;
    /** The reader has ended: nobody reads. */
    public static final int CLOSED = 3;

    private final AtomicInteger state = new AtomicInteger(READER);

    /** The state now; for a thread deciding whether to try, and for tests. */
    public int state() {
        return state.get();
    }

    /** The reader stops reading and lets a waiter take its turn. Reader only, in READER. */
    public void offer() {
        assert state.get() == READER : state.get();
        state.set(OFFERED);
    }

    /** The reader takes its turn back, unless a waiter took it first. Reader only. */
    public boolean retake() {
        return state.compareAndSet(OFFERED, READER);
    }

    /** A waiter takes the turn if it is offered; true if it did, and must then {@link #giveBack}. */
    public boolean lend() {
        return state.get() == OFFERED && state.compareAndSet(OFFERED, LENT);
    }

    /** The waiter that {@link #lend lent} hands the turn back, offered again. */
    public void giveBack() {
        assert state.get() == LENT : state.get();
        state.set(OFFERED);
    }

    /**
     * The reader ends: no waiter may take the turn from now on. If one holds it, this waits until
     * it gives the turn back, which it does within its patience, or as soon as the worker's
     * process ends. Reader only.
     */
    public void close() {
        for (int s; (s = state.get()) != CLOSED; ) {
            if (s == LENT) {
                LockSupport.parkNanos(this, 100_000);
            } else {
                state.compareAndSet(s, CLOSED);
            }
        }
    }
}
