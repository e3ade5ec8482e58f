package dev.weft;

import java.util.List;
import java.util.Optional;

/**
 * A task of a {@link ProcessPool} could not finish because a worker process died while it held
 * the task, or because the pool is broken. Python:
 * {@code concurrent.futures.process.BrokenProcessPool}.
 *
 * <ul>
 * <li>A worker died (killed, {@code System.exit}, out of memory, a crash) while it held this task:
 *     the message says how, and {@link #worker()}, {@link #exitCode()} and {@link #stderrTail()}
 *     are that worker's. Only the tasks it held fail this way; whether the pool carries on with a
 *     new worker depends on its {@link ProcessPool.AfterDeath} policy.</li>
 * <li>The pool is broken: its tasks that were waiting, and every later submission, fail with the
 *     pool's error, which says why: an initializer that threw (then the cause is the initializer's
 *     exception), workers that could not start (then {@link #exitCode()} and {@link #stderrTail()}
 *     are the last one's, and {@link #worker()} names it), or a death under
 *     {@link ProcessPool.AfterDeath#BREAK}. A task that a worker held when the pool broke names that
 *     worker and carries the pool's cause, exit code and stderr.</li>
 * </ul>
 *
 * <p>Nothing in it is null: {@link #worker()} is empty when no worker is to blame, and
 * {@link #exitCode()} is {@link Integer#MIN_VALUE} when no worker exited. Applications catch it;
 * only the process pool creates one, so its constructor is not public.
 *
 * @since 0.1
 */
public class BrokenProcessPoolException extends BrokenPoolException {
    private static final long serialVersionUID = 1L;

    /** The worker's exit code, or {@link Integer#MIN_VALUE} if no worker exited. */
    private final int exitCode;
    /** The worker's last lines of standard error, oldest first. */
    private final List<String> stderrTail;
    /** The worker that held the task, or that failed; null if none. */
    private final Pool.Worker worker;

    /**
     * Creates the exception; {@code worker} may be null. The process pool alone creates one.
     *
     * @throws NullPointerException if {@code stderrTail} or one of its lines is null
     */
    BrokenProcessPoolException(String message, Throwable cause, int exitCode, List<String> stderrTail,
                               Pool.Worker worker) {
        super(message, cause);
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
        this.worker = worker;
    }

    @Override
    BrokenProcessPoolException copyForCaller() {
        return new BrokenProcessPoolException(getMessage(), getCause(), exitCode, stderrTail, worker);
    }

    /** {@return the dead worker's exit code, or {@link Integer#MIN_VALUE} if no worker exited} */
    public int exitCode() {
        return exitCode;
    }

    /** {@return the last lines the dead worker wrote to standard error, oldest first} */
    public List<String> stderrTail() {
        return stderrTail;
    }

    /**
     * {@return the worker that held the task (for a task's failure) or that failed (for the pool's
     * error), with its index and pid; empty if there is none to name}
     */
    public Optional<Pool.Worker> worker() {
        return Optional.ofNullable(worker);
    }
}
