package dev.weft;

/**
 * Marks the exceptions that come back from a worker JVM with where they were thrown: Python's
 * {@code _RemoteTraceback}. An exception without a cause gets a {@link RemoteTaskException} as its
 * cause, naming the worker, with the worker's stack trace; one with a cause keeps it (its stack
 * trace is the worker's already). The exceptions inside a map chunk's outcomes are marked too.
 */
final class RemoteFailures {
    private RemoteFailures() {
    }

    /** Marks {@code outcome} if it is an exception, or a chunk's outcomes; returns it. */
    static Object annotate(Object outcome, WorkerProcess worker, String pool) {
        if (outcome instanceof Throwable t) {
            mark(t, worker, pool);
        } else if (outcome instanceof Object[] items) {
            for (Object item : items) {
                if (item instanceof PoolMapping.ItemFailure failure) {
                    mark(failure.exception(), worker, pool);
                }
            }
        }
        return outcome;
    }

    private static void mark(Throwable t, WorkerProcess worker, String pool) {
        if (t.getCause() != null || t instanceof RemoteTaskException) {
            return;
        }
        try {
            t.initCause(new RemoteTaskException(t.getClass().getName(), "thrown in " + worker + " of pool '" + pool + "'",
                    t.getStackTrace()));
        } catch (IllegalStateException e) {
            // its cause was set to null explicitly: leave it
        }
    }
}
