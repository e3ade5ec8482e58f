package dev.weft;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The map family of one pool, as {@link Mapper} declares it: what {@link AbstractPool}'s own map
 * calls run (without progress), and the view that {@code Pool.withProgress} returns (each call
 * reporting to its listener through a {@link MapProgress} of its own). Each method checks its
 * arguments at the call and hands the work to {@link PoolMapping} (the eager calls) or
 * {@link PoolIterator} (the lazy ones). Immutable.
 */
sealed class PoolMaps implements Mapper permits PoolMaps.Remote {
    private final AbstractPool pool;
    /** The listener each call reports to, or null for none. */
    private final MapProgress.Settings reporting;

    PoolMaps(AbstractPool pool, MapProgress.Settings reporting) {
        this.pool = pool;
        this.reporting = reporting;
    }

    /** A remote pool's view: the same calls, with {@link RemoteMapper}'s serializable overloads. */
    static final class Remote extends PoolMaps implements RemoteMapper {
        Remote(AbstractPool pool, MapProgress.Settings reporting) {
            super(pool, reporting);
        }
    }

    @Override
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items)
            throws InterruptedException {
        return PoolMapping.get(PoolMapping.mapAsync(pool, fn, items, 0, null, null, reporting));
    }

    @Override
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize)
            throws InterruptedException {
        PoolMapping.checkChunksize(chunksize);
        return PoolMapping.get(PoolMapping.mapAsync(pool, fn, items, chunksize, null, null, reporting));
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return PoolMapping.mapAsync(pool, fn, items, 0, null, null, reporting);
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(Function<? super A, ? extends R> fn, Iterable<? extends A> items,
                                                int chunksize, Consumer<? super List<R>> callback,
                                                Consumer<? super Throwable> errorCallback) {
        PoolMapping.checkChunksize(chunksize);
        return PoolMapping.mapAsync(pool, fn, items, chunksize,
                Objects.requireNonNull(callback, "callback"), Objects.requireNonNull(errorCallback, "errorCallback"), reporting);
    }

    @Override
    public <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize) {
        return PoolIterator.lazy(pool, fn, items, chunksize, true, reporting);
    }

    @Override
    public <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize,
                                         Duration timeout) {
        AsyncResult.nanos(timeout);
        return PoolIterator.eager(pool, fn, items, chunksize, timeout, reporting);
    }

    @Override
    public <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize,
                                         Duration timeout, int buffersize) {
        AsyncResult.nanos(timeout);
        return PoolIterator.buffered(pool, fn, items, chunksize, timeout, buffersize, reporting);
    }

    @Override
    public <A, R> ResultIterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items,
                                                  int chunksize) {
        return PoolIterator.lazy(pool, fn, items, chunksize, false, reporting);
    }

    @Override
    public <A, B, R> List<R> starmap(BiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException {
        Objects.requireNonNull(fn, "fn");
        return map(PoolMapping.spread(fn), pairsOf(pairs));
    }

    @Override
    public <A, B, R> List<R> starmap(BiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException {
        Objects.requireNonNull(fn, "fn");
        return map(PoolMapping.spread(fn), pairsOf(pairs), chunksize);
    }

    @Override
    public <A, B, R> AsyncResult<List<R>> starmapAsync(BiFunction<? super A, ? super B, ? extends R> fn,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                       int chunksize, Consumer<? super List<R>> callback,
                                                       Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        return mapAsync(PoolMapping.spread(fn), pairsOf(pairs), chunksize, callback, errorCallback);
    }

    /** starmap's pairs, copied: a null pair has no arguments to give, so it is refused at the call. */
    private static <P> List<P> pairsOf(Iterable<? extends P> pairs) {
        List<P> all = PoolMapping.copy(pairs);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) == null) {
                throw new NullPointerException("pairs contains null (at position " + i + "): a pair holds the "
                        + "function's two arguments; give each as Map.entry(a, b), or as new AbstractMap.SimpleEntry<>(a, b) "
                        + "for an argument that is null");
            }
        }
        return all;
    }
}
