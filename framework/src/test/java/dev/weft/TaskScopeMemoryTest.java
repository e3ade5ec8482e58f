package dev.weft;

import static java.util.concurrent.Future.State.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.testing.Await;
import dev.weft.testing.EveryEngine;
import dev.weft.testing.ScopeEngine;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * The memory-consistency effects in the {@link TaskScope} javadoc: owner's writes before fork are
 * visible in the subtask; a subtask's writes are visible once its completion is observed, by join, by
 * asCompleted or by reading a final state. Every write and read here is plain (no volatile, no lock),
 * so only the scope's own happens-before edges can make the values visible. Such tests cannot prove
 * the absence of a race (jcstress does that); they catch a missing edge when the JIT or the hardware
 * exploits it, and they document the contract as code. Each runs many short scopes to give a missing
 * edge a chance to show.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskScopeMemoryTest {
    private static final int ROUNDS = 200;

    /** Plain data, written by one thread and read by another. */
    static final class Box {
        int a;
        int b;
        String text;
    }

    /** Writes the owner makes before fork are visible to the subtask. */
    @EveryEngine
    void ownerWritesBeforeForkAreVisibleInTheSubtask(ScopeEngine engine) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Box box = new Box();
            box.a = round;
            box.b = -round;
            box.text = "round " + round;
            try (TaskScope<String, List<String>> scope = engine.open()) {
                scope.fork(() -> box.a + "|" + box.b + "|" + box.text);
                assertThat(scope.join()).containsExactly(round + "|" + -round + "|round " + round);
            }
        }
    }

    /** A subtask's writes are visible to the owner after join, also when the subtask failed. */
    @EveryEngine
    void subtaskWritesAreVisibleAfterJoin(ScopeEngine engine) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Box ok = new Box();
            Box failed = new Box();
            int r = round;
            try (TaskScope<Object, List<Subtask<Object>>> scope = engine.open(Joiner.awaitAll())) {
                scope.fork(() -> {
                    ok.a = r;
                    ok.text = "ok " + r;
                });
                scope.fork(() -> {
                    failed.a = r;
                    failed.text = "failed " + r;
                    throw new IllegalStateException("after writing");
                });
                scope.join();
            }
            assertThat(ok.a).isEqualTo(r);
            assertThat(ok.text).isEqualTo("ok " + r);
            assertThat(failed.a).isEqualTo(r);
            assertThat(failed.text).isEqualTo("failed " + r);
        }
    }

    /** A subtask's writes are visible to the owner as soon as asCompleted returns it. */
    @EveryEngine
    void subtaskWritesAreVisibleWhenAsCompletedReturnsIt(ScopeEngine engine) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Box box = new Box();
            int r = round;
            try (TaskScope<Object, List<Object>> scope = engine.open()) {
                scope.fork(() -> {
                    box.a = r;
                    box.text = "done " + r;
                });
                for (Subtask<Object> done : scope.asCompleted()) {
                    assertThat(done.state()).isEqualTo(SUCCESS);
                    assertThat(box.a).isEqualTo(r);
                    assertThat(box.text).isEqualTo("done " + r);
                }
                scope.join();
            }
        }
    }

    /** A subtask's writes are visible to any thread that reads its state() as final. */
    @EveryEngine
    void subtaskWritesAreVisibleOnceStateReadsFinal(ScopeEngine engine) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Box box = new Box();
            int r = round;
            try (TaskScope<Object, List<Object>> scope = engine.open()) {
                Subtask<Object> subtask = scope.fork(() -> {
                    box.a = r;
                    box.text = "state " + r;
                });
                Await.until("the subtask succeeded", () -> subtask.state() == SUCCESS);
                assertThat(box.a).isEqualTo(r);
                assertThat(box.text).isEqualTo("state " + r);
                scope.join();
            }
        }
    }
}
