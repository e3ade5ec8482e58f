package dev.weft.testing;

import dev.weft.ProcessPool;
import dev.weft.SerializableCallable;
import dev.weft.TaskFuture;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A gate that holds code in other processes until the test opens it, for tests of the process
 * pool: a worker's initializer or task calls {@link #pass()} and blocks, without polling, on a
 * shared lock of a file that the test's process holds exclusively; {@link #open()} releases it.
 * Each process that reaches the gate says so first (a file per pid), so the test can wait, through
 * {@link Await}, until the workers it expects are held there ({@link #arrivals()}).
 *
 * <p>Serializable, so a task or initializer can capture it; the lock stays in the process that
 * made the gate. Used by one test thread.
 */
public final class Gate implements Serializable, AutoCloseable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String lockFile;
    /** The exclusive lock's channel, in the process that made the gate; null once open, and in other processes. */
    private transient FileChannel held;

    private Gate(String lockFile, FileChannel held) {
        this.lockFile = lockFile;
        this.held = held;
    }

    /** A new gate, closed: {@link #pass()} blocks in every other process until {@link #open()}. */
    public static Gate closed() {
        try {
            Path file = TempDirs.create("weft-gate-").resolve("lock");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            channel.lock();
            return new Gate(file.toString(), channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** In another process: says it arrived, then waits until the gate is open. */
    public void pass() {
        Path file = Path.of(lockFile);
        try {
            Files.createFile(file.resolveSibling("arrived-" + ProcessHandle.current().pid()));
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                channel.lock(0, Long.MAX_VALUE, true).release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A task that passes this gate in the worker that runs it, then returns that worker's pid. */
    public SerializableCallable<Long> task() {
        return () -> {
            pass();
            return ProcessHandle.current().pid();
        };
    }

    /**
     * Submits {@link #task()} to {@code pool}, and waits until one more process has reached the
     * gate, for up to 30 seconds: a worker is then held here, running it.
     *
     * @param what what the wait is for, as a failed wait says it
     */
    public TaskFuture<Long> holdIn(ProcessPool pool, String what) {
        long before = arrivals();
        TaskFuture<Long> task = pool.submit(task());
        Await.until(what, () -> arrivals() == before + 1, Duration.ofSeconds(30));
        return task;
    }

    /** How many processes have reached the gate so far. */
    public long arrivals() {
        try (Stream<Path> files = Files.list(Path.of(lockFile).getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith("arrived-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the gate: every process held in {@link #pass()} goes on, and later ones pass at once. */
    public void open() {
        if (held != null) {
            try {
                held.close();                   // releases the lock
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            held = null;
        }
    }

    /** Opens the gate if it is still closed. */
    @Override
    public void close() {
        open();
    }
}
