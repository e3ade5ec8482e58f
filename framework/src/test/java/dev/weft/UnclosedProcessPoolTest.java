package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@link ProcessPool}'s javadoc says about the JVM's exit: an open process pool keeps the JVM
 * alive after {@code main} returns, as an open CPU pool or {@code ThreadPoolExecutor} does; a
 * closed one does not. Each test runs a parent JVM ({@code UnclosedPoolParent}) and watches it.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnclosedProcessPoolTest {

    /**
     * A JVM whose main returns without closing its process pool stays alive, with its worker; it
     * is checked for a bounded time, then killed, and its worker exits after it.
     */
    @Test
    void unclosedProcessPoolKeepsTheJvmAlive() throws Exception {
        Process parent = startParent("leave-open");
        long worker;
        try {
            worker = workerPid(parent);
            // main has returned; a short wait shows the JVM staying, then the positive checks.
            assertThat(parent.waitFor(3, TimeUnit.SECONDS)).as("the JVM exited with its process pool open").isFalse();
            assertThat(parent.isAlive()).isTrue();
            assertThat(ProcessHandle.of(worker).map(ProcessHandle::isAlive)).contains(true);
        } finally {
            parent.destroyForcibly();
        }
        assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Await.until("the worker " + worker + " of the killed parent exited",
                () -> ProcessHandle.of(worker).map(h -> !h.isAlive()).orElse(true), Duration.ofSeconds(30));
    }

    /** A JVM whose main closes its process pool before returning exits by itself, with status 0, and leaves no worker. */
    @Test
    void closedProcessPoolLetsTheJvmExit() throws Exception {
        Process parent = startParent("close");
        long worker;
        try {
            worker = workerPid(parent);
            assertThat(parent.waitFor(60, TimeUnit.SECONDS)).as("the JVM exited after closing its pool").isTrue();
        } finally {
            parent.destroyForcibly();
        }
        assertThat(parent.exitValue()).isZero();
        assertThat(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    private static Process startParent(String mode) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.weft.testing.UnclosedPoolParent", mode).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static long workerPid(Process parent) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the parent's first line").startsWith("WORKER ");
        return Long.parseLong(line.substring("WORKER ".length()).trim());
    }
}
