package dev.weft.internal.cluster;

import dev.weft.internal.wire.AllowList;
import dev.weft.internal.wire.SharedFunctions;
import dev.weft.internal.wire.StandIn;
import dev.weft.internal.wire.WireFormat;
import dev.weft.internal.wire.WireVersionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * What a cluster member does with a task. The task, its initializer and its outcome cross the
 * cluster as bytes that Weft serializes and deserializes itself, through the {@link AllowList}
 * of the side that reads them: Hazelcast 5.7 loses the callback of a future whose response it cannot
 * deserialize, and Weft's futures must end, so nothing the engine deserializes is the user's.
 * An outcome that cannot be serialized crosses as its {@link StandIn}, from which the pool makes a
 * {@code RemoteTaskException}. Internal: for the cluster engine, {@code dev.weft.hazelcast}, and
 * Weft's cluster pool; names no {@code dev.weft} type (ADR 0008).
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
     * @param kind      {@link #RESULT}, {@link #FAILURE} or {@link #INITIALIZER_FAILED}
     * @param payload   the result or the exception, by Java serialization; or, if {@code standIn},
     *                  a {@link StandIn} as it {@linkplain StandIn#write writes} itself
     * @param where     the member and thread that ran the task, for messages
     * @param standIn   whether the payload is the stand-in of an outcome that could not be serialized
     */
    public record Outcome(int kind, byte[] payload, String where, boolean standIn) {
        /** The outcome as the bytes a member returns. */
        public byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                WireFormat.writeHeader(out);
                out.writeByte(kind);
                out.writeBoolean(standIn);
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
            ByteArrayInputStream rest = new ByteArrayInputStream(bytes);
            DataInputStream in = new DataInputStream(rest);
            WireFormat.readHeader(in, "the outcome a member sent back");
            int kind = in.readByte();
            boolean standIn = in.readBoolean();
            String where = in.readUTF();
            byte[] payload = new byte[rest.available()];        // readAllBytes would allocate 16 KiB first
            in.readFully(payload);
            return new Outcome(kind, payload, where, standIn);
        }

        /** The stand-in this outcome carries; only if {@link #standIn}. */
        public StandIn readStandIn() throws IOException {
            return StandIn.read(new DataInputStream(new ByteArrayInputStream(payload)));
        }
    }

    /**
     * A task running in a member's thread, as the pool's API reports it.
     *
     * @param memberId      the engine's id of the member
     * @param memberAddress its address
     * @param executorName  the pool's executor on the cluster
     * @param pool          the pool's name
     * @param index         the thread's worker index on this member for that executor, from 1
     * @param threadName    the thread's name while it runs the task
     */
    public record Running(String memberId, String memberAddress, String executorName, String pool, int index,
                          String threadName) {
    }

    private static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Set<String>> INITIALIZED = ThreadLocal.withInitial(HashSet::new);
    /** Per pool executor, what each engine thread that ran its tasks is to it: see {@link Worker}. */
    private static final ThreadLocal<Map<String, Worker>> WORKER = ThreadLocal.withInitial(HashMap::new);
    private static final Map<String, AtomicInteger> NEXT_INDEX = new ConcurrentHashMap<>();
    /** The stateless tasks this JVM's members have read: see {@link #read}. */
    private static final Map<Known, Callable<?>> KNOWN = new ConcurrentHashMap<>();
    private static final int KNOWN_LIMIT = 256;

    private ClusterTasks() {
    }

    /**
     * Runs a task in the calling thread of the member {@code memberId} at {@code memberAddress} for
     * pool {@code poolName}, whose executor
     * is {@code executorName}, after the pool's initializer if this thread has not run it for that
     * pool. Both are read from their bytes through {@code filter}, this member's allow-list. While
     * the task runs, the thread is named {@code threadPrefix} and its worker index on this member
     * ({@code weft-cluster-POOL-N}), as the other pools' workers are, and gets its own name back after.
     *
     * @param initializer the serialized initializer, or null
     * @param task        the serialized {@link Callable}
     * @param loader      where to look up their classes before the JDK's rule, or null: the context
     *                    class loader of the thread that configured the member, which is where a
     *                    single-file program's classes are
     * @return the {@linkplain Outcome#encode encoded} outcome, never an exception
     */
    public static byte[] call(String memberId, String memberAddress, String poolName, String threadPrefix,
                              String executorName, byte[] initializer, byte[] task, ObjectInputFilter filter,
                              ClassLoader loader) {
        Objects.requireNonNull(task, "task");
        return callAll(memberId, memberAddress, poolName, threadPrefix, executorName, initializer,
                new byte[][] {task}, filter, loader, i -> true, i -> { })[0];
    }

    /**
     * Runs {@code tasks} one after the other in the calling thread, as {@link #call} runs one, and
     * returns their outcomes in order; the thread takes the pool's name once, for all of them.
     * Before task {@code i}, {@code begin.test(i)} says whether it is to run (false: it was
     * cancelled, and its outcome is null); after it, {@code end.accept(i)}.
     *
     * @param initializer the serialized initializer, or null, as for {@link #call}
     * @param tasks       the serialized {@link Callable}s
     * @param loader      where to look up classes first, or null, as for {@link #call}
     * @return the {@linkplain Outcome#encode encoded} outcomes, null for a task not run; never an exception
     */
    public static byte[][] callAll(String memberId, String memberAddress, String poolName, String threadPrefix,
                                   String executorName, byte[] initializer, byte[][] tasks, ObjectInputFilter filter,
                                   ClassLoader loader, IntPredicate begin, IntConsumer end) {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(memberAddress, "memberAddress");
        Objects.requireNonNull(poolName, "poolName");
        Objects.requireNonNull(threadPrefix, "threadPrefix");
        Objects.requireNonNull(executorName, "executorName");
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(begin, "begin");
        Objects.requireNonNull(end, "end");
        Thread thread = Thread.currentThread();
        String engineName = thread.getName();
        Worker worker = WORKER.get().get(executorName);
        if (worker == null) {         // an engine thread serves one member, and a pool executor has one prefix
            int index = NEXT_INDEX.computeIfAbsent(executorName, x -> new AtomicInteger()).incrementAndGet();
            worker = new Worker(index, threadPrefix + index, "member " + memberAddress + " (thread " + threadPrefix + index + ")");
            WORKER.get().put(executorName, worker);
        }
        byte[][] outcomes = new byte[tasks.length][];
        thread.setName(worker.name());
        try {
            for (int i = 0; i < tasks.length; i++) {
                if (begin.test(i)) {
                    try {
                        outcomes[i] = run(memberId, memberAddress, poolName, executorName, initializer,
                                Objects.requireNonNull(tasks[i], "task"), filter, loader, worker);
                    } finally {
                        end.accept(i);
                    }
                }
            }
        } finally {
            thread.setName(engineName);
        }
        return outcomes;
    }

    /** One task, in a thread that has the pool's name: see {@link #call}. */
    private static byte[] run(String memberId, String memberAddress, String poolName, String executorName,
                              byte[] initializer, byte[] task, ObjectInputFilter filter, ClassLoader loader,
                              Worker worker) {
        String where = worker.where();
        if (initializer != null && !INITIALIZED.get().contains(executorName)) {
            try {
                ((Runnable) AllowList.deserialize(initializer, filter, loader)).run();
            } catch (Throwable e) {
                return encode(INITIALIZER_FAILED, e, where);
            }
            INITIALIZED.get().add(executorName);
        }
        Callable<?> callable;
        try {
            callable = read(task, filter, loader);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            // A limit names no class (AllowList): then the classes are not the trouble, the task's size is.
            boolean limit = e instanceof InvalidClassException refused && refused.classname == null;
            return encode(FAILURE, new IllegalArgumentException(where + " cannot read the task it was sent: " + e
                    + (limit ? " (a member reads a task within the default limits: capture less, or pass the data "
                            + "through a shared store and the task a key to it)"
                            : " (a member allows the classes of its own configuration's withAllowedClasses, and "
                            + "needs the task's classes on its class path)"), e), where);
        }
        Running outer = CURRENT.get();
        CURRENT.set(new Running(memberId, memberAddress, executorName, poolName, worker.index(), worker.name()));
        try {
            return result(worker, callable.call());
        } catch (Throwable e) {
            return encode(FAILURE, StandIn.portable(e), where);
        } finally {
            CURRENT.set(outer);
        }
    }

    /**
     * The task in {@code bytes}, read through {@code filter}; a stateless one (see
     * {@link SharedFunctions#isStateless}) only the first time these bytes come through that filter.
     * Such a task is the same task whenever it comes, and the pool sends the same bytes for every
     * instance of its class, so its threads may share one instance. At most {@link #KNOWN_LIMIT}
     * are kept: the table is emptied when full, and a task read again after that is read as new.
     */
    private static Callable<?> read(byte[] bytes, ObjectInputFilter filter, ClassLoader loader)
            throws IOException, ClassNotFoundException {
        Known key = new Known(filter, bytes, 31 * System.identityHashCode(filter) + Arrays.hashCode(bytes));
        Callable<?> task = KNOWN.get(key);
        if (task == null) {
            task = (Callable<?>) AllowList.deserialize(bytes, filter, loader);
            if (SharedFunctions.isStateless(task)) {
                if (KNOWN.size() >= KNOWN_LIMIT) {
                    KNOWN.clear();
                }
                KNOWN.put(key, task);
            }
        }
        return task;
    }

    /** A stateless task's bytes, and the allow-list (by identity) that read them. */
    private record Known(ObjectInputFilter filter, byte[] bytes, int hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Known k && k.filter == filter && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * A result's outcome: the worker's {@link Worker#resultPrefix} and the value's bytes, which is what
     * {@link Outcome#encode} writes for it (its payload comes last), without writing the header and
     * the {@code where} again for every task.
     */
    private static byte[] result(Worker worker, Object value) {
        byte[] payload;
        try {
            payload = AllowList.serialize(value);
        } catch (IOException e) {
            return encode(RESULT, value, worker.where());       // a stand-in, which says why
        }
        byte[] prefix = worker.resultPrefix();
        byte[] outcome = Arrays.copyOf(prefix, prefix.length + payload.length);
        System.arraycopy(payload, 0, outcome, prefix.length, payload.length);
        return outcome;
    }

    private static byte[] encode(int kind, Object value, String where) {
        try {
            return new Outcome(kind, AllowList.serialize(value), where, false).encode();
        } catch (IOException why) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                StandIn.of(value, why).write(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Outcome(kind == RESULT ? FAILURE : kind, bytes.toByteArray(), where, true).encode();
        }
    }

    /**
     * An engine thread as a pool's worker on one member: its index there, from 1, the name it takes
     * while it runs the pool's tasks, and where that is, for messages. Made once per thread and
     * pool executor, so that a task builds no string.
     */
    private record Worker(int index, String name, String where, byte[] resultPrefix) {
        Worker(int index, String name, String where) {
            this(index, name, where, new Outcome(RESULT, new byte[0], where, false).encode());
        }
    }

    /** The task the calling thread runs for a cluster pool, or null if it runs none. */
    public static Running current() {
        return CURRENT.get();
    }
}
