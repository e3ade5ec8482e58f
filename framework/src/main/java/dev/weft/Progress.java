package dev.weft;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * How far one map call has come: the items done and, once known, how many there are; how many of
 * them failed or were cancelled; the time since the call and the rate. A {@link Listener} given to
 * {@link Pool#withProgress(Progress.Listener)} receives one per report. Python: what {@code tqdm}
 * shows for {@code tqdm.contrib.concurrent.process_map} and {@code thread_map}, or for
 * {@code tqdm(pool.imap(f, items), total=len(items))}.
 *
 * <pre>{@code
 * try (Pool pool = Pool.cpu()) {
 *     List<Long> sums = pool.withProgress(p -> System.err.printf("\r%d/%s items, %.0f/s",
 *                     p.done(), p.total().isPresent() ? p.total().getAsLong() : "?", p.rate()))
 *             .map(n -> sumTo(n), inputs, 1);
 * }
 * }</pre>
 *
 * <h2>What counts</h2>
 * <ul>
 * <li>{@link #done()}: the items whose outcome is known, whatever it is: a result, a failure or a
 *     cancellation, as {@link java.util.concurrent.Future#isDone()} counts them. The bar's
 *     position.</li>
 * <li>{@link #failed()}: of those, the items whose function threw, and the items of a chunk that
 *     failed as a whole (its worker JVM died, say).</li>
 * <li>{@link #cancelled()}: of those, the items that were cancelled before or while they ran
 *     ({@link Pool#terminate()}, cancelling an {@link AsyncResult}, the overall deadline of
 *     {@code imap}), and those that a lazy {@code imap} never submitted because its pool was shut
 *     down or its deadline passed: the items it had read, and, for a collection, those it never
 *     read. Also an item whose function itself threw a
 *     {@link java.util.concurrent.CancellationException}, which {@code imap} reports as a
 *     cancellation too.</li>
 * <li>{@link #total()}: for a {@link java.util.Collection}, its size at the call; for any other
 *     {@link Iterable}, empty until the input is exhausted (or the call stops reading it: the pool
 *     was shut down, the deadline passed), then the number of items read from it. For
 *     {@code imap} over a collection that changed while it was read, the number read, once the
 *     input is exhausted.</li>
 * </ul>
 * Items are counted when the chunk that holds them ends, so with a {@code chunksize} of 10,
 * {@code done} grows by 10 at a time: a finer report needs smaller chunks (tqdm's
 * {@code process_map} uses a chunksize of 1). On the final report, {@link #isFinished()} is true
 * and {@code done} equals the total.
 *
 * <p>A {@code Progress} is an immutable value, safe to hand to any thread. Two are equal when their
 * counts, total, elapsed time and finished flag are.
 *
 * @since 0.1
 */
public final class Progress {
    /** How often {@link Pool#withProgress(Progress.Listener)} reports at most: tqdm's {@code mininterval}. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    private static final List<String> NAMES = List.of("done", "failed", "cancelled", "total", "elapsed", "finished");

    private final long done;
    private final long failed;
    private final long cancelled;
    /** The total, or -1 while unknown. */
    private final long total;
    private final long elapsedNanos;
    private final boolean finished;

    Progress(long done, long failed, long cancelled, long total, long elapsedNanos, boolean finished) {
        this.done = done;
        this.failed = failed;
        this.cancelled = cancelled;
        this.total = total;
        this.elapsedNanos = elapsedNanos;
        this.finished = finished;
    }

    /**
     * {@return how many items are done: succeeded, failed or cancelled} It never goes down from one
     * report to the next.
     */
    public long done() {
        return done;
    }

    /** {@return how many of the items done failed: their function threw, or their chunk failed} */
    public long failed() {
        return failed;
    }

    /** {@return how many of the items done were cancelled, or refused by a pool that was shut down} */
    public long cancelled() {
        return cancelled;
    }

    /**
     * Returns how many items the call has in all: present from the first report for a
     * {@link java.util.Collection}, and for any input once it has been read to its end.
     *
     * @return the number of items in the call's input, or an empty {@code OptionalLong} while it is
     *         not known
     */
    public OptionalLong total() {
        return total < 0 ? OptionalLong.empty() : OptionalLong.of(total);
    }

    /** {@return the time from the call to this report} */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos);
    }

    /**
     * Returns the average rate since the call, in items done per second; 0 while no time has
     * passed. tqdm shows a smoothed rate instead; a listener that wants one can smooth this.
     *
     * @return {@link #done()} divided by {@link #elapsed()} in seconds, or 0
     */
    public double rate() {
        return elapsedNanos == 0 ? 0 : done * 1e9 / elapsedNanos;
    }

    /**
     * {@return whether this is the final report: every item read from the input is done, and no
     * report follows}
     */
    public boolean isFinished() {
        return finished;
    }

    private List<Object> components() {
        return Arrays.asList(done, failed, cancelled, total < 0 ? "unknown" : total, elapsed(), finished);
    }

    /** Whether {@code o} is a {@code Progress} with the same counts, total, elapsed time and finished flag. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Progress p && components().equals(p.components());
    }

    @Override
    public int hashCode() {
        return components().hashCode();
    }

    /** {@code Progress[done=40, failed=1, cancelled=0, total=100, elapsed=PT1.2S, finished=false]}. */
    @Override
    public String toString() {
        return Components.text("Progress", NAMES, components());
    }

    /**
     * Receives the progress of a map call: given to {@link Pool#withProgress(Duration, Progress.Listener)}.
     *
     * <h2>When it is called</h2>
     * <ul>
     * <li><b>First</b>, once the call has checked its arguments (and, for {@code map},
     *     {@code starmap} and their {@code Async} forms, copied its input), before it submits any
     *     item: in the calling thread, with {@code done} 0.</li>
     * <li><b>Then</b> after items are done, at most once per interval (100 ms by default:
     *     {@code tqdm}'s {@code mininterval}), in a thread that ended one of the call's chunks: the
     *     thread that runs the call's callbacks (a worker of a thread pool, the reader thread of a
     *     process pool's worker, a cluster pool's callback thread; see {@link Pool}'s
     *     <em>Callbacks</em>), a thread that cancelled chunks ({@link Pool#terminate()},
     *     {@link AsyncResult#future()}{@code .cancel}), or, for {@code imap}, the iterating thread
     *     when it finds the end of the input (the total becomes known). A report that is not due
     *     yet, or that comes while another call of the listener runs, is not lost: a later call
     *     reports it, since each call carries all counts so far. A thread that finds the listener
     *     busy does not wait for it. With {@link Duration#ZERO}, every change is reported, by the
     *     thread that made it or, if the listener was busy, by the busy thread right after its
     *     call returns.</li>
     * <li><b>Last</b>, exactly once, when every item read from the input is done: with
     *     {@link Progress#isFinished()} true and {@code done} equal to the total, whatever the
     *     interval. It is made by the thread that ended the last chunk (for {@code imap}, possibly
     *     the iterating thread, if it found the end of the input after that), or by a thread whose
     *     call was running then, right after; the thread that ended the last chunk waits for it to
     *     return before it goes on. So it returns before {@code map} and {@code starmap} return,
     *     before a {@code mapAsync}'s callback runs and its {@link AsyncResult} is ready, and
     *     before an {@code imap} iterator that runs to its end yields its last result. An
     *     {@code imap} that is not iterated to the end of its input does not finish, so has no
     *     final call, as only what is iterated runs.</li>
     * </ul>
     *
     * <h2>What it may rely on</h2>
     * Calls for one map call are never concurrent: each returns before the next starts, and
     * happens-before it. Their values never go back: {@code done}, {@code failed},
     * {@code cancelled} and {@code elapsed} only grow, and no two calls but the final one report
     * the same counts and total. The listener must be quick and must not wait for the pool: it
     * runs where callbacks run. If it throws, the exception is logged through SLF4J (logger
     * {@code dev.weft.Pool}) and the map carries on as if it had returned; later reports still
     * call it. A listener that cancels its own map sees the final call once it has returned.
     *
     * <p>One listener may serve several map calls, each reporting on its own; their calls may
     * then be concurrent.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Listener {
        /**
         * Receives one report; see {@link Listener} for when, and in which thread.
         *
         * @param progress the call's progress at this report; immutable, and never null
         */
        void onProgress(Progress progress);
    }
}
