package dev.weft.spi;

import dev.weft.ClusterPool;
import dev.weft.Pool;
import dev.weft.RemoteTaskException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a cluster member does with a task: runs the pool's initializer once per thread, then the
 * task with {@link ClusterPool#currentMember()} set, and returns its outcome as an {@link Outcome}:
 * serialized here, so that the engine carries bytes only and the pool deserializes them through
 * its own allow-list. (Hazelcast 5.7 loses the callback of a future whose response it cannot
 * deserialize; Weft's futures must end, so nothing the engine deserializes is the user's.)
 * Internal; see {@link ClusterProvider}.
 */
public final class ClusterTasks {
    /**
     * A task's outcome, serialized on its member.
     *
     * @param kind    {@link #RESULT}, {@link #FAILURE} or {@link #INITIALIZER_FAILED}
     * @param payload the result or the exception, by Java serialization
     * @param where   the member and thread that ran the task, for messages
     */
    public record Outcome(int kind, byte[] payload, String where) implements Serializable {
    }

    /** The payload is the task's result. */
    public static final int RESULT = 0;
    /** The payload is the exception the task threw. */
    public static final int FAILURE = 1;
    /** The payload is the exception the pool's initializer threw: the pool is broken. */
    public static final int INITIALIZER_FAILED = 2;

    private record Running(ClusterPool.Member member, String executorName, Pool.Worker worker) {
    }

    private static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Set<String>> INITIALIZED = ThreadLocal.withInitial(HashSet::new);
    /** Per pool executor, the worker index of each engine thread that ran its tasks, from 1. */
    private static final ThreadLocal<Map<String, Integer>> INDEX = ThreadLocal.withInitial(HashMap::new);
    private static final Map<String, AtomicInteger> NEXT_INDEX = new ConcurrentHashMap<>();

    private ClusterTasks() {
    }

    /**
     * Runs {@code task} in the calling thread of {@code member} for pool {@code poolName}, whose
     * executor is {@code executorName}, after {@code initializer} if this thread has not run it for
     * that pool. While the task runs, the thread is named {@code threadPrefix} and its worker index
     * on this member ({@code weft-cluster-POOL-N}), as the other pools' workers are, and gets its
     * own name back after.
     *
     * @return the outcome, never an exception: the task's, or the initializer's, is in it
     */
    public static Outcome call(ClusterPool.Member member, String poolName, String threadPrefix, String executorName,
                              Runnable initializer, Callable<?> task) {
        Thread thread = Thread.currentThread();
        String engineName = thread.getName();
        int index = INDEX.get().computeIfAbsent(executorName,
                e -> NEXT_INDEX.computeIfAbsent(e, x -> new AtomicInteger()).incrementAndGet());
        String name = threadPrefix + index;
        thread.setName(name);
        try {
            if (initializer != null && !INITIALIZED.get().contains(executorName)) {
                try {
                    initializer.run();
                } catch (Throwable e) {
                    return encode(INITIALIZER_FAILED, e, member, name);
                }
                INITIALIZED.get().add(executorName);
            }
            Running outer = CURRENT.get();
            CURRENT.set(new Running(member, executorName,
                    new Pool.Worker(poolName, index, name, ProcessHandle.current().pid())));
            try {
                return encode(RESULT, task.call(), member, name);
            } catch (Throwable e) {
                return encode(FAILURE, e, member, name);
            } finally {
                CURRENT.set(outer);
            }
        } finally {
            thread.setName(engineName);
        }
    }

    private static Outcome encode(int kind, Object value, ClusterPool.Member member, String thread) {
        String where = "member " + member.address() + " (thread " + thread + ")";
        try {
            return new Outcome(kind, serialize(value), where);
        } catch (IOException why) {
            RemoteTaskException standIn = value instanceof Throwable t
                    ? new RemoteTaskException(t.getClass().getName(), t.getMessage()
                            + " [the exception could not be serialized: " + why + "]", t.getStackTrace())
                    : new RemoteTaskException(NotSerializableException.class.getName(), "the task's result, of "
                            + value.getClass() + ", could not be serialized: " + why, new StackTraceElement[0]);
            try {
                return new Outcome(kind == RESULT ? FAILURE : kind, serialize(standIn), where);
            } catch (IOException e) {
                throw new AssertionError("a RemoteTaskException is serializable", e);
            }
        }
    }

    private static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** The member running the calling task, or null. */
    public static ClusterPool.Member current() {
        Running r = CURRENT.get();
        return r == null ? null : r.member();
    }

    /** The worker running the calling task, or null. */
    public static Pool.Worker currentWorker() {
        Running r = CURRENT.get();
        return r == null ? null : r.worker();
    }

    /** The executor whose task the calling thread runs, or null. */
    public static String currentExecutor() {
        Running r = CURRENT.get();
        return r == null ? null : r.executorName();
    }
}
