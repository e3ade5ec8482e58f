package dev.weft.testing;

import dev.weft.ClusterPool;
import dev.weft.ContextKey;
import dev.weft.ProcessPool;
import dev.weft.Progress;
import dev.weft.ReturnWhen;
import dev.weft.SerialLimits;
import dev.weft.SerializableBiFunction;
import dev.weft.SerializableCallable;
import dev.weft.SerializableFunction;
import dev.weft.SerializableRunnable;
import dev.weft.SettableFuture;
import dev.weft.TaskScope;
import java.io.ObjectInputFilter;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A hand-written NullPointerTester: calls each public method of a type once per reference
 * parameter, with null there and a harmless value everywhere else, and lists the calls that did
 * not throw {@link NullPointerException}. Methods of {@code Object} and {@code Throwable}, and
 * {@code equals}, follow their own contracts and are left out.
 */
public final class NullArguments {
    /** Every call {@link #check} made, one per method and reference parameter. */
    public final List<String> checked = new ArrayList<>();
    /** The calls that returned, or threw something other than {@code NullPointerException}. */
    public final List<String> accepted = new ArrayList<>();
    /**
     * The calls whose {@code NullPointerException} carried the JVM's own message ("Cannot invoke
     * ... because ... is null"), which names a variable inside Weft, not the argument at fault.
     */
    public final List<String> unnamed = new ArrayList<>();
    private final Set<String> mayBeNull;
    private final Map<Class<?>, Supplier<?>> samples = new HashMap<>();

    /**
     * @param mayBeNull the parameters that accept null on purpose, as {@code DeclaringType.method#index};
     *                  they are not called with null
     */
    public NullArguments(Set<String> mayBeNull) {
        this.mayBeNull = mayBeNull;
    }

    /** Uses a value from {@code sample} wherever a parameter of {@code type} is not the null one. */
    public <T> NullArguments with(Class<T> type, Supplier<? extends T> sample) {
        samples.put(type, sample);
        return this;
    }

    /** Checks the static methods of {@code type} if {@code receiver} is null, else its instance methods on it. */
    public void check(Class<?> type, Object receiver) throws Exception {
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Object.class || m.getDeclaringClass() == Throwable.class
                    || Modifier.isStatic(m.getModifiers()) != (receiver == null) || m.getParameterCount() == 0
                    || m.getName().equals("equals")) {      // Object's own contract: false for null
                continue;
            }
            Class<?>[] params = m.getParameterTypes();
            for (int i = 0; i < params.length; i++) {
                String name = m.getDeclaringClass().getSimpleName() + "." + m.getName() + "#" + i;
                if (params[i].isPrimitive() || mayBeNull.contains(name)) {
                    continue;
                }
                Object[] args = arguments(params, i);
                String call = type.getSimpleName() + "." + m.getName() + List.of(params).stream()
                        .map(Class::getSimpleName).toList() + " with null at " + i;
                checked.add(call);
                try {
                    Object returned = m.invoke(receiver, args);
                    if (returned instanceof AutoCloseable c) {
                        c.close();
                    }
                    accepted.add(call + ": returned");
                } catch (InvocationTargetException e) {
                    judge(call, e.getCause());
                }
            }
        }
    }

    /** Checks each public constructor of {@code type} as {@link #check} checks methods. */
    public void checkConstructors(Class<?> type) throws Exception {
        for (Constructor<?> c : type.getConstructors()) {
            Class<?>[] params = c.getParameterTypes();
            for (int i = 0; i < params.length; i++) {
                String name = type.getSimpleName() + ".<init>#" + i;
                if (params[i].isPrimitive() || mayBeNull.contains(name)) {
                    continue;
                }
                Object[] args = arguments(params, i);
                String call = "new " + type.getSimpleName() + List.of(params).stream()
                        .map(Class::getSimpleName).toList() + " with null at " + i;
                checked.add(call);
                try {
                    c.newInstance(args);
                    accepted.add(call + ": returned");
                } catch (InvocationTargetException e) {
                    judge(call, e.getCause());
                }
            }
        }
    }

    /** Arguments for {@code params}: null at {@code nullAt}, a sample everywhere else. */
    private Object[] arguments(Class<?>[] params, int nullAt) {
        Object[] args = new Object[params.length];
        for (int j = 0; j < params.length; j++) {
            Supplier<?> given = samples.get(params[j]);
            args[j] = j == nullAt ? null : given != null ? given.get() : sample(params[j]);
        }
        return args;
    }

    private void judge(String call, Throwable thrown) {
        if (!(thrown instanceof NullPointerException)) {
            accepted.add(call + ": threw " + thrown);
        } else if (thrown.getMessage() == null || thrown.getMessage().startsWith("Cannot ")) {
            unnamed.add(call + ": " + thrown.getMessage());
        }
    }

    /** A harmless value of {@code type}: nothing it runs blocks, fails or leaves anything behind. */
    private static Object sample(Class<?> type) {
        if (type == int.class || type == long.class) {
            return type == int.class ? (Object) 1 : (Object) 1L;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        }
        Map<Class<?>, Object> samples = Map.ofEntries(
                Map.entry(String.class, "x"), Map.entry(Object.class, "x"),
                Map.entry(SerializableRunnable.class, (SerializableRunnable) () -> { }),
                Map.entry(Runnable.class, (Runnable) () -> { }),
                Map.entry(SerializableCallable.class, (SerializableCallable<String>) () -> "x"),
                Map.entry(Callable.class, (Callable<String>) () -> "x"),
                Map.entry(SerializableFunction.class, (SerializableFunction<Object, Object>) x -> x),
                Map.entry(Function.class, (Function<Object, Object>) x -> x),
                Map.entry(UnaryOperator.class, UnaryOperator.identity()),
                Map.entry(SerializableBiFunction.class, (SerializableBiFunction<Object, Object, Object>) (a, b) -> a),
                Map.entry(BiFunction.class, (BiFunction<Object, Object, Object>) (a, b) -> a),
                Map.entry(Consumer.class, (Consumer<Object>) x -> { }),
                Map.entry(Progress.Listener.class, (Progress.Listener) p -> { }),
                Map.entry(Predicate.class, (Predicate<Object>) x -> false),
                Map.entry(IntPredicate.class, (IntPredicate) i -> false),
                Map.entry(IntConsumer.class, (IntConsumer) i -> { }),
                Map.entry(Iterable.class, List.of()), Map.entry(Collection.class, List.of()),
                Map.entry(List.class, List.of()),
                Map.entry(Duration.class, Duration.ZERO), Map.entry(Instant.class, Instant.now()),
                Map.entry(TimeUnit.class, TimeUnit.SECONDS), Map.entry(Executor.class, (Executor) Runnable::run),
                Map.entry(ThreadFactory.class, Thread.ofVirtual().factory()),
                Map.entry(Throwable.class, new RuntimeException("sample")), Map.entry(Class.class, Error.class),
                Map.entry(Path.class, Path.of("no-such-file")), Map.entry(ReturnWhen.class, ReturnWhen.ALL_COMPLETED),
                Map.entry(ProcessPool.AfterDeath.class, ProcessPool.AfterDeath.REPLACE),
                Map.entry(SerialLimits.class, SerialLimits.defaults()),
                Map.entry(ContextKey.class, ContextKey.named("sample")),
                Map.entry(TaskScope.Joiner.class, TaskScope.Joiner.awaitAll()),
                Map.entry(Future.class, doneFuture()),
                Map.entry(ObjectInputFilter.class, ObjectInputFilter.allowFilter(c -> true, ObjectInputFilter.Status.ALLOWED)),
                Map.entry(ClassLoader.class, NullArguments.class.getClassLoader()),
                Map.entry(ClusterPool.Member.class, ClusterPool.Member.of("sample", "127.0.0.1:1", false)));
        Object sample = samples.get(type);
        if (sample == null) {
            throw new AssertionError("no sample value of " + type + ": add one");
        }
        return sample;
    }

    private static Future<String> doneFuture() {
        SettableFuture<String> f = SettableFuture.create();
        f.complete("x");
        return f;
    }
}
