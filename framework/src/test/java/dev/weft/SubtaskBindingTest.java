package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which way subtasks are bound ({@link SubtaskBinding}): the {@code ScopedValue} of the
 * multi-release jar's {@code META-INF/versions/25} on JDK 25+, the thread-local on JDK 21 to 24
 * or when {@code -Ddev.weft.subtaskBinding=threadLocal} forces it. The build runs every
 * {@code TaskScope*Test} both ways on JDK 25 (framework/pom.xml, profile {@code release-25}), so
 * the first test here fails if the versioned class went missing and the suite silently tested
 * one way twice.
 */
@Timeout(20)
class SubtaskBindingTest {

    /** The binding is the one this JDK and the system property call for. */
    @Test
    void theBindingIsTheOneThisJdkAndThePropertyCallFor() {
        boolean forced = "threadLocal".equals(System.getProperty(SubtaskBinding.PROPERTY));
        String expected = Runtime.version().feature() >= 25 && !forced ? "scopedValue" : "threadLocal";
        assertThat(ScopeStructure.binding()).isEqualTo(expected);
        assertThat(SubtaskBinding.select().name()).isEqualTo(expected);
    }

    /** Inside a subtask its scope is the current one, and a scope it opens nests in it; after close, its own again. */
    @Test
    void aSubtaskBelongsToItsScopeAndNestsWhatItOpens() throws Exception {
        try (TaskScope<List<Object>, List<List<Object>>> outer = TaskScope.open(TaskScope.Joiner.allSuccessful(),
                c -> c.withName("outer"))) {
            outer.fork(() -> {
                ScopeImpl<?, ?> mine = ScopeStructure.current();
                ScopeImpl<?, ?> nestedEnclosing;
                ScopeImpl<?, ?> whileOpen;
                try (TaskScope<Object, List<Object>> inner = TaskScope.open(TaskScope.Joiner.allSuccessful(),
                        c -> c.withName("inner"))) {
                    whileOpen = ScopeStructure.current();
                    nestedEnclosing = ((ScopeImpl<?, ?>) inner).enclosing();
                    inner.join();
                }
                return List.of(mine, nestedEnclosing, whileOpen.name(), ScopeStructure.current());
            });
            List<Object> seen = outer.join().get(0);
            assertThat(seen.get(0)).isSameAs(outer);
            assertThat(seen.get(1)).isSameAs(outer);
            assertThat(seen.get(2)).isEqualTo("inner");
            assertThat(seen.get(3)).isSameAs(outer);
            assertThat(ScopeStructure.current()).isSameAs(outer);
        }
        assertThat(ScopeStructure.current()).isNull();
    }

    /** A thread that is no subtask (here a thread a subtask starts itself) belongs to no scope. */
    @Test
    void aThreadStartedByASubtaskBelongsToNoScope() throws Exception {
        try (TaskScope<Object, List<Object>> scope = TaskScope.open()) {
            scope.fork(() -> {
                Object[] seen = {"unset"};
                Thread child = Thread.ofVirtual().start(() -> seen[0] = ScopeStructure.current());
                child.join();
                return seen[0] == null ? "none" : seen[0];
            });
            assertThat(scope.join()).containsExactly("none");
        }
    }
}
