package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.TaskScope.Configuration;
import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.EveryEngine;
import dev.weft.testing.ScopeEngine;
import dev.weft.testing.ThreadCounter;
import dev.weft.testing.ThreadDump;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No subtask outlives its scope: after many scopes that succeed, fail, get cancelled, time out, queue,
 * are closed without join, are interrupted in join and leave nested scopes open, not one thread they
 * started is still alive once {@code close} has returned. No polling: close joins the threads, so the
 * counts must be exact right after it.
 *
 * <p>Three views of "alive": a {@link ThreadCounter} around the engine's factory counts threads created
 * and finished (the exact check); a thread dump through {@link ThreadDump} sees virtual threads too,
 * including the deadline watchers that Weft starts itself; {@link Thread#getAllStackTraces()} sees
 * platform threads only.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeLeakTest {
    private static final int SCOPES = 1_000;
    private static final int KINDS = 10;

    /** After 1,000 scopes of every kind, every thread each scope created has ended by the time its close returns. */
    @EveryEngine
    void everyThreadEndsByTheTimeCloseReturns(ScopeEngine engine) throws Exception {
        String prefix = "leak-" + engine.name() + "-";
        for (int i = 0; i < SCOPES; i++) {
            ThreadCounter threads = engine.counter();
            runScope(i, prefix + i, engine, c -> c.withThreadFactory(threads));
            assertThat(threads.live()).as("threads of scope %d (kind %d) not finished: %s", i, i % KINDS, threads)
                    .isZero();
            assertThat(threads.alive()).as("threads of scope %d (kind %d) alive", i, i % KINDS).isEmpty();
        }
        assertThat(ThreadDump.liveThreadNames()).noneMatch(name -> name.startsWith("weft-scope-" + prefix));
        assertThat(Thread.interrupted()).isFalse();
    }

    /** With Weft's default factory, no thread of the scopes is alive afterwards, virtual (thread dump) or platform. */
    @Test
    void defaultFactoryLeavesNoWeftThreadAlive() throws Exception {
        Set<String> platformBefore = platformWeftThreads();
        for (int i = 0; i < SCOPES / 2; i++) {
            runScope(i, "leakcheck-" + i, ScopeEngine.DEFAULT, UnaryOperator.identity());
        }
        assertThat(ThreadDump.liveThreadNames()).noneMatch(name -> name.startsWith("weft-scope-leakcheck-"));
        assertThat(platformWeftThreads()).isSubsetOf(platformBefore);
    }

    /** With a factory of platform threads named weft-leak-platform-N, none of them is alive afterwards. */
    @Test
    void platformFactoryLeavesNoWeftThreadAlive() throws Exception {
        ThreadFactory named = Thread.ofPlatform().name("weft-leak-platform-", 0).factory();
        for (int i = 0; i < SCOPES / 2; i++) {
            runScope(i, "platformcheck-" + i, ScopeEngine.PLATFORM, c -> c.withThreadFactory(named));
        }
        assertThat(platformWeftThreads()).noneMatch(name -> name.startsWith("weft-leak-platform-"));
        assertThat(ThreadDump.liveThreadNames()).noneMatch(name -> name.startsWith("weft-scope-platformcheck-"));
    }

    private static Set<String> platformWeftThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("weft-"))
                .collect(Collectors.toSet());
    }

    /** Runs one scope of kind {@code i % KINDS}, named {@code name}, and closes it. */
    private static void runScope(int i, String name, ScopeEngine engine, UnaryOperator<Configuration> threads)
            throws Exception {
        UnaryOperator<Configuration> base = c -> threads.apply(c.withName(name));
        switch (i % KINDS) {
            case 0 -> {   // all succeed
                try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(), base)) {
                    for (int k = 0; k < 3; k++) {
                        scope.fork(() -> "ok");
                    }
                    assertThat(scope.join()).hasSize(3);
                }
            }
            case 1 -> {   // one fails, the others are cancelled
                try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(), base)) {
                    scope.fork(() -> Blocking.untilInterrupted());
                    scope.fork(() -> Blocking.untilInterrupted());
                    scope.fork(() -> {
                        throw new Boom("leak test");
                    });
                    assertThatThrownBy(scope::join).isInstanceOf(FailedException.class);
                }
            }
            case 2 -> {   // one wins, the others are cancelled
                try (TaskScope<String, String> scope = engine.open(Joiner.<String>anySuccessful(), base)) {
                    scope.fork(() -> Blocking.untilInterrupted());
                    scope.fork(() -> Blocking.untilInterrupted());
                    scope.fork(() -> "winner");
                    assertThat(scope.join()).isEqualTo("winner");
                }
            }
            case 3 -> {   // the deadline passes
                try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                        c -> base.apply(c).withTimeout(Duration.ofMillis(1)))) {
                    scope.fork(() -> Blocking.untilInterrupted());
                    scope.fork(() -> Blocking.untilInterrupted());
                    assertThatThrownBy(scope::join).isInstanceOf(UncheckedTimeoutException.class);
                }
            }
            case 4 -> {   // a queue drained by a failure that races with the forks
                try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                        c -> base.apply(c).withConcurrencyLimit(1))) {
                    scope.fork(() -> {
                        throw new Boom("leak test");
                    });
                    for (int k = 0; k < 3; k++) {
                        scope.fork(() -> Blocking.untilInterrupted());
                    }
                    assertThatThrownBy(scope::join).isInstanceOf(FailedException.class);
                }
            }
            case 5 -> {   // closed without join
                TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(), base);
                scope.fork(() -> Blocking.untilInterrupted());
                scope.fork(() -> "done");
                assertThatThrownBy(scope::close).isInstanceOf(IllegalStateException.class);
            }
            case 6 -> {   // the owner is interrupted in join
                try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(), base)) {
                    scope.fork(() -> Blocking.untilInterrupted());
                    Thread.currentThread().interrupt();
                    assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
                }
            }
            case 7 -> {   // a subtask leaves a nested scope open
                try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll(), base)) {
                    Subtask<String> careless = scope.fork(() -> {
                        TaskScope<String, List<String>> inner = engine.open(Joiner.<String>allSuccessful(),
                                c -> threads.apply(c.withName(name + "-inner")));
                        inner.fork(() -> Blocking.untilInterrupted());
                        return "left open";
                    });
                    scope.join();
                    assertThat(careless.exception()).isInstanceOf(StructureViolationException.class);
                }
            }
            case 8 -> {   // a mix with nested scopes, nothing cancelled
                try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll(), base)) {
                    scope.fork(() -> {
                        try (TaskScope<String, List<String>> inner = engine.open(Joiner.<String>allSuccessful(),
                                c -> threads.apply(c.withName(name + "-inner")))) {
                            inner.fork(() -> "a");
                            inner.fork(() -> "b");
                            return String.join("", inner.join());
                        }
                    });
                    scope.fork(() -> {
                        throw new Boom("leak test");
                    });
                    assertThat(scope.join()).hasSize(2);
                }
            }
            case 9 -> {   // a deadline already past
                try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                        c -> base.apply(c).withDeadline(Instant.now().minusMillis(1)))) {
                    scope.fork(() -> Blocking.untilInterrupted());
                    assertThatThrownBy(scope::join).isInstanceOf(UncheckedTimeoutException.class);
                }
            }
            default -> throw new AssertionError(i);
        }
    }
}
