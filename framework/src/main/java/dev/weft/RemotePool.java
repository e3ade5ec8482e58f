package dev.weft;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Pool} whose tasks run in other JVMs: the {@link ProcessPool}'s worker processes, or the
 * members of a {@link ClusterPool}. Tasks, their arguments and their results travel by Java
 * serialization, so this interface repeats {@code Pool}'s calls with serializable functional types:
 * on a {@code RemotePool}, a lambda passed to {@code map}, {@code submit} or {@code apply} targets
 * {@link SerializableFunction}, {@link SerializableCallable} or {@link SerializableRunnable}, and is
 * serializable. What it captures must be serializable too. The map family's overloads are
 * {@link RemoteMapper}'s.
 *
 * <p>The receiving side deserializes through an allow-list: {@code java.**} and {@code dev.weft.**}
 * and the patterns each pool's configuration adds; everything else is rejected. A task or argument
 * that cannot be serialized throws {@link IllegalArgumentException} at the call that was given it,
 * naming the class, and the pool stays usable.
 *
 * @since 0.1
 */
public interface RemotePool extends Pool, RemoteMapper {

    /**
     * {@link Pool#apply(Function, Object)} for a serializable function; {@code arg} may be null.
     *
     * @param <A> the type of the argument
     * @param <R> the type of the result
     * @param fn the function to apply, in a worker of the pool; it and what it captures are
     *         serialized to get there
     * @param arg the argument to apply {@code fn} to; serializable, or null
     * @return what {@code fn} returned, which may be null
     * @throws FailedException if the task threw; its exception is the cause
     * @throws java.util.concurrent.CancellationException if the task was cancelled (the pool was
     *         terminated)
     * @throws InterruptedException if interrupted while waiting; the task is then cancelled
     * @throws IllegalArgumentException if {@code fn} or {@code arg} cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     * @throws IllegalStateException if called from the thread that completes this pool's futures,
     *         whose wait could never end (see {@link Pool})
     */
    default <A, R> R apply(SerializableFunction<? super A, ? extends R> fn, A arg) throws InterruptedException {
        return apply((Function<? super A, ? extends R>) fn, arg);
    }

    /**
     * {@link Pool#apply(Callable)} for a serializable task.
     *
     * @param <R> the type of the result
     * @param task the task to run, in a worker of the pool; it and what it captures are serialized
     *         to get there
     * @return what {@code task} returned, which may be null
     * @throws FailedException if the task threw; its exception is the cause
     * @throws java.util.concurrent.CancellationException if the task was cancelled (the pool was
     *         terminated)
     * @throws InterruptedException if interrupted while waiting; the task is then cancelled
     * @throws IllegalArgumentException if {@code task} cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     * @throws IllegalStateException if called from the thread that completes this pool's futures,
     *         whose wait could never end (see {@link Pool})
     */
    default <R> R apply(SerializableCallable<? extends R> task) throws InterruptedException {
        return apply((Callable<? extends R>) task);
    }

    /**
     * {@link Pool#applyAsync(Function, Object)} for a serializable function.
     *
     * @param <A> the type of the argument
     * @param <R> the type of the result
     * @param fn the function to apply, in a worker of the pool; it and what it captures are
     *         serialized to get there
     * @param arg the argument to apply {@code fn} to; serializable, or null
     * @return the pending result of {@code fn(arg)}
     * @throws IllegalArgumentException if {@code fn} or {@code arg} cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     */
    default <A, R> AsyncResult<R> applyAsync(SerializableFunction<? super A, ? extends R> fn, A arg) {
        return applyAsync((Function<? super A, ? extends R>) fn, arg);
    }

    /**
     * {@link Pool#applyAsync(Function, Object, Consumer, Consumer)} for a serializable function.
     *
     * @param <A> the type of the argument
     * @param <R> the type of the result
     * @param fn the function to apply, in a worker of the pool; it and what it captures are
     *         serialized to get there
     * @param arg the argument to apply {@code fn} to; serializable, or null
     * @param callback called in this JVM with what {@code fn} returned, if it returned, before the
     *         result becomes ready
     * @param errorCallback called instead with what {@code fn} threw, or with a
     *         {@link java.util.concurrent.CancellationException} if the task was cancelled
     * @return the pending result of {@code fn(arg)}
     * @throws IllegalArgumentException if {@code fn} or {@code arg} cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     */
    default <A, R> AsyncResult<R> applyAsync(SerializableFunction<? super A, ? extends R> fn, A arg,
                                             Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return applyAsync((Function<? super A, ? extends R>) fn, arg, callback, errorCallback);
    }

    /** {@link Pool#withProgress(Progress.Listener)}, whose calls take serializable functions. */
    @Override
    default RemoteMapper withProgress(Progress.Listener listener) {
        return withProgress(Progress.DEFAULT_INTERVAL, listener);
    }

    /** {@link Pool#withProgress(Duration, Progress.Listener)}, whose calls take serializable functions. */
    @Override
    RemoteMapper withProgress(Duration interval, Progress.Listener listener);

    /**
     * {@link Pool#submit(Callable)} for a serializable task.
     *
     * @param <T> the type of the task's result
     * @param task the task to run, in a worker of the pool; it and what it captures are serialized
     *         to get there
     * @return the future of the task's result
     * @throws IllegalArgumentException if {@code task} cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     */
    default <T> TaskFuture<T> submit(SerializableCallable<T> task) {
        return submit((Callable<T>) task);
    }

    /**
     * {@link Pool#submit(Runnable)} for a serializable task.
     *
     * @param task the task to run, in a worker of the pool; it and what it captures are serialized
     *         to get there
     * @return the future of the task, whose result is null once it has run
     * @throws IllegalArgumentException if {@code task} cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     */
    default TaskFuture<?> submit(SerializableRunnable task) {
        return submit((Runnable) task);
    }

    /**
     * {@link Pool#submit(Runnable, Object)} for a serializable task; {@code result} may be null, and
     * must otherwise be serializable.
     *
     * @param <T> the type of {@code result}
     * @param task the task to run, in a worker of the pool; it and what it captures are serialized
     *         to get there
     * @param result what the future gives once the task has run
     * @return the future of the task, whose result is {@code result} once it has run
     * @throws IllegalArgumentException if {@code task} cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     */
    default <T> TaskFuture<T> submit(SerializableRunnable task, T result) {
        return submit((Runnable) task, result);
    }

    /**
     * {@link Pool#execute(Runnable)} for a serializable task.
     *
     * @param command the task to run, in a worker of the pool; it and what it captures are
     *         serialized to get there. Nothing reads its outcome: an exception it throws is logged
     * @throws IllegalArgumentException if {@code command} cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down;
     *         {@link BrokenPoolException} if broken
     */
    default void execute(SerializableRunnable command) {
        execute((Runnable) command);
    }
}
