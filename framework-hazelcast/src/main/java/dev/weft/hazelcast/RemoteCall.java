package dev.weft.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.weft.SerializableRunnable;
import dev.weft.spi.ClusterTasks;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.Callable;

/** What travels to a member: a pool's task, with the pool's executor name and initializer. */
final class RemoteCall implements Callable<Object>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String poolName;
    private final String threadPrefix;
    private final String executorName;
    private final SerializableRunnable initializer;
    private final Callable<?> task;
    private transient HazelcastInstance member;

    RemoteCall(String poolName, String threadPrefix, String executorName, SerializableRunnable initializer,
               Callable<?> task) {
        this.poolName = poolName;
        this.threadPrefix = threadPrefix;
        this.executorName = executorName;
        this.initializer = initializer;
        this.task = task;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public Object call() {
        return ClusterTasks.call(HazelcastBackend.toWeft(member.getCluster().getLocalMember()), poolName, threadPrefix,
                executorName, initializer, task);
    }
}
