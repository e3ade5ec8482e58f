package dev.weft;

/**
 * A task's member left the cluster, or was declared gone, before the task's result came back: the
 * cluster pool's counterpart of {@link BrokenProcessPoolException}. Only the tasks of that member fail;
 * the pool goes on with the members left.
 *
 * @since 0.1
 */
public class MemberLostException extends BrokenPoolException {
    private static final long serialVersionUID = 1L;

    /** The member that left. */
    private final ClusterPool.Member member;

    /**
     * Creates the exception; {@code cause} is the engine's own report of the loss, and
     * {@code member} may be null if the engine does not say which member left. Not public: Weft
     * makes these, applications catch them.
     */
    MemberLostException(String message, ClusterPool.Member member, Throwable cause) {
        super(message, cause);
        this.member = member;
    }

    /** {@return the member that left, or null if the engine did not say which} */
    public ClusterPool.Member member() {
        return member;
    }
}
