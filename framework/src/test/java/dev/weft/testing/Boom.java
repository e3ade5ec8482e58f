package dev.weft.testing;

/** A failure that tests throw on purpose from subtasks; its message says which one. */
public final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure labelled {@code label}. */
    public Boom(String label) {
        super(label);
    }
}
