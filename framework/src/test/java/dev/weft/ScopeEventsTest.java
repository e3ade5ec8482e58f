package dev.weft;

import static dev.weft.testing.FlightRecording.named;
import static dev.weft.testing.FlightRecording.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.weft.TaskScope.Joiner;
import dev.weft.TaskScope.Subtask;
import dev.weft.testing.Await;
import dev.weft.testing.Blocking;
import dev.weft.testing.Boom;
import dev.weft.testing.FlightRecording;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Flight Recorder events of scopes, read back from a recording: {@code dev.weft.ScopeOpened},
 * {@code ScopeClosed}, {@code SubtaskForked} and {@code SubtaskEnded} give each scope's name, id,
 * enclosing scope, owner, policy, outcome and counts, so that the scope tree can be drawn from them.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScopeEventsTest {

    /**
     * A nested scope's events name the scope it was opened in and the subtask thread that owns it;
     * each close says how join ended and counts the subtasks; each subtask's end says its state,
     * exception and thread.
     */
    @Test
    void eventsDrawTheScopeTreeWithOutcomesAndCounts() throws Exception {
        List<RecordedEvent> events;
        try (FlightRecording recording = FlightRecording.start()) {
            try (TaskScope<Object, List<Object>> outer = TaskScope.open(Joiner.allSuccessful(),
                    c -> c.withName("jfr-tree-outer"))) {
                outer.fork(() -> {
                    try (TaskScope<Object, List<Subtask<Object>>> inner = TaskScope.open(Joiner.awaitAll(),
                            c -> c.withName("jfr-tree-inner"))) {
                        inner.fork(() -> "fine");
                        inner.fork(() -> {
                            throw new Boom("inner");
                        });
                        return inner.join().size();
                    }
                });
                outer.fork(() -> "also fine");
                outer.join();
            }
            events = recording.stop();
        }
        RecordedEvent outerOpened = only(named(events, "ScopeOpened", scope("jfr-tree-outer")));
        RecordedEvent innerOpened = only(named(events, "ScopeOpened", scope("jfr-tree-inner")));
        long outerId = outerOpened.getLong("scopeId");
        assertThat(outerId).isPositive();
        assertThat(outerOpened.getLong("enclosingId")).isZero();
        assertThat(outerOpened.getString("owner")).isEqualTo(Thread.currentThread().getName());
        assertThat(outerOpened.getString("policy")).isEqualTo("allSuccessful");
        assertThat(outerOpened.getString("engine")).isEqualTo(TaskScope.engine());
        assertThat(innerOpened.getLong("scopeId")).isNotIn(0L, outerId);
        assertThat(innerOpened.getLong("enclosingId")).isEqualTo(outerId);
        assertThat(innerOpened.getString("owner")).isEqualTo("weft-scope-jfr-tree-outer-1");
        assertThat(innerOpened.getString("policy")).isEqualTo("awaitAll");

        RecordedEvent innerClosed = only(named(events, "ScopeClosed", scope("jfr-tree-inner")));
        assertThat(innerClosed.getLong("scopeId")).isEqualTo(innerOpened.getLong("scopeId"));
        assertThat(innerClosed.getLong("enclosingId")).isEqualTo(outerId);
        assertThat(innerClosed.getString("outcome")).isEqualTo("succeeded");
        assertThat(innerClosed.getBoolean("cancelled")).isFalse();
        assertThat(List.of(innerClosed.getInt("forked"), innerClosed.getInt("succeeded"), innerClosed.getInt("failed"),
                innerClosed.getInt("cancelledSubtasks"))).containsExactly(2, 1, 1, 0);
        RecordedEvent outerClosed = only(named(events, "ScopeClosed", scope("jfr-tree-outer")));
        assertThat(outerClosed.getString("outcome")).isEqualTo("succeeded");
        assertThat(outerClosed.getInt("succeeded")).isEqualTo(2);
        assertThat(outerClosed.getDuration()).as("open to close, the inner scope inside it")
                .isGreaterThanOrEqualTo(innerClosed.getDuration());

        assertThat(named(events, "SubtaskForked", scope("jfr-tree-outer")))
                .extracting(e -> e.getString("threadName"), e -> e.getBoolean("queued"))
                .containsExactly(tuple("weft-scope-jfr-tree-outer-1", false),
                        tuple("weft-scope-jfr-tree-outer-2", false));
        List<RecordedEvent> innerEnded = named(events, "SubtaskEnded", scope("jfr-tree-inner"));
        assertThat(innerEnded).extracting(e -> e.getString("state")).containsExactlyInAnyOrder("SUCCESS", "FAILED");
        RecordedEvent failed = only(innerEnded.stream().filter(e -> e.getString("state").equals("FAILED")).toList());
        assertThat(failed.getClass("exception").getName()).isEqualTo(Boom.class.getName());
        assertThat(failed.getString("message")).isEqualTo("inner");
        assertThat(failed.getString("threadName")).isEqualTo("weft-scope-jfr-tree-inner-2");
        assertThat(failed.getLong("scopeId")).isEqualTo(innerOpened.getLong("scopeId"));
        assertThat(named(events, "SubtaskEnded", scope("jfr-tree-outer"))).hasSize(2);
    }

    /** A close says how join ended: failed, timed out, interrupted, or not joined at all; and whether the scope was cancelled. */
    @Test
    void closeSaysHowJoinEnded() throws Exception {
        List<RecordedEvent> events;
        try (FlightRecording recording = FlightRecording.start()) {
            try (TaskScope<Object, List<Object>> scope = TaskScope.open(Joiner.allSuccessful(),
                    c -> c.withName("jfr-failed"))) {
                scope.fork(() -> {
                    throw new Boom("fails");
                });
                assertThatThrownBy(scope::join).isInstanceOf(FailedException.class);
            }
            try (TaskScope<Object, List<Object>> scope = TaskScope.open(Joiner.allSuccessful(),
                    c -> c.withName("jfr-timed-out").withTimeout(Duration.ofMillis(1)))) {
                scope.fork(() -> Blocking.untilInterrupted());     // by the deadline
                assertThatThrownBy(scope::join).isInstanceOf(UncheckedTimeoutException.class);
            }
            assertThatThrownBy(() -> {
                try (TaskScope<Object, List<Object>> scope = TaskScope.open(Joiner.allSuccessful(),
                        c -> c.withName("jfr-not-joined"))) {
                    scope.fork(() -> "never asked for");
                }
            }).isInstanceOf(IllegalStateException.class);
            joinInterrupted("jfr-interrupted");
            events = recording.stop();
        }
        assertThat(closed(events, "jfr-failed")).containsExactly("failed", "cancelled");
        assertThat(closed(events, "jfr-timed-out")).containsExactly("timed out", "cancelled");
        assertThat(closed(events, "jfr-not-joined").get(0)).isEqualTo("not joined");     // cancelled or not: a race
        assertThat(closed(events, "jfr-interrupted")).containsExactly("interrupted", "cancelled");
        RecordedEvent timedOut = only(named(events, "ScopeClosed", scope("jfr-timed-out")));
        assertThat(timedOut.getInt("cancelledSubtasks")).isEqualTo(1);
    }

    /** A fork that must wait for a slot of the concurrency limit is recorded as queued. */
    @Test
    void aForkThatWaitsForASlotIsRecordedAsQueued() throws Exception {
        List<RecordedEvent> events;
        try (FlightRecording recording = FlightRecording.start()) {
            CountDownLatch release = new CountDownLatch(1);
            try (TaskScope<Object, List<Object>> scope = TaskScope.open(Joiner.allSuccessful(),
                    c -> c.withName("jfr-limited").withConcurrencyLimit(1))) {
                scope.fork(() -> {
                    Await.latch(release);
                    return 1;
                });
                scope.fork(() -> 2);
                release.countDown();
                assertThat(scope.join()).containsExactly(1, 2);
            }
            events = recording.stop();
        }
        assertThat(named(events, "SubtaskForked", scope("jfr-limited"))).extracting(e -> e.getBoolean("queued"))
                .containsExactly(false, true);
        assertThat(named(events, "SubtaskEnded", scope("jfr-limited"))).extracting(e -> e.getString("state"))
                .containsExactly("SUCCESS", "SUCCESS");
    }

    /** A scope opened before the recording started records nothing, even if it closes during it: its fork and close only test its token. */
    @Test
    void aScopeOpenedBeforeTheRecordingRecordsNothing() throws Exception {
        List<RecordedEvent> events;
        try (TaskScope<Object, List<Object>> scope = TaskScope.open(Joiner.allSuccessful(),
                c -> c.withName("jfr-before"))) {
            try (FlightRecording recording = FlightRecording.start()) {
                scope.fork(() -> 1);
                scope.join();
                scope.close();
                events = recording.stop();
            }
        }
        assertThat(events.stream().filter(scope("jfr-before"))).isEmpty();
    }

    /** The owner of scope {@code name} is interrupted while it waits in join; join throws InterruptedException. */
    private static void joinInterrupted(String name) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch forked = new CountDownLatch(1);
        Thread owner = Thread.ofPlatform().name("jfr-interrupted-owner").start(() -> {
            try (TaskScope<Object, List<Object>> scope = TaskScope.open(Joiner.allSuccessful(), c -> c.withName(name))) {
                scope.fork(() -> Blocking.untilInterrupted());     // by the cancellation
                forked.countDown();
                scope.join();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Await.latch(forked);
        Await.blockedIn(owner, "join");
        owner.interrupt();
        owner.join(Await.LIMIT.toMillis());
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    /** The outcome of the one close of scope {@code name}, and whether it was cancelled. */
    private static List<String> closed(List<RecordedEvent> events, String name) {
        RecordedEvent closed = only(named(events, "ScopeClosed", scope(name)));
        return List.of(closed.getString("outcome"), closed.getBoolean("cancelled") ? "cancelled" : "open");
    }

    private static RecordedEvent only(List<RecordedEvent> events) {
        assertThat(events).hasSize(1);
        return events.get(0);
    }
}
