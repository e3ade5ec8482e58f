package dev.weft;

import dev.weft.internal.wire.StandIn;
import java.io.IOException;

/**
 * What comes back from another JVM, as both remote pools read it: a task's result or exception,
 * deserialized by the pool's decoder, its exceptions marked with where they were thrown; or, when
 * it cannot be deserialized, an {@link Undecodable} that says why. Stateless; any thread.
 */
final class RemoteOutcomes {
    /**
     * What a pool of kind {@code kind} ({@code ProcessPool}, {@code ClusterPool}) says of a task it
     * cannot send because {@code type} is not serializable: which of the task's parts must be, and
     * how a lambda that was not made serializable becomes one.
     */
    static String notSerializable(String type, String kind) {
        return type + " is not serializable. Everything a task sends must be: its function (a lambda given to a "
                + kind + "'s own methods is serializable; one given through the Pool interface, or in a "
                + "List<Callable> to invokeAll, is not: cast it to SerializableCallable or SerializableFunction), "
                + "the values it captures, and the items it is mapped over";
    }

    private RemoteOutcomes() {
    }

    /** How a pool deserializes what a target sent. */
    interface Decoder {
        Object decode(byte[] payload) throws IOException, ClassNotFoundException;
    }

    /** A result or exception that could not be deserialized: the task fails with {@code exception}. */
    record Undecodable(RemoteTaskException exception) {
    }

    /**
     * What {@code where} (a worker, a member) sent as a task's result, or its exception if
     * {@code failure}: deserialized, its exceptions marked with where they were thrown
     * ({@link #mark}); or, if it cannot be deserialized, an {@link Undecodable} that says why.
     */
    static Object decode(Decoder decoder, byte[] payload, String where, String pool, boolean failure) {
        Object value;
        try {
            value = decoder.decode(payload);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return new Undecodable(new RemoteTaskException(e.getClass().getName(), "what " + where + " of pool '"
                    + pool + "' sent as a task's " + (failure ? "exception" : "result")
                    + " cannot be deserialized here: " + e.getMessage()
                    + (e instanceof ClassNotFoundException ? " is not on this JVM's class path" : ""),
                    e.getStackTrace()));
        }
        if (value instanceof Throwable t) {
            mark(t, where, pool);
        } else if (value instanceof Object[] items) {
            for (Object item : items) {
                if (item instanceof PoolMapping.ItemFailure itemFailure) {
                    mark(itemFailure.exception(), where, pool);
                }
            }
        }
        return value;
    }

    /**
     * Marks an exception that came back from another JVM with where it was thrown: Python's
     * {@code _RemoteTraceback}. One without a cause gets a {@link RemoteTaskException} as its
     * cause, naming {@code where}, with the remote stack trace; one whose cause was set to null on
     * purpose, which can be set no more, gets it as a suppressed exception instead (if it takes
     * them; see {@link StandIn#portable} for the JVM's own); one with a cause keeps it (its stack
     * trace is the remote one already).
     */
    static Throwable mark(Throwable t, String where, String pool) {
        if (t.getCause() != null || t instanceof RemoteTaskException) {
            return t;
        }
        RemoteTaskException marker = new RemoteTaskException(t.getClass().getName(),
                "thrown in " + where + " of pool '" + pool + "'", t.getStackTrace());
        try {
            t.initCause(marker);
        } catch (IllegalStateException e) {
            t.addSuppressed(marker);
        }
        return t;
    }
}
