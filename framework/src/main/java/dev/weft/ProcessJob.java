package dev.weft;

import dev.weft.internal.process.WorkerJob;
import dev.weft.internal.process.WorkerProcess;
import dev.weft.internal.remote.RemoteDispatcher;
import dev.weft.internal.wire.Channel;
import dev.weft.internal.wire.ClassSource;
import dev.weft.internal.wire.ReceivedFunctions;
import dev.weft.internal.wire.SharedFunctions;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.concurrent.Callable;

/**
 * A task on its way to a worker JVM of a {@link ProcessPoolImpl}: what {@link RemoteDispatcher.Job}
 * holds, and how {@link WorkerProcess#send} writes it.
 */
final class ProcessJob extends WorkerJob {
    /** The task's future, which {@link RemoteDispatcher} sees as its ticket. */
    final PoolTask<?> task;
    /**
     * Whether the pool asked its worker to give it back ({@code ProcessPoolImpl.recall}): if the
     * worker answers that it dropped it, it goes back to the queue. Under the pool's lock.
     */
    boolean recalled;

    /**
     * The job whose frame is {@code frameType}: {@link Channel#TASK}; {@link Channel#CALL} for a
     * stateless task that {@code function} is; {@link Channel#CHUNK} for a map chunk whose items
     * have a compact form; {@link Channel#LAMBDA} for a capturing lambda whose shape
     * {@code function} is. {@code function}: a map chunk's function, a stateless task or a
     * lambda's shape, sent apart once per worker; null for other tasks.
     */
    ProcessJob(PoolTask<?> task, long id, byte[] payload, SharedFunctions.Shared function, byte frameType) {
        super(task, id, payload, frameType, function == null ? 0 : function.id(),
                function == null ? null : function.bytes());
        this.task = task;
    }

    /**
     * {@code task} as the job with {@code id}, encoded in the submitting thread: a map chunk's
     * items beside its shared function, a stateless task by its shared class, a compact capturing
     * lambda by its shape and values, anything else by Java serialization. Throws
     * {@link IllegalArgumentException} at the submitting call if the task cannot be sent.
     */
    static ProcessJob encode(PoolTask<?> task, long id, SharedFunctions functions, ClassSource classes, String pool) {
        byte[] payload;
        SharedFunctions.Shared function = null;
        byte frameType = Channel.TASK;
        try {
            Object callable = task.callable();
            if (callable instanceof PoolMapping.Chunk<?, ?> chunk) {
                function = functions.share(chunk.fn());
                payload = SharedFunctions.chunk(function, chunk.items());
                if (payload != null) {
                    frameType = Channel.CHUNK;
                } else {
                    payload = Channel.serialize(new RemoteChunk(function.id(), chunk.withFunction(null)),
                            classes::written);
                }
            } else if (SharedFunctions.isStateless(callable)) {
                function = functions.shareStateless(callable);
                payload = SharedFunctions.call(function);
                frameType = Channel.CALL;
            } else if (functions.captured(callable) instanceof SharedFunctions.Captured captured) {
                function = captured.shape();
                payload = captured.payload();
                frameType = Channel.LAMBDA;
            } else {
                payload = Channel.serialize(callable, classes::written);
            }
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("a task given to pool '" + pool + "' cannot be sent to a worker: "
                    + RemoteOutcomes.notSerializable(e.getMessage(), "ProcessPool"), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("a task given to pool '" + pool + "' cannot be serialized: " + e, e);
        }
        return new ProcessJob(task, id, payload, function, frameType);
    }

    /**
     * A map chunk whose function was sent on its own ({@link SharedFunctions#share}): the worker
     * finds it by id. A chunk whose items have a compact form crosses as a {@code CHUNK} frame
     * instead, which the worker reads into one of these ({@link #of(byte[], ObjectInputFilter)}).
     *
     * @param function the id of the chunk's function among those sent to the worker
     * @param items    the chunk, without its function
     */
    record RemoteChunk(long function, PoolMapping.Chunk<?, ?> items) implements Callable<Object[]>, Serializable {
        /** In a worker: the chunk a {@code CHUNK} frame's payload holds. */
        static RemoteChunk of(byte[] payload, ObjectInputFilter filter) throws IOException {
            ReceivedFunctions.Chunk chunk = ReceivedFunctions.chunk(payload, filter);
            return new RemoteChunk(chunk.function(), new PoolMapping.Chunk<>(null, chunk.items()));
        }

        @Override
        public Object[] call() throws Exception {
            return items.withFunction(ReceivedFunctions.resolve(function)).call();
        }
    }
}
