package dev.weft;

import dev.weft.internal.wire.AllowList;
import dev.weft.internal.wire.Channel;
import dev.weft.internal.wire.ClassSource;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
 * <p>A stateless task (its class, a non-capturing lambda's for one, has no instance field; see
 * {@link #isStateless}) crosses the same way: every instance of its class is the same task, so it
 * is serialized once per class ({@link #shareStateless}), deserialized once per worker, and each
 * submission is a {@code CALL} frame holding only the function's id ({@link #call}). That spares
 * both sides the Java serialization of the task, most of a tiny task's cost. A chunk whose items
 * have a compact form ({@link AllowList}) goes as a {@code CHUNK} frame: its function's id and
 * those bytes, without Java serialization at all ({@link #chunk(Shared, PoolMapping.Chunk)}).
 *
 * <p>A capturing lambda whose captured values all have a compact form (numbers, booleans, short
 * strings, nulls) crosses without Java serialization too. Its shape, everything of its
 * {@link SerializedLambda} but the captured values, is shared once per lambda class
 * ({@link #captured(Object)}); each submission is a {@code LAMBDA} frame holding the shape's id and
 * the captured values in their compact form. The worker rebuilds the lambda as Java's
 * deserialization would, through the capturing class's {@code $deserializeLambda$}
 * ({@link LambdaFactory}). A lambda that captures anything else, or whose class Weft may not
 * open (a named module that does not open its package to Weft), goes whole, by Java serialization.
 *
 * <p>Which worker has which function is the parent's to decide: {@link dev.weft.internal.process.WorkerProcess} counts, under
 * its channel's lock, the chunks in flight that use each function it sent, and forgets (on both
 * sides, with a {@code FORGET} frame in the same stream) only functions no chunk in flight uses. So
 * a chunk always finds its function, and the worker's table stays small.
 */
final class SharedFunctions {
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * In a worker JVM: the functions received, by id: a {@link Received} (bytes) until the task
     * thread first needs it, then the function or a {@link Failed}. The channel thread adds and
     * removes; only the task thread deserializes.
     */
    private static final Map<Long, Object> RECEIVED = new ConcurrentHashMap<>();

    /** A function as it came, not yet deserialized, and how to: the filter, and the loader of classes. */
    private record Received(byte[] bytes, ObjectInputFilter filter, ClassLoader loader) {
    }

    /** Why a function could not be deserialized in this worker: each use of it throws this. */
    private record Failed(Throwable why) {
    }

    /** A function serialized once, and its id on the wire. */
    record Shared(long id, byte[] bytes) {
    }

    /** A map chunk whose function was sent on its own: the worker finds it by id. */
    record RemoteChunk(long function, PoolMapping.Chunk<?, ?> items) implements Callable<Object[]>, Serializable {
        @Override
        public Object[] call() throws Exception {
            return items.withFunction(resolve(function)).call();
        }
    }

    /** A capturing lambda ready to send: its shared shape, and the {@code LAMBDA} frame's payload. */
    record Captured(Shared shape, byte[] payload) {
    }

    /**
     * What a lambda class's instances have in common: its {@link SerializedLambda} without the
     * captured values. Sent once per lambda class; in a worker, {@link #resolve} turns it into a
     * {@link LambdaFactory}.
     */
    record LambdaShape(String capturingClass, String functionalInterfaceClass, String functionalInterfaceMethodName,
                       String functionalInterfaceMethodSignature, int implMethodKind, String implClass,
                       String implMethodName, String implMethodSignature, String instantiatedMethodType)
            implements Serializable {
        static LambdaShape of(SerializedLambda lambda) {
            return new LambdaShape(lambda.getCapturingClass(), lambda.getFunctionalInterfaceClass(),
                    lambda.getFunctionalInterfaceMethodName(), lambda.getFunctionalInterfaceMethodSignature(),
                    lambda.getImplMethodKind(), lambda.getImplClass(), lambda.getImplMethodName(),
                    lambda.getImplMethodSignature(), lambda.getInstantiatedMethodType());
        }
    }

    /**
     * In a worker: makes the lambdas of one shape, given their captured values, as Java's
     * deserialization does: a {@link SerializedLambda} passed to the capturing class's
     * {@code $deserializeLambda$}, which javac writes into every class that has serializable
     * lambdas, and which checks the shape against the lambdas it knows.
     */
    record LambdaFactory(LambdaShape shape, Class<?> capturingClass, MethodHandle deserializer) {
        static LambdaFactory of(LambdaShape shape, ClassLoader loader) throws ReflectiveOperationException {
            Class<?> host = Class.forName(shape.capturingClass().replace('/', '.'), false, loader);
            SharedFunctions.class.getModule().addReads(host.getModule());
            MethodHandle deserializer = MethodHandles.privateLookupIn(host, MethodHandles.lookup())
                    .findStatic(host, "$deserializeLambda$", MethodType.methodType(Object.class, SerializedLambda.class));
            return new LambdaFactory(shape, host, deserializer);
        }

        Object make(Object[] captured) throws Throwable {
            return deserializer.invoke(new SerializedLambda(capturingClass, shape.functionalInterfaceClass(),
                    shape.functionalInterfaceMethodName(), shape.functionalInterfaceMethodSignature(),
                    shape.implMethodKind(), shape.implClass(), shape.implMethodName(), shape.implMethodSignature(),
                    shape.instantiatedMethodType(), captured));
        }
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
    private final java.util.function.Consumer<Class<?>> written;

    /** The parent's table of functions, whose serialized classes are told to {@code written}. */
    SharedFunctions(java.util.function.Consumer<Class<?>> written) {
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
    static boolean isStateless(Object task) {
        return STATELESS.get(task.getClass());
    }

    /**
     * Returns the stateless {@code task} serialized, once per class.
     *
     * @throws java.io.NotSerializableException naming the class that is not serializable
     */
    Shared shareStateless(Object task) throws IOException {
        return shared(byClass, task.getClass(), task);
    }

    /**
     * The payload of a {@code CHUNK} frame: the id of the chunk's function, then its items in
     * their compact form; null if they have none (the chunk then goes as a {@link RemoteChunk}).
     */
    static byte[] chunk(Shared function, PoolMapping.Chunk<?, ?> chunk) {
        byte[] items = AllowList.compactArray(chunk.items().toArray());
        if (items == null) {
            return null;
        }
        return ByteBuffer.allocate(Long.BYTES + items.length).putLong(function.id()).put(items).array();
    }

    /** In a worker: the map chunk a {@code CHUNK} frame's payload holds, as the task to run. */
    static Callable<Object[]> chunk(byte[] payload) throws StreamCorruptedException {
        if (payload.length < Long.BYTES + 1) {
            throw new StreamCorruptedException("a CHUNK frame of " + payload.length + " bytes: too short");
        }
        long function = ByteBuffer.wrap(payload).getLong();
        Object[] items = AllowList.fromCompactArray(Arrays.copyOfRange(payload, Long.BYTES, payload.length));
        return new RemoteChunk(function, new PoolMapping.Chunk<>(null, Arrays.asList(items)));
    }

    /** The payload of a {@code CALL} frame: the id of the stateless task to call. */
    static byte[] call(Shared task) {
        return ByteBuffer.allocate(Long.BYTES).putLong(task.id()).array();
    }

    /** In a worker: the stateless task a {@code CALL} frame's payload names; throws why it is not here. */
    static Callable<?> called(byte[] payload) throws Exception {
        if (payload.length != Long.BYTES) {
            throw new StreamCorruptedException("a CALL frame of " + payload.length + " bytes, not " + Long.BYTES);
        }
        return (Callable<?>) resolve(ByteBuffer.wrap(payload).getLong());
    }

    /**
     * {@code task} as a capturing lambda's shape and captured values, or null if it is not a
     * serializable lambda or captures a value without a compact form: it then goes whole.
     */
    Captured captured(Object task) throws IOException {
        Method writeReplace = WRITE_REPLACE.get(task.getClass());
        if (writeReplace == null) {
            return null;
        }
        SerializedLambda lambda;
        try {
            lambda = (SerializedLambda) writeReplace.invoke(task);
        } catch (ReflectiveOperationException | ClassCastException e) {
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
        Shared shape = byShape.get(task.getClass());
        if (shape == null) {
            written.accept(task.getClass().getNestHost());      // its bytes, for a worker that lacks them
            shape = shared(byShape, task.getClass(), LambdaShape.of(lambda));
        }
        return new Captured(shape, ByteBuffer.allocate(Long.BYTES + compact.length).putLong(shape.id()).put(compact)
                .array());
    }

    /** In a worker: the lambda a {@code LAMBDA} frame's payload describes, made from its shape and captured values. */
    static Callable<?> captured(byte[] payload) throws Throwable {
        if (payload.length < Long.BYTES + 1) {
            throw new StreamCorruptedException("a LAMBDA frame of " + payload.length + " bytes: too short");
        }
        long shape = ByteBuffer.wrap(payload).getLong();
        Object[] values = AllowList.fromCompactArray(Arrays.copyOfRange(payload, Long.BYTES, payload.length));
        return (Callable<?>) ((LambdaFactory) resolve(shape)).make(values);
    }

    /**
     * In a worker's task thread: the function (or stateless task) with this id, deserialized the
     * first time it is needed, so that its class is loaded and initialized in the task thread, after
     * the pool's initializer ran, as a task sent whole would be. Throws why it cannot be had, every
     * time: the exception or error its deserialization threw (a failing static initializer, say).
     */
    static Object resolve(long id) throws Exception {
        Object fn = RECEIVED.get(id);
        if (fn instanceof Received received) {
            Object decoded;
            try {
                decoded = Channel.deserialize(received.bytes(), received.filter(), received.loader());
                if (decoded instanceof LambdaShape shape) {
                    decoded = LambdaFactory.of(shape, received.loader());
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

    /**
     * Returns {@code fn} serialized, once per function object.
     *
     * @throws java.io.NotSerializableException naming the class that is not serializable
     */
    Shared share(Object fn) throws IOException {
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

    /**
     * In a worker's channel thread: keeps a function received, to deserialize through {@code filter},
     * with classes from {@code loader}, when first used.
     */
    static void register(long id, byte[] bytes, ObjectInputFilter filter, ClassLoader loader) {
        RECEIVED.put(id, new Received(bytes, filter, loader));
    }

    /** In a worker: forgets a function. */
    static void forget(long id) {
        RECEIVED.remove(id);
    }
}
