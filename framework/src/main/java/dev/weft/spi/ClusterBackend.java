package dev.weft.spi;

import dev.weft.ClusterPool;
import java.util.List;
import java.util.concurrent.Callable;

/** One pool's handle on its member and executor; see {@link ClusterProvider}. */
public interface ClusterBackend {
    /** The members that run tasks now, oldest first. */
    List<ClusterPool.Member> members();

    /** This JVM's member. */
    ClusterPool.Member localMember();

    /**
     * Sends {@code task} to run, wrapped so that on its member it runs through
     * {@link ClusterTasks#call}, and reports its outcome to {@code completion} exactly once, from
     * any thread. A task on a member that leaves fails with {@link dev.weft.MemberLostException}.
     *
     * @param target the member to run it on, or null to leave that to {@code key} or to the engine
     * @param key    the key whose owner runs it, or null
     * @throws IllegalArgumentException if the task (or the key) cannot be serialized
     */
    Sent send(Callable<?> task, ClusterPool.Member target, Object key, Completion completion);

    /** Calls {@code listener} after each change of membership. */
    void onMembershipChange(Runnable listener);

    /** The engine's object of {@code type}, or null. */
    <T> T unwrap(Class<T> type);

    /** Destroys the pool's executor and, if the pool started its member, stops the member. */
    void close();

    /** A task sent. */
    interface Sent {
        /** Asks the task's member to cancel it; returns whether the engine could ask. */
        boolean cancel(boolean mayInterruptIfRunning);
    }

    /** Where a task's outcome goes. */
    interface Completion {
        /** The task returned {@code result}. */
        void succeeded(Object result);

        /** The task threw, or could not run. */
        void failed(Throwable failure);
    }
}
