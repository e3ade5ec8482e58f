package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A worker's standard output is its own, as a user's program would expect: JVM logging, raw writes
 * to file descriptor 1 and subprocesses that inherit it neither break the worker nor get lost; they
 * reach the parent's {@code System.out}. Tested as a user of the library, outside {@code dev.weft}.
 *
 * <p>Each test captures {@code System.out} (off the build's output; a failed assertion shows it) for the pool's whole life, and
 * reads it after {@code close()}, which returns only once the workers' output has been copied.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessPoolOutputTest {
    private PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @BeforeEach
    void captureStdout() {
        original = System.out;
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
            }
        };
        System.setOut(new PrintStream(both, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(original);
    }

    private String stdout() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** The pool's configuration as a user writes it; their own classes must be allowed by name today. */
    private static ProcessPool pool(UnaryOperator<ProcessPool.Configuration> more) {
        return Pool.processes(c -> more.apply(c.withWorkers(1).withAllowedClasses("com.example.weft.**")));
    }

    /** A worker started with GC logging on stdout runs tasks, and the log lines reach the parent's stdout. */
    @ParameterizedTest
    @ValueSource(strings = {"-Xlog:gc", "-verbose:gc"})
    void gcLoggingOnAWorkersStdoutReachesTheParent(String flag) throws Exception {
        try (ProcessPool pool = pool(c -> c.withJvmArgs(flag))) {
            assertThat(pool.map(x -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
            pool.submit(() -> {
                System.gc();                    // one more line, from a task
                return null;
            }).get(30, TimeUnit.SECONDS);
        }
        assertThat(stdout()).contains("[gc]").contains("Using ").contains("Pause Full (System.gc())");
    }

    /** A task that writes to file descriptor 1 directly keeps its worker, and the text reaches the parent. */
    @Test
    void rawWritesToFileDescriptorOutReachTheParent() throws Exception {
        try (ProcessPool pool = pool(c -> c)) {
            long pid = pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS);
            long same = pool.submit(() -> {
                FileOutputStream raw = new FileOutputStream(FileDescriptor.out);
                raw.write("raw bytes on fd 1\n".getBytes(StandardCharsets.US_ASCII));
                raw.flush();
                return ProcessHandle.current().pid();
            }).get(30, TimeUnit.SECONDS);
            assertThat(same).as("the same worker, alive").isEqualTo(pid);
            assertThat(pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS)).isEqualTo(pid);
        }
        assertThat(stdout()).contains("raw bytes on fd 1\n");
    }

    /** A subprocess that inherits the worker's stdout keeps the worker alive, and its output reaches the parent. */
    @Test
    void subprocessThatInheritsStdoutReachesTheParent() throws Exception {
        try (ProcessPool pool = pool(c -> c)) {
            long pid = pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS);
            int exit = pool.submit(() -> new ProcessBuilder("echo", "hi from a subprocess").inheritIO().start().waitFor())
                    .get(30, TimeUnit.SECONDS);
            assertThat(exit).isZero();
            assertThat(pool.submit(() -> ProcessHandle.current().pid()).get(30, TimeUnit.SECONDS)).isEqualTo(pid);
        }
        assertThat(stdout()).contains("hi from a subprocess\n");
    }
}
