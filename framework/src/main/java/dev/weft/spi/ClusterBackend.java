package dev.weft.spi;

import java.util.List;

/**
 * One pool's handle on its member and executor; see {@link ClusterProvider}.
 *
 * @since 0.1
 */
public interface ClusterBackend {
    /**
     * A member of the cluster as the engine reports it; the core makes the API's members from these.
     *
     * @param id      the engine's id for the member, unique in the cluster
     * @param address its host and port, for messages
     * @param local   whether it is this JVM's member
     * @since 0.1
     */
    record MemberInfo(String id, String address, boolean local) {
        /**
         * @throws NullPointerException if {@code id} or {@code address} is null
         */
        public MemberInfo {
            java.util.Objects.requireNonNull(id, "id");
            java.util.Objects.requireNonNull(address, "address");
        }
    }

    /** The members that run tasks now, oldest first. */
    List<MemberInfo> members();

    /** This JVM's member. */
    MemberInfo localMember();

    /**
     * Sends the serialized task to run through the cluster's task runner on its member, and reports
     * its outcome to {@code completion} exactly once, from any thread: the bytes the runner
     * returned, the engine's failure, or the loss of the member that held it.
     *
     * @param target the member to run it on, or null to leave that to {@code key} or to the engine
     * @param key    the key whose owner runs it, or null
     */
    Sent send(byte[] task, MemberInfo target, Object key, Completion completion);

    /**
     * Sends several serialized tasks to {@code target}, as {@link #send} sends one, and returns their
     * handles in the same order; {@code completions.get(i)} hears the outcome of {@code tasks.get(i)},
     * exactly once, as for {@code send}. An engine may carry them together, to be run one after the
     * other by one of the member's workers; the default sends each alone.
     *
     * @param target the member to run them on
     * @since 0.1
     */
    default List<Sent> sendAll(List<byte[]> tasks, MemberInfo target, List<Completion> completions) {
        List<Sent> sent = new java.util.ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            sent.add(send(tasks.get(i), target, null, completions.get(i)));
        }
        return sent;
    }

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
     * Where a task's outcome goes: exactly one of these calls, once.
     *
     * @since 0.1
     */
    interface Completion {
        /** The task's member returned {@code outcome}, the bytes the cluster's task runner returned. */
        void succeeded(byte[] outcome);

        /** The task threw, or could not run for a reason other than a member's loss. */
        void failed(Throwable failure);

        /**
         * The member that held the task, or was chosen for it, left the cluster or stopped before
         * it answered: {@code why} says so in words, {@code member} is that member, or null if the
         * engine does not know which, and {@code cause} is the engine's own exception.
         */
        void memberLost(String why, MemberInfo member, Throwable cause);
    }
}
