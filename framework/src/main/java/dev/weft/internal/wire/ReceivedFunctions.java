package dev.weft.internal.wire;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker's side of sending functions apart ({@link SharedFunctions} is the parent's): the
 * functions, stateless tasks and lambda shapes that the parent sent in {@code FUNCTION} frames, by
 * id, until it sends {@code FORGET}; and the decoding of the frames that name them ({@code CALL},
 * {@code CHUNK}, {@code LAMBDA}). A worker JVM serves one pool, so the table is the JVM's.
 *
 * <p>The channel thread adds and removes; only the task thread deserializes, the first time a
 * function is needed ({@link #resolve}), so that its classes are loaded and initialized in the
 * task thread, after the pool's initializer ran, as a task sent whole would be.
 */
public final class ReceivedFunctions {
    /**
     * The functions received, by id: a {@link Received} (bytes) until the task thread first needs
     * it, then the function, a {@link LambdaShape.Factory}, or a {@link Failed}.
     */
    private static final Map<Long, Object> RECEIVED = new ConcurrentHashMap<>();

    private ReceivedFunctions() {
    }

    /** A function as it came, not yet deserialized, and how to: the filter, and the loader of classes. */
    private record Received(byte[] bytes, ObjectInputFilter filter, ClassLoader loader) {
    }

    /** Why a function could not be deserialized in this worker: each use of it throws this. */
    private record Failed(Throwable why) {
    }

    /** A {@code CHUNK} frame decoded: the id of the map's function, and the chunk's items. */
    public record Chunk(long function, List<Object> items) {
    }

    /**
     * In the channel thread: keeps a function received, to deserialize through {@code filter},
     * with classes from {@code loader}, when first used.
     */
    public static void register(long id, byte[] bytes, ObjectInputFilter filter, ClassLoader loader) {
        RECEIVED.put(id, new Received(bytes, filter, loader));
    }

    /** In the channel thread: forgets a function. */
    public static void forget(long id) {
        RECEIVED.remove(id);
    }

    /** The map chunk a {@code CHUNK} frame's payload holds (see {@link SharedFunctions#chunk(SharedFunctions.Shared, List)}). */
    public static Chunk chunk(byte[] payload, ObjectInputFilter filter) throws IOException {
        if (payload.length < Long.BYTES + 1) {
            throw new StreamCorruptedException("a CHUNK frame of " + payload.length + " bytes: too short");
        }
        long function = ByteBuffer.wrap(payload).getLong();
        Object[] items = AllowList.fromCompactArray(Arrays.copyOfRange(payload, Long.BYTES, payload.length), filter);
        return new Chunk(function, Arrays.asList(items));
    }

    /** The stateless task a {@code CALL} frame's payload names; throws why it is not here. */
    public static Callable<?> called(byte[] payload) throws Exception {
        if (payload.length != Long.BYTES) {
            throw new StreamCorruptedException("a CALL frame of " + payload.length + " bytes, not " + Long.BYTES);
        }
        return (Callable<?>) resolve(ByteBuffer.wrap(payload).getLong());
    }

    /** The lambda a {@code LAMBDA} frame's payload describes, made from its shape and captured values. */
    public static Callable<?> captured(byte[] payload, ObjectInputFilter filter) throws Throwable {
        if (payload.length < Long.BYTES + 1) {
            throw new StreamCorruptedException("a LAMBDA frame of " + payload.length + " bytes: too short");
        }
        long shape = ByteBuffer.wrap(payload).getLong();
        Object[] values = AllowList.fromCompactArray(Arrays.copyOfRange(payload, Long.BYTES, payload.length), filter);
        return (Callable<?>) ((LambdaShape.Factory) resolve(shape)).make(values);
    }

    /**
     * In the task thread: the function (or stateless task, or lambda shape) with this id, made the
     * first time it is needed. Throws why it cannot be had, every time: the exception or error its
     * deserialization threw (a failing static initializer, say).
     */
    public static Object resolve(long id) throws Exception {
        Object fn = RECEIVED.get(id);
        if (fn instanceof Received received) {
            Object decoded;
            try {
                byte[] bytes = received.bytes();
                if (!LambdaShape.isShape(bytes)) {
                    decoded = Channel.deserialize(bytes, received.filter(), received.loader());
                } else {
                    LambdaShape.Factory factory = LambdaShape.Factory.of(LambdaShape.decode(bytes), received.loader());
                    decoded = bytes[0] == LambdaShape.INSTANCE ? factory.make(new Object[0]) : factory;
                }
            } catch (Throwable e) {
                decoded = new Failed(e);
            }
            RECEIVED.replace(id, received, decoded);
            fn = decoded;
        }
        if (fn instanceof Failed failed) {
            if (failed.why() instanceof Exception e) {
                throw e;
            }
            if (failed.why() instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("function " + id + " could not be deserialized here", failed.why());
        }
        if (fn == null) {
            throw new IllegalStateException("function " + id + " was not sent to this worker");
        }
        return fn;
    }
}
