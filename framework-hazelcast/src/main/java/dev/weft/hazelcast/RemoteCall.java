package dev.weft.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.weft.internal.cluster.ClusterTasks;
import dev.weft.internal.wire.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * What travels to a member: a pool's serialized task, or a batch of them, with the pool's names and
 * serialized initializer. Hazelcast writes it with its own fast serialization
 * ({@link MemberConfig#FACTORY}), not Java's; each task itself is read by {@link ClusterTasks#call}
 * through this member's allow-list.
 *
 * <p>A single task ({@link #CLASS_ID}) returns its outcome's bytes. A batch ({@link #BATCH_CLASS_ID})
 * runs its tasks one after the other in the executor thread that runs it, registered in
 * {@link Batches} under its id so that each task can be cancelled alone ({@link Batches.Cancel}), and
 * returns their outcomes together ({@link #outcomes}). Only a member that says it reads batches
 * ({@link MemberConfig#BATCHES}) is sent one.
 */
final class RemoteCall implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware {
    static final int CLASS_ID = 1;
    static final int BATCH_CLASS_ID = 2;
    /** In a batch's answer, the length that stands for a task cancelled before it ran. */
    private static final int NOT_RUN = -1;

    private String poolName;
    private String threadPrefix;
    private String executorName;
    private byte[] initializer;
    /** The task, or null in a batch. */
    private byte[] task;
    /** Whether it is a batch; fixed by its constructor, and so by its class id when Hazelcast reads one. */
    private final boolean isBatch;
    /** A batch's tasks and its id; null for a single task. */
    private byte[][] tasks;
    private UUID batch;
    private transient HazelcastInstance member;
    /** The header written: this Weft's, except in tests that play a member of another release. */
    private transient int wireVersion = WireFormat.VERSION;
    private transient String release = WireFormat.release();

    /** For Hazelcast's {@link MemberConfig#FACTORY}: a single task, or, if {@code batch}, a batch. */
    RemoteCall(boolean batch) {
        this.isBatch = batch;
    }

    RemoteCall(String poolName, String threadPrefix, String executorName, byte[] initializer, byte[] task) {
        this.poolName = poolName;
        this.threadPrefix = threadPrefix;
        this.executorName = executorName;
        this.initializer = initializer;
        this.task = task;
        this.isBatch = false;
    }

    /** A batch of {@code tasks} under the id {@code batch}. */
    RemoteCall(String poolName, String threadPrefix, String executorName, byte[] initializer, UUID batch,
               List<byte[]> tasks) {
        this.poolName = poolName;
        this.threadPrefix = threadPrefix;
        this.executorName = executorName;
        this.initializer = initializer;
        this.isBatch = true;
        this.batch = batch;
        this.tasks = tasks.toArray(new byte[0][]);
    }

    /** A call as a Weft of another release would write it: for tests. */
    RemoteCall asWrittenBy(int wireVersion, String release) {
        this.wireVersion = wireVersion;
        this.release = release;
        return this;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public byte[] call() {
        com.hazelcast.cluster.Member local = member.getCluster().getLocalMember();
        String id = local.getUuid().toString();
        String address = HazelcastBackend.address(local);
        if (!isBatch) {
            return run(task, id, address);
        }
        Batches.Batch running = Batches.start(batch, tasks.length);
        try {
            byte[][] outcomes = ClusterTasks.callAll(id, address, poolName, threadPrefix, executorName, initializer,
                    tasks, MemberConfig.filterOf(member), MemberConfig.loaderOf(member), running::begin, running::end);
            int size = 4;
            for (byte[] outcome : outcomes) {
                size += 4 + (outcome == null ? 0 : outcome.length);
            }
            ByteBuffer answer = ByteBuffer.allocate(size).putInt(tasks.length);
            for (byte[] outcome : outcomes) {
                if (outcome == null) {
                    answer.putInt(NOT_RUN);
                } else {
                    answer.putInt(outcome.length).put(outcome);
                }
            }
            return answer.array();
        } finally {
            Batches.finish(batch);
        }
    }

    private byte[] run(byte[] task, String memberId, String memberAddress) {
        return ClusterTasks.call(memberId, memberAddress, poolName, threadPrefix, executorName, initializer, task,
                MemberConfig.filterOf(member), MemberConfig.loaderOf(member));
    }

    /**
     * The outcomes in a batch's answer, in the order of its tasks: each the bytes its task's
     * {@link ClusterTasks#call} returned, or null for a task cancelled before it ran.
     *
     * @throws IllegalArgumentException if {@code answer} is not a batch's answer of {@code n} tasks
     */
    static byte[][] outcomes(byte[] answer, int n) {
        ByteBuffer in = ByteBuffer.wrap(answer);
        if (answer.length < 4 || in.getInt() != n) {
            throw new IllegalArgumentException("a member answered a batch of " + n + " tasks with "
                    + answer.length + " bytes that are not " + n + " outcomes");
        }
        byte[][] outcomes = new byte[n][];
        for (int i = 0; i < n; i++) {
            int length = in.getInt();
            if (length != NOT_RUN) {
                outcomes[i] = new byte[length];
                in.get(outcomes[i]);
            }
        }
        return outcomes;
    }

    @Override
    public int getFactoryId() {
        return MemberConfig.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return isBatch ? BATCH_CLASS_ID : CLASS_ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        WireFormat.writeHeader(out, wireVersion, release);
        out.writeString(poolName);
        out.writeString(threadPrefix);
        out.writeString(executorName);
        out.writeByteArray(initializer);
        if (!isBatch) {
            out.writeByteArray(task);
            return;
        }
        out.writeLong(batch.getMostSignificantBits());
        out.writeLong(batch.getLeastSignificantBits());
        out.writeInt(tasks.length);
        for (byte[] t : tasks) {
            out.writeByteArray(t);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        WireFormat.readHeader(in, !isBatch ? "a task sent to this member" : "a batch of tasks sent to this member");
        poolName = in.readString();
        threadPrefix = in.readString();
        executorName = in.readString();
        initializer = in.readByteArray();
        if (!isBatch) {
            task = in.readByteArray();
            return;
        }
        batch = new UUID(in.readLong(), in.readLong());
        int n = in.readInt();
        if (n < 0 || n > Batches.MOST) {
            throw new IOException("a batch of " + n + " tasks: a Weft pool sends 2 to " + Batches.MOST);
        }
        tasks = new byte[n][];
        for (int i = 0; i < n; i++) {
            tasks[i] = in.readByteArray();
        }
    }
}
