package dev.weft;

/**
 * JDK 25+ (this multi-release jar's {@code META-INF/versions/25}): a subtask thread runs its body
 * inside a {@link ScopedValue} binding to its own {@link SubtaskImpl}, and keeps its innermost
 * open scope in {@link SubtaskImpl#innermost}; other threads keep theirs in the thread-local of
 * {@link SubtaskBinding}. Binding costs a carrier and a snapshot (about 48 bytes, no weak
 * reference), where the thread-local made a {@code ThreadLocalMap} per subtask thread; the
 * subtask's own code reaches its subtask without a lookup. Only {@link #innermost()} and
 * {@link #setInnermost} look the binding up, for a scope opened in a subtask or a
 * {@link ContextKey} read.
 *
 * <p>A binding reached by a thread other than the subtask's own is ignored: threads forked in a
 * JDK {@code StructuredTaskScope} inherit their parent's bindings, and such a thread (or the sts
 * engine's dispatcher) is not that subtask, so it falls back to its own thread-local, as it did
 * before this class.
 *
 * <p>Thread safety: {@code innermost} is read and written only by the subtask's own thread
 * (checked through {@link SubtaskImpl#thread}); nothing else here is mutable. Loaded by
 * {@link SubtaskBinding#select()} by name, through its no-argument constructor.
 */
final class ScopedSubtaskBinding extends SubtaskBinding {
    private static final ScopedValue<SubtaskImpl<?>> SUBTASK = ScopedValue.newInstance();
    /** What {@link ScopedValue#orElse} returns for an unbound thread (it takes no null). */
    private static final SubtaskImpl<?> NONE = SubtaskImpl.stub(null);

    ScopedSubtaskBinding() {
    }

    @Override
    String name() {
        return "scopedValue";
    }

    /** The subtask the current thread runs, or null if it runs none (an owner, or a thread that inherited the binding). */
    private static SubtaskImpl<?> ownSubtask() {
        SubtaskImpl<?> subtask = SUBTASK.orElse(NONE);
        return subtask != NONE && subtask.thread == Thread.currentThread() ? subtask : null;
    }

    @Override
    ScopeImpl<?, ?> innermost() {
        SubtaskImpl<?> subtask = ownSubtask();
        return subtask != null ? subtask.innermost : super.innermost();
    }

    @Override
    void setInnermost(ScopeImpl<?, ?> scope) {
        SubtaskImpl<?> subtask = ownSubtask();
        if (subtask != null) {
            subtask.innermost = scope;
        } else {
            super.setInnermost(scope);
        }
    }

    @Override
    void run(SubtaskImpl<?> subtask) {
        subtask.innermost = subtask.scope();
        ScopedValue.where(SUBTASK, subtask).run(subtask::runInScope);
    }

    @Override
    ScopeImpl<?, ?> innermostOf(SubtaskImpl<?> subtask) {
        return subtask.innermost;
    }

    @Override
    void endSubtask(SubtaskImpl<?> subtask) {
        subtask.innermost = null;
    }
}
