package weftfixture;

import dev.weft.SerializableCallable;

/** A stateless task in a package no filter allows by default. */
public final class Answer implements SerializableCallable<Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call() {
        return 42;
    }
}
