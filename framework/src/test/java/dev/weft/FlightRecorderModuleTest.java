package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Weft with and without Flight Recorder's module, in JVMs of their own running
 * {@link dev.weft.testing.ObservedParent}: it loads and works where {@code jdk.jfr} is absent, on the
 * class path and on the module path, because no event class is loaded there; and in a named module
 * whose event package is not exported, its events are recorded, and its pools' MXBeans read.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlightRecorderModuleTest {

    /** On the class path of a runtime without jdk.jfr, scopes and every local pool kind work, and the MXBean counts. */
    @Test
    void worksOnTheClassPathWithoutTheJfrModule() throws Exception {
        List<String> out = run(List.of("--limit-modules", "java.base,java.management",
                "-cp", System.getProperty("java.class.path")), "plain");
        assertThat(out).containsExactly("JFR false WEFT unnamed MXBEAN 1");
    }

    /** On the module path of a runtime without jdk.jfr (a modular application that does not resolve it), the same. */
    @Test
    void worksOnTheModulePathWithoutTheJfrModule() throws Exception {
        List<String> out = run(modulePath("--limit-modules", "java.base,java.management,dev.weft,org.slf4j"), "plain");
        assertThat(out).containsExactly("JFR false WEFT dev.weft MXBEAN 1");
    }

    /**
     * In module dev.weft, whose event package is not exported, every kind of event is recorded, even
     * though the event classes were loaded before the recording started.
     */
    @Test
    void recordsEventsFromTheNamedModule() throws Exception {
        List<String> out = run(modulePath(), "record");
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo("JFR true WEFT dev.weft MXBEAN 1");
        assertThat(out.get(1)).startsWith("EVENTS ").contains("PoolTaskEnded=", "PoolTaskQueued=", "PoolTaskStarted=",
                "ScopeClosed=2", "ScopeOpened=2", "SubtaskEnded=2", "SubtaskForked=2", "WorkerExited=1",
                "WorkerStarted=1");
    }

    /** The options that put Weft and SLF4J on the module path and the tests on the class path, then {@code extra}. */
    private static List<String> modulePath(String... extra) throws Exception {
        String weft = Path.of(Pool.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String slf4j = Path.of(org.slf4j.LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String tests = Path.of(FlightRecorderModuleTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        List<String> options = new ArrayList<>(List.of("-p", weft + File.pathSeparator + slf4j, "--add-modules", "dev.weft",
                "-cp", tests));
        options.addAll(List.of(extra));
        return options;
    }

    /** Runs ObservedParent with {@code options} and the argument {@code mode}; returns what it printed, once it exited 0. */
    private static List<String> run(List<String> options, String mode) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dslf4j.internal.verbosity=ERROR");
        command.addAll(options);
        command.add("dev.weft.testing.ObservedParent");
        command.add(mode);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = out.lines().collect(Collectors.toList());
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("its exit code; it printed %s", lines).isZero();
            return lines;
        } finally {
            child.destroyForcibly();
        }
    }
}
