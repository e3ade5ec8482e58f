package dev.weft.spi;

import dev.weft.ClusterPool;
import dev.weft.Pool;
import dev.weft.RemoteTaskException;
import dev.weft.internal.wire.AllowList;
import dev.weft.internal.wire.WireFormat;
import dev.weft.internal.wire.WireVersionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a cluster member does with a task. The task, its initializer and its outcome cross the
 * cluster as bytes that Weft serializes and deserializes itself, through the {@link AllowList}
 * of the side that reads them: Hazelcast 5.7 loses the callback of a future whose response it cannot
 * deserialize, and Weft's futures must end, so nothing the engine deserializes is the user's.
 * Internal; see {@link ClusterProvider}.
 *
 * @since 0.1
 */
public final class ClusterTasks {
    /** The payload is the task's result. */
    public static final int RESULT = 0;
    /** The payload is the exception the task threw, or why it could not run. */
    public static final int FAILURE = 1;
    /** The payload is the exception the pool's initializer threw: the pool is broken. */
    public static final int INITIALIZER_FAILED = 2;

    /**
     * A task's outcome.
     *
     * @param kind    {@link #RESULT}, {@link #FAILURE} or {@link #INITIALIZER_FAILED}
     * @param payload the result or the exception, by Java serialization
     * @param where   the member and thread that ran the task, for messages
     * @since 0.1
     */
    public record Outcome(int kind, byte[] payload, String where) {
        /** The outcome as the bytes a member returns. */
        public byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                WireFormat.writeHeader(out);
                out.writeByte(kind);
                out.writeUTF(where);
                out.write(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        /**
         * The outcome {@link #encode} wrote.
         *
         * @throws WireVersionException if a member of another Weft release wrote it
         */
        public static Outcome decode(byte[] bytes) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            WireFormat.readHeader(in, "the outcome a member sent back");
            int kind = in.readByte();
            String where = in.readUTF();
            return new Outcome(kind, in.readAllBytes(), where);
        }
    }

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
     * Runs a task in the calling thread of {@code member} for pool {@code poolName}, whose executor
     * is {@code executorName}, after the pool's initializer if this thread has not run it for that
     * pool. Both are read from their bytes through {@code filter}, this member's allow-list. While
     * the task runs, the thread is named {@code threadPrefix} and its worker index on this member
     * ({@code weft-cluster-POOL-N}), as the other pools' workers are, and gets its own name back after.
     *
     * @param initializer the serialized initializer, or null
     * @param task        the serialized {@link Callable}
     * @return the {@linkplain Outcome#encode encoded} outcome, never an exception
     */
    public static byte[] call(ClusterPool.Member member, String poolName, String threadPrefix, String executorName,
                              byte[] initializer, byte[] task, ObjectInputFilter filter) {
        Objects.requireNonNull(poolName, "poolName");
        Objects.requireNonNull(threadPrefix, "threadPrefix");
        Objects.requireNonNull(executorName, "executorName");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(filter, "filter");
        Thread thread = Thread.currentThread();
        String engineName = thread.getName();
        int index = INDEX.get().computeIfAbsent(executorName,
                e -> NEXT_INDEX.computeIfAbsent(e, x -> new AtomicInteger()).incrementAndGet());
        String name = threadPrefix + index;
        String where = "member " + member.address() + " (thread " + name + ")";
        thread.setName(name);
        try {
            if (initializer != null && !INITIALIZED.get().contains(executorName)) {
                try {
                    ((Runnable) AllowList.deserialize(initializer, filter)).run();
                } catch (Throwable e) {
                    return encode(INITIALIZER_FAILED, e, where);
                }
                INITIALIZED.get().add(executorName);
            }
            Callable<?> callable;
            try {
                callable = (Callable<?>) AllowList.deserialize(task, filter);
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                return encode(FAILURE, new IllegalArgumentException(where + " cannot read the task it was sent: " + e
                        + " (a member allows the classes of its own configuration's withAllowedClasses, and needs "
                        + "the task's classes on its class path)", e), where);
            }
            Running outer = CURRENT.get();
            CURRENT.set(new Running(member, executorName,
                    Pool.Worker.of(poolName, index, name, ProcessHandle.current().pid())));
            try {
                return encode(RESULT, callable.call(), where);
            } catch (Throwable e) {
                return encode(FAILURE, e, where);
            } finally {
                CURRENT.set(outer);
            }
        } finally {
            thread.setName(engineName);
        }
    }

    private static byte[] encode(int kind, Object value, String where) {
        try {
            return new Outcome(kind, AllowList.serialize(value), where).encode();
        } catch (IOException why) {
            RemoteTaskException standIn = value instanceof Throwable t
                    ? new RemoteTaskException(t.getClass().getName(), t.getMessage()
                            + " [the exception could not be serialized: " + why + "]", t.getStackTrace())
                    : new RemoteTaskException(NotSerializableException.class.getName(), "the task's result, of "
                            + value.getClass() + ", could not be serialized: " + why, new StackTraceElement[0]);
            try {
                return new Outcome(kind == RESULT ? FAILURE : kind, AllowList.serialize(standIn), where).encode();
            } catch (IOException e) {
                throw new AssertionError("a RemoteTaskException is serializable", e);
            }
        }
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
