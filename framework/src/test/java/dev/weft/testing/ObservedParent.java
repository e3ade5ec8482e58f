package dev.weft.testing;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.TaskScope;
import dev.weft.TaskScope.Joiner;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A JVM of its own for the tests of Weft where Flight Recorder is absent, or in a named module: run
 * a scope with a nested one, a CPU pool, an IO pool and a process pool, then print one line,
 * {@code JFR <whether the module jdk.jfr is here> WEFT <Weft's module, or unnamed> MXBEAN <the CPU
 * pool's completed tasks, read through JMX>}. With the argument {@code record}, it first runs a
 * scope (so that Weft's event classes are loaded before any recording), then records the workload
 * and prints a second line, {@code EVENTS name=count ...}, of the Weft events recorded.
 *
 * <p>It names no JUnit or AssertJ type, and no {@code jdk.jfr} type outside {@link Recorder}, which
 * is loaded only to record: so it runs where only {@code java.base} and {@code java.management} are.
 */
public final class ObservedParent {
    private ObservedParent() {
    }

    public static void main(String[] args) throws Exception {
        boolean record = args.length > 0 && args[0].equals("record");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();    // a JVM that uses JMX has one before its pools
        Recorder recorder = null;
        if (record) {
            scopes("before-recording");
            recorder = Recorder.start();
        }
        scopes("observed");
        long completed;
        try (Pool cpu = Pool.cpu(c -> c.withName("observed-cpu").withWorkers(1))) {
            cpu.submit(() -> 1).get();
            completed = (Long) server.getAttribute(new ObjectName("dev.weft:type=Pool,name=observed-cpu"), "CompletedTasks");
        }
        try (Pool io = Pool.io(c -> c.withName("observed-io"))) {
            io.map(x -> x + 1, List.of(1, 2, 3));
        }
        try (ProcessPool processes = Pool.processes(c -> c.withName("observed-processes").withWorkers(1))) {
            processes.map(x -> x * 2, List.of(1, 2, 3));
        }
        Module weft = Pool.class.getModule();
        System.out.println("JFR " + ModuleLayer.boot().findModule("jdk.jfr").isPresent() + " WEFT "
                + (weft.isNamed() ? weft.getName() : "unnamed") + " MXBEAN " + completed);
        if (recorder != null) {
            System.out.println("EVENTS " + recorder.stop());
        }
    }

    /** A scope named {@code name} that forks a subtask that opens a scope of its own. */
    private static void scopes(String name) throws Exception {
        try (TaskScope<Object, List<Object>> outer = TaskScope.open(Joiner.allSuccessful(), c -> c.withName(name))) {
            outer.fork(() -> {
                try (TaskScope<Object, List<Object>> inner = TaskScope.open(Joiner.allSuccessful(),
                        c -> c.withName(name + "-inner"))) {
                    inner.fork(() -> "inner");
                    return inner.join();
                }
            });
            outer.join();
        }
    }

    /** A recording of every Weft event, with no threshold, counted by name once stopped. */
    private static final class Recorder {
        private final jdk.jfr.Recording recording = new jdk.jfr.Recording();

        static Recorder start() {
            Recorder recorder = new Recorder();
            for (String event : FlightRecording.EVENTS) {
                recorder.recording.enable(event).withThreshold(Duration.ZERO);
            }
            recorder.recording.start();
            return recorder;
        }

        String stop() throws Exception {
            recording.stop();
            Path file = Files.createTempFile("weft-observed", ".jfr");
            try {
                recording.dump(file);
                Map<String, Integer> counts = new TreeMap<>();
                for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
                    String type = e.getEventType().getName();
                    if (type.startsWith("dev.weft.")) {
                        counts.merge(type.substring("dev.weft.".length()), 1, Integer::sum);
                    }
                }
                StringBuilder line = new StringBuilder();
                counts.forEach((type, n) -> line.append(type).append('=').append(n).append(' '));
                return line.toString().trim();
            } finally {
                Files.deleteIfExists(file);
                recording.close();
            }
        }
    }
}
