package dev.weft;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every {@link Pool} shares, whatever runs its tasks: submission as {@link PoolTask}s (so
 * {@code invokeAll}/{@code invokeAny} of {@link AbstractExecutorService} get {@code TaskFuture}s
 * too), and the whole {@code multiprocessing.pool} vocabulary, built on {@link #enqueue} by
 * {@link PoolMapping} and {@link PoolIterator}. A subclass decides how a task finds a thread and
 * implements the life cycle: {@link ThreadPoolImpl} today, the process pool later.
 */
abstract class AbstractPool extends AbstractExecutorService implements Pool {
    /**
     * Tasks between {@code markRunning} and their end: added and removed by the thread running the
     * task, swept by the thread that terminates the pool (to cancel and interrupt them).
     */
    final Set<PoolTask<?>> running = ConcurrentHashMap.newKeySet();

    /**
     * Hands {@code task} to a worker, or queues it, or throws: {@link java.util.concurrent.RejectedExecutionException}
     * if the pool is shut down, {@link BrokenPoolException} if it is broken.
     */
    abstract void enqueue(PoolTask<?> task);

    /** Whether the pool is being terminated: a task that has not started yet must not start. */
    abstract boolean isTerminating();

    // ---- submission -------------------------------------------------------------------------

    @Override
    public <T> TaskFuture<T> submit(Callable<T> task) {
        PoolTask<T> t = new PoolTask<>(this, Objects.requireNonNull(task, "task"), false);
        enqueue(t);
        return t;
    }

    @Override
    public TaskFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public <T> TaskFuture<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submit(() -> {
            task.run();
            return result;
        });
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (command instanceof PoolTask<?> t) {     // from invokeAll/invokeAny, through newTaskFor
            enqueue(t);
        } else {
            enqueue(new PoolTask<>(this, () -> {
                command.run();
                return null;
            }, true));
        }
    }

    @Override
    protected <T> PoolTask<T> newTaskFor(Callable<T> callable) {
        return new PoolTask<>(this, callable, false);
    }

    @Override
    protected <T> PoolTask<T> newTaskFor(Runnable runnable, T value) {
        return new PoolTask<>(this, () -> {
            runnable.run();
            return value;
        }, false);
    }

    // ---- the multiprocessing.pool vocabulary: see PoolMapping -------------------------------

    @Override
    public <A, R> R apply(Function<? super A, ? extends R> fn, A arg) throws InterruptedException {
        return PoolMapping.get(applyAsync(fn, arg));
    }

    @Override
    public <R> R apply(Callable<? extends R> task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        return PoolMapping.get(PoolMapping.applyAsync(this, task, null, null));
    }

    @Override
    public <A, R> AsyncResult<R> applyAsync(Function<? super A, ? extends R> fn, A arg) {
        Objects.requireNonNull(fn, "fn");
        return PoolMapping.applyAsync(this, () -> fn.apply(arg), null, null);
    }

    @Override
    public <A, R> AsyncResult<R> applyAsync(Function<? super A, ? extends R> fn, A arg,
                                            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        return PoolMapping.applyAsync(this, () -> fn.apply(arg),
                Objects.requireNonNull(callback, "callback"), Objects.requireNonNull(errorCallback, "errorCallback"));
    }

    @Override
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items)
            throws InterruptedException {
        return PoolMapping.get(PoolMapping.mapAsync(this, fn, items, 0, null, null));
    }

    @Override
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize)
            throws InterruptedException {
        PoolMapping.checkChunksize(chunksize);
        return PoolMapping.get(PoolMapping.mapAsync(this, fn, items, chunksize, null, null));
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return PoolMapping.mapAsync(this, fn, items, 0, null, null);
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(Function<? super A, ? extends R> fn, Iterable<? extends A> items,
                                                int chunksize, Consumer<? super List<R>> callback,
                                                Consumer<? super Throwable> errorCallback) {
        PoolMapping.checkChunksize(chunksize);
        return PoolMapping.mapAsync(this, fn, items, chunksize,
                Objects.requireNonNull(callback, "callback"), Objects.requireNonNull(errorCallback, "errorCallback"));
    }

    @Override
    public <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize) {
        return new PoolIterator<>(this, fn, items, chunksize, true, null);
    }

    @Override
    public <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize,
                                         Duration timeout) {
        AsyncResult.nanos(timeout);
        return new PoolIterator<>(this, fn, items, chunksize, true, timeout);
    }

    @Override
    public <A, R> ResultIterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items,
                                                  int chunksize) {
        return new PoolIterator<>(this, fn, items, chunksize, false, null);
    }

    @Override
    public <A, B, R> List<R> starmap(BiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException {
        Objects.requireNonNull(fn, "fn");
        return map(PoolMapping.spread(fn), pairs);
    }

    @Override
    public <A, B, R> List<R> starmap(BiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException {
        Objects.requireNonNull(fn, "fn");
        return map(PoolMapping.spread(fn), pairs, chunksize);
    }

    @Override
    public <A, B, R> AsyncResult<List<R>> starmapAsync(BiFunction<? super A, ? super B, ? extends R> fn,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                       int chunksize, Consumer<? super List<R>> callback,
                                                       Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        return mapAsync(PoolMapping.spread(fn), pairs, chunksize, callback, errorCallback);
    }
}
