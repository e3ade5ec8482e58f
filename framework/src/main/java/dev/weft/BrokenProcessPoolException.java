package dev.weft;

import java.util.List;

/**
 * A worker process of a {@link ProcessPool} died (killed, {@code System.exit}, out of memory, a
 * crash) while it held this task, or the pool is broken: the future of every task the worker held
 * ends with this exception, which carries the worker's exit code and the last lines it wrote to
 * standard error. Whether the pool then carries on with a new worker or is broken depends on its
 * {@link ProcessPool.AfterDeath} policy; when a worker's initializer threw, the pool is always
 * broken and the cause is the initializer's exception. Python:
 * {@code concurrent.futures.process.BrokenProcessPool}.
 */
public class BrokenProcessPoolException extends BrokenPoolException {
    private static final long serialVersionUID = 1L;

    /** The worker's exit code, or {@link Integer#MIN_VALUE} if no worker exited. */
    private final int exitCode;
    /** The worker's last lines of standard error, oldest first. */
    private final List<String> stderrTail;

    /** Creates the exception. */
    public BrokenProcessPoolException(String message, Throwable cause, int exitCode, List<String> stderrTail) {
        super(message, cause);
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    /** Returns the dead worker's exit code, or {@link Integer#MIN_VALUE} if the pool broke for another reason. */
    public int exitCode() {
        return exitCode;
    }

    /** Returns the last lines the dead worker wrote to standard error, oldest first. */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
