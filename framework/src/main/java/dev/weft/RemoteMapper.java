package dev.weft;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Mapper} whose functions run in other JVMs: the map family of a {@link RemotePool}. Its
 * overloads take {@link SerializableFunction} and {@link SerializableBiFunction}, so that a lambda
 * given to {@code map} is serializable; each calls the {@code Mapper} method of the same name. What
 * the function captures, the items and the results must be serializable too.
 *
 * <p>The lazy {@code imap} and {@code imapUnordered} read their items as they go, a window of
 * chunks ahead: an item that cannot be serialized is found when its chunk is submitted, which may
 * be inside the iterator's {@code hasNext()} or {@code next()}, and that call then throws the
 * {@link IllegalArgumentException} that {@code map} throws at the call.
 *
 * <pre>{@code
 * try (ProcessPool pool = Pool.processes()) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));   // a SerializableFunction
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface RemoteMapper extends Mapper {

    /**
     * {@link Mapper#map(Function, Iterable)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, copied at the call; each must be serializable, and may be null if
     *         {@code fn} accepts it
     * @return the results, one per item, in input order
     * @throws FailedException if {@code fn} threw for any item: the first failure in input order is
     *         its cause, the later ones are suppressed
     * @throws java.util.concurrent.CancellationException if the map's tasks were cancelled (the
     *         pool was terminated)
     * @throws InterruptedException if interrupted while waiting; the map's tasks are then cancelled
     * @throws IllegalArgumentException if {@code fn} or an item cannot be serialized; the chunks
     *         already submitted are then cancelled
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted; the chunks already
     *         submitted are then cancelled
     * @throws IllegalStateException if called from one of the pool's own threads when the wait
     *         could never end (see {@link Pool})
     */
    default <A, R> List<R> map(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items)
            throws InterruptedException {
        return map((Function<? super A, ? extends R>) fn, items);
    }

    /**
     * {@link Mapper#map(Function, Iterable, int)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, copied at the call; each must be serializable, and may be null if
     *         {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @return the results, one per item, in input order
     * @throws FailedException if {@code fn} threw for any item: the first failure in input order is
     *         its cause, the later ones are suppressed
     * @throws java.util.concurrent.CancellationException if the map's tasks were cancelled (the
     *         pool was terminated)
     * @throws InterruptedException if interrupted while waiting; the map's tasks are then cancelled
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws IllegalArgumentException if {@code fn} or an item cannot be serialized; the chunks
     *         already submitted are then cancelled
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted; the chunks already
     *         submitted are then cancelled
     * @throws IllegalStateException if called from one of the pool's own threads when the wait
     *         could never end (see {@link Pool})
     */
    default <A, R> List<R> map(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                               int chunksize) throws InterruptedException {
        return map((Function<? super A, ? extends R>) fn, items, chunksize);
    }

    /**
     * {@link Mapper#mapAsync(Function, Iterable)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, copied at the call; each must be serializable, and may be null if
     *         {@code fn} accepts it
     * @return the pending results, one per item in input order, whose {@link AsyncResult#get()}
     *         throws what {@code map} does
     * @throws IllegalArgumentException if {@code fn} or an item cannot be serialized; the chunks
     *         already submitted are then cancelled
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted; the chunks already
     *         submitted are then cancelled
     */
    default <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> fn,
                                                 Iterable<? extends A> items) {
        return mapAsync((Function<? super A, ? extends R>) fn, items);
    }

    /**
     * {@link Mapper#mapAsync(Function, Iterable, int, Consumer, Consumer)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, copied at the call; each must be serializable, and may be null if
     *         {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @param callback called with the results, in input order, if every item succeeded, before the
     *         result becomes ready (by which thread: see {@link Pool})
     * @param errorCallback called instead with the first failure in input order, or with a
     *         {@link java.util.concurrent.CancellationException} if the map was cancelled; neither
     *         callback is called if this call throws
     * @return the pending results, one per item in input order, whose {@link AsyncResult#get()}
     *         throws what {@code map} does
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws IllegalArgumentException if {@code fn} or an item cannot be serialized; the chunks
     *         already submitted are then cancelled
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted; the chunks already
     *         submitted are then cancelled
     */
    default <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> fn,
                                                 Iterable<? extends A> items, int chunksize,
                                                 Consumer<? super List<R>> callback,
                                                 Consumer<? super Throwable> errorCallback) {
        return mapAsync((Function<? super A, ? extends R>) fn, items, chunksize, callback, errorCallback);
    }

    /**
     * {@link Mapper#imap(Function, Iterable)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, read only by the iterating thread, as workers free up; each must be
     *         serializable, and may be null if {@code fn} accepts it
     * @return an iterator over the results, one per item, in input order
     * @throws java.util.concurrent.RejectedExecutionException if the pool refuses the first chunks
     *         at the call (shut down, or broken: {@link BrokenPoolException}); a later refusal is
     *         thrown by {@code next}, after the results of the chunks already submitted
     */
    default <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return imap((Function<? super A, ? extends R>) fn, items);
    }

    /**
     * {@link Mapper#imap(Function, Iterable, int)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, read only by the iterating thread, as workers free up; each must be
     *         serializable, and may be null if {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @return an iterator over the results, one per item, in input order
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws java.util.concurrent.RejectedExecutionException if the pool refuses the first chunks
     *         at the call (shut down, or broken: {@link BrokenPoolException}); a later refusal is
     *         thrown by {@code next}, after the results of the chunks already submitted
     */
    default <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                          int chunksize) {
        return imap((Function<? super A, ? extends R>) fn, items, chunksize);
    }

    /**
     * {@link Mapper#imap(Function, Iterable, int, Duration)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, copied at the call; each must be serializable, and may be null if
     *         {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @param timeout how long the whole iteration may take, from this call; once it has passed,
     *         {@code next()} throws {@link UncheckedTimeoutException}
     * @return an iterator over the results, one per item, in input order
     * @throws IllegalArgumentException if {@code chunksize} is below 1 or {@code timeout} negative
     * @throws IllegalArgumentException if {@code fn} or an item cannot be serialized; the chunks
     *         already submitted are then cancelled
     * @throws java.util.concurrent.RejectedExecutionException if the pool refuses a chunk (shut
     *         down, or broken: {@link BrokenPoolException}); the chunks already submitted are then
     *         cancelled
     */
    default <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                          int chunksize, Duration timeout) {
        return imap((Function<? super A, ? extends R>) fn, items, chunksize, timeout);
    }

    /**
     * {@link Mapper#imap(Function, Iterable, int, Duration, int)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, read only by the iterating thread, as workers free up; each must be
     *         serializable, and may be null if {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @param timeout how long the whole iteration may take, from this call; once it has passed,
     *         {@code next()} throws {@link UncheckedTimeoutException}
     * @param buffersize how many chunks may be submitted and not yet yielded, at most
     * @return an iterator over the results, one per item, in input order
     * @throws IllegalArgumentException if {@code chunksize} or {@code buffersize} is below 1, or
     *         {@code timeout} is negative
     * @throws java.util.concurrent.RejectedExecutionException if the pool refuses the first chunks
     *         at the call (shut down, or broken: {@link BrokenPoolException}); a later refusal is
     *         thrown by {@code next}, after the results of the chunks already submitted
     */
    default <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                          int chunksize, Duration timeout, int buffersize) {
        return imap((Function<? super A, ? extends R>) fn, items, chunksize, timeout, buffersize);
    }

    /**
     * {@link Mapper#imapUnordered(Function, Iterable)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, read only by the iterating thread, as workers free up; each must be
     *         serializable, and may be null if {@code fn} accepts it
     * @return an iterator over the results, one per item, in the order their chunks completed
     * @throws java.util.concurrent.RejectedExecutionException if the pool refuses the first chunks
     *         at the call (shut down, or broken: {@link BrokenPoolException}); a later refusal is
     *         thrown by {@code next}, after the results of the chunks already submitted
     */
    default <A, R> ResultIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> fn,
                                                   Iterable<? extends A> items) {
        return imapUnordered((Function<? super A, ? extends R>) fn, items);
    }

    /**
     * {@link Mapper#imapUnordered(Function, Iterable, int)} for a serializable function.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in a worker of the pool; it and what it captures
     *         are serialized to get there
     * @param items the items, read only by the iterating thread, as workers free up; each must be
     *         serializable, and may be null if {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @return an iterator over the results, one per item, in the order their chunks completed
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws java.util.concurrent.RejectedExecutionException if the pool refuses the first chunks
     *         at the call (shut down, or broken: {@link BrokenPoolException}); a later refusal is
     *         thrown by {@code next}, after the results of the chunks already submitted
     */
    default <A, R> ResultIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> fn,
                                                   Iterable<? extends A> items, int chunksize) {
        return imapUnordered((Function<? super A, ? extends R>) fn, items, chunksize);
    }

    /**
     * {@link Mapper#starmap(BiFunction, Iterable)} for a serializable function.
     *
     * @param <A> the type of each pair's key, the function's first argument
     * @param <B> the type of each pair's value, the function's second argument
     * @param <R> the type of the function's results
     * @param fn the function, applied to each pair's key and value in a worker of the pool; it and
     *         what it captures are serialized to get there
     * @param pairs the pairs of arguments, copied at the call; a pair must not be null, its key and
     *         value must be serializable, and may be null if {@code fn} accepts them
     * @return the results, one per pair, in input order
     * @throws FailedException if {@code fn} threw for any pair: the first failure in input order is
     *         its cause, the later ones are suppressed
     * @throws java.util.concurrent.CancellationException if the map's tasks were cancelled (the
     *         pool was terminated)
     * @throws InterruptedException if interrupted while waiting; the map's tasks are then cancelled
     * @throws IllegalArgumentException if {@code fn} or a pair cannot be serialized; the chunks
     *         already submitted are then cancelled
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted; the chunks already
     *         submitted are then cancelled
     * @throws IllegalStateException if called from one of the pool's own threads when the wait
     *         could never end (see {@link Pool})
     */
    default <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException {
        return starmap((BiFunction<? super A, ? super B, ? extends R>) fn, pairs);
    }

    /**
     * {@link Mapper#starmap(BiFunction, Iterable, int)} for a serializable function.
     *
     * @param <A> the type of each pair's key, the function's first argument
     * @param <B> the type of each pair's value, the function's second argument
     * @param <R> the type of the function's results
     * @param fn the function, applied to each pair's key and value in a worker of the pool; it and
     *         what it captures are serialized to get there
     * @param pairs the pairs of arguments, copied at the call; a pair must not be null, its key and
     *         value must be serializable, and may be null if {@code fn} accepts them
     * @param chunksize the number of pairs per task (the last task takes what is left), at least 1
     * @return the results, one per pair, in input order
     * @throws FailedException if {@code fn} threw for any pair: the first failure in input order is
     *         its cause, the later ones are suppressed
     * @throws java.util.concurrent.CancellationException if the map's tasks were cancelled (the
     *         pool was terminated)
     * @throws InterruptedException if interrupted while waiting; the map's tasks are then cancelled
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws IllegalArgumentException if {@code fn} or a pair cannot be serialized; the chunks
     *         already submitted are then cancelled
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted; the chunks already
     *         submitted are then cancelled
     * @throws IllegalStateException if called from one of the pool's own threads when the wait
     *         could never end (see {@link Pool})
     */
    default <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException {
        return starmap((BiFunction<? super A, ? super B, ? extends R>) fn, pairs, chunksize);
    }

    /**
     * {@link Mapper#starmapAsync} for a serializable function.
     *
     * @param <A> the type of each pair's key, the function's first argument
     * @param <B> the type of each pair's value, the function's second argument
     * @param <R> the type of the function's results
     * @param fn the function, applied to each pair's key and value in a worker of the pool; it and
     *         what it captures are serialized to get there
     * @param pairs the pairs of arguments, copied at the call; a pair must not be null, its key and
     *         value must be serializable, and may be null if {@code fn} accepts them
     * @param chunksize the number of pairs per task (the last task takes what is left), at least 1
     * @param callback called with the results, in input order, if every pair succeeded, before the
     *         result becomes ready (by which thread: see {@link Pool})
     * @param errorCallback called instead with the first failure in input order, or with a
     *         {@link java.util.concurrent.CancellationException} if the map was cancelled; neither
     *         callback is called if this call throws
     * @return the pending results, one per pair in input order, whose {@link AsyncResult#get()}
     *         throws what {@code starmap} does
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws IllegalArgumentException if {@code fn} or a pair cannot be serialized; the chunks
     *         already submitted are then cancelled
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted; the chunks already
     *         submitted are then cancelled
     */
    default <A, B, R> AsyncResult<List<R>> starmapAsync(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                                        Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                        int chunksize, Consumer<? super List<R>> callback,
                                                        Consumer<? super Throwable> errorCallback) {
        return starmapAsync((BiFunction<? super A, ? super B, ? extends R>) fn, pairs, chunksize, callback,
                errorCallback);
    }
}
