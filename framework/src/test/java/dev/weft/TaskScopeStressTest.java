package dev.weft;

import static java.util.concurrent.Future.State.CANCELLED;
import static java.util.concurrent.Future.State.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.testing.Blocking;
import dev.weft.testing.EveryEngine;
import dev.weft.testing.ScopeEngine;
import dev.weft.testing.ThreadCounter;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Cancellation racing with forks. Ports of the JDK's {@code StressCancellation} and
 * {@code StressShutdown}: a subtask makes the policy cancel the scope while other subtasks are running,
 * starting, being forked and, with a concurrency limit, being queued. Whatever the interleaving, join
 * must return, every other subtask must end CANCELLED, and close must leave no thread behind. A lost
 * subtask shows up as a join that never returns, caught by the timeout.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeStressTest {

    /** Cancels the scope when the subtask that returns true completes. */
    private static Joiner<Boolean, List<Subtask<Boolean>>> cancelOnTrue() {
        return Joiner.allUntil(s -> s.state() == SUCCESS && s.get());
    }

    /** A cancel racing with 0..15 running and 0..15 starting subtasks: join returns, the rest end CANCELLED, no thread is left. */
    @EveryEngine
    void cancellationRacingWithRunningAndStartingSubtasks(ScopeEngine engine) throws Exception {
        for (int x = 0; x < 256; x++) {
            int before = x & 0x0F;
            int after = (x & 0xF0) >> 4;
            ThreadCounter threads = engine.counter();
            try (TaskScope<Boolean, List<Subtask<Boolean>>> scope = engine.open(cancelOnTrue(),
                    c -> c.withThreadFactory(threads))) {
                for (int i = 0; i < before; i++) {
                    scope.fork(() -> Blocking.<Boolean>untilInterrupted());
                }
                Subtask<Boolean> canceller = scope.fork(() -> true);
                for (int i = 0; i < after; i++) {
                    scope.fork(() -> Blocking.<Boolean>untilInterrupted());
                }
                List<Subtask<Boolean>> subtasks = scope.join();

                assertThat(scope.isCancelled()).isTrue();
                assertThat(canceller.state()).isEqualTo(SUCCESS);
                assertThat(subtasks).hasSize(before + 1 + after)
                        .filteredOn(s -> s != canceller).allSatisfy(s -> assertThat(s.state()).isEqualTo(CANCELLED));
            }
            assertThat(threads.alive()).as("before=%d after=%d", before, after).isEmpty();
        }
    }

    /** A cancel racing with forks into a concurrency-limit queue: join returns, the rest end CANCELLED, no thread is left. */
    @EveryEngine
    void cancellationRacingWithForksIntoTheQueue(ScopeEngine engine) throws Exception {
        for (int round = 0; round < 400; round++) {
            int limit = 1 + round % 3;
            ThreadCounter threads = engine.counter();
            try (TaskScope<Boolean, List<Subtask<Boolean>>> scope = engine.open(cancelOnTrue(),
                    c -> c.withConcurrencyLimit(limit).withThreadFactory(threads))) {
                Subtask<Boolean> canceller = scope.fork(() -> true);
                for (int i = 0; i < 20; i++) {
                    scope.fork(() -> Blocking.<Boolean>untilInterrupted());
                }
                List<Subtask<Boolean>> subtasks = scope.join();

                assertThat(canceller.state()).isEqualTo(SUCCESS);
                assertThat(subtasks).filteredOn(s -> s != canceller)
                        .allSatisfy(s -> assertThat(s.state()).isEqualTo(CANCELLED));
            }
            assertThat(threads.alive()).isEmpty();
            assertThat(threads.created()).isLessThanOrEqualTo(21);
        }
    }
}
