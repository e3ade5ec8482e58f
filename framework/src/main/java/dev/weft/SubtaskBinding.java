package dev.weft;

import java.lang.invoke.MethodHandles;

/**
 * Where a thread keeps its innermost open scope, for {@link ScopeStructure}: the one part of the
 * structure that depends on the JDK.
 *
 * <p>This class is the way that works on every JDK 21+: a {@link ThreadLocal} holds the innermost
 * scope, in owners and in subtask threads alike. Its cost falls on every subtask: setting it
 * makes the new thread's {@code ThreadLocalMap}, a table of 16 and a weak reference (136 bytes,
 * and a {@code Reference} the collector must process), only for the thread to drop it when the
 * subtask ends.
 *
 * <p>On JDK 25, where {@code ScopedValue} is final, the multi-release jar holds
 * {@code ScopedSubtaskBinding} in {@code META-INF/versions/25}: a subtask thread runs its body
 * inside a {@code ScopedValue} binding to its own {@link SubtaskImpl}, whose
 * {@link SubtaskImpl#innermost} field then plays the thread-local's part; threads that are not
 * subtasks (owners) keep the thread-local. {@link #select()} loads that class when the JVM is
 * release 25 or newer and finds it (it is absent on JDK 21 to 24, and in a jar built by a JDK
 * older than 25), unless the system property {@value #PROPERTY} is {@code threadLocal}, which
 * forces this class everywhere (the test suite runs the scope tests both ways).
 *
 * <p>Thread safety: stateless apart from the thread-local; every method acts on the calling
 * thread only.
 */
class SubtaskBinding {
    /** {@code threadLocal} forces this class; unset or {@code auto} takes the best this JDK has. */
    static final String PROPERTY = "dev.weft.subtaskBinding";
    /** The class, in {@code META-INF/versions/25}, that binds with a {@code ScopedValue}. */
    static final String SCOPED = "dev.weft.ScopedSubtaskBinding";

    private static final ThreadLocal<ScopeImpl<?, ?>> CURRENT = new ThreadLocal<>();

    SubtaskBinding() {
    }

    /** Picks the binding for this JVM: see the class comment. */
    static SubtaskBinding select() {
        String wanted = System.getProperty(PROPERTY, "auto").trim();
        if (wanted.equals("threadLocal") || Runtime.version().feature() < 25) {
            return new SubtaskBinding();
        }
        try {
            return (SubtaskBinding) MethodHandles.lookup().findClass(SCOPED).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new SubtaskBinding();   // a jar built without it: the thread-local, which always works
        }
    }

    /** {@code threadLocal} or {@code scopedValue}: which way this is, for tests and messages. */
    String name() {
        return "threadLocal";
    }

    /** The innermost open scope of the current thread, or null. */
    ScopeImpl<?, ?> innermost() {
        return CURRENT.get();
    }

    /** Makes {@code scope} (null for none) the innermost open scope of the current thread. */
    void setInnermost(ScopeImpl<?, ?> scope) {
        CURRENT.set(scope);
    }

    /**
     * The subtask's thread: runs {@link SubtaskImpl#runInScope()}, the subtask a member of its
     * scope until {@link #endSubtask} (which {@code runInScope} calls before it finishes).
     */
    void run(SubtaskImpl<?> subtask) {
        CURRENT.set(subtask.scope());
        subtask.runInScope();
    }

    /** The innermost open scope of the thread running {@code subtask}, called by that thread. */
    ScopeImpl<?, ?> innermostOf(SubtaskImpl<?> subtask) {
        return CURRENT.get();
    }

    /** The subtask's thread, as the subtask ends: the thread belongs to no scope any more. */
    void endSubtask(SubtaskImpl<?> subtask) {
        CURRENT.remove();
    }
}
