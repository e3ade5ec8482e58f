package weftfixture;

import dev.weft.Pool;
import dev.weft.SerializableCallable;

/** A stateless task whose class cannot be initialized in a pool's worker JVM (it can in any other). */
public final class Answer implements SerializableCallable<Integer> {
    private static final long serialVersionUID = 1L;

    static {
        if (Pool.currentWorker().isPresent()) {
            throw new IllegalStateException("weftfixture.Answer refuses to load in a worker");
        }
    }

    @Override
    public Integer call() {
        return 42;
    }
}
