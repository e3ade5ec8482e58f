package dev.weft;

/**
 * A task on its way to a worker JVM of a {@link ProcessPoolImpl}: what {@link RemoteDispatcher.Job}
 * holds, and how {@link WorkerProcess#send} writes it.
 */
final class ProcessJob extends RemoteDispatcher.Job {
    /**
     * A map chunk's function or a stateless task, sent apart once per worker; null for other
     * tasks.
     */
    final SharedFunctions.Shared function;
    /**
     * {@link Channel#TASK}; {@link Channel#CALL} for a stateless task that {@code function} is;
     * {@link Channel#CHUNK} for a map chunk whose items have a compact form; {@link Channel#LAMBDA}
     * for a capturing lambda whose shape {@code function} is.
     */
    final byte frameType;

    ProcessJob(PoolTask<?> task, long id, byte[] payload, SharedFunctions.Shared function, byte frameType) {
        super(task, id, payload);
        this.function = function;
        this.frameType = frameType;
    }
}
