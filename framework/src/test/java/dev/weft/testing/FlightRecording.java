package dev.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Flight Recorder recording of every Weft event, each enabled and with no threshold, read back
 * from its file once stopped: what a test runs between {@link #start()} and {@link #stop()} is in
 * the list that {@code stop} returns, since every event committed before the recording stops is
 * in its file. Nothing waits: a test reads the events only after the workload's threads have
 * ended (a scope closed, a pool closed).
 *
 * <p>Events of other tests' leftovers may be recorded too: tests pick theirs by a name of their
 * own ({@link #scope}, {@link #pool}).
 */
public final class FlightRecording implements AutoCloseable {
    /** Every Weft event. */
    public static final List<String> EVENTS = List.of("dev.weft.ScopeOpened", "dev.weft.ScopeClosed",
            "dev.weft.SubtaskForked", "dev.weft.SubtaskEnded", "dev.weft.PoolTaskQueued", "dev.weft.PoolTaskStarted",
            "dev.weft.PoolTaskEnded", "dev.weft.WorkerStarted", "dev.weft.WorkerExited");

    private final Recording recording;
    private List<RecordedEvent> events;

    private FlightRecording(Recording recording) {
        this.recording = recording;
    }

    /** Starts a recording of every Weft event. */
    public static FlightRecording start() {
        Recording recording = new Recording();
        for (String event : EVENTS) {
            recording.enable(event).withThreshold(Duration.ZERO);
        }
        recording.start();
        return new FlightRecording(recording);
    }

    /** Stops the recording and returns its Weft events, in the order of the file. */
    public List<RecordedEvent> stop() {
        if (events == null) {
            recording.stop();
            try {
                Path file = Files.createTempFile("weft-test", ".jfr");
                try {
                    recording.dump(file);
                    events = RecordingFile.readAllEvents(file).stream()
                            .filter(e -> e.getEventType().getName().startsWith("dev.weft.")).toList();
                } finally {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                recording.close();
            }
        }
        return events;
    }

    @Override
    public void close() {
        recording.close();
    }

    /** The events named {@code name} (without its {@code dev.weft.} prefix) among {@code events} that match {@code filter}. */
    public static List<RecordedEvent> named(List<RecordedEvent> events, String name, Predicate<RecordedEvent> filter) {
        return events.stream().filter(e -> e.getEventType().getName().equals("dev.weft." + name)).filter(filter).toList();
    }

    /** A filter: events of the scope named {@code scope}. */
    public static Predicate<RecordedEvent> scope(String scope) {
        return e -> scope.equals(e.getString("scope"));
    }

    /** A filter: events of the pool named {@code pool}. */
    public static Predicate<RecordedEvent> pool(String pool) {
        return e -> pool.equals(e.getString("pool"));
    }
}
