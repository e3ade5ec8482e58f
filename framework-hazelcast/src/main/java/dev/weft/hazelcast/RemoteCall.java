package dev.weft.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.weft.internal.cluster.ClusterTasks;
import dev.weft.internal.wire.WireFormat;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * What travels to a member: a pool's serialized task, with the pool's names and serialized
 * initializer. Hazelcast writes it with its own fast serialization ({@link MemberConfig#FACTORY}),
 * not Java's; the task itself is read by {@link ClusterTasks#call} through this member's allow-list.
 */
final class RemoteCall implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware {
    static final int CLASS_ID = 1;

    private String poolName;
    private String threadPrefix;
    private String executorName;
    private byte[] initializer;
    private byte[] task;
    private transient HazelcastInstance member;
    /** The header written: this Weft's, except in tests that play a member of another release. */
    private transient int wireVersion = WireFormat.VERSION;
    private transient String release = WireFormat.release();

    /** For Hazelcast's {@link MemberConfig#FACTORY}. */
    RemoteCall() {
    }

    RemoteCall(String poolName, String threadPrefix, String executorName, byte[] initializer, byte[] task) {
        this.poolName = poolName;
        this.threadPrefix = threadPrefix;
        this.executorName = executorName;
        this.initializer = initializer;
        this.task = task;
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
        return ClusterTasks.call(local.getUuid().toString(), HazelcastBackend.address(local), poolName, threadPrefix,
                executorName, initializer, task, MemberConfig.filterOf(member), MemberConfig.loaderOf(member));
    }

    @Override
    public int getFactoryId() {
        return MemberConfig.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return CLASS_ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        WireFormat.writeHeader(out, wireVersion, release);
        out.writeString(poolName);
        out.writeString(threadPrefix);
        out.writeString(executorName);
        out.writeByteArray(initializer);
        out.writeByteArray(task);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        WireFormat.readHeader(in, "a task sent to this member");
        poolName = in.readString();
        threadPrefix = in.readString();
        executorName = in.readString();
        initializer = in.readByteArray();
        task = in.readByteArray();
    }
}
