package dev.weft;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pending result of {@link Pool#applyAsync}, {@link Pool#mapAsync} or
 * {@link Pool#starmapAsync}: Python's {@code multiprocessing.pool.AsyncResult}.
 *
 * <pre>{@code
 * AsyncResult<Integer> r = pool.applyAsync(x -> x * x, 7);
 * if (r.waitFor(Duration.ofSeconds(1))) {          // wait(timeout), but tells whether it is ready
 *     System.out.println(r.successful() ? r.get() : "failed");
 * }
 * }</pre>
 *
 * <p>A result becomes {@linkplain #ready() ready} only after its callback (or error callback) has
 * returned, as in Python; so a thread that sees it ready also sees the callback's effects. The one
 * exception is a cancellation through {@link #future()}: the result is ready (cancelled) at once,
 * and the error callback runs after.
 * {@link #get()} re-raises the task's exception wrapped once in a {@link FailedException} (Python
 * re-raises it as it is; Java needs an unchecked wrapper to keep the stack traces of both
 * threads). For {@code mapAsync}, the wrapper's cause is the first failure in input order and the
 * later ones are suppressed. A result whose tasks were cancelled ({@link Pool#terminate()}) is
 * ready and throws {@link CancellationException}; Python's stays unready for ever.
 *
 * <p>Thread-safe: any thread may wait on it. The task's actions, and its callback's, happen-before
 * {@code get} returns and {@code ready} returns {@code true}. Methods throw
 * {@link NullPointerException} for a null argument.
 *
 * @param <T> the result type
 * @since 0.1
 */
public final class AsyncResult<T> {
    private final TaskFuture<T> future;

    AsyncResult(TaskFuture<T> future) {
        this.future = future;
    }

    /**
     * Waits for the result and returns it: Python's {@code get()}.
     *
     * @return the task's result (for a map, the results in input order), which may be null
     * @throws FailedException       if the task threw; the cause is its exception
     * @throws CancellationException if the task was cancelled
     * @throws InterruptedException  if the thread was interrupted while waiting
     */
    public T get() throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw wrap(e.getCause());
        }
    }

    /**
     * Waits at most {@code timeout} for the result and returns it: Python's {@code get(timeout)}.
     *
     * @param timeout how long to wait at most; zero does not wait
     * @return the task's result (for a map, the results in input order), which may be null
     * @throws TimeoutException         if it is not ready in time (Python's {@code TimeoutError})
     * @throws FailedException          if the task threw; the cause is its exception
     * @throws CancellationException    if the task was cancelled
     * @throws InterruptedException     if the thread was interrupted while waiting
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public T get(Duration timeout) throws InterruptedException, TimeoutException {
        long nanos = nanos(timeout);
        try {
            return future.get(nanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw wrap(e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("the result was not ready within " + describe(timeout));
        }
    }

    /**
     * Waits at most {@code timeout} until the result is ready and returns whether it is: Python's
     * {@code wait(timeout)}, which returns {@code None}.
     *
     * @param timeout how long to wait at most; zero does not wait
     * @return {@code true} if the result is ready, whether the task succeeded, failed or was
     *         cancelled; {@code false} if {@code timeout} passed first
     * @throws InterruptedException     if the thread was interrupted while waiting
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        long nanos = nanos(timeout);
        try {
            future.get(nanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException | TimeoutException e) {
            // ready or not, as isDone tells
        }
        return future.isDone();
    }

    /**
     * Waits until the result is ready: Python's {@code wait()}. It returns whether the task
     * succeeded, failed or was cancelled, and throws none of their exceptions.
     *
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    public void waitFor() throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException | CancellationException e) {
            // ready
        }
    }

    /**
     * Returns whether the result is ready: Python's {@code ready()}.
     *
     * @return {@code true} once the task has succeeded, failed or been cancelled
     */
    public boolean ready() {
        return future.isDone();
    }

    /**
     * Returns whether the task succeeded: Python's {@code successful()}. A cancelled task did not.
     *
     * @return {@code true} if the task returned a result, {@code false} if it threw or was cancelled
     * @throws IllegalStateException if the result is not ready (Python raises {@code ValueError})
     */
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException(this + " is not ready");
        }
        return future.state() == java.util.concurrent.Future.State.SUCCESS;
    }

    /**
     * Returns the future behind this result: done exactly when this result is ready. Cancelling it
     * cancels the tasks (interrupting them if running); their error callback then still runs, after
     * the future is already done.
     *
     * @return the future behind this result, the same one at every call
     */
    public TaskFuture<T> future() {
        return future;
    }

    @Override
    public String toString() {
        return "AsyncResult[" + future + "]";
    }

    static FailedException wrap(Throwable cause) {
        return cause instanceof FailedException f ? f : new FailedException("the task failed: " + cause, cause);
    }

    /** A timeout as a user wrote it, near enough: {@code 50 ms} under a minute of whole milliseconds, else ISO-8601. */
    private static String describe(Duration timeout) {
        return timeout.getSeconds() < 60 && timeout.getNano() % 1_000_000 == 0 ? timeout.toMillis() + " ms"
                : timeout.toString();
    }

    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, but was " + timeout);
        }
        return Deadlines.saturatedNanos(timeout);
    }
}
