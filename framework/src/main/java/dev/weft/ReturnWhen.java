package dev.weft;

/**
 * When {@link Futures#wait(java.util.Collection, ReturnWhen, java.time.Duration) Futures.wait}
 * returns: the {@code return_when} argument of Python's {@code concurrent.futures.wait}, with the
 * same three constants. A cancelled future counts as completed, never as an exception.
 *
 * @since 0.1
 */
public enum ReturnWhen {
    /** Return as soon as any future is done (completed normally, exceptionally, or cancelled). */
    FIRST_COMPLETED,
    /**
     * Return as soon as any future has completed exceptionally; if none does, wait for all of them,
     * as {@link #ALL_COMPLETED} does. Cancellation is not an exception here.
     */
    FIRST_EXCEPTION,
    /** Return when every future is done. */
    ALL_COMPLETED
}
