package dev.weft;

import dev.weft.internal.wire.StandIn;

/**
 * An exception thrown in a worker process of a {@link ProcessPool}, as the parent sees it when it
 * cannot have the original: the original's class could not be loaded, was not allowed by the
 * pool's filter, or could not be serialized. It holds the original's class name and message, and
 * its stack trace is the worker's. It also serves as the cause of a remote exception that did
 * arrive whole but had no cause of its own, to say where it was thrown: Python's
 * {@code _RemoteTraceback}; or as a suppressed exception of one whose cause was fixed when it was
 * made, such as a {@code ClassNotFoundException}.
 *
 * @since 0.1
 */
public class RemoteTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The class name of the exception thrown in the worker. */
    private final String className;

    /**
     * Creates the exception; {@code stack} is the worker's stack trace. Not public: Weft makes these,
     * applications catch them.
     *
     * @throws NullPointerException if {@code stack} or one of its elements is null
     */
    RemoteTaskException(String className, String message, StackTraceElement[] stack) {
        super(message);
        this.className = className;
        setStackTrace(stack);
    }

    /** The exception that stands for an outcome another JVM could not serialize, as it described it. */
    static RemoteTaskException of(StandIn standIn) {
        return new RemoteTaskException(standIn.className(), standIn.message(), standIn.stack());
    }

    /** {@return the class name of the exception thrown in the worker} */
    public String className() {
        return className;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return getClass().getName() + ": " + className + (message == null ? "" : ": " + message);
    }
}
