package dev.weft.spi;

import dev.weft.ClusterPool;
import java.util.List;

/**
 * One pool's handle on its member and executor; see {@link ClusterProvider}.
 *
 * @since 0.1
 */
public interface ClusterBackend {
    /** The members that run tasks now, oldest first. */
    List<ClusterPool.Member> members();

    /** This JVM's member. */
    ClusterPool.Member localMember();

    /**
     * Sends the serialized task to run through {@link ClusterTasks#call} on its member, and reports
     * its outcome to {@code completion} exactly once, from any thread: the bytes that call returned,
     * or the engine's failure. A task on a member that leaves fails with
     * {@link dev.weft.MemberLostException}.
     *
     * @param target the member to run it on, or null to leave that to {@code key} or to the engine
     * @param key    the key whose owner runs it, or null
     */
    Sent send(byte[] task, ClusterPool.Member target, Object key, Completion completion);

    /** Calls {@code listener} after each change of membership. */
    void onMembershipChange(Runnable listener);

    /** The engine's object of {@code type}, or null. */
    <T> T unwrap(Class<T> type);

    /** Destroys the pool's executor and, if the pool started its member, stops the member. */
    void close();

    /**
     * A task sent.
     *
     * @since 0.1
     */
    interface Sent {
        /** Asks the task's member to cancel it; returns whether the engine could ask. */
        boolean cancel(boolean mayInterruptIfRunning);
    }

    /**
     * Where a task's outcome goes.
     *
     * @since 0.1
     */
    interface Completion {
        /** The task's member returned {@code outcome}, from {@link ClusterTasks#call}. */
        void succeeded(byte[] outcome);

        /** The task threw, or could not run. */
        void failed(Throwable failure);
    }
}
