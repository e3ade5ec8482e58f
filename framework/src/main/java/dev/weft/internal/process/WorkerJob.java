package dev.weft.internal.process;

import dev.weft.internal.remote.RemoteDispatcher;

/**
 * A job as a worker's channel writes it ({@link WorkerProcess#send}): its frame, and the function
 * sent apart once per worker that the frame names, if it names one. The pool's own job type
 * extends it with the task.
 */
public abstract class WorkerJob extends RemoteDispatcher.Job {
    /** The frame's type: a {@code Channel} constant ({@code TASK}, {@code CALL}, {@code CHUNK}, {@code LAMBDA}). */
    public final byte frameType;
    /**
     * The id of the function the frame names (a map's function, a stateless task, a capturing
     * lambda's shape), which the worker must have been sent before it; 0 if it names none.
     */
    public final long function;
    /** That function, serialized; null if the frame names none. */
    public final byte[] functionBytes;
    /**
     * The worker its frame was last written to, or null once it came back ({@link #cameBack});
     * written under that worker's channel lock ({@link WorkerProcess#send}).
     */
    volatile WorkerProcess writtenTo;
    /**
     * A worker asked to drop it before its frame reached that worker ({@link WorkerProcess#recall}),
     * which drops it as soon as it is written there; under that worker's channel lock.
     */
    volatile WorkerProcess recallOnWrite;

    /**
     * A job whose frame is {@code frameType}, holding {@code payload}, and which names the function
     * {@code function} serialized as {@code functionBytes}, or no function if {@code functionBytes}
     * is null (then {@code function} is ignored).
     */
    protected WorkerJob(RemoteDispatcher.Ticket ticket, long id, byte[] payload, byte frameType, long function,
                        byte[] functionBytes) {
        super(ticket, id, payload);
        this.frameType = frameType;
        this.function = functionBytes == null ? 0 : function;
        this.functionBytes = functionBytes;
    }

    /** It came back unstarted from the worker it was written to, to be placed again: no write of it there counts. */
    public void cameBack() {
        writtenTo = null;
        recallOnWrite = null;
    }
}
