package dev.weft;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A map's function crosses to each worker once, not once per chunk: the parent serializes it once
 * ({@link #share}), sends it to a worker in a {@code FUNCTION} frame before the first chunk that
 * needs it, and sends each chunk as a {@link RemoteChunk} that names it by id. The worker keeps
 * the functions it was sent ({@link #register}) until the parent sends {@code FORGET}.
 *
 * <p>Which worker has which function is the parent's to decide: {@link WorkerProcess} counts, under
 * its channel's lock, the chunks in flight that use each function it sent, and forgets (on both
 * sides, with a {@code FORGET} frame in the same stream) only functions no chunk in flight uses. So
 * a chunk always finds its function, and the worker's table stays small.
 */
final class SharedFunctions {
    private static final AtomicLong IDS = new AtomicLong();
    /** In a worker JVM: the functions received, by id; written by the channel thread, read by the task thread. */
    private static final Map<Long, Object> RECEIVED = new ConcurrentHashMap<>();

    /** A function serialized once, and its id on the wire. */
    record Shared(long id, byte[] bytes) {
    }

    /** A map chunk whose function was sent on its own: the worker finds it by id. */
    record RemoteChunk(long function, PoolMapping.Chunk<?, ?> items) implements Callable<Object[]>, Serializable {
        @Override
        public Object[] call() throws Exception {
            Object fn = RECEIVED.get(function);
            if (fn instanceof Exception e) {
                throw e;                            // the function could not be deserialized here
            }
            if (fn == null) {
                throw new IllegalStateException("function " + function + " was not sent to this worker");
            }
            return items.withFunction(fn).call();
        }
    }

    /** The parent's functions, by identity of the function object; weak, so finished maps leave nothing. */
    private final Map<Object, Shared> byFunction = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Returns {@code fn} serialized, once per function object.
     *
     * @throws java.io.NotSerializableException naming the class that is not serializable
     */
    Shared share(Object fn) throws IOException {
        Shared shared = byFunction.get(fn);
        if (shared == null) {
            shared = new Shared(IDS.incrementAndGet(), Channel.serialize(fn));
            byFunction.put(fn, shared);
        }
        return shared;
    }

    /** In a worker: keeps a function received (or why it could not be deserialized). */
    static void register(long id, Object fnOrFailure) {
        RECEIVED.put(id, fnOrFailure);
    }

    /** In a worker: forgets a function. */
    static void forget(long id) {
        RECEIVED.remove(id);
    }
}
