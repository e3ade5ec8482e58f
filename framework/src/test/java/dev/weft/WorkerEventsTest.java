package dev.weft;

import static dev.weft.testing.FlightRecording.named;
import static dev.weft.testing.FlightRecording.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.weft.testing.Await;
import dev.weft.testing.FlightRecording;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Flight Recorder events of a process pool's worker JVMs: {@code dev.weft.WorkerStarted} with
 * its pid, and {@code dev.weft.WorkerExited} with its exit code, how it ended in words, whether the
 * pool asked for it, and its life as the duration.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerEventsTest {

    /** A worker killed from outside is recorded as a death (exit code 137, SIGKILL); its replacement's stop at close as expected. */
    @Test
    void aKilledWorkerAndAStoppedOneAreRecordedWithTheirExitCodes() throws Exception {
        String name = "jfr-workers-" + UUID.randomUUID();
        long killed;
        long replacement;
        List<RecordedEvent> events;
        try (FlightRecording recording = FlightRecording.start()) {
            try (ProcessPool pool = Pool.processes(c -> c.withName(name).withWorkers(1))) {
                ProcessPoolImpl impl = (ProcessPoolImpl) pool;
                assertThat(pool.submit(() -> "ready").get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ready");
                killed = impl.pids().get(0);
                ProcessHandle.of(killed).orElseThrow().destroyForcibly();
                Await.until("the killed worker is replaced", () -> !impl.pids().isEmpty() && impl.pids().get(0) != killed);
                replacement = impl.pids().get(0);
                assertThat(pool.submit(() -> "again").get(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("again");
            }
            events = recording.stop();
        }
        assertThat(named(events, "WorkerStarted", pool(name)))
                .extracting(e -> e.getInt("worker"), e -> e.getLong("pid"))
                .containsExactly(tuple(1, killed),
                        tuple(2, replacement));
        List<RecordedEvent> exited = named(events, "WorkerExited", pool(name));
        assertThat(exited).hasSize(2);
        RecordedEvent death = exited.stream().filter(e -> e.getLong("pid") == killed).findFirst().orElseThrow();
        assertThat(death.getInt("worker")).isEqualTo(1);
        assertThat(death.getInt("exitCode")).isEqualTo(137);
        assertThat(death.getString("how")).contains("killed by signal 9, SIGKILL");
        assertThat(death.getBoolean("expected")).isFalse();
        assertThat(death.getBoolean("ready")).isTrue();
        assertThat(death.getDuration()).as("its life").isPositive();
        RecordedEvent stop = exited.stream().filter(e -> e.getLong("pid") == replacement).findFirst().orElseThrow();
        assertThat(stop.getInt("exitCode")).isZero();
        assertThat(stop.getBoolean("expected")).isTrue();
        assertThat(stop.getString("how")).isEqualTo("exited with code 0");
    }
}
