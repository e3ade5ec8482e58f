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
 * <pre>{@code
 * try (ProcessPool pool = Pool.processes()) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));   // a SerializableFunction
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface RemoteMapper extends Mapper {

    /** {@link Mapper#map(Function, Iterable)} for a serializable function. */
    default <A, R> List<R> map(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items)
            throws InterruptedException {
        return map((Function<? super A, ? extends R>) fn, items);
    }

    /** {@link Mapper#map(Function, Iterable, int)} for a serializable function. */
    default <A, R> List<R> map(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                               int chunksize) throws InterruptedException {
        return map((Function<? super A, ? extends R>) fn, items, chunksize);
    }

    /** {@link Mapper#mapAsync(Function, Iterable)} for a serializable function. */
    default <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> fn,
                                                 Iterable<? extends A> items) {
        return mapAsync((Function<? super A, ? extends R>) fn, items);
    }

    /** {@link Mapper#mapAsync(Function, Iterable, int, Consumer, Consumer)} for a serializable function. */
    default <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> fn,
                                                 Iterable<? extends A> items, int chunksize,
                                                 Consumer<? super List<R>> callback,
                                                 Consumer<? super Throwable> errorCallback) {
        return mapAsync((Function<? super A, ? extends R>) fn, items, chunksize, callback, errorCallback);
    }

    /** {@link Mapper#imap(Function, Iterable)} for a serializable function. */
    default <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return imap((Function<? super A, ? extends R>) fn, items);
    }

    /** {@link Mapper#imap(Function, Iterable, int)} for a serializable function. */
    default <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                          int chunksize) {
        return imap((Function<? super A, ? extends R>) fn, items, chunksize);
    }

    /** {@link Mapper#imap(Function, Iterable, int, Duration)} for a serializable function. */
    default <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                          int chunksize, Duration timeout) {
        return imap((Function<? super A, ? extends R>) fn, items, chunksize, timeout);
    }

    /** {@link Mapper#imap(Function, Iterable, int, Duration, int)} for a serializable function. */
    default <A, R> ResultIterator<R> imap(SerializableFunction<? super A, ? extends R> fn, Iterable<? extends A> items,
                                          int chunksize, Duration timeout, int buffersize) {
        return imap((Function<? super A, ? extends R>) fn, items, chunksize, timeout, buffersize);
    }

    /** {@link Mapper#imapUnordered(Function, Iterable)} for a serializable function. */
    default <A, R> ResultIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> fn,
                                                   Iterable<? extends A> items) {
        return imapUnordered((Function<? super A, ? extends R>) fn, items);
    }

    /** {@link Mapper#imapUnordered(Function, Iterable, int)} for a serializable function. */
    default <A, R> ResultIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> fn,
                                                   Iterable<? extends A> items, int chunksize) {
        return imapUnordered((Function<? super A, ? extends R>) fn, items, chunksize);
    }

    /** {@link Mapper#starmap(BiFunction, Iterable)} for a serializable function. */
    default <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException {
        return starmap((BiFunction<? super A, ? super B, ? extends R>) fn, pairs);
    }

    /** {@link Mapper#starmap(BiFunction, Iterable, int)} for a serializable function. */
    default <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException {
        return starmap((BiFunction<? super A, ? super B, ? extends R>) fn, pairs, chunksize);
    }

    /** {@link Mapper#starmapAsync} for a serializable function. */
    default <A, B, R> AsyncResult<List<R>> starmapAsync(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
                                                        Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                        int chunksize, Consumer<? super List<R>> callback,
                                                        Consumer<? super Throwable> errorCallback) {
        return starmapAsync((BiFunction<? super A, ? super B, ? extends R>) fn, pairs, chunksize, callback,
                errorCallback);
    }
}
