package dev.weft;

import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link Pool}'s worker initializer threw, so the pool is broken: the tasks that were waiting
 * for a worker end with this exception, and every later submission throws it. The cause is the
 * initializer's exception. Python: {@code concurrent.futures.thread.BrokenThreadPool} (and
 * {@code BrokenProcessPool}: {@link BrokenProcessPoolException}). Applications catch it; only Weft
 * creates one, so its constructor is not public.
 *
 * <p>It extends {@link RejectedExecutionException} so that {@link java.util.concurrent.ExecutorService#submit}
 * keeps its contract: a task the pool cannot run is rejected with that type.
 *
 * @since 0.1
 */
public class BrokenPoolException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code cause} is the initializer's exception. Weft's pools alone create one. */
    BrokenPoolException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The same error again, to throw in a caller's thread with that thread's stack trace. */
    BrokenPoolException copyForCaller() {
        return new BrokenPoolException(getMessage(), getCause());
    }
}
