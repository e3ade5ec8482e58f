package dev.weft;

import static dev.weft.testing.FlightRecording.named;
import static dev.weft.testing.FlightRecording.pool;
import static dev.weft.testing.Tasks.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Await;
import dev.weft.testing.Boom;
import dev.weft.testing.Busy;
import dev.weft.testing.EveryPool;
import dev.weft.testing.Flag;
import dev.weft.testing.FlightRecording;
import dev.weft.testing.PoolKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Timeout;

/**
 * The Flight Recorder events of a pool's tasks, on every pool kind (in the parent, for the kinds
 * whose tasks run elsewhere): {@code dev.weft.PoolTaskQueued}, {@code PoolTaskStarted} and
 * {@code PoolTaskEnded}, tied together by the task's id, with the wait time and the run.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolEventsTest {

    /**
     * Every task the pool accepts is queued, then started and ended (with its outcome, wait time and
     * run), or, cancelled before its turn, ended without starting.
     */
    @EveryPool
    void everyTaskIsQueuedStartedAndEnded(PoolKind kind) throws Exception {
        String name = "jfr-" + kind + "-" + UUID.randomUUID();
        int held = kind.bounded() ? PoolKind.WORKERS : 0;
        String poolKind;
        List<RecordedEvent> events;
        try (FlightRecording recording = FlightRecording.start()) {
            try (Pool pool = kind.open(c -> c.withName(name))) {
                poolKind = ((AbstractPool) pool).kind;
                TaskFuture<String> one = pool.submit(call(() -> "one"));
                TaskFuture<String> two = pool.submit(call(() -> "two"));
                TaskFuture<String> bad = pool.submit(call(() -> {
                    throw new Boom("a pool task");
                }));
                assertThat(one.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("one");
                assertThat(two.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("two");
                assertThatThrownBy(() -> bad.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class);
                if (kind.bounded()) {
                    List<TaskFuture<Object>> holding = new ArrayList<>();
                    Flag release = Busy.hold(pool, held, holding);
                    assertThat(pool.submit(call(() -> "never")).cancel(false)).isTrue();
                    release.raise();
                    for (TaskFuture<Object> f : holding) {
                        f.get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
                    }
                }
            }
            events = recording.stop();
        }
        List<RecordedEvent> queued = named(events, "PoolTaskQueued", pool(name));
        List<RecordedEvent> started = named(events, "PoolTaskStarted", pool(name));
        List<RecordedEvent> ended = named(events, "PoolTaskEnded", pool(name));
        int tasks = 3 + (kind.bounded() ? held + 1 : 0);
        assertThat(queued).hasSize(tasks).allSatisfy(e -> assertThat(e.getString("kind")).isEqualTo(poolKind));
        assertThat(ended).hasSize(tasks);
        Map<Long, RecordedEvent> endedById = ended.stream().collect(Collectors.toMap(e -> e.getLong("taskId"),
                Function.identity()));
        assertThat(endedById.keySet()).as("each task's id, the same in its events")
                .containsExactlyInAnyOrderElementsOf(queued.stream().map(e -> e.getLong("taskId")).toList());
        assertThat(ended).extracting(e -> e.getString("outcome")).filteredOn("SUCCESS"::equals).hasSize(2 + held);
        RecordedEvent failed = ended.stream().filter(e -> e.getString("outcome").equals("FAILED")).findFirst().orElseThrow();
        assertThat(failed.getClass("exception").getName()).isEqualTo(Boom.class.getName());
        assertThat(failed.getBoolean("started")).isTrue();
        for (RecordedEvent start : started) {
            RecordedEvent end = endedById.get(start.getLong("taskId"));
            assertThat(end.getBoolean("started")).isTrue();
            assertThat(start.getDuration("waitTime")).isEqualTo(end.getDuration("waitTime")).isGreaterThanOrEqualTo(java.time.Duration.ZERO);
            assertThat(end.getEndTime()).as("the run ends after the task started").isAfterOrEqualTo(start.getStartTime());
        }
        assertThat(started).hasSize(tasks - (kind.bounded() ? 1 : 0));
        if (kind.bounded()) {
            RecordedEvent cancelled = ended.stream().filter(e -> e.getString("outcome").equals("CANCELLED"))
                    .findFirst().orElseThrow();
            assertThat(cancelled.getBoolean("started")).isFalse();
            assertThat(cancelled.getDuration()).as("no run").isZero();
        }
    }
}
