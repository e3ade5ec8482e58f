package dev.weft.internal.wire;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The parent's side of sending functions apart: a map's function crosses to each worker once, not
 * once per chunk. The parent serializes it once ({@link #share}) and sends it to a worker in a
 * {@code FUNCTION} frame before the first chunk that needs it; each chunk names it by id. The worker
 * keeps the functions it was sent ({@link ReceivedFunctions}) until the parent sends {@code FORGET}.
 *
 * <p>A stateless task (its class, a non-capturing lambda's for one, has no instance field; see
 * {@link #isStateless}) crosses the same way: every instance of its class is the same task, so it
 * is sent once per class ({@link #shareStateless}), made once per worker, and each submission is a
 * {@code CALL} frame holding only the function's id ({@link #call}). That spares both sides the
 * Java serialization of the task, most of a tiny task's cost. A lambda that captures nothing is
 * sent as its {@link LambdaShape} and needs no Java serialization even once; another stateless
 * task is serialized. A chunk whose items
 * have a compact form ({@link AllowList}) goes as a {@code CHUNK} frame: its function's id and
 * those bytes, without Java serialization at all ({@link #chunk(Shared, List)}).
 *
 * <p>A capturing lambda whose captured values all have a compact form (numbers, booleans, short
 * strings, nulls) crosses without Java serialization too. Its shape, everything of its
 * {@link SerializedLambda} but the captured values, is shared once per lambda class
 * ({@link #captured(Object)}); each submission is a {@code LAMBDA} frame holding the shape's id and
 * the captured values in their compact form. The worker rebuilds the lambda as Java's
 * deserialization would ({@link LambdaShape.Factory}). A lambda that captures anything else, or
 * whose class Weft may not open (a named module that does not open its package to Weft), goes
 * whole, by Java serialization.
 *
 * <p>Which worker has which function is the parent's to decide: the worker's channel counts, under
 * its lock, the chunks in flight that use each function it sent, and forgets (on both sides, with a
 * {@code FORGET} frame in the same stream) only functions no chunk in flight uses. So a chunk always
 * finds its function, and the worker's table stays small.
 */
public final class SharedFunctions {
    private static final AtomicLong IDS = new AtomicLong();

    /** A function serialized once, and its id on the wire. */
    public record Shared(long id, byte[] bytes) {
    }

    /** A capturing lambda ready to send: its shared shape, and the {@code LAMBDA} frame's payload. */
    public record Captured(Shared shape, byte[] payload) {
    }

    /**
     * The {@code writeReplace} of a serializable lambda class, made accessible; null for any other
     * class, and for a lambda class Weft may not open.
     */
    private static final ClassValue<Method> WRITE_REPLACE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            if (!type.isHidden() || !type.getName().contains("$$Lambda") || !Serializable.class.isAssignableFrom(type)) {
                return null;
            }
            try {
                Method writeReplace = type.getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                return writeReplace.getReturnType() == Object.class ? writeReplace : null;
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;                        // not opened to Weft: it goes whole
            }
        }
    };

    /** In the parent: told of each application class the functions' bytes name (see {@link ClassSource}). */
    private final Consumer<Class<?>> written;

    /** The parent's table of functions, whose serialized classes are told to {@code written}. */
    public SharedFunctions(Consumer<Class<?>> written) {
        this.written = written;
    }

    /** The parent's functions, by identity of the function object; weak, so finished maps leave nothing. */
    private final Map<Object, Shared> byFunction = Collections.synchronizedMap(new WeakHashMap<>());
    /** The parent's stateless tasks, by class; weak, so that a class can be unloaded. */
    private final Map<Class<?>, Shared> byClass = Collections.synchronizedMap(new WeakHashMap<>());
    /** The parent's lambda shapes, by lambda class; weak, so that a class can be unloaded. */
    private final Map<Class<?>, Shared> byShape = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Whether a class has no state at all: no instance field in it or its superclasses, not
     * {@link Externalizable}, and no {@code writeObject} or {@code writeReplace} of its own that
     * could write something else (a lambda's {@code writeReplace} writes its captured values, and
     * it has none without fields).
     */
    private static final ClassValue<Boolean> STATELESS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (Externalizable.class.isAssignableFrom(type)) {
                return false;                       // writeExternal may write anything
            }
            boolean lambda = type.isHidden() && type.getName().contains("$$Lambda");
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        return false;
                    }
                }
                if (!lambda && (declares(c, "writeObject", ObjectOutputStream.class) || declares(c, "writeReplace"))) {
                    return false;
                }
            }
            return true;
        }
    };

    private static boolean declares(Class<?> c, String method, Class<?>... parameters) {
        try {
            c.getDeclaredMethod(method, parameters);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Whether {@code task} is the same task as every other instance of its class (see {@link #STATELESS}). */
    public static boolean isStateless(Object task) {
        return STATELESS.get(task.getClass());
    }

    /**
     * Returns the stateless {@code task} ready to send, once per class: a lambda that captures
     * nothing as its shape ({@link LambdaShape#INSTANCE}), so that a worker makes it without Java
     * serialization; anything else serialized.
     *
     * @throws java.io.NotSerializableException naming the class that is not serializable
     */
    public Shared shareStateless(Object task) throws IOException {
        Shared shared = byClass.get(task.getClass());
        if (shared != null) {
            return shared;
        }
        SerializedLambda lambda = serializedLambda(task);
        return lambda == null || lambda.getCapturedArgCount() > 0 ? shared(byClass, task.getClass(), task)
                : shape(byClass, task.getClass(), lambda, LambdaShape.INSTANCE);
    }

    /**
     * The shape of {@code kind} of {@code lambda}, an instance of {@code type}, under a new id, once
     * per lambda class of {@code cache}; the class that made it is told to {@code written}.
     */
    private Shared shape(Map<Class<?>, Shared> cache, Class<?> type, SerializedLambda lambda, byte kind) {
        Shared shape = cache.get(type);
        if (shape == null) {
            written.accept(type.getNestHost());         // its bytes, for a worker that lacks them
            shape = new Shared(IDS.incrementAndGet(), LambdaShape.of(lambda).encode(kind));
            cache.put(type, shape);
        }
        return shape;
    }

    /** {@code task}'s {@link SerializedLambda}, or null if it is not a serializable lambda Weft may open. */
    private static SerializedLambda serializedLambda(Object task) {
        Method writeReplace = WRITE_REPLACE.get(task.getClass());
        if (writeReplace == null) {
            return null;
        }
        try {
            return (SerializedLambda) writeReplace.invoke(task);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
    }

    /**
     * The payload of a {@code CHUNK} frame: the id of the chunk's function, then its items in
     * their compact form; null if they have none (the chunk then goes by Java serialization, naming
     * its function by id).
     */
    public static byte[] chunk(Shared function, List<?> chunk) {
        byte[] items = AllowList.compactArray(chunk.toArray());
        if (items == null) {
            return null;
        }
        return ByteBuffer.allocate(Long.BYTES + items.length).putLong(function.id()).put(items).array();
    }

    /** The payload of a {@code CALL} frame: the id of the stateless task to call. */
    public static byte[] call(Shared task) {
        return ByteBuffer.allocate(Long.BYTES).putLong(task.id()).array();
    }

    /**
     * {@code task} as a capturing lambda's shape and captured values, or null if it is not a
     * serializable lambda or captures a value without a compact form: it then goes whole.
     */
    public Captured captured(Object task) {
        SerializedLambda lambda = serializedLambda(task);
        if (lambda == null) {
            return null;
        }
        Object[] values = new Object[lambda.getCapturedArgCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = lambda.getCapturedArg(i);
        }
        byte[] compact = AllowList.compactArray(values);
        if (compact == null) {
            return null;
        }
        Shared shape = shape(byShape, task.getClass(), lambda, LambdaShape.SHAPE);
        return new Captured(shape, ByteBuffer.allocate(Long.BYTES + compact.length).putLong(shape.id()).put(compact)
                .array());
    }

    /**
     * Returns {@code fn} serialized, once per function object.
     *
     * @throws java.io.NotSerializableException naming the class that is not serializable
     */
    public Shared share(Object fn) throws IOException {
        return shared(byFunction, fn, fn);
    }

    /** {@code value} serialized under a new id, once per {@code key} of {@code cache}. */
    private <K> Shared shared(Map<K, Shared> cache, K key, Object value) throws IOException {
        Shared shared = cache.get(key);
        if (shared == null) {
            shared = new Shared(IDS.incrementAndGet(), Channel.serialize(value, written));
            cache.put(key, shared);
        }
        return shared;
    }
}
