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

    /** {@link Pool#apply(Function, Object)} for a serializable function; {@code arg} may be null. */
    default <A, R> R apply(SerializableFunction<? super A, ? extends R> fn, A arg) throws InterruptedException {
        return apply((Function<? super A, ? extends R>) fn, arg);
    }

    /** {@link Pool#apply(Callable)} for a serializable task. */
    default <R> R apply(SerializableCallable<? extends R> task) throws InterruptedException {
        return apply((Callable<? extends R>) task);
    }

    /** {@link Pool#applyAsync(Function, Object)} for a serializable function. */
    default <A, R> AsyncResult<R> applyAsync(SerializableFunction<? super A, ? extends R> fn, A arg) {
        return applyAsync((Function<? super A, ? extends R>) fn, arg);
    }

    /** {@link Pool#applyAsync(Function, Object, Consumer, Consumer)} for a serializable function. */
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

    /** {@link Pool#submit(Callable)} for a serializable task. */
    default <T> TaskFuture<T> submit(SerializableCallable<T> task) {
        return submit((Callable<T>) task);
    }

    /** {@link Pool#submit(Runnable)} for a serializable task. */
    default TaskFuture<?> submit(SerializableRunnable task) {
        return submit((Runnable) task);
    }

    /**
     * {@link Pool#submit(Runnable, Object)} for a serializable task; {@code result} may be null, and
     * must otherwise be serializable.
     */
    default <T> TaskFuture<T> submit(SerializableRunnable task, T result) {
        return submit((Runnable) task, result);
    }

    /** {@link Pool#execute(Runnable)} for a serializable task. */
    default void execute(SerializableRunnable command) {
        execute((Runnable) command);
    }
}
