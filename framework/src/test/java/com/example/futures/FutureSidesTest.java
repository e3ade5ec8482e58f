package com.example.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.AsyncResult;
import dev.weft.Pool;
import dev.weft.SettableFuture;
import dev.weft.TaskFuture;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The read side and the write side of a future, as a user outside {@code dev.weft} sees them: what
 * a pool hands out lets its holder wait, listen and cancel, but offers no way to complete it; the
 * settable kind, made by {@link SettableFuture#create()}, completes.
 */
class FutureSidesTest {
    private static final List<String> WRITERS = List.of("complete", "completeExceptionally", "markRunning",
            "obtrudeValue", "obtrudeException", "set", "setException");

    /** TaskFuture, the type pools and results hand out, has no public method that completes it, and no public constructor. */
    @Test
    void taskFutureOffersNoWayToCompleteIt() {
        assertThat(publicMethodNames(TaskFuture.class)).doesNotContainAnyElementsOf(WRITERS);
        assertThat(TaskFuture.class.getConstructors()).isEmpty();
        assertThat(Arrays.stream(TaskFuture.class.getDeclaredConstructors())
                .filter(c -> Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())))
                .as("a constructor a user could reach by subclassing").isEmpty();
    }

    /** The futures a pool returns, from submit and from an AsyncResult, are of no public type that completes them. */
    @Test
    void poolFuturesCannotBeCompletedByTheirHolder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Pool pool = Pool.cpu(c -> c.withWorkers(1))) {
            TaskFuture<Object> blocker = pool.submit(() -> {
                release.await(10, TimeUnit.SECONDS);
                return null;
            });
            TaskFuture<Integer> queued = pool.submit(() -> 6 * 7);
            AsyncResult<Integer> async = pool.applyAsync(x -> x + 1, 1);
            for (TaskFuture<?> f : List.of(blocker, queued, async.future())) {
                assertThat(f).isNotInstanceOf(SettableFuture.class)
                        .isNotInstanceOf(java.util.concurrent.CompletableFuture.class);
                assertThat(publicMethodNames(f.getClass())).doesNotContainAnyElementsOf(WRITERS);
            }
            release.countDown();
            assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(async.get()).isEqualTo(2);
        }
    }

    /** A SettableFuture is the write side: it completes, and the TaskFuture it is read through sees the result. */
    @Test
    void settableFutureCompletesAndItsReadSideSeesIt() throws Exception {
        SettableFuture<String> page = SettableFuture.create();
        TaskFuture<String> readOnly = page;
        assertThat(page.markRunning()).isTrue();
        assertThat(page.complete("<html/>")).isTrue();
        assertThat(page.completeExceptionally(new IllegalStateException("late"))).isFalse();
        assertThat(readOnly.get(1, TimeUnit.SECONDS)).isEqualTo("<html/>");
        assertThatThrownBy(page::markRunning).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already completed");
    }

    private static List<String> publicMethodNames(Class<?> type) {
        return Arrays.stream(type.getMethods()).map(Method::getName).distinct().toList();
    }
}
