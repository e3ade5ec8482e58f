package dev.weft.testing;

import dev.weft.SerializableBiFunction;
import dev.weft.SerializableCallable;
import dev.weft.SerializableFunction;
import dev.weft.SerializableRunnable;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Tasks that every kind of pool can run, for the shared pool suite: on a {@code Pool}-typed
 * reference a lambda targets a plain {@link Function} or {@link Callable}, which a process pool
 * cannot send to its workers. Wrapped, as {@code pool.map(fn(x -> x * 2), items)}, the lambda
 * targets the serializable type instead; the thread pools run it exactly as before. What the
 * lambda captures must be serializable too: {@link Flag}s and {@link Tally}s, not latches.
 */
public final class Tasks {
    private Tasks() {
    }

    /** {@code fn}, as a serializable function. */
    public static <A, R> Function<A, R> fn(SerializableFunction<A, R> fn) {
        return fn;
    }

    /** {@code fn}, as a serializable two-argument function (for {@code starmap}). */
    public static <A, B, R> BiFunction<A, B, R> fn2(SerializableBiFunction<A, B, R> fn) {
        return fn;
    }

    /** {@code task}, as a serializable callable. */
    public static <T> Callable<T> call(SerializableCallable<T> task) {
        return task;
    }

    /** {@code task}, as a serializable runnable (also for initializers). */
    public static Runnable run(SerializableRunnable task) {
        return task;
    }

    /**
     * A task that raises {@code started}, then sleeps for 5 minutes unless interrupted, which it
     * reports by raising {@code interrupted}; it returns null either way. For tests of cancel(true).
     */
    public static SerializableCallable<Object> sleepUntilInterrupted(Flag started, Flag interrupted) {
        return () -> {
            started.raise();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            } catch (InterruptedException e) {
                interrupted.raise();
            }
            return null;
        };
    }
}
