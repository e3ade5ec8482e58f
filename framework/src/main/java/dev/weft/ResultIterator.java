package dev.weft;

import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The results of {@link Pool#imap} and {@link Pool#imapUnordered}, one per input item: Python's
 * {@code IMapIterator}. It is single-threaded: one thread iterates it.
 *
 * <pre>{@code
 * for (long sum : pool.imap(n -> sumTo(n), inputs)) {    // Python: for s in pool.imap(sum_to, inputs)
 *     System.out.println(sum);
 * }
 * }</pre>
 *
 * <p>It is also an {@link Iterable}, so that a for-each loop takes its results, but not a
 * collection: like a Python iterator, whose {@code __iter__} returns itself, its
 * {@link #iterator()} returns this same iterator each time. A loop after a {@code break} goes on
 * from the next result, and a loop over an iterator already used up runs no body.
 *
 * <h2>What the methods throw</h2>
 * <ul>
 * <li>{@link FailedException}, with the task's exception as cause, from {@code next} when the
 *     iteration reaches an item whose task threw; iteration may continue past it.</li>
 * <li>The input's own exception, as it is, from {@code next} after the results of the items taken
 *     before it; the iteration then ends. The pool is not affected.</li>
 * <li>{@link CancellationException} for an item whose task was cancelled (the pool was
 *     terminated).</li>
 * <li>{@link UncheckedTimeoutException} when a deadline passes: the per-call one of
 *     {@link #next(Duration)} (iteration may continue), or the overall one given to
 *     {@link Pool#imap(java.util.function.Function, Iterable, int, Duration)} (the tasks still in
 *     flight are cancelled and the iteration ends, as Python's {@code Executor.map} does).</li>
 * <li>{@link UncheckedInterruptedException} if the thread is interrupted while it waits; the
 *     interrupt status is set again and iteration may continue.</li>
 * <li>{@link java.util.concurrent.RejectedExecutionException}, once, from {@code next} of a lazy
 *     iterator ({@code imap}, {@code imapUnordered}, {@code imap} with a {@code buffersize}) whose
 *     pool stopped accepting its next chunk of items (shut down or broken): the chunks already
 *     submitted deliver their results first; the exception then names the items that were never
 *     submitted, its cause is the pool's own rejection, and the iteration ends. Nothing read from
 *     the input is dropped without this exception.</li>
 * </ul>
 * {@code hasNext()} does not wait for a result, only for the input's own {@code hasNext}.
 *
 * <h2>Memory consistency</h2>
 * A task's actions happen-before {@code next} returns its result or throws its exception.
 *
 * @param <R> the result type
 * @since 0.1
 */
public interface ResultIterator<R> extends Iterator<R>, Iterable<R> {

    /**
     * Returns this iterator, so that {@code for (R r : pool.imap(f, items))} takes the results in
     * this iterator's order. Every call returns the same iterator: the results it has already
     * given are gone, as from a Python iterator.
     *
     * @return this
     */
    @Override
    default Iterator<R> iterator() {
        return this;
    }

    /**
     * Passes each remaining result to {@code action}, as {@link #forEachRemaining} does: an
     * iterator used up passes none.
     *
     * @param action what to do with each result
     * @throws NullPointerException if {@code action} is null
     */
    @Override
    default void forEach(Consumer<? super R> action) {
        forEachRemaining(action);
    }

    /**
     * Returns the next result, waiting at most {@code timeout} for it: Python's
     * {@code IMapIterator.next(timeout)}. A timeout does not end the iteration.
     *
     * @param timeout how long to wait at most for the next result; zero does not wait
     * @return the next result, which may be null
     * @throws UncheckedTimeoutException  if no result came within {@code timeout}
     * @throws IllegalArgumentException   if {@code timeout} is negative
     * @throws NullPointerException       if {@code timeout} is null
     * @throws java.util.NoSuchElementException if there are no more results
     */
    R next(Duration timeout);

    /**
     * Passes each remaining result to {@code action}, in this iterator's order, waiting for each as
     * {@link #next()} does, until there are no more or {@code action} or {@code next} throws.
     *
     * @param action what to do with each result
     * @throws NullPointerException if {@code action} is null
     */
    @Override
    default void forEachRemaining(Consumer<? super R> action) {
        Objects.requireNonNull(action, "action");
        while (hasNext()) {
            action.accept(next());
        }
    }
}
