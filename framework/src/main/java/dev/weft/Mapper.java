package dev.weft;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The map family of Python's {@code multiprocessing.pool.Pool}: {@code map}, {@code imap},
 * {@code imap_unordered}, {@code starmap} and their {@code _async} forms, which apply one function
 * to many items on a pool's workers. Every {@link Pool} is a {@code Mapper}, as every
 * {@link java.util.concurrent.ExecutorService} is an {@link java.util.concurrent.Executor}; so is
 * the view that {@link Pool#withProgress(Progress.Listener)} returns, whose calls also report
 * their {@link Progress}. Code that only maps can take a {@code Mapper} and be given either.
 *
 * <pre>{@code
 * static List<Report> checkAll(Mapper mapper, List<Path> files) throws InterruptedException {
 *     return mapper.map(Report::of, files, 8);
 * }
 * checkAll(pool, files);                                   // as it is
 * checkAll(pool.withProgress(p -> bar.draw(p)), files);    // the same calls, drawing a progress bar
 * }</pre>
 *
 * <p>What each call does with failures, callbacks, cancellation and the pool's own threads is
 * said on {@link Pool}: the calls of a {@code Mapper} are its pool's. Thread-safe: any thread may
 * call any method, concurrently. A {@link RemotePool}'s functions must be serializable; its
 * mappers are {@link RemoteMapper}s, whose overloads make a lambda serializable.
 *
 * @since 0.1
 */
public interface Mapper {
    /**
     * {@code map(fn, items, chunksize)} with Python's default chunksize, {@code ceil(n / (4 *
     * workers))} (1 for an unbounded IO pool). Python: {@code Pool.map(func, iterable)}.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, copied at the call; an item may be null if {@code fn} accepts it
     * @return the results, one per item, in input order
     * @throws FailedException if {@code fn} threw for any item: the first failure in input order is
     *         its cause, the later ones are suppressed
     * @throws java.util.concurrent.CancellationException if the map's tasks were cancelled (the
     *         pool was terminated)
     * @throws InterruptedException if interrupted while waiting; the map's tasks are then cancelled
     * @throws RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted, as by a
     *         {@code shutdown()} from another thread; the chunks already submitted are then
     *         cancelled, though those that had started may have run, as with the JDK's
     *         {@code invokeAll}
     * @throws IllegalStateException if called from one of the pool's own threads when the wait
     *         could never end (see {@link Pool})
     */
    <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items) throws InterruptedException;

    /**
     * Applies {@code fn} to every item, sending items to workers in chunks of {@code chunksize},
     * and returns the results in input order. The first failure (in input order) is thrown as a
     * {@link FailedException} once every task has ended, the later ones suppressed. The items are
     * copied first, so an exception thrown by {@code items} is thrown here, before any task runs.
     * If interrupted while waiting, the tasks are cancelled. Python: {@code Pool.map(func,
     * iterable, chunksize)}.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, copied at the call; an item may be null if {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @return the results, one per item, in input order
     * @throws FailedException if {@code fn} threw for any item: the first failure in input order is
     *         its cause, the later ones are suppressed
     * @throws java.util.concurrent.CancellationException if the map's tasks were cancelled (the
     *         pool was terminated)
     * @throws InterruptedException if interrupted while waiting; the map's tasks are then cancelled
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted, as by a
     *         {@code shutdown()} from another thread; the chunks already submitted are then
     *         cancelled, though those that had started may have run, as with the JDK's
     *         {@code invokeAll}
     * @throws IllegalStateException if called from one of the pool's own threads when the wait
     *         could never end (see {@link Pool})
     */
    <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize)
            throws InterruptedException;

    /**
     * As {@link #map(Function, Iterable)}, without waiting and without callbacks. Python: {@code map_async}.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, copied at the call; an item may be null if {@code fn} accepts it
     * @return the pending results, one per item in input order, whose {@link AsyncResult#get()}
     *         throws what {@code map} does
     * @throws RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted, as by a
     *         {@code shutdown()} from another thread; the chunks already submitted are then
     *         cancelled, though those that had started may have run, as with the JDK's
     *         {@code invokeAll}
     */
    <A, R> AsyncResult<List<R>> mapAsync(Function<? super A, ? extends R> fn, Iterable<? extends A> items);

    /**
     * As {@link #map(Function, Iterable, int)}, without waiting. Python: {@code map_async}.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, copied at the call; an item may be null if {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @param callback called with the results, in input order, if every item succeeded, before the
     *         result becomes ready (by which thread: see {@link Pool})
     * @param errorCallback called instead with the first failure in input order, or with a
     *         {@link java.util.concurrent.CancellationException} if the map was cancelled; neither
     *         callback is called if this call throws
     * @return the pending results, one per item in input order, whose {@link AsyncResult#get()}
     *         throws what {@code map} does
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted, as by a
     *         {@code shutdown()} from another thread; the chunks already submitted are then
     *         cancelled, though those that had started may have run, as with the JDK's
     *         {@code invokeAll}
     */
    <A, R> AsyncResult<List<R>> mapAsync(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize,
                                         Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback);

    /**
     * {@code imap(fn, items, 1)}.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, read only by the iterating thread, as workers free up; an item may be
     *         null if {@code fn} accepts it
     * @return an iterator over the results, one per item, in input order
     * @throws RejectedExecutionException if the pool refuses the first chunks at the call (shut
     *         down, or broken: {@link BrokenPoolException}); a later refusal is thrown by
     *         {@code next}, after the results of the chunks already submitted
     */
    default <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return imap(fn, items, 1);
    }

    /**
     * Applies {@code fn} to the items lazily: items are taken from {@code items} only as workers
     * free up (so an unbounded input works), and results come back in input order. A task's
     * exception is thrown by {@code next()} when iteration reaches it, and iteration may continue
     * past it. An exception thrown by the input itself is thrown by {@code next()} after the
     * results before it. At most {@code 2 × workers} chunks (256 for an unbounded IO pool) are in
     * flight, submitted and not yet consumed; the input is read only by the iterating thread (in
     * this call, {@code hasNext} and {@code next}). See {@link ResultIterator} for what it throws.
     * Python: {@code Pool.imap(func, iterable, chunksize)}, which instead reads the whole input at
     * once in a helper thread.
     *
     * <p><b>Lazy means: only what is iterated runs.</b> Items are submitted as the iteration asks
     * for them; an iterator that is never iterated runs only the first window. If the pool is shut
     * down or broken while items are left, the iterator delivers the results of the chunks already
     * submitted, then throws one {@link RejectedExecutionException} that names the items never
     * submitted, and ends. To run every item whatever the caller iterates, use
     * {@link #map(Function, Iterable, int)} or {@link #imap(Function, Iterable, int, Duration)}.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, read only by the iterating thread, as workers free up; an item may be
     *         null if {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @return an iterator over the results, one per item, in input order
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws RejectedExecutionException if the pool refuses the first chunks at the call (shut
     *         down, or broken: {@link BrokenPoolException}); a later refusal is thrown by
     *         {@code next}, after the results of the chunks already submitted
     */
    <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize);

    /**
     * Submits {@code fn} for every item at once and returns their results in input order, with one
     * overall deadline from this call: Python's
     * {@code concurrent.futures.Executor.map(fn, iterable, timeout=..., chunksize=...)}. Like
     * Python's, it reads the whole input and submits every chunk before it returns, so every item
     * runs whether or not the caller iterates (an exception thrown by the input is thrown here,
     * before any task runs; a pool shut down meanwhile cancels the chunks submitted and throws
     * here). A {@code next()} that cannot return by the deadline throws
     * {@link UncheckedTimeoutException}, cancels the chunks still in flight and ends the iteration
     * (as Python's does). A task's exception is thrown when iteration reaches it, wrapped in a
     * {@link FailedException}; iteration may then continue, and the other items' tasks keep
     * running (Python's generator is finished by the exception, and its {@code finally} cancels the
     * rest). For an input too large to submit at once, bound it with
     * {@link #imap(Function, Iterable, int, Duration, int)}.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, copied at the call; an item may be null if {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @param timeout how long the whole iteration may take, from this call; once it has passed,
     *         {@code next()} throws {@link UncheckedTimeoutException}
     * @return an iterator over the results, one per item, in input order
     * @throws IllegalArgumentException if {@code chunksize} is below 1 or {@code timeout} negative
     * @throws RejectedExecutionException if the pool refuses a chunk (shut down, or broken:
     *         {@link BrokenPoolException}); the chunks already submitted are then cancelled
     */
    <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize,
                                  Duration timeout);

    /**
     * As {@link #imap(Function, Iterable, int, Duration)}, but lazy and bounded: at most
     * {@code buffersize} chunks are submitted and not yet yielded, and the input is read only by
     * the iterating thread, a chunk at a time, as results are yielded. Python 3.14:
     * {@code Executor.map(fn, iterable, timeout=..., chunksize=..., buffersize=...)}. So only what
     * is iterated runs: if the pool is shut down or broken while items are left, the iterator
     * delivers the results of the chunks already submitted, then throws one
     * {@link RejectedExecutionException} that names the items never submitted (the pool's own
     * exception is its cause), and ends.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, read only by the iterating thread, as workers free up; an item may be
     *         null if {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @param timeout how long the whole iteration may take, from this call; once it has passed,
     *         {@code next()} throws {@link UncheckedTimeoutException}
     * @param buffersize how many chunks may be submitted and not yet yielded, at most
     * @return an iterator over the results, one per item, in input order
     * @throws IllegalArgumentException if {@code chunksize} or {@code buffersize} is below 1, or
     *                                  {@code timeout} is negative
     * @throws RejectedExecutionException if the pool refuses the first chunks at the call (shut
     *         down, or broken: {@link BrokenPoolException}); a later refusal is thrown by
     *         {@code next}, after the results of the chunks already submitted
     */
    <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize,
                                  Duration timeout, int buffersize);

    /**
     * {@code imapUnordered(fn, items, 1)}.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, read only by the iterating thread, as workers free up; an item may be
     *         null if {@code fn} accepts it
     * @return an iterator over the results, one per item, in the order their chunks completed
     * @throws RejectedExecutionException if the pool refuses the first chunks at the call (shut
     *         down, or broken: {@link BrokenPoolException}); a later refusal is thrown by
     *         {@code next}, after the results of the chunks already submitted
     */
    default <A, R> ResultIterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return imapUnordered(fn, items, 1);
    }

    /**
     * As {@link #imap(Function, Iterable, int)}, but in completion order (of chunks; items of a
     * chunk keep their order). Python: {@code imap_unordered}.
     *
     * @param <A> the type of the items
     * @param <R> the type of the function's results
     * @param fn the function, applied to each item in one of the pool's workers
     * @param items the items, read only by the iterating thread, as workers free up; an item may be
     *         null if {@code fn} accepts it
     * @param chunksize the number of items per task (the last task takes what is left), at least 1
     * @return an iterator over the results, one per item, in the order their chunks completed
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws RejectedExecutionException if the pool refuses the first chunks at the call (shut
     *         down, or broken: {@link BrokenPoolException}); a later refusal is thrown by
     *         {@code next}, after the results of the chunks already submitted
     */
    <A, R> ResultIterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize);

    /**
     * {@code starmap} with the default chunksize of {@link #map(Function, Iterable)}.
     *
     * @param <A> the type of each pair's key, the function's first argument
     * @param <B> the type of each pair's value, the function's second argument
     * @param <R> the type of the function's results
     * @param fn the function, applied to each pair's key and value in one of the pool's workers
     * @param pairs the pairs of arguments, copied at the call; a pair must not be null, its key and
     *         value may be if {@code fn} accepts them
     * @return the results, one per pair, in input order
     * @throws FailedException if {@code fn} threw for any pair: the first failure in input order is
     *         its cause, the later ones are suppressed
     * @throws java.util.concurrent.CancellationException if the map's tasks were cancelled (the
     *         pool was terminated)
     * @throws InterruptedException if interrupted while waiting; the map's tasks are then cancelled
     * @throws RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted, as by a
     *         {@code shutdown()} from another thread; the chunks already submitted are then
     *         cancelled, though those that had started may have run, as with the JDK's
     *         {@code invokeAll}
     * @throws IllegalStateException if called from one of the pool's own threads when the wait
     *         could never end (see {@link Pool})
     */
    <A, B, R> List<R> starmap(BiFunction<? super A, ? super B, ? extends R> fn,
                              Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException;

    /**
     * Applies a two-argument function to each pair, as {@link #map(Function, Iterable, int)} does.
     * Python: {@code starmap(func, [(a, b), ...])}; use {@code Map.entry(a, b)} for a pair.
     *
     * @param <A> the type of each pair's key, the function's first argument
     * @param <B> the type of each pair's value, the function's second argument
     * @param <R> the type of the function's results
     * @param fn the function, applied to each pair's key and value in one of the pool's workers
     * @param pairs the pairs of arguments, copied at the call; a pair must not be null, its key and
     *         value may be if {@code fn} accepts them
     * @param chunksize the number of pairs per task (the last task takes what is left), at least 1
     * @return the results, one per pair, in input order
     * @throws FailedException if {@code fn} threw for any pair: the first failure in input order is
     *         its cause, the later ones are suppressed
     * @throws java.util.concurrent.CancellationException if the map's tasks were cancelled (the
     *         pool was terminated)
     * @throws InterruptedException if interrupted while waiting; the map's tasks are then cancelled
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted, as by a
     *         {@code shutdown()} from another thread; the chunks already submitted are then
     *         cancelled, though those that had started may have run, as with the JDK's
     *         {@code invokeAll}
     * @throws IllegalStateException if called from one of the pool's own threads when the wait
     *         could never end (see {@link Pool})
     */
    <A, B, R> List<R> starmap(BiFunction<? super A, ? super B, ? extends R> fn,
                              Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException;

    /**
     * As {@link #starmap}, without waiting. Python: {@code starmap_async}.
     *
     * @param <A> the type of each pair's key, the function's first argument
     * @param <B> the type of each pair's value, the function's second argument
     * @param <R> the type of the function's results
     * @param fn the function, applied to each pair's key and value in one of the pool's workers
     * @param pairs the pairs of arguments, copied at the call; a pair must not be null, its key and
     *         value may be if {@code fn} accepts them
     * @param chunksize the number of pairs per task (the last task takes what is left), at least 1
     * @param callback called with the results, in input order, if every pair succeeded, before the
     *         result becomes ready (by which thread: see {@link Pool})
     * @param errorCallback called instead with the first failure in input order, or with a
     *         {@link java.util.concurrent.CancellationException} if the map was cancelled; neither
     *         callback is called if this call throws
     * @return the pending results, one per pair in input order, whose {@link AsyncResult#get()}
     *         throws what {@code starmap} does
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     * @throws RejectedExecutionException if the pool is shut down, or broken
     *         ({@link BrokenPoolException}), before every chunk is submitted, as by a
     *         {@code shutdown()} from another thread; the chunks already submitted are then
     *         cancelled, though those that had started may have run, as with the JDK's
     *         {@code invokeAll}
     */
    <A, B, R> AsyncResult<List<R>> starmapAsync(BiFunction<? super A, ? super B, ? extends R> fn,
                                                Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize,
                                                Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback);
}
