package dev.weft;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/**
 * A {@link TaskFuture} that its creator completes by hand: the <em>write side</em>, Python's
 * {@code concurrent.futures.Future} as an executor sees it ({@code set_result},
 * {@code set_exception}, {@code set_running_or_notify_cancel}). Guava's {@code SettableFuture} and
 * the JDK's {@code CompletableFuture} play the same part. Hand others the read side, typed
 * {@code TaskFuture}: what they hold then lets them wait, listen and cancel, but not complete.
 *
 * <pre>{@code
 * SettableFuture<String> page = SettableFuture.create();
 * Thread.ofVirtual().start(() -> {
 *     if (!page.markRunning()) return;                       // set_running_or_notify_cancel
 *     try {
 *         page.complete(fetch("/index.html"));               // set_result
 *     } catch (Exception e) {
 *         page.completeExceptionally(e);                     // set_exception
 *     }
 * });
 * TaskFuture<String> readOnly = page;                        // what callers get
 * }</pre>
 *
 * <h2>For executors</h2>
 * An executor that runs the task of a {@code SettableFuture} calls {@link #markRunning()} in the
 * thread that will run it (and skips the task if it returns {@code false}), then always ends with
 * {@link #complete} or {@link #completeExceptionally}, even if the future was cancelled meanwhile
 * (the call then returns {@code false}). That call is the hand-shake that keeps a cancelling
 * interrupt from leaking into the thread's next task: if a {@code cancel(true)} took the future
 * while the thread was running it, the call waits until the interrupt has been delivered, so it
 * arrives while the thread is still inside this future's work. The interrupt status is then set
 * when the call returns; an executor that reuses threads clears it ({@link Thread#interrupted()})
 * before the next task.
 *
 * <p>Everything else, thread safety and memory consistency included, is as for
 * {@link TaskFuture}. Every method throws {@link NullPointerException} for a null argument, except
 * that {@link #complete(Object)} accepts {@code null} as a result.
 *
 * @param <T> the result type
 * @since 0.1
 */
public final class SettableFuture<T> extends TaskFuture<T> {

    private SettableFuture() {
    }

    /**
     * Creates a pending future, to be completed by {@link #complete} or its siblings.
     *
     * @param <T> the result type
     * @return a new future, not done
     */
    public static <T> SettableFuture<T> create() {
        return new SettableFuture<>();
    }

    /**
     * Completes the future with {@code value} if it is not done yet: Python's {@code set_result}
     * (which raises {@code InvalidStateError} where this returns {@code false}).
     *
     * @param value the result; may be null
     * @return {@code true} if this call completed the future, {@code false} if it was already done
     */
    @Override
    public boolean complete(T value) {
        return super.complete(value);
    }

    /**
     * Completes the future with an exception if it is not done yet: Python's
     * {@code set_exception}. {@link #get()} then throws an {@link ExecutionException} with
     * {@code exception} as its cause, whatever its type (a {@link CancellationException} given
     * here is a failure, not a cancellation).
     *
     * @return {@code true} if this call completed the future, {@code false} if it was already done
     * @throws NullPointerException if {@code exception} is null
     */
    @Override
    public boolean completeExceptionally(Throwable exception) {
        return super.completeExceptionally(exception);
    }

    /**
     * Marks the future running and records the calling thread as its runner: Python's
     * {@code set_running_or_notify_cancel}. Returns {@code false} if the future was cancelled
     * before it could start, in which case the caller must not run the task.
     *
     * @return {@code true} if the future is now running, {@code false} if it was cancelled
     * @throws IllegalStateException if it is already running or has completed
     */
    public boolean markRunning() {
        if (tryMarkRunning()) {
            return true;
        }
        if (isCancelled()) {
            return false;
        }
        Thread runner = runner();
        throw new IllegalStateException(this + (runner != null ? " is already running in " + runner
                : " has already completed"));
    }
}
