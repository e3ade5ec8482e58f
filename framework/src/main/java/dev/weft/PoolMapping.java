package dev.weft;

import dev.weft.internal.wire.AllowList;
import java.io.ObjectInputFilter;
import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The eager half of the {@code multiprocessing.pool} vocabulary: {@code apply_async} and
 * {@code map_async} (and so {@code apply}, {@code map}, {@code starmap}), over a
 * {@link AbstractPool}; {@link PoolIterator} is the lazy half.
 *
 * <p>Items go to workers in chunks: one pool task per chunk, which applies the function to each
 * of its items in turn and records one outcome per item (a value, or an {@link ItemFailure}), so
 * that a failing item never hides its neighbours' results. A chunk stops early, recording its
 * remaining items as cancelled, once its thread is interrupted (the pool was terminated).
 *
 * <p>Callbacks: an {@link AsyncResult}'s future is completed by a callback of the task future
 * (for map, of the last chunk to finish), which first runs the user's callback; so the user's
 * callback runs in the thread that completed the (last) task, before the result is ready. A
 * callback that throws is logged and changes nothing else.
 *
 * <p>Progress: with a {@link MapProgress}, each chunk's first callback reports its end, so the
 * final report has returned before the last chunk's own callback runs {@code finish}.
 */
final class PoolMapping {
    private PoolMapping() {
    }

    /** Whether a running task was cancelled. */
    interface CancelFlag {
        /**
         * The cancellation of the task that the current thread runs, for a chunk to check between
         * items: set by {@link PoolTask#run} (the task itself) and by a process worker (its running
         * task). A function that swallows the interrupt would otherwise let its chunk run on. Here,
         * not in {@code PoolMapping}, so that a worker that sets it does not initialize
         * {@code PoolMapping} and its logger (SLF4J's start, about 14 ms of a cold worker's first task).
         */
        ThreadLocal<CancelFlag> RUNNING = new ThreadLocal<>();

        boolean isCancelled();
    }

    /**
     * The outcome of one item whose function threw.
     *
     * @param exception what the function threw, or the cancellation that stands for an item that
     *                  did not run
     */
    record ItemFailure(Throwable exception) implements Serializable {
    }

    // The tasks the pool vocabulary makes: records, not lambdas, so that a process pool can send
    // them to a worker whenever what they hold is serializable.

    /**
     * {@code apply(fn, arg)}'s task.
     *
     * @param <A> the type of the argument
     * @param <R> the type of the result
     * @param fn  the function {@code apply} was given
     * @param arg its argument, which may be null
     */
    record Application<A, R>(Function<? super A, ? extends R> fn, A arg) implements Callable<R>, Serializable {
        @Override
        public R call() {
            return fn.apply(arg);
        }
    }

    /**
     * A {@link Runnable} with the result to give when it returns.
     *
     * @param <T>    the type of the result
     * @param task   what to run
     * @param result what to return once it has run, which may be null
     */
    record RunnableCall<T>(Runnable task, T result) implements Callable<T>, Serializable {
        @Override
        public T call() {
            task.run();
            return result;
        }
    }

    /**
     * starmap's function: applies {@code fn} to a pair's key and value.
     *
     * @param <A> the type of a pair's key, {@code fn}'s first argument
     * @param <B> the type of a pair's value, {@code fn}'s second argument
     * @param <R> the type of the result
     * @param fn  the function {@code starmap} was given
     */
    record Spread<A, B, R>(BiFunction<? super A, ? super B, ? extends R> fn)
            implements Function<Map.Entry<? extends A, ? extends B>, R>, Serializable {
        @Override
        public R apply(Map.Entry<? extends A, ? extends B> pair) {
            return fn.apply(pair.getKey(), pair.getValue());
        }
    }

    /**
     * A chunk's task: applies {@code fn} to each item, recording one outcome per item (a value, or
     * an {@link ItemFailure}); once its thread is interrupted or its task cancelled (even if the
     * function swallowed the interrupt), the remaining items are recorded as cancelled. {@code items} may be a view of the caller's list: it is copied only when the
     * chunk is serialized, and {@code Map.entry} pairs, which are not serializable, become
     * {@link AbstractMap.SimpleImmutableEntry}s.
     *
     * @param <A>   the type of the items
     * @param <R>   the type of the results
     * @param fn    the function to apply to each item
     * @param items the chunk's items, in input order
     */
    record Chunk<A, R>(Function<? super A, ? extends R> fn, List<A> items) implements Callable<Object[]>, Serializable {
        @Override
        public Object[] call() {
            Object[] outcomes = new Object[items.size()];
            CancelFlag running = CancelFlag.RUNNING.get();          // once: a ThreadLocal read per item costs more than the item
            Thread self = Thread.currentThread();
            for (int i = 0; i < outcomes.length; i++) {
                if (self.isInterrupted() || (running != null && running.isCancelled())) {
                    outcomes[i] = new ItemFailure(new CancellationException("the pool was terminated"));
                    continue;
                }
                try {
                    outcomes[i] = fn.apply(items.get(i));
                } catch (Throwable e) {
                    outcomes[i] = new ItemFailure(e);
                }
            }
            return outcomes;
        }

        /** The same items with another function: a process pool sends the function apart. */
        @SuppressWarnings("unchecked")
        Chunk<A, R> withFunction(Object function) {
            return new Chunk<>((Function<? super A, ? extends R>) function, items);
        }

        /**
         * Items of the compact types (see {@link AllowList}) cross as one byte array
         * (no class descriptor or filter check per item); others by Java serialization, with
         * entries that are not serializable copied into ones that are.
         */
        @Serial
        @SuppressWarnings("unchecked")
        private Object writeReplace() {
            byte[] compact = AllowList.compactArray(items.toArray());
            if (compact != null) {
                return new CompactChunk<>(fn, compact);
            }
            List<A> copy = new ArrayList<>(items.size());
            for (A item : items) {
                copy.add(item instanceof Map.Entry<?, ?> e && !(item instanceof Serializable)
                        ? (A) new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()) : item);
            }
            return new Chunk<A, R>(fn, copy);
        }
    }

    /**
     * A chunk's serial form when its items have a compact form: they are read back into a list.
     *
     * @param <A>   the type of the items
     * @param <R>   the type of the results
     * @param fn    the chunk's function
     * @param items the items in their compact form (see {@link AllowList#compactArray})
     */
    private record CompactChunk<A, R>(Function<? super A, ? extends R> fn, byte[] items) implements Serializable {
        @Serial
        @SuppressWarnings("unchecked")
        private Object readResolve() throws java.io.IOException {
            // The stream that held this record checked the items' bytes, an array, against its limits.
            return new Chunk<>(fn, (List<A>) Arrays.asList(AllowList.fromCompactArray(items, info -> ObjectInputFilter.Status.UNDECIDED)));
        }
    }

    /**
     * The future behind an {@link AsyncResult}: cancelling it cancels the tasks that feed it, and a
     * thread of the pool that waits for it is checked as if it waited for those tasks.
     */
    static final class ResultFuture<T> extends AbstractPool.OwnFuture<T> {
        /** Set once before the result is handed out; read by the cancelling thread. */
        private volatile List<? extends TaskFuture<?>> sources = List.of();

        ResultFuture(AbstractPool pool) {
            super(pool);
        }

        @Override
        void onCancel(boolean mayInterruptIfRunning) {
            for (TaskFuture<?> source : sources) {
                source.cancel(true);
            }
        }
    }

    static <R> AsyncResult<R> applyAsync(AbstractPool pool, Callable<? extends R> task,
                                         Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        ResultFuture<R> result = new ResultFuture<>(pool);
        PoolTask<R> t = new PoolTask<>(pool, task, false);
        result.sources = List.of(t);
        t.onDone(f -> {
            switch (f.state()) {
                case SUCCESS -> {
                    R value = f.resultNow();
                    call(callback, value);
                    result.complete(value);
                }
                case FAILED -> {
                    call(errorCallback, f.exceptionNow());
                    result.completeExceptionally(f.exceptionNow());
                }
                default -> {
                    call(errorCallback, new CancellationException("the task was cancelled"));
                    result.cancel(false);
                }
            }
        });
        pool.enqueue(t);
        return new AsyncResult<>(result);
    }

    static <A, R> AsyncResult<List<R>> mapAsync(AbstractPool pool, Function<? super A, ? extends R> fn,
                                                Iterable<? extends A> items, int chunksize,
                                                Consumer<? super List<R>> callback,
                                                Consumer<? super Throwable> errorCallback,
                                                MapProgress.Settings reporting) {
        Objects.requireNonNull(fn, "fn");
        List<A> all = copy(items);
        if (all.isEmpty()) {
            pool.checkOpen();       // a shut-down pool refuses a call that would submit nothing, as any other
        }
        int size = chunksize == 0 ? defaultChunksize(all.size(), pool.workers()) : checkChunksize(chunksize);
        MapProgress progress = MapProgress.start(reporting, all.size());
        ResultFuture<List<R>> result = new ResultFuture<>(pool);
        List<PoolTask<Object[]>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            int n = Math.min(size, all.size() - from);
            PoolTask<Object[]> c = new PoolTask<>(pool, chunk(fn, all.subList(from, from + n)), false);
            if (progress != null) {                 // before the callbacks below, so the final report comes first
                progress.submitting();
                c.onDone(f -> progress.ended(f, n));
            }
            chunks.add(c);
        }
        if (progress != null) {
            progress.inputEnded(all.size(), true);
        }
        result.sources = chunks;
        AtomicInteger left = new AtomicInteger(chunks.size());
        // Set before the chunks of a map refused at the call are cancelled: the caller gets the
        // exception, and neither callback runs.
        AtomicBoolean rejected = new AtomicBoolean();
        // Which chunks hold a failed item: each chunk looks at its own outcomes, in its own thread.
        boolean[] failed = new boolean[chunks.size()];
        Runnable finish = () -> {
            boolean cancelled = false;
            boolean anyFailed = false;
            for (int i = 0; i < chunks.size(); i++) {
                cancelled |= chunks.get(i).isCancelled();
                anyFailed |= failed[i];
            }
            List<Throwable> failures = new ArrayList<>();
            if (anyFailed) {
                for (int i = 0; i < chunks.size(); i++) {
                    if (failed[i]) {
                        for (Object o : outcomes(chunks.get(i), Math.min(size, all.size() - i * size))) {
                            if (o instanceof ItemFailure f) {
                                failures.add(f.exception());
                            }
                        }
                    }
                }
            }
            if (rejected.get()) {
                result.cancel(false);
            } else if (cancelled) {
                call(errorCallback, new CancellationException("the map was cancelled"));
                result.cancel(false);
            } else if (failures.isEmpty()) {
                // One copy per item: each chunk's array goes into the list as it is, with no copy of its own.
                List<R> values = new ArrayList<>(all.size());
                for (PoolTask<Object[]> c : chunks) {
                    values.addAll(new Outcomes<>(c.resultNow()));
                }
                call(callback, values);
                result.complete(values);
            } else {
                call(errorCallback, failures.get(0));
                result.completeExceptionally(FailedException.of(failures.size() + " of " + all.size()
                        + " items failed; the first in input order is the cause", failures));
            }
        };
        if (chunks.isEmpty()) {
            finish.run();
        }
        for (int i = 0; i < chunks.size(); i++) {
            int index = i;
            PoolTask<Object[]> c = chunks.get(i);
            c.onDone(f -> {
                failed[index] = f.state() != Future.State.SUCCESS || hasFailure(f.resultNow());
                if (left.decrementAndGet() == 0) {
                    finish.run();
                }
            });
        }
        try {
            chunks.forEach(pool::enqueue);
        } catch (RuntimeException e) {      // shut down or broken half way: the caller learns it, nothing runs on
            rejected.set(true);
            chunks.forEach(c -> c.cancel(true));
            throw e;
        }
        return new AsyncResult<>(result);
    }

    private static boolean hasFailure(Object[] outcomes) {
        for (Object o : outcomes) {
            if (o instanceof ItemFailure) {
                return true;
            }
        }
        return false;
    }

    /**
     * A chunk's outcomes as a collection whose {@code toArray} is the array itself, so that
     * {@code ArrayList.addAll} copies each item once ({@code Arrays.asList} would copy twice).
     * Only for a chunk without failures: every outcome is a value.
     */
    private static final class Outcomes<R> extends AbstractCollection<R> {
        private final Object[] outcomes;

        Outcomes(Object[] outcomes) {
            this.outcomes = outcomes;
        }

        @Override
        public Object[] toArray() {
            return outcomes;
        }

        @Override
        public Iterator<R> iterator() {
            @SuppressWarnings("unchecked")
            List<R> view = (List<R>) Arrays.asList(outcomes);
            return view.iterator();
        }

        @Override
        public int size() {
            return outcomes.length;
        }
    }

    /** A chunk's task; see {@link Chunk}. */
    static <A, R> Callable<Object[]> chunk(Function<? super A, ? extends R> fn, List<A> items) {
        return new Chunk<>(fn, items);
    }

    /** The item outcomes of a finished chunk of {@code size} items (size is used when it did not run). */
    static Object[] outcomes(TaskFuture<Object[]> chunk, int size) {
        return switch (chunk.state()) {
            case SUCCESS -> chunk.resultNow();
            case FAILED -> filled(size, new ItemFailure(chunk.exceptionNow()));
            default -> filled(size, new ItemFailure(new CancellationException("the pool was terminated")));
        };
    }

    private static Object[] filled(int size, Object outcome) {
        Object[] all = new Object[size];
        Arrays.fill(all, outcome);
        return all;
    }

    @SuppressWarnings("unchecked")
    static <R> R value(Object outcome) {
        return (R) outcome;
    }

    /** Python's default chunksize: {@code ceil(n / (4 * workers))}, 1 for an unbounded pool or no items. */
    static int defaultChunksize(int items, int workers) {
        if (items == 0 || workers == 0) {
            return 1;
        }
        return (int) Math.ceil(items / (4.0 * workers));
    }

    static int checkChunksize(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1, but was " + chunksize);
        }
        return chunksize;
    }

    /** Copies the items: an exception thrown by the iterable reaches the caller as it is. */
    static <A> List<A> copy(Iterable<? extends A> items) {
        Objects.requireNonNull(items, "items");
        if (items instanceof Collection<? extends A> collection) {
            @SuppressWarnings("unchecked")              // one toArray, no call per item, no second copy
            List<A> all = (List<A>) Arrays.asList(collection.toArray());
            return all;
        }
        List<A> all = new ArrayList<>();
        for (A item : items) {
            all.add(item);
        }
        return all;
    }

    static <A, B, R> Function<Map.Entry<? extends A, ? extends B>, R> spread(
            BiFunction<? super A, ? super B, ? extends R> fn) {
        return new Spread<>(fn);
    }

    /** Waits for {@code result}; if interrupted, cancels its tasks and rethrows. */
    static <R> R get(AsyncResult<R> result) throws InterruptedException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.future().cancel(true);
            throw e;
        }
    }

    private static <V> void call(Consumer<? super V> callback, V value) {
        if (callback == null) {
            return;
        }
        try {
            callback.accept(value);
        } catch (Throwable e) {
            Logs.pool().warn("a pool callback {} threw; the result is not affected", callback, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
