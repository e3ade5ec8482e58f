package dev.weft.internal.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In a worker JVM of a process pool: the class loader of the classes that are not on the
 * worker's class path, such as those of a single-file program ({@code java Main.java}) or of
 * jshell, which exist only in the parent's memory. It delegates to the application class loader
 * first, so every class on the class path is the one that class path has; a class found nowhere
 * is asked of the parent over the channel ({@code CLASS_REQUEST} with the class's name, answered
 * by {@code CLASS_BYTES} with the class file, or nothing), and defined here. The worker
 * deserializes tasks and functions through it, and it is its task thread's context loader. It
 * keeps the class files it had from the parent, and serves them, and any other the parent has,
 * as resources, so that a process pool a task opens in this worker can send them on to its own
 * workers.
 *
 * <h2>Threads</h2>
 * Any thread that loads a class through it may ask (a task thread, or a thread a task started);
 * the thread that holds the worker's channel {@linkplain #answer answers}. Before a request waits,
 * it runs the worker's {@code beforeWait}, which makes sure that some thread other than the one
 * asking reads the channel meanwhile (the asking thread may be the one that held it). It is
 * parallel capable: a request holds the lock of its class's name only.
 */
public final class ParentClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    /** How long a class request may wait for the parent, which answers from its reader thread at once. */
    private static final long ANSWER_SECONDS = 60;

    private final Channel channel;
    private final Runnable beforeWait;
    private final AtomicLong ids = new AtomicLong();
    /** The requests sent and not answered, by id: added by the asking thread, completed by the channel thread. */
    private final Map<Long, CompletableFuture<byte[]>> asked = new ConcurrentHashMap<>();
    /** The class files of the classes defined here, by resource name ({@code a/b/C.class}). */
    private final Map<String, byte[]> classFiles = new ConcurrentHashMap<>();

    /**
     * A loader that asks the parent over {@code channel}, running {@code beforeWait} before each
     * request waits for its answer: see Threads.
     */
    public ParentClassLoader(Channel channel, Runnable beforeWait) {
        super("weft-parent-classes", ParentClassLoader.class.getClassLoader());
        this.channel = channel;
        this.beforeWait = beforeWait;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = ask(name);
        if (bytes.length == 0) {
            throw new ClassNotFoundException(name + " is on neither the worker's class path nor the parent's: "
                    + "a worker runs on the parent's class path, and asks the parent for the classes that exist only in "
                    + "its memory; give the worker a class path that holds it (ProcessPool.Configuration.withJvmArgs)");
        }
        Class<?> defined = defineClass(name, bytes, 0, bytes.length);
        classFiles.put(name.replace('.', '/') + ".class", bytes);
        return defined;
    }

    /**
     * Also the class file of a class the parent has and the class path does not: one this loader
     * defined, or else one it asks the parent for (and keeps). So a pool this worker's tasks open
     * sends its own workers the classes of a single-file program when they ask
     * ({@code ClassSource#bytes}), those this worker has not loaded too, as the program's own
     * loader does in the parent.
     */
    @Override
    public InputStream getResourceAsStream(String name) {
        InputStream found = super.getResourceAsStream(name);
        if (found != null || !name.endsWith(".class")) {
            return found;
        }
        byte[] classFile = classFiles.get(name);
        if (classFile == null) {
            try {
                classFile = ask(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
            } catch (ClassNotFoundException e) {
                return null;
            }
            if (classFile.length == 0) {
                return null;
            }
            classFiles.putIfAbsent(name, classFile);
        }
        return new ByteArrayInputStream(classFile);
    }

    private byte[] ask(String name) throws ClassNotFoundException {
        long id = ids.incrementAndGet();
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        asked.put(id, answer);
        try {
            channel.write(Channel.CLASS_REQUEST, id, name.getBytes(StandardCharsets.UTF_8));
            beforeWait.run();
            return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new ClassNotFoundException(name + ": the parent did not send it: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClassNotFoundException(name + ": interrupted while the parent was asked for it", e);
        } finally {
            asked.remove(id);
        }
    }

    /** Called by the thread that holds the channel with the parent's answer to request {@code id}. */
    public void answer(long id, byte[] bytes) {
        CompletableFuture<byte[]> answer = asked.get(id);
        if (answer != null) {
            answer.complete(bytes);
        }
    }
}
