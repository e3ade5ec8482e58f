package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The names of a scope's threads, as a program outside {@code dev.weft} sees them (TaskScope's
 * javadoc): {@code weft-scope-NAME-N} in a named scope, {@code weft-scope-N} in an unnamed one,
 * N counting the scope's forks from 1, so that concurrent subtasks tell apart in a log.
 */
@Timeout(20)
class ScopeThreadNamesTest {

    /** Two unnamed scopes open at once, one inside the other's subtask: each numbers its own threads from 1. */
    @Test
    void unnamedScopesNumberTheirOwnThreads() throws Exception {
        CountDownLatch innerRunning = new CountDownLatch(1);
        try (TaskScope<List<String>, List<List<String>>> outer = TaskScope.open()) {
            outer.fork(() -> {
                try (TaskScope<String, List<String>> inner = TaskScope.open()) {
                    inner.fork(() -> Thread.currentThread().getName());
                    inner.fork(() -> {
                        innerRunning.countDown();
                        return Thread.currentThread().getName();
                    });
                    List<String> names = inner.join();
                    return List.of(Thread.currentThread().getName(), names.get(0), names.get(1));
                }
            });
            outer.fork(() -> {
                assertThat(innerRunning.await(10, TimeUnit.SECONDS)).isTrue();
                return List.of(Thread.currentThread().getName());
            });
            assertThat(outer.join()).containsExactly(
                    List.of("weft-scope-1", "weft-scope-1", "weft-scope-2"), List.of("weft-scope-2"));
        }
    }

    /** A named scope puts its name in its threads' names. */
    @Test
    void aNamedScopeNamesItsThreadsAfterItself() throws Exception {
        try (TaskScope<String, List<String>> scope = TaskScope.open(Joiner.allSuccessful(), c -> c.withName("orders"))) {
            scope.fork(() -> Thread.currentThread().getName());
            scope.fork(() -> Thread.currentThread().getName());
            assertThat(scope.join()).containsExactly("weft-scope-orders-1", "weft-scope-orders-2");
        }
    }
}
