package dev.weft;

/**
 * A deadline passed before the work it bounded was done. Unchecked, like the JDK's
 * {@code StructuredTaskScope.TimeoutException}, because it is thrown where a checked
 * {@link java.util.concurrent.TimeoutException} cannot be: by {@link TaskScope#join()} of a scope
 * opened with a timeout, and by the iterators of {@link Futures#asCompleted} and
 * {@link TaskScope#asCompleted()}. Python raises {@code TimeoutError} in the same places.
 *
 * @since 0.1
 */
public class UncheckedTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message that says what timed out.
     *
     * @param message the detail message: what timed out; may be null
     */
    public UncheckedTimeoutException(String message) {
        super(message);
    }
}
