package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.TaskScope.Joiner;
import dev.weft.testing.Await;
import dev.weft.testing.EveryEngine;
import dev.weft.testing.ScopeEngine;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

/**
 * Context that flows from owner to subtasks: the SLF4J {@link MDC} as the owner had it at fork, and
 * {@link ContextKey} bindings made with {@link TaskScope.Configuration#with}, through nested scopes.
 * Ported in spirit from the JDK's {@code WithScopedValue} tests (inheritance into children and
 * grandchildren, rebinding in a nested scope), with Weft's two context carriers in place of scoped
 * values.
 *
 * <p>The MDC is real here: Surefire selects {@link dev.weft.testing.TestLoggingProvider}, whose MDC
 * keeps values (slf4j-simple's own is a no-op, which would make these tests pass whatever Weft did).
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeContextTest {
    private static final ContextKey<String> REQUEST = ContextKey.named("request");
    private static final ContextKey<Integer> DEPTH = ContextKey.named("depth");

    @BeforeAll
    static void theMdcKeepsValues() {
        MDC.put("probe", "on");
        assertThat(MDC.get("probe")).as("a working MDC from TestLoggingProvider").isEqualTo("on");
        MDC.clear();
    }

    // ---- MDC ------------------------------------------------------------------------------------

    /** A subtask sees the MDC its owner had when it forked, and leaves the owner's MDC as it was. */
    @EveryEngine
    void subtaskSeesTheOwnersMdc(ScopeEngine engine) throws Exception {
        MDC.put("request", "r-1");
        try (TaskScope<String, List<String>> scope = engine.open()) {
            scope.fork(() -> {
                String seen = MDC.get("request");
                MDC.put("request", "changed by the subtask");
                return seen;
            });
            assertThat(scope.join()).containsExactly("r-1");
            assertThat(MDC.get("request")).isEqualTo("r-1");
        } finally {
            MDC.clear();
        }
    }

    /** The MDC is taken at fork: changes the owner makes afterwards do not reach a subtask already forked. */
    @EveryEngine
    void mdcIsTakenAtFork(ScopeEngine engine) throws Exception {
        CountDownLatch forked = new CountDownLatch(1);
        MDC.put("request", "at fork");
        try (TaskScope<String, List<String>> scope = engine.open()) {
            scope.fork(() -> {
                Await.latch(forked);
                return MDC.get("request");
            });
            MDC.put("request", "after fork");
            forked.countDown();
            assertThat(scope.join()).containsExactly("at fork");
        } finally {
            MDC.clear();
        }
    }

    /** A subtask that waited in the queue of a concurrency limit sees the MDC of its fork, not of its start. */
    @EveryEngine
    void queuedSubtaskSeesTheMdcOfItsFork(ScopeEngine engine) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withConcurrencyLimit(1))) {
            MDC.put("request", "first");
            scope.fork(() -> {
                Await.latch(gate);
                return MDC.get("request");
            });
            MDC.put("request", "second");
            scope.fork(() -> MDC.get("request"));
            MDC.put("request", "neither");
            gate.countDown();
            assertThat(scope.join()).containsExactly("first", "second");
        } finally {
            MDC.clear();
        }
    }

    /** A subtask forked while the owner had no MDC sees none, even when a sibling that filled its own MDC starts it. */
    @EveryEngine
    void subtaskForkedWithoutMdcSeesNoneOfASiblings(ScopeEngine engine) throws Exception {
        MDC.clear();
        CountDownLatch secondQueued = new CountDownLatch(1);
        try (TaskScope<Map<String, String>, List<Map<String, String>>> scope = engine.open(
                Joiner.<Map<String, String>>allSuccessful(), c -> c.withConcurrencyLimit(1))) {
            scope.fork(() -> {
                MDC.put("sibling", "private");
                Await.latch(secondQueued);   // this subtask's thread will start the second one
                return Map.of();
            });
            scope.fork(() -> {
                Map<String, String> seen = MDC.getCopyOfContextMap();
                return seen == null ? Map.of() : seen;
            });
            secondQueued.countDown();
            assertThat(scope.join()).containsExactly(Map.of(), Map.of());
        } finally {
            MDC.clear();
        }
    }

    /** The MDC reaches the subtasks of a scope nested in a subtask: grandchildren see it too. */
    @EveryEngine
    void mdcReachesNestedScopes(ScopeEngine engine) throws Exception {
        MDC.put("request", "r-2");
        try (TaskScope<String, List<String>> outer = engine.open()) {
            outer.fork(() -> {
                try (TaskScope<String, List<String>> inner = engine.open()) {
                    inner.fork(() -> MDC.get("request"));
                    return inner.join().getFirst();
                }
            });
            assertThat(outer.join()).containsExactly("r-2");
        } finally {
            MDC.clear();
        }
    }

    // ---- ContextKey -----------------------------------------------------------------------------

    /** A key bound with Configuration.with is visible in the scope's subtasks and to its owner while the scope is open. */
    @EveryEngine
    void boundKeyIsVisibleInSubtasksAndToTheOwner(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.with(REQUEST, "r-42"))) {
            assertThat(REQUEST.get()).isEqualTo("r-42");
            for (int i = 0; i < 3; i++) {
                scope.fork(REQUEST::get);
            }
            assertThat(scope.join()).containsExactly("r-42", "r-42", "r-42");
        }
    }

    /** A binding reaches the subtasks of scopes nested in a subtask (grandchildren), which may add their own keys. */
    @EveryEngine
    void bindingReachesScopesNestedInASubtask(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> outer = engine.open(Joiner.<String>allSuccessful(),
                c -> c.with(REQUEST, "r-7"))) {
            outer.fork(() -> {
                try (TaskScope<String, List<String>> inner = engine.open(Joiner.<String>allSuccessful(),
                        c -> c.with(DEPTH, 2))) {
                    inner.fork(() -> REQUEST.get() + "@" + DEPTH.get());
                    return inner.join().getFirst();
                }
            });
            assertThat(outer.join()).containsExactly("r-7@2");
        }
    }

    /** A binding reaches the subtasks of a scope the owner nests inside the binding scope. */
    @EveryEngine
    void bindingReachesScopesTheOwnerNests(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> outer = engine.open(Joiner.<String>allSuccessful(),
                c -> c.with(REQUEST, "r-8"))) {
            try (TaskScope<String, List<String>> inner = engine.open()) {
                inner.fork(REQUEST::get);
                assertThat(inner.join()).containsExactly("r-8");
            }
            assertThat(outer.join()).isEmpty();
        }
    }

    /** An inner binding of a key shadows the outer one inside the inner scope only. */
    @EveryEngine
    void innerBindingShadowsTheOuterOne(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> outer = engine.open(Joiner.<String>allSuccessful(),
                c -> c.with(REQUEST, "outer"))) {
            outer.fork(() -> {
                String before = REQUEST.get();
                String nested;
                try (TaskScope<String, List<String>> inner = engine.open(Joiner.<String>allSuccessful(),
                        c -> c.with(REQUEST, "inner"))) {
                    inner.fork(REQUEST::get);
                    nested = inner.join().getFirst() + "/" + REQUEST.get();
                }
                return before + ">" + nested + ">" + REQUEST.get();
            });
            assertThat(outer.join()).containsExactly("outer>inner/inner>outer");
        }
    }

    /** An unbound key throws NoSuchElementException naming the key, outside any scope and inside a scope that binds other keys. */
    @EveryEngine
    void unboundKeyThrowsNoSuchElement(ScopeEngine engine) throws Exception {
        assertThatThrownBy(REQUEST::get).isInstanceOf(NoSuchElementException.class).hasMessageContaining("request");
        assertThat(REQUEST.isBound()).isFalse();
        assertThat(REQUEST.orElse("fallback")).isEqualTo("fallback");
        try (TaskScope<Object, List<Object>> scope = engine.open(Joiner.allSuccessful(), c -> c.with(DEPTH, 1))) {
            scope.fork(() -> REQUEST.isBound() + "," + REQUEST.orElse("fallback"));
            scope.fork(() -> {
                try {
                    return REQUEST.get();
                } catch (NoSuchElementException expected) {
                    return "unbound";
                }
            });
            assertThat(scope.join()).containsExactly("false,fallback", "unbound");
        }
    }

    /** Once the scope is closed, its owner no longer sees its bindings. */
    @EveryEngine
    void bindingEndsWithTheScope(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.with(REQUEST, "short-lived"))) {
            assertThat(REQUEST.isBound()).isTrue();
            scope.join();
        }
        assertThat(REQUEST.isBound()).isFalse();
        assertThatThrownBy(REQUEST::get).isInstanceOf(NoSuchElementException.class);
    }

    /** Keys compare by identity: two keys with the same name are different keys. */
    @Test
    void keysCompareByIdentity() throws Exception {
        ContextKey<String> twin = ContextKey.named("request");
        try (TaskScope<String, List<String>> scope = TaskScope.open(Joiner.allSuccessful(),
                c -> c.with(REQUEST, "mine"))) {
            scope.fork(() -> twin.orElse("not bound") + "," + REQUEST.get());
            assertThat(scope.join()).containsExactly("not bound,mine");
        }
    }
}
