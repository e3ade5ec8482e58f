package dev.weft;

import static java.util.concurrent.Future.State.FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.testing.Await;
import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.EveryEngine;
import dev.weft.testing.ScopeEngine;
import dev.weft.testing.ThreadCounter;
import dev.weft.testing.ThreadDump;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nesting and structure: scopes opened inside subtasks and by an owner that has one open already,
 * {@link StructureViolationException} when scopes are closed out of order or left open by a subtask,
 * and the guarantee that the inner scope's threads are stopped either way. Ported from the structure
 * tests of the JDK's {@code StructuredTaskScopeTest} and {@code WithScopedValue}, and, for thread names
 * in a dump, from {@code StructuredThreadDumpTest}; adapted to Weft, which tracks nesting itself instead
 * of through scoped values, and closes (rather than just marks) the inner scopes.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeStructureTest {

    /** A scope opened inside a subtask works as a child: it forks, joins and closes within the subtask. */
    @EveryEngine
    void scopeOpenedInsideASubtaskWorks(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> outer = engine.open()) {
            outer.fork(() -> {
                try (TaskScope<String, List<String>> inner = engine.open()) {
                    inner.fork(() -> "a");
                    inner.fork(() -> "b");
                    return String.join("", inner.join());
                }
            });
            outer.fork(() -> "c");
            assertThat(outer.join()).containsExactly("ab", "c");
        }
    }

    /** The owner may open a scope while another of its scopes is open, use both, and close them in reverse order. */
    @EveryEngine
    void ownerMayNestScopesAndCloseThemInReverseOrder(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> outer = engine.open()) {
            outer.fork(() -> "outer");
            try (TaskScope<String, List<String>> inner = engine.open()) {
                inner.fork(() -> "inner");
                assertThat(inner.join()).containsExactly("inner");
            }
            assertThat(outer.join()).containsExactly("outer");
        }
    }

    /** Closing the outer scope first closes the inner one, stopping its subtasks, then throws StructureViolationException. */
    @EveryEngine
    void closingTheOuterScopeFirstClosesTheInnerOneAndThrows(ScopeEngine engine) throws Exception {
        ThreadCounter innerThreads = engine.counter();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        TaskScope<String, List<String>> outer = engine.open();
        TaskScope<String, List<String>> inner = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withName("the-inner-one").withThreadFactory(innerThreads));
        inner.fork(() -> Blocking.untilInterrupted(started, interrupted));
        Await.latch(started);

        assertThatThrownBy(outer::close).isInstanceOf(StructureViolationException.class)
                .hasMessageContaining("the-inner-one");

        assertThat(interrupted.getCount()).isZero();
        assertThat(innerThreads.alive()).isEmpty();
        assertThat(inner.isCancelled()).isTrue();
        assertThatThrownBy(() -> inner.fork(() -> "late")).isInstanceOf(IllegalStateException.class);
        inner.close();   // already closed: does nothing, and does not complain about the missing join
        outer.close();
    }

    /** Closing the outer scope first closes every scope nested in it, however deep. */
    @EveryEngine
    void closingTheOuterScopeFirstClosesEveryNestedScope(ScopeEngine engine) throws Exception {
        ThreadCounter threads = engine.counter();
        CountDownLatch started = new CountDownLatch(2);
        TaskScope<String, List<String>> outer = engine.open();
        TaskScope<String, List<String>> middle = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withName("middle").withThreadFactory(threads));
        middle.fork(() -> Blocking.untilInterrupted(started, null));
        TaskScope<String, List<String>> inner = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withName("inner").withThreadFactory(threads));
        inner.fork(() -> Blocking.untilInterrupted(started, null));
        Await.latch(started);

        assertThatThrownBy(outer::close).isInstanceOf(StructureViolationException.class)
                .hasMessageContaining("middle").hasMessageContaining("inner");

        assertThat(threads.alive()).isEmpty();
        assertThat(middle.isCancelled()).isTrue();
        assertThat(inner.isCancelled()).isTrue();
    }

    /** A subtask that ends with a scope still open fails with StructureViolationException, and that scope's threads are stopped. */
    @EveryEngine
    void subtaskLeavingAScopeOpenFailsAndTheScopeIsClosed(ScopeEngine engine) throws Exception {
        ThreadCounter innerThreads = engine.counter();
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicReference<TaskScope<String, List<String>>> leaked = new AtomicReference<>();
        try (TaskScope<String, List<Subtask<String>>> outer = engine.open(Joiner.<String>awaitAll())) {
            Subtask<String> careless = outer.fork(() -> {
                CountDownLatch started = new CountDownLatch(1);
                TaskScope<String, List<String>> inner = engine.open(Joiner.<String>allSuccessful(),
                        c -> c.withName("left-open").withThreadFactory(innerThreads));
                leaked.set(inner);
                inner.fork(() -> Blocking.untilInterrupted(started, interrupted));
                Await.latch(started);
                return "returned without closing";
            });
            outer.join();

            assertThat(careless.state()).isEqualTo(FAILED);
            assertThat(careless.exception()).isInstanceOf(StructureViolationException.class)
                    .hasMessageContaining("left-open");
        }
        assertThat(interrupted.getCount()).isZero();
        assertThat(innerThreads.alive()).isEmpty();
        assertThat(leaked.get().isCancelled()).isTrue();
    }

    /** A subtask that fails while leaving a scope open reports StructureViolationException with its own failure suppressed. */
    @EveryEngine
    void subtaskFailingWithAScopeOpenKeepsItsFailureAsSuppressed(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("and left a scope open");
        try (TaskScope<String, List<Subtask<String>>> outer = engine.open(Joiner.<String>awaitAll())) {
            Subtask<String> careless = outer.fork(() -> {
                TaskScope.open();
                throw boom;
            });
            outer.join();
            assertThat(careless.exception()).isInstanceOf(StructureViolationException.class)
                    .hasSuppressedException(boom);
        }
    }

    /** After a structure violation, the owner is back in the enclosing scope: a new scope nests there and closes cleanly. */
    @EveryEngine
    void afterAViolationTheOwnerIsBackInTheEnclosingScope(ScopeEngine engine) throws Exception {
        ContextKey<String> level = ContextKey.named("level");
        try (TaskScope<String, List<String>> root = TaskScope.open(Joiner.allSuccessful(), c -> c.with(level, "root"))) {
            TaskScope<String, List<String>> outer = engine.open(Joiner.allSuccessful(), c -> c.with(level, "outer"));
            TaskScope<String, List<String>> inner = engine.open(Joiner.allSuccessful(), c -> c.with(level, "inner"));
            assertThat(level.get()).isEqualTo("inner");
            assertThatThrownBy(outer::close).isInstanceOf(StructureViolationException.class);
            assertThat(level.get()).isEqualTo("root");
            inner.close();
            assertThat(level.get()).isEqualTo("root");
            try (TaskScope<String, List<String>> next = engine.open()) {
                next.fork(() -> level.get());
                assertThat(next.join()).containsExactly("root");
            }
            root.fork(() -> level.get());
            assertThat(root.join()).containsExactly("root");
        }
        assertThat(level.isBound()).isFalse();
    }

    /** A thread dump shows the subtask threads of a scope and of a nested scope under their scopes' names. */
    @Test
    void threadDumpShowsSubtaskThreadsNamedAfterTheirScopes() throws Exception {
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try (TaskScope<String, List<String>> outer = TaskScope.open(Joiner.allSuccessful(),
                c -> c.withName("dump-outer"))) {
            outer.fork(() -> {
                try (TaskScope<String, List<String>> inner = TaskScope.open(Joiner.allSuccessful(),
                        c -> c.withName("dump-inner"))) {
                    inner.fork(() -> {
                        running.countDown();
                        Await.latch(release);
                        return "inner";
                    });
                    running.countDown();
                    return String.join("", inner.join());
                }
            });
            Await.latch(running);
            List<String> names = ThreadDump.liveThreadNames();
            release.countDown();
            assertThat(outer.join()).containsExactly("inner");
            assertThat(names).contains("weft-scope-dump-outer-1", "weft-scope-dump-inner-1");
        }
        assertThat(ThreadDump.liveThreadNames()).noneMatch(n -> n.startsWith("weft-scope-dump-"));
    }
}
