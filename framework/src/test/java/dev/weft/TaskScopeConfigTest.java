package dev.weft;

import static java.util.concurrent.Future.State.CANCELLED;
import static java.util.concurrent.Future.State.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.TaskScope.Configuration;
import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.testing.Await;
import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.EveryEngine;
import dev.weft.testing.ScopeEngine;
import dev.weft.testing.ThreadCounter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TaskScope.Configuration}: names and thread names, deadlines, thread factories, the
 * concurrency limit, and the rejection of bad input. Ported from the configuration, thread-factory and
 * timeout tests of the JDK's {@code StructuredTaskScopeTest}, adapted to Weft: threads are named after
 * their scope instead of being anonymous, a timeout makes join throw {@link UncheckedTimeoutException},
 * and the concurrency limit (which the JDK lacks) queues forks without blocking the owner.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeConfigTest {

    // ---- names ----------------------------------------------------------------------------------

    /** A named scope reports its name and names its threads weft-scope-NAME-N, counting from 1 in fork order. */
    @Test
    void namedScopeNamesItsThreadsAfterItself() throws Exception {
        try (TaskScope<String, List<String>> scope = TaskScope.open(Joiner.<String>allSuccessful(),
                c -> c.withName("fetch"))) {
            assertThat(scope.name()).isEqualTo("fetch");
            for (int i = 0; i < 3; i++) {
                scope.fork(() -> Thread.currentThread().getName());
            }
            assertThat(scope.join()).containsExactly("weft-scope-fetch-1", "weft-scope-fetch-2", "weft-scope-fetch-3");
        }
    }

    /**
     * An unnamed scope is called scope-N, unique per scope; its threads are weft-scope-M, M counting
     * from 1 in fork order, the same names in every unnamed scope.
     */
    @Test
    void unnamedScopeGetsAUniqueNameAndIndexedThreads() throws Exception {
        List<String> scopeNames = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (TaskScope<String, List<String>> scope = TaskScope.open()) {
                scopeNames.add(scope.name());
                for (int j = 0; j < 3; j++) {
                    scope.fork(() -> Thread.currentThread().getName());
                }
                assertThat(scope.join()).containsExactly("weft-scope-1", "weft-scope-2", "weft-scope-3");
                assertThat(scope.name()).matches("scope-\\d+");
            }
        }
        assertThat(scopeNames).doesNotHaveDuplicates();
    }

    /** Past the names it keeps for reuse, an unnamed scope still names every thread weft-scope-M. */
    @Test
    void unnamedScopeNamesThreadsPastTheNamesItKeeps() throws Exception {
        int n = ScopeThreads.UNNAMED_CACHED + 2;
        try (TaskScope<String, List<String>> scope = TaskScope.open()) {
            for (int j = 0; j < n; j++) {
                scope.fork(() -> Thread.currentThread().getName());
            }
            assertThat(scope.join()).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, n).mapToObj(m -> "weft-scope-" + m).toList());
        }
    }

    /** Without a configured factory, subtasks run in virtual threads. */
    @Test
    void defaultThreadsAreVirtual() throws Exception {
        try (TaskScope<Boolean, List<Boolean>> scope = TaskScope.open()) {
            for (int i = 0; i < 10; i++) {
                scope.fork(() -> Thread.currentThread().isVirtual());
            }
            assertThat(scope.join()).hasSize(10).containsOnly(true);
        }
    }

    /** Threads from a configured factory keep the names the factory gave them; Weft does not rename them. */
    @Test
    void threadsFromAConfiguredFactoryAreNotRenamed() throws Exception {
        ThreadFactory factory = Thread.ofPlatform().name("custom-", 0).factory();
        try (TaskScope<String, List<String>> scope = TaskScope.open(Joiner.<String>allSuccessful(),
                c -> c.withName("named").withThreadFactory(factory))) {
            scope.fork(() -> Thread.currentThread().getName());
            scope.fork(() -> Thread.currentThread().getName());
            assertThat(scope.join()).containsExactly("custom-0", "custom-1");
        }
    }

    // ---- deadlines ------------------------------------------------------------------------------

    /** When the timeout expires, the scope is cancelled, running subtasks end CANCELLED, and join throws UncheckedTimeoutException. */
    @EveryEngine
    void timeoutExpiryCancelsTheScopeAndJoinThrowsUncheckedTimeout(ScopeEngine engine) throws Exception {
        Duration timeout = Duration.ofMillis(100);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        long start = System.nanoTime();
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withTimeout(timeout))) {
            Subtask<String> quick = scope.fork(() -> "quick");
            Subtask<String> blocker = scope.fork(() -> Blocking.untilInterrupted(started, interrupted));

            assertThatThrownBy(scope::join).isInstanceOf(UncheckedTimeoutException.class);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout.minusMillis(20));
            assertThat(scope.isCancelled()).isTrue();
            // On a very slow machine the deadline may pass before the blocker starts; then it never runs.
            assertThat(interrupted.getCount()).isEqualTo(started.getCount());
            assertThat(blocker.state()).isEqualTo(CANCELLED);
            assertThat(quick.get()).isEqualTo("quick");
            assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class);
        }
    }

    /** A deadline already past cancels the scope as it opens: a subtask forked then never runs and gets no thread. */
    @EveryEngine
    void deadlineInThePastCancelsAtOnceAndNoSubtaskRuns(ScopeEngine engine) throws Exception {
        expectCancelledFromTheStart(engine, c -> c.withDeadline(Instant.now().minusSeconds(1)));
    }

    /** A zero timeout is a deadline already past: the scope is cancelled as it opens. */
    @EveryEngine
    void zeroTimeoutCancelsAtOnceAndNoSubtaskRuns(ScopeEngine engine) throws Exception {
        expectCancelledFromTheStart(engine, c -> c.withTimeout(Duration.ZERO));
    }

    private static void expectCancelledFromTheStart(ScopeEngine engine, UnaryOperator<Configuration> deadline)
            throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        ThreadCounter threads = engine.counter();
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> deadline.apply(c).withThreadFactory(threads))) {
            assertThat(scope.isCancelled()).isTrue();
            Subtask<String> subtask = scope.fork(() -> {
                ran.set(true);
                return "ran";
            });
            assertThatThrownBy(scope::join).isInstanceOf(UncheckedTimeoutException.class);
            assertThat(subtask.state()).isEqualTo(CANCELLED);
        }
        assertThat(ran).isFalse();
        assertThat(threads.created()).isZero();
    }

    /** A deadline that does not pass before the subtasks finish changes nothing: join returns, nothing is cancelled. */
    @EveryEngine
    void deadlineNotReachedLeavesTheScopeAlone(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withTimeout(Duration.ofDays(1)))) {
            scope.fork(() -> "a");
            scope.fork(() -> "b");
            assertThat(scope.join()).containsExactly("a", "b");
            assertThat(scope.isCancelled()).isFalse();
        }
    }

    /** A timeout too large for an Instant saturates to "no deadline in practice" instead of failing. */
    @EveryEngine
    void hugeTimeoutSaturates(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withTimeout(Duration.ofSeconds(Long.MAX_VALUE)))) {
            scope.fork(() -> "a");
            assertThat(scope.join()).containsExactly("a");
            assertThat(scope.isCancelled()).isFalse();
        }
    }

    // ---- thread factories -----------------------------------------------------------------------

    /** Every subtask runs in a new thread from the configured factory, callables and runnables alike. */
    @EveryEngine
    void configuredThreadFactoryCreatesEverySubtaskThread(ScopeEngine engine) throws Exception {
        ThreadCounter threads = engine.counter();
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        try (TaskScope<Object, List<Object>> scope = engine.open(Joiner.allSuccessful(),
                c -> c.withThreadFactory(threads))) {
            for (int i = 0; i < 10; i++) {
                scope.fork(() -> seen.add(Thread.currentThread()));
                scope.fork((Runnable) () -> seen.add(Thread.currentThread()));
            }
            scope.join();
        }
        assertThat(seen).hasSize(20).containsExactlyInAnyOrderElementsOf(threads.threads());
        assertThat(threads.created()).isEqualTo(20);
        assertThat(threads.alive()).isEmpty();
    }

    /** A factory that returns null makes fork throw RejectedExecutionException; the task never runs and the scope stays usable. */
    @EveryEngine
    void threadFactoryReturningNullMakesForkThrowRejectedExecution(ScopeEngine engine) throws Exception {
        AtomicBoolean rejectNext = new AtomicBoolean(true);
        AtomicBoolean rejectedRan = new AtomicBoolean();
        ThreadFactory rejectFirst = r -> rejectNext.getAndSet(false) ? null : engine.threads().newThread(r);
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll(),
                c -> c.withThreadFactory(rejectFirst))) {
            assertThatThrownBy(() -> scope.fork(() -> {
                rejectedRan.set(true);
                return "rejected";
            })).isInstanceOf(RejectedExecutionException.class);
            Subtask<String> accepted = scope.fork(() -> "accepted");
            scope.join();
            assertThat(accepted.get()).isEqualTo("accepted");
        }
        assertThat(rejectedRan).isFalse();
    }

    /** A fork the factory refuses leaves no trace: the all-successful policy never sees it, and join returns the others. */
    @EveryEngine
    void rejectedForkIsInvisibleToThePolicy(ScopeEngine engine) throws Exception {
        AtomicBoolean rejectNext = new AtomicBoolean();
        ThreadFactory rejectOnDemand = r -> rejectNext.getAndSet(false) ? null : engine.threads().newThread(r);
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withThreadFactory(rejectOnDemand))) {
            scope.fork(() -> "first");
            rejectNext.set(true);
            assertThatThrownBy(() -> scope.fork(() -> "refused")).isInstanceOf(RejectedExecutionException.class);
            scope.fork(() -> "third");
            assertThat(scope.join()).containsExactly("first", "third");
        }
    }

    /** Under a concurrency limit a queued subtask whose thread the factory refuses fails with RejectedExecutionException. */
    @EveryEngine
    void queuedSubtaskRefusedByTheFactoryFails(ScopeEngine engine) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        ThreadFactory onlyOne = r -> made.getAndIncrement() == 0 ? engine.threads().newThread(r) : null;
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withThreadFactory(onlyOne).withConcurrencyLimit(1))) {
            scope.fork(() -> {
                Await.latch(release);
                return "ran";
            });
            Subtask<String> queued = scope.fork(() -> "never");
            assertThat(queued.state()).isEqualTo(RUNNING);
            release.countDown();
            assertThatThrownBy(scope::join).isInstanceOf(FailedException.class)
                    .cause().isInstanceOf(RejectedExecutionException.class);
            assertThat(queued.state()).isEqualTo(java.util.concurrent.Future.State.FAILED);
        }
    }

    /**
     * Under a concurrency limit the owner's own fork makes the thread of a subtask that takes a free
     * slot; a refusal there fails that subtask, and the policy, told in the owner's thread, may read
     * its exception: join reports the refusal, not a misuse of Subtask.exception() before join.
     */
    @EveryEngine
    void subtaskRefusedInTheOwnersForkFailsAndThePolicySeesWhy(ScopeEngine engine) throws Exception {
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withThreadFactory(r -> null).withConcurrencyLimit(1))) {
            Subtask<String> refused = scope.fork(() -> "never");
            assertThatThrownBy(scope::join).isInstanceOf(FailedException.class)
                    .cause().isInstanceOf(RejectedExecutionException.class);
            assertThat(refused.state()).isEqualTo(java.util.concurrent.Future.State.FAILED);
        }
    }

    /**
     * A queued subtask whose thread cannot be started (here: the factory hands back a thread that
     * already ran) fails with an IllegalStateException that says so, and its slot passes on: the
     * next queued subtask still runs.
     */
    @EveryEngine
    void queuedSubtaskWhoseThreadCannotStartFailsAndPassesItsSlotOn(ScopeEngine engine) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        ThreadFactory secondIsSpent = r -> {
            if (made.incrementAndGet() != 2) {
                return engine.threads().newThread(r);
            }
            Thread spent = Thread.ofVirtual().start(() -> { });
            Await.until("the spent thread ended", () -> !spent.isAlive());
            return spent;
        };
        try (var scope = engine.open(Joiner.<String>awaitAll(),
                c -> c.withThreadFactory(secondIsSpent).withConcurrencyLimit(1))) {
            scope.fork(() -> {
                Await.latch(release);
                return "first";
            });
            Subtask<String> spent = scope.fork(() -> "never");
            Subtask<String> third = scope.fork(() -> "third");
            release.countDown();
            scope.join();
            assertThat(spent.state()).isEqualTo(java.util.concurrent.Future.State.FAILED);
            assertThat(spent.exception()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already started");
            assertThat(third.get()).isEqualTo("third");
        }
    }

    /**
     * A factory that returns a thread it has already started makes fork throw IllegalStateException
     * that says so; the task never runs in that thread, the policy never sees the fork, and join
     * returns the others instead of hanging.
     */
    @EveryEngine
    void threadFactoryReturningAStartedThreadMakesForkThrow(ScopeEngine engine) throws Exception {
        AtomicBoolean startNext = new AtomicBoolean(true);
        AtomicBoolean refusedRan = new AtomicBoolean();
        List<Thread> started = new CopyOnWriteArrayList<>();
        ThreadFactory startsTheFirst = r -> {
            Thread t = engine.threads().newThread(r);
            if (startNext.getAndSet(false)) {
                t.start();
                started.add(t);
            }
            return t;
        };
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withThreadFactory(startsTheFirst))) {
            assertThatThrownBy(() -> scope.fork(() -> {
                refusedRan.set(true);
                return "refused";
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started")
                    .hasMessageContaining("unstarted");
            scope.fork(() -> "accepted");
            assertThat(scope.join()).containsExactly("accepted");
        }
        assertThat(started).hasSize(1);
        Await.until("the thread the factory started ended", () -> !started.get(0).isAlive());
        assertThat(refusedRan).isFalse();
    }

    /**
     * Under a concurrency limit, a subtask whose thread the factory started itself fails with
     * IllegalStateException, runs nowhere, and join returns instead of hanging.
     */
    @EveryEngine
    void threadFactoryReturningAStartedThreadFailsTheSubtaskUnderALimit(ScopeEngine engine) throws Exception {
        AtomicBoolean refusedRan = new AtomicBoolean();
        List<Thread> started = new CopyOnWriteArrayList<>();
        ThreadFactory startsEveryThread = r -> {
            Thread t = engine.threads().newThread(r);
            t.start();
            started.add(t);
            return t;
        };
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll(),
                c -> c.withThreadFactory(startsEveryThread).withConcurrencyLimit(1))) {
            Subtask<String> refused = scope.fork(() -> {
                refusedRan.set(true);
                return "refused";
            });
            scope.join();
            assertThat(refused.state()).isEqualTo(java.util.concurrent.Future.State.FAILED);
            assertThat(refused.exception()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already started");
        }
        Await.until("the threads the factory started ended", () -> started.stream().noneMatch(Thread::isAlive));
        assertThat(refusedRan).isFalse();
    }

    /** A long queue whose threads are all refused is worked through without deep recursion: every subtask fails, none hangs. */
    @EveryEngine
    void longQueueOfRefusedSubtasksDoesNotOverflowTheStack(ScopeEngine engine) throws Exception {
        int queuedCount = 20_000;
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        ThreadFactory onlyOne = r -> made.getAndIncrement() == 0 ? engine.threads().newThread(r) : null;
        try (var scope = engine.open(Joiner.<String>awaitAll(),
                c -> c.withThreadFactory(onlyOne).withConcurrencyLimit(1))) {
            scope.fork(() -> {
                Await.latch(release);
                return "ran";
            });
            for (int i = 0; i < queuedCount; i++) {
                scope.fork(() -> "never");
            }
            release.countDown();
            List<Subtask<String>> all = scope.join();
            assertThat(all.get(0).get()).isEqualTo("ran");
            assertThat(all.subList(1, all.size())).allSatisfy(s -> {
                assertThat(s.state()).isEqualTo(java.util.concurrent.Future.State.FAILED);
                assertThat(s.exception()).isInstanceOf(RejectedExecutionException.class);
            });
        }
    }

    /** A factory that throws makes fork throw that exception, and the scope still joins and closes instead of hanging. */
    @EveryEngine
    void threadFactoryThatThrowsDoesNotHangTheScope(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("no thread for you");
        AtomicBoolean throwNext = new AtomicBoolean(true);
        ThreadFactory throwFirst = r -> {
            if (throwNext.getAndSet(false)) {
                throw boom;
            }
            return engine.threads().newThread(r);
        };
        try (TaskScope<String, List<Subtask<String>>> scope = engine.open(Joiner.<String>awaitAll(),
                c -> c.withThreadFactory(throwFirst))) {
            assertThatThrownBy(() -> scope.fork(() -> "never")).isSameAs(boom);
            Subtask<String> accepted = scope.fork(() -> "accepted");
            scope.join();
            assertThat(accepted.get()).isEqualTo("accepted");
        }
    }

    // ---- concurrency limit ----------------------------------------------------------------------

    /** With a limit of 3, exactly 3 subtasks run at once, and no thread exists for a 4th until one of them ends. */
    @EveryEngine
    void concurrencyLimitBoundsHowManySubtasksRunAtOnce(ScopeEngine engine) throws Exception {
        int limit = 3;
        int waves = 3;
        ThreadCounter threads = engine.counter();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch[] gates = new CountDownLatch[waves];
        for (int w = 0; w < waves; w++) {
            gates[w] = new CountDownLatch(1);
        }
        try (TaskScope<Integer, List<Integer>> scope = engine.open(Joiner.<Integer>allSuccessful(),
                c -> c.withConcurrencyLimit(limit).withThreadFactory(threads))) {
            for (int i = 0; i < limit * waves; i++) {
                int k = i;
                scope.fork(() -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Await.latch(gates[k / limit]);   // queued subtasks start in fork order: k / limit is my wave
                    running.decrementAndGet();
                    return k;
                });
            }
            for (int w = 0; w < waves; w++) {
                int startedSoFar = limit * (w + 1);
                Await.until("wave " + w + " runs", () -> threads.started() == startedSoFar && running.get() == limit);
                assertThat(threads.created()).as("threads in wave %d", w).isEqualTo(startedSoFar);
                gates[w].countDown();
            }
            assertThat(scope.join()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        }
        assertThat(maxRunning).hasValue(limit);
    }

    /** Forks over the limit return at once without blocking; queued subtasks have no thread, are RUNNING, and start in fork order. */
    @EveryEngine
    void forksOverTheLimitReturnAtOnceAndStartInForkOrder(ScopeEngine engine) throws Exception {
        ThreadCounter threads = engine.counter();
        CountDownLatch gate = new CountDownLatch(1);
        ConcurrentLinkedQueue<Integer> startOrder = new ConcurrentLinkedQueue<>();
        try (TaskScope<Integer, List<Integer>> scope = engine.open(Joiner.<Integer>allSuccessful(),
                c -> c.withConcurrencyLimit(1).withThreadFactory(threads))) {
            scope.fork(() -> {
                startOrder.add(0);
                Await.latch(gate);   // holds the only slot until every fork has returned
                return 0;
            });
            List<Subtask<Integer>> queued = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                int k = i;
                queued.add(scope.fork(() -> {
                    startOrder.add(k);
                    return k;
                }));
            }
            assertThat(threads.created()).isEqualTo(1);
            assertThat(queued).extracting(Subtask::state).containsOnly(RUNNING);
            gate.countDown();
            assertThat(scope.join()).containsExactly(0, 1, 2, 3, 4, 5);
        }
        assertThat(startOrder).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(threads.created()).isEqualTo(6);
    }

    /** Cancelling a scope drains its queue: queued subtasks end CANCELLED without ever running or getting a thread. */
    @EveryEngine
    void cancellationDrainsTheQueue(ScopeEngine engine) throws Exception {
        Boom boom = new Boom("first");
        ThreadCounter threads = engine.counter();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        try (TaskScope<String, List<String>> scope = engine.open(Joiner.<String>allSuccessful(),
                c -> c.withConcurrencyLimit(1).withThreadFactory(threads))) {
            scope.fork(() -> {
                Await.latch(gate);
                throw boom;
            });
            List<Subtask<String>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                queued.add(scope.fork(() -> {
                    queuedRan.set(true);
                    return "queued";
                }));
            }
            gate.countDown();
            assertThatThrownBy(scope::join).isInstanceOf(FailedException.class).cause().isSameAs(boom);
            assertThat(queued).extracting(Subtask::state).containsOnly(CANCELLED);
        }
        assertThat(queuedRan).isFalse();
        assertThat(threads.created()).isEqualTo(1);
    }

    // ---- bad input ------------------------------------------------------------------------------

    /** Null arguments are rejected with NullPointerException: open, configure's result, every with-method, allUntil. */
    @Test
    void nullArgumentsAreRejected() {
        assertThatThrownBy(() -> TaskScope.open(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TaskScope.open(Joiner.allSuccessful(), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TaskScope.open(null, c -> c)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TaskScope.open(Joiner.allSuccessful(), c -> null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> open(c -> c.withName(null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> open(c -> c.withTimeout(null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> open(c -> c.withDeadline(null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> open(c -> c.withThreadFactory(null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> open(c -> c.with(null, "v"))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Joiner.allUntil(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ContextKey.named(null)).isInstanceOf(NullPointerException.class);
    }

    /** Binding a null value is rejected with NullPointerException, as the class's null policy says. */
    @Test
    void bindingANullValueIsRejected() {
        ContextKey<String> key = ContextKey.named("k");
        assertThatThrownBy(() -> open(c -> c.with(key, null))).isInstanceOf(NullPointerException.class);
    }

    /** fork rejects a null task with NullPointerException, callable and runnable alike. */
    @EveryEngine
    void forkRejectsANullTask(ScopeEngine engine) throws Exception {
        try (TaskScope<Object, List<Object>> scope = engine.open()) {
            assertThatThrownBy(() -> scope.fork((java.util.concurrent.Callable<Object>) null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> scope.fork((Runnable) null)).isInstanceOf(NullPointerException.class);
            assertThat(scope.join()).isEmpty();
        }
    }

    /** A blank name is rejected with IllegalArgumentException. */
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankNameIsRejected(String name) {
        assertThatThrownBy(() -> open(c -> c.withName(name))).isInstanceOf(IllegalArgumentException.class);
    }

    /** A negative timeout is rejected with IllegalArgumentException. */
    @Test
    void negativeTimeoutIsRejected() {
        assertThatThrownBy(() -> open(c -> c.withTimeout(Duration.ofNanos(-1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A concurrency limit below 1 is rejected with IllegalArgumentException. */
    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void concurrencyLimitBelowOneIsRejected(int limit) {
        assertThatThrownBy(() -> open(c -> c.withConcurrencyLimit(limit)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(limit));
    }

    /** A configuration is immutable: each with-method returns a changed copy and leaves the original alone. */
    @Test
    void configurationIsImmutable() throws Exception {
        ThreadFactory factory = Thread.ofVirtual().factory();
        Instant deadline = Instant.now().plusSeconds(3600);
        try (TaskScope<String, List<String>> scope = open(c -> {
            Configuration changed = c.withName("copy").withDeadline(deadline).withThreadFactory(factory)
                    .withConcurrencyLimit(2);
            assertThat(c.name()).isNull();
            assertThat(c.deadline()).isNull();
            assertThat(c.threadFactory()).isNull();
            assertThat(c.concurrencyLimit()).isZero();
            assertThat(changed.name()).isEqualTo("copy");
            assertThat(changed.deadline()).isEqualTo(deadline);
            assertThat(changed.threadFactory()).isSameAs(factory);
            assertThat(changed.concurrencyLimit()).isEqualTo(2);
            return changed;
        })) {
            assertThat(scope.name()).isEqualTo("copy");
        }
    }

    /** Opens and closes an allSuccessful scope with the given configuration; for the bad-input tests. */
    private static TaskScope<String, List<String>> open(UnaryOperator<Configuration> configure) {
        TaskScope<String, List<String>> scope = TaskScope.open(Joiner.allSuccessful(), configure);
        scope.close();
        return scope;
    }
}
