package dev.weft;

import java.util.ArrayList;
import java.util.List;

/**
 * The nesting of scopes, and who may call a scope: the structure that makes a {@link TaskScope}
 * structured.
 *
 * <p>{@link #current()} is the innermost scope a thread belongs to: the scope it owns and opened
 * last, or, in a subtask thread, the scope that forked it. Each scope remembers the one that was
 * current when it opened ({@link ScopeImpl#enclosing()}); closing restores it. So, per thread,
 * the open scopes form a chain from the current one through their enclosing scopes.
 *
 * <p>Violations are repaired, then reported: a scope closed while scopes opened inside it are
 * still open closes them first, innermost first; a subtask that ends with scopes of its own
 * still open has them closed. Only scopes owned by the calling thread are closed: the walk stops
 * at the first scope of another owner (the scope that forked a subtask).
 *
 * <p>Where a thread keeps its innermost scope is {@link SubtaskBinding}'s business: a
 * thread-local on JDK 21 to 24; on JDK 25 a subtask thread keeps it in its own subtask, reached
 * through a {@code ScopedValue} binding, and other threads in the thread-local.
 *
 * <p>Thread safety: the innermost scope is per thread, read and written only by its own thread.
 * The scopes' fields read here are final; the scopes closed here are owned by the calling thread,
 * so closing them is the owner's business, as in {@link ScopeImpl#close()}.
 */
final class ScopeStructure {
    private static final SubtaskBinding BINDING = SubtaskBinding.select();

    private ScopeStructure() {
    }

    /** Which way this JVM binds subtasks: {@code threadLocal} or {@code scopedValue} ({@link SubtaskBinding}). */
    static String binding() {
        return BINDING.name();
    }

    /** The innermost scope the current thread belongs to, or null. */
    static ScopeImpl<?, ?> current() {
        return BINDING.innermost();
    }

    /** Owner, as it opens {@code scope}: the current thread owns it, and it is the innermost one. */
    static void enter(ScopeImpl<?, ?> scope) {
        BINDING.setInnermost(scope);
    }

    /** Owner, at the end of close: the scope that enclosed {@code scope} is the current one again. */
    static void leave(ScopeImpl<?, ?> scope) {
        BINDING.setInnermost(scope.enclosing());
    }

    /**
     * The subtask's thread: runs {@code subtask} a member of its scope (which is then the
     * innermost one of this thread) until {@link #exitSubtask}.
     */
    static void runSubtask(SubtaskImpl<?> subtask) {
        BINDING.run(subtask);
    }

    /** Throws {@link WrongThreadException} unless the current thread owns {@code scope}. */
    static void checkOwner(ScopeImpl<?, ?> scope, String method) {
        Thread owner = scope.owner();
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException(method + "() on scope '" + scope.name() + "' called by "
                    + Thread.currentThread() + ", but only its owner " + owner + " may call it");
        }
    }

    /**
     * Owner, in close: closes the scopes opened inside {@code scope} that are still open, and
     * returns the violation to throw once {@code scope} is closed too; null if there were none.
     */
    static StructureViolationException closeInner(ScopeImpl<?, ?> scope) {
        List<String> names = closeOpenedInside(scope, current());
        return names == null ? null : new StructureViolationException("scope '" + scope.name()
                + "' was closed while scopes opened inside it " + names + " were still open; they were closed first. "
                + "Close scopes in the reverse order of opening, with nested try-with-resources blocks");
    }

    /**
     * Ends the membership of {@code subtask}'s thread in its scope; if the subtask left scopes of
     * its own open, closes them and returns the violation to report as its failure.
     */
    static StructureViolationException exitSubtask(SubtaskImpl<?> subtask) {
        ScopeImpl<?, ?> scope = subtask.scope();
        List<String> names = closeOpenedInside(scope, BINDING.innermostOf(subtask));
        StructureViolationException violation = names == null ? null : new StructureViolationException(
                "a subtask of scope '" + scope.name() + "' ended with scopes " + names + " still open; they were "
                + "closed. Close every scope a subtask opens before it returns, with try-with-resources");
        BINDING.endSubtask(subtask);
        return violation;
    }

    /** The context values bound for the current thread: those of its innermost scope. */
    static ContextKey.Bindings currentBindings() {
        ScopeImpl<?, ?> scope = current();
        return scope == null ? ContextKey.Bindings.EMPTY : scope.bindings();
    }

    /**
     * Closes, innermost first and without the join check, the scopes the current thread opened
     * inside {@code scope} and left open, from {@code inner}, its innermost one; returns their
     * names, or null if {@code scope} is the innermost one (nothing was left open).
     */
    private static List<String> closeOpenedInside(ScopeImpl<?, ?> scope, ScopeImpl<?, ?> inner) {
        if (inner == scope) {
            return null;
        }
        List<String> names = new ArrayList<>();
        Thread self = Thread.currentThread();
        for (; inner != null && inner != scope && inner.owner() == self; inner = inner.enclosing()) {
            names.add(inner.name());
            inner.closeQuietly();
        }
        return names;
    }
}
