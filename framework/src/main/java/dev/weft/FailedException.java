package dev.weft;

import java.util.ArrayList;
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
 *
 * <p>Of the later failures, the first {@value #MAX_SUPPRESSED} are suppressed; the message says how
 * many more there are, and {@link #failures()} holds every one. A {@code map} whose 1,000 items fail
 * prints 16 stack traces, not 1,000.
 *
 * @since 0.1
 */
public class FailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** How many of the later failures are suppressed, and so printed with this exception's stack trace. */
    public static final int MAX_SUPPRESSED = 16;

    /** Every later failure, suppressed or not. */
    private final List<Throwable> later;

    /**
     * Creates a wrapper around {@code cause}, adding the first {@value #MAX_SUPPRESSED} of
     * {@code later} as suppressed failures; past those, the message ends with how many more
     * {@link #failures()} holds.
     *
     * @param message the detail message, which may be null; past {@value #MAX_SUPPRESSED} later
     *                failures it ends with how many more there are
     * @param cause   the first failure
     * @param later   the later failures, in the order they happened; copied
     * @throws NullPointerException if {@code cause} or {@code later}, or any element of {@code later}, is null
     */
    @SuppressWarnings("this-escape") // addSuppressed is final in Throwable; nothing overridable runs
    public FailedException(String message, Throwable cause, List<? extends Throwable> later) {
        super(withMore(message, Objects.requireNonNull(later, "later").size()), Objects.requireNonNull(cause, "cause"));
        this.later = List.copyOf(later);           // throws NullPointerException for a null element
        for (Throwable t : this.later.subList(0, Math.min(MAX_SUPPRESSED, this.later.size()))) {
            addSuppressed(t);
        }
    }

    /**
     * The failures {@code failures}, first first, as one wrapper with {@code message}. A failure
     * that is itself a {@code FailedException} counts as the failures it holds: the only failure
     * is passed on as it is, and otherwise every one is flattened into the new wrapper, so that a
     * wrapper never wraps another.
     */
    static FailedException of(String message, List<? extends Throwable> failures) {
        if (failures.size() == 1 && failures.get(0) instanceof FailedException only) {
            return only;
        }
        List<Throwable> all = new ArrayList<>();
        for (Throwable failure : failures) {
            if (failure instanceof FailedException nested) {
                all.addAll(nested.failures());
            } else {
                all.add(failure);
            }
        }
        return new FailedException(message, all.get(0), all.subList(1, all.size()));
    }

    private static String withMore(String message, int later) {
        int more = later - MAX_SUPPRESSED;
        return more <= 0 ? message : message + " [" + MAX_SUPPRESSED + " later failures are suppressed, " + more
                + " more are in failures()]";
    }

    /**
     * Creates a wrapper around one failure.
     *
     * @param message the detail message, which may be null
     * @param cause   the failure
     * @throws NullPointerException if {@code cause} is null
     */
    public FailedException(String message, Throwable cause) {
        this(message, cause, List.of());
    }

    /**
     * Throws the cause if it is an instance of {@code type}; otherwise returns this exception, so
     * that the caller can write {@code throw e.rethrowIf(IOException.class);}.
     *
     * @param <X>  the type of exception to rethrow
     * @param type the class of exception to rethrow
     * @return this exception, if its cause is not an instance of {@code type}
     * @throws X the cause, if it is an instance of {@code type}
     * @throws NullPointerException if {@code type} is null
     */
    public <X extends Throwable> FailedException rethrowIf(Class<X> type) throws X {
        Objects.requireNonNull(type, "type");
        Throwable cause = getCause();
        if (type.isInstance(cause)) {
            throw type.cast(cause);
        }
        return this;
    }

    /**
     * Returns every failure: the cause first, then the later ones in the order they happened, all
     * of them, also those past the {@value #MAX_SUPPRESSED} that are suppressed.
     *
     * @return every failure, the cause first: an unmodifiable list
     */
    public List<Throwable> failures() {
        List<Throwable> all = new ArrayList<>(1 + later.size());
        all.add(getCause());
        all.addAll(later);
        return List.copyOf(all);
    }
}
