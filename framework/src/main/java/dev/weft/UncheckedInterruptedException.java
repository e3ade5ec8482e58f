package dev.weft;

import java.util.Objects;

/**
 * A thread was interrupted while it waited inside an {@link java.util.Iterator}, which cannot throw
 * the checked {@link InterruptedException}. The thread's interrupt status is set again before this
 * is thrown, so code further up still sees the interrupt; the original exception is the cause.
 *
 * @since 0.1
 */
public class UncheckedInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Wraps {@code cause}.
     *
     * @param message the detail message: what the thread was waiting for; may be null
     * @param cause   the interrupt, as the wait threw it
     * @throws NullPointerException if {@code cause} is null
     */
    public UncheckedInterruptedException(String message, InterruptedException cause) {
        super(message, Objects.requireNonNull(cause, "cause"));
    }

    @Override
    public synchronized InterruptedException getCause() {
        return (InterruptedException) super.getCause();
    }
}
