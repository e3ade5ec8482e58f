package dev.weft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Weft's one failure wrapper: the first failure is the {@linkplain #getCause() cause}, and any
 * failures that happened after it are {@linkplain #getSuppressed() suppressed}, in the order they
 * happened. Python's nearest relative is the {@code ExceptionGroup} that {@code asyncio.TaskGroup}
 * raises, flattened so that the first failure stays the one you look at.
 *
 * <p>{@link TaskScope#join()} throws it when its join policy fails. To handle the cause by type:
 * <pre>{@code
 * try {
 *     scope.join();
 * } catch (FailedException e) {
 *     throw e.rethrowIf(IOException.class);   // throws the IOException itself, or this wrapper
 * }
 * }</pre>
 *
 * <p>The wrapper never wraps another {@code FailedException}: code that rethrows one passes it on
 * as it is.
 */
public class FailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a wrapper around {@code cause}, adding {@code later} as suppressed failures.
     *
     * @throws NullPointerException if {@code cause} or any element of {@code later} is null
     */
    @SuppressWarnings("this-escape") // addSuppressed is final in Throwable; nothing overridable runs
    public FailedException(String message, Throwable cause, List<? extends Throwable> later) {
        super(message, Objects.requireNonNull(cause, "cause"));
        for (Throwable t : later) {
            addSuppressed(Objects.requireNonNull(t, "later failure"));
        }
    }

    /**
     * Creates a wrapper around one failure.
     *
     * @throws NullPointerException if {@code cause} is null
     */
    public FailedException(String message, Throwable cause) {
        this(message, cause, List.of());
    }

    /**
     * Throws the cause if it is an instance of {@code type}; otherwise returns this exception, so
     * that the caller can write {@code throw e.rethrowIf(IOException.class);}.
     *
     * @throws X the cause, if it is an instance of {@code type}
     */
    public <X extends Throwable> FailedException rethrowIf(Class<X> type) throws X {
        Throwable cause = getCause();
        if (type.isInstance(cause)) {
            throw type.cast(cause);
        }
        return this;
    }

    /** Returns every failure: the cause first, then the suppressed ones in the order they happened. */
    public List<Throwable> failures() {
        List<Throwable> all = new ArrayList<>();
        all.add(getCause());
        Collections.addAll(all, getSuppressed());
        return List.copyOf(all);
    }
}
