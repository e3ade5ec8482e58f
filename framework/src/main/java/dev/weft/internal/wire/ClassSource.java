package dev.weft.internal.wire;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parent's side of the classes a process pool's bytes name: which application classes
 * the parent serialized (the serializer reports each, {@link #written}), and the class loaders
 * they came from. With them the parent
 * <ul>
 * <li>finds the classes a worker's result names ({@link #loader}), even those that exist only
 *     in the parent's memory, such as the classes of a single-file program ({@code java Main.java})
 *     or of jshell, which its own class loader cannot see; and</li>
 * <li>answers a worker that asks for the bytes of a class it does not have ({@link #bytes}; see
 *     {@link ParentClassLoader}).</li>
 * </ul>
 * The loaders searched are the context class loader of the thread that created the pool (the
 * source launcher's and jshell's are theirs), and the loader of each class serialized. Classes
 * and loaders are held weakly, so a pool does not keep an application's classes loaded.
 *
 * <h2>Threads</h2>
 * Submitting threads call {@link #written}; reader threads call {@link #loader} and
 * {@link #bytes}. The tables are concurrent.
 */
public final class ClassSource {
    /** The application classes serialized, by name; weak values, so classes can be unloaded. */
    private final Map<String, WeakReference<Class<?>>> byName = new ConcurrentHashMap<>();
    /** The loaders of those classes, and the creating thread's context loader; weak keys. */
    private final Set<ClassLoader> loaders = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final ClassLoader weft = ClassSource.class.getClassLoader();
    private final Resolver resolver = new Resolver();

    /** A source whose first loader is the context class loader of the calling thread. */
    public ClassSource() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != weft) {
            loaders.add(context);
        }
    }

    /** The serializer wrote a descriptor of {@code type}, a class outside {@code java.**} and {@code dev.weft.**}. */
    public void written(Class<?> type) {
        WeakReference<Class<?>> known = byName.get(type.getName());
        if (known == null || known.get() != type) {
            byName.put(type.getName(), new WeakReference<>(type));
            ClassLoader loader = type.getClassLoader();
            if (loader != null && loader != weft) {
                loaders.add(loader);
            }
        }
    }

    /** The loader that resolves the classes in a worker's result: Weft's own, then the ones above. */
    public ClassLoader loader() {
        return resolver;
    }

    /**
     * The bytes of class {@code name}'s class file, from the loaders above, for a worker that has
     * no such class; empty if none of them has it.
     */
    public byte[] bytes(String name) {
        String path = name.replace('.', '/') + ".class";
        for (ClassLoader loader : searched(name)) {
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in != null) {
                    return in.readAllBytes();
                }
            } catch (IOException e) {
                // try the next loader
            }
        }
        return new byte[0];
    }

    /** The loaders to search for {@code name}: the one its class came from first, if the parent serialized it. */
    private List<ClassLoader> searched(String name) {
        List<ClassLoader> searched = new ArrayList<>();
        WeakReference<Class<?>> known = byName.get(name);
        Class<?> type = known != null ? known.get() : null;
        if (type != null && type.getClassLoader() != null) {
            searched.add(type.getClassLoader());
        }
        synchronized (loaders) {
            searched.addAll(loaders);
        }
        return searched;
    }

    /** Finds a class Weft's own loader cannot: by name among those serialized, then in each loader. */
    private final class Resolver extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        Resolver() {
            super("weft-results", ClassSource.class.getClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            WeakReference<Class<?>> known = byName.get(name);
            Class<?> type = known != null ? known.get() : null;
            if (type != null) {
                return type;
            }
            for (ClassLoader loader : searched(name)) {
                try {
                    return Class.forName(name, false, loader);
                } catch (ClassNotFoundException e) {
                    // try the next loader
                }
            }
            throw new ClassNotFoundException(name + " is neither on the class path nor in the class loader of "
                    + "a class this pool has serialized, nor in the context class loader of the thread that "
                    + "created the pool");
        }
    }
}
