package dev.weft;

/**
 * Scopes were not closed in the order they were opened: a scope was closed while a scope opened
 * inside it (later, in the same thread) was still open, or a subtask ended and left a scope that it
 * had opened unclosed. Weft closes the inner scopes first, so no thread is left behind, then throws
 * this. (The JDK has its own {@code StructureViolationException}, but only as a preview API.)
 * Applications catch it; only Weft creates one, so its constructor is not public.
 *
 * @since 0.1
 */
public class StructureViolationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the scopes involved. Weft's scopes alone create one. */
    StructureViolationException(String message) {
        super(message);
    }
}
