package dev.weft;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The progress of one map call, reported to its {@link Progress.Listener} with the contract that
 * {@link Progress.Listener} states. {@link PoolMapping} and {@link PoolIterator} tell it what
 * happens: a chunk is about to be submitted, a chunk ended, the pool refused a chunk, the input
 * ended.
 *
 * <h2>Counting</h2>
 * The counts are one immutable {@link Counts}, replaced by compare-and-set, so a report always
 * sees a chunk's items whole (done, failed and cancelled together). {@code open} counts what may
 * still change them: 1 for the input until it ends, plus 1 per chunk from just before it is
 * submitted until it ends. A chunk is counted before its task can end, and the input ends only
 * after its last chunk is counted, so {@code open} reaches 0 once, when everything read is done:
 * the thread whose compare-and-set makes it 0 has finished the map.
 *
 * <h2>Calling the listener</h2>
 * One permit ({@link #calling}) serializes the calls. A thread with a change to report tries to
 * take it, and leaves if another thread holds it; the holder, once its call returns, looks at the
 * counts again and reports what came meanwhile if it is due (at once with a zero interval). The
 * thread that finished the map waits for the permit instead, so that the final call has returned
 * when that thread goes on to complete the map's result. Calls read the counts while they hold
 * the permit, and the counts only grow, so values never go back. The permit is not reentrant: a
 * change made by the listener's own thread from inside a call (it cancelled its map) is reported by
 * that call's loop once the listener returns ({@link #caller}).
 */
final class MapProgress {
    /** What a {@link PoolMaps} view reports to: a listener and the least time between two calls. */
    record Settings(Progress.Listener listener, long intervalNanos) {
    }

    /**
     * What the counts are: items done, failed and cancelled (both among the done), the total or
     * -1, and how many things may still change them ({@code open}).
     */
    private record Counts(long done, long failed, long cancelled, long total, long open) {
        /** Whether a listener would see the same values in both. */
        boolean shows(Counts other) {
            return done == other.done && failed == other.failed && cancelled == other.cancelled && total == other.total;
        }
    }

    private final Progress.Listener listener;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    /** Replaced by compare-and-set by every thread that changes the counts; read by callers of the listener. */
    private final AtomicReference<Counts> counts;
    /** One permit: who holds it may call the listener. */
    private final Semaphore calling = new Semaphore(1);
    /** The thread that holds {@link #calling}, or null; written by that thread, read by any to see whether it is that thread. */
    private volatile Thread caller;
    /** The counts of the last call, and when it was made: written under {@link #calling}, read by any thread. */
    private volatile Counts reported;
    private volatile long reportedAtNanos;
    /** Whether the final call was made: written under {@link #calling}, read by any thread. */
    private volatile boolean finished;

    private MapProgress(Settings settings, long total) {
        this.listener = settings.listener;
        this.intervalNanos = settings.intervalNanos;
        this.counts = new AtomicReference<>(new Counts(0, 0, 0, total, 1));
    }

    /**
     * A view's settings: {@code listener}, called at most once per {@code interval}.
     *
     * @throws NullPointerException     if either is null, saying what to pass
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    static Settings settings(Duration interval, Progress.Listener listener) {
        Objects.requireNonNull(listener, "listener is null: pass the Progress.Listener that each map call of the "
                + "view reports to (such as p -> System.err.println(p)); to map without progress, call the pool's "
                + "own map methods");
        Objects.requireNonNull(interval, "interval is null: pass the least time between two reports, such as "
                + "Duration.ofMillis(100), or Duration.ZERO to report every change");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, but was " + interval);
        }
        return new Settings(listener, Deadlines.saturatedNanos(interval));
    }

    /**
     * Starts the progress of a call whose input has {@code total} items (-1 if not known yet) and
     * makes the first call, in the calling thread; returns null if {@code settings} is null (no
     * progress asked for).
     */
    static MapProgress start(Settings settings, long total) {
        if (settings == null) {
            return null;
        }
        MapProgress progress = new MapProgress(settings, total);
        progress.report(true);
        return progress;
    }

    /** A chunk is about to be submitted: called before its task can end. */
    void submitting() {
        Counts now;
        do {
            now = counts.get();
        } while (!counts.compareAndSet(now, new Counts(now.done, now.failed, now.cancelled, now.total, now.open + 1)));
    }

    /** A chunk of {@code size} items ended: called in the thread that ended it, once. */
    void ended(TaskFuture<Object[]> chunk, int size) {
        long failed = 0;
        long cancelled = 0;
        switch (chunk.state()) {
            case SUCCESS -> {
                for (Object outcome : chunk.resultNow()) {
                    if (outcome instanceof PoolMapping.ItemFailure f) {
                        if (f.exception() instanceof CancellationException) {
                            cancelled++;
                        } else {
                            failed++;
                        }
                    }
                }
            }
            case FAILED -> failed = size;
            default -> cancelled = size;
        }
        change(size, failed, cancelled, -1);
    }

    /** The pool refused a chunk of {@code size} items that {@link #submitting()} had counted: they count as cancelled. */
    void refused(int size) {
        change(size, 0, size, -1);
    }

    /**
     * The input ended after {@code read} items; called once, after its last chunk is counted. If it
     * was {@code exhausted} (or failed), what was read is the total. If it was cut short (the pool
     * refused a chunk, the deadline passed) the total stays if it was known, and the items never read
     * count as cancelled; if it was not, what was read is the total.
     */
    void inputEnded(long read, boolean exhausted) {
        long total = counts.get().total;          // set only at the start and here
        long unread = exhausted || total < 0 ? 0 : Math.max(0, total - read);
        change(unread, 0, unread, unread > 0 ? total : read);
    }

    /** Adds to the counts, sets the total if {@code total} is not -1, closes one open thing, and reports. */
    private void change(long items, long failed, long cancelled, long total) {
        Counts now;
        Counts next;
        do {
            now = counts.get();
            next = new Counts(now.done + items, now.failed + failed, now.cancelled + cancelled,
                    total < 0 ? now.total : total, now.open - 1);
        } while (!counts.compareAndSet(now, next));
        report(next.open == 0);
    }

    /**
     * Calls the listener if a call is due: takes the permit (waits for it if {@code wait}, else
     * leaves if another thread has it), calls, and afterwards looks again for what came while it
     * held the permit. A thread already calling the listener returns at once: its own loop reports.
     */
    private void report(boolean wait) {
        if (caller == Thread.currentThread()) {
            return;
        }
        for (;;) {
            if (wait) {
                calling.acquireUninterruptibly();
            } else if (!calling.tryAcquire()) {
                return;                     // the thread calling now looks again when its call returns
            }
            caller = Thread.currentThread();
            try {
                callIfDue();
            } finally {
                caller = null;
                calling.release();
            }
            Counts now = counts.get();
            if (finished || now.shows(reported) && now.open > 0
                    || now.open > 0 && System.nanoTime() - reportedAtNanos < intervalNanos) {
                return;
            }
            wait = false;
        }
    }

    /** Holding the permit: makes the first call, the final one, or one due by the interval with something new. */
    private void callIfDue() {
        if (finished) {
            return;
        }
        Counts now = counts.get();
        long at = System.nanoTime();
        boolean end = now.open == 0;
        Counts last = reported;
        if (last != null && !end && (now.shows(last) || at - reportedAtNanos < intervalNanos)) {
            return;
        }
        reported = now;
        reportedAtNanos = at;
        finished = end;
        Progress progress = new Progress(now.done, now.failed, now.cancelled, now.total, at - startNanos, end);
        try {
            listener.onProgress(progress);
        } catch (Throwable e) {
            Logs.pool().warn("a progress listener {} threw on {}; the map is not affected", listener, progress, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
