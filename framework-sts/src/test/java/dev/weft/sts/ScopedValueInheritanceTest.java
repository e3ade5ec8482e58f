package dev.weft.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.FailedException;
import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import java.util.List;
import java.util.concurrent.StructureViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the sts engine adds to the core: subtasks inherit the {@link ScopedValue} bindings their
 * scope's owner had when it opened the scope, as the JDK's {@code StructuredTaskScope} forks do; in
 * nested scopes too, and under a concurrency limit, where a dispatcher thread forks. On the core
 * engine none of these subtasks would see a binding (they are plain threads).
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScopedValueInheritanceTest {
    private static final ScopedValue<String> USER = ScopedValue.newInstance();
    private static final ScopedValue<String> TRACE = ScopedValue.newInstance();

    /** A subtask reads the value its owner bound around the scope. */
    @Test
    void subtasksInheritTheOwnersBindings() throws Exception {
        List<String> seen = ScopedValue.where(USER, "ada").call(() -> {
            try (var scope = TaskScope.<String>open()) {
                scope.fork(() -> USER.get());
                scope.fork(() -> USER.orElse("unbound"));
                return scope.join();
            }
        });
        assertThat(seen).containsExactly("ada", "ada");
    }

    /** Outside any binding, a subtask sees none: inheritance comes from the owner, not from elsewhere. */
    @Test
    void withoutABindingSubtasksSeeNone() throws Exception {
        try (var scope = TaskScope.<Boolean>open()) {
            Subtask<Boolean> bound = scope.fork(USER::isBound);
            scope.join();
            assertThat(bound.get()).isFalse();
        }
    }

    /** Queued subtasks under a concurrency limit, started by the dispatcher, inherit the bindings too. */
    @Test
    void queuedSubtasksUnderALimitInheritTheBindings() throws Exception {
        List<String> seen = ScopedValue.where(USER, "grace").call(() -> {
            try (var scope = TaskScope.open(Joiner.<String>allSuccessful(), c -> c.withConcurrencyLimit(1))) {
                for (int i = 0; i < 5; i++) {
                    scope.fork(() -> USER.get());
                }
                return scope.join();
            }
        });
        assertThat(seen).containsExactly("grace", "grace", "grace", "grace", "grace");
    }

    /**
     * A scope opened in a subtask passes on what the subtask inherited, plus what the subtask bound
     * itself; a rebinding in the subtask hides the owner's value for the nested subtasks only.
     */
    @Test
    void nestedScopesInheritThroughTheirSubtasks() throws Exception {
        List<String> seen = ScopedValue.where(USER, "outer").where(TRACE, "t-1").call(() -> {
            try (var scope = TaskScope.<String>open()) {
                scope.fork(() -> {
                    try (var nested = TaskScope.<String>open()) {
                        nested.fork(() -> USER.get() + "/" + TRACE.get());
                        return nested.join().getFirst();
                    }
                });
                scope.fork(() -> ScopedValue.where(USER, "rebound").call(() -> {
                    try (var nested = TaskScope.<String>open()) {
                        nested.fork(() -> USER.get() + "/" + TRACE.get());
                        return nested.join().getFirst();
                    }
                }));
                scope.fork(() -> USER.get());   // the rebinding above is not visible beside it
                return scope.join();
            }
        });
        assertThat(seen).containsExactly("outer/t-1", "rebound/t-1", "outer");
    }

    /**
     * The JDK's rule, kept: a subtask gets the bindings of the scope's opening. Forking inside a
     * binding made after the scope opened is a structure violation; the subtask fails with the JDK's
     * {@link StructureViolationException}, and the policy sees that failure.
     */
    @Test
    void forkInsideALaterBindingFailsTheSubtask() throws Exception {
        try (var scope = TaskScope.<String>open()) {
            ScopedValue.where(USER, "later").run(() -> scope.fork(() -> USER.get()));
            assertThatThrownBy(scope::join).isInstanceOf(FailedException.class)
                    .cause().isInstanceOf(StructureViolationException.class);
        }
    }
}
