package dev.weft;

import dev.weft.internal.process.WorkerCommand;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A 64-bit counter that every JVM on the machine can update atomically: the tasks of a
 * {@link ProcessPool} running in different worker JVMs, and the parent. Python:
 * {@code multiprocessing.Value('q', 0)} with its lock, without the lock.
 *
 * <pre>{@code
 * try (SharedCounter hits = SharedCounter.create();
 *      ProcessPool pool = Pool.processes()) {
 *     pool.map(url -> { hits.incrementAndGet(); return fetch(url); }, urls);   // in the workers
 *     System.out.println(hits.get());                                          // exact
 * }
 * }</pre>
 *
 * <h2>How</h2>
 * The value lives in a file mapped into memory by every JVM that uses it, 8 bytes per counter;
 * all access goes through a {@link VarHandle} on the mapping, so each update is one atomic
 * read-modify-write instruction on memory the processes share (the page cache), with the memory
 * effects of a volatile access. A mapping starts on a page boundary and counter {@code i} sits at
 * byte {@code 8 * i}, so every counter is naturally aligned, as atomic access requires. A counter
 * is serializable: what crosses to a worker is the file's path and the counter's index, and the
 * worker maps the same file (once per file, for as long as that JVM lives). Within one JVM, it is
 * a plain atomic counter too. {@link #createMany} makes several in one file, one per key of a tally.
 *
 * <h2>Crashes and cleanup</h2>
 * An update that returned is in shared memory: if the process that made it dies a moment later,
 * the update stays, and no update is ever half done. The file is not forced to disk, so the value
 * does not survive a crash of the machine, only of processes. The JVM that {@link #create()}d the
 * counter owns its file: {@link #close()} there deletes it (and it is deleted at that JVM's
 * exit otherwise); closing a copy in a worker does nothing. Mappings are released when the
 * counter is garbage collected.
 *
 * <p>Thread safety: every method may be called from any thread of any process. Null policy: no
 * method takes or returns null.
 *
 * @since 0.1
 */
public final class SharedCounter implements Serializable, AutoCloseable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Mappings made by deserialization in this JVM, by file, so that copies of one file share one. */
    private static final Map<String, MappedByteBuffer> RECEIVED = new ConcurrentHashMap<>();

    /** The path of the counter's file, as a string: what crosses to another JVM, with the index. */
    private final String path;
    /** The counter's index in its file: its value is at byte {@code 8 * index}. */
    private final int index;
    /** The mapping of the whole file, shared by the counters of one create or open; never serialized. */
    private final transient MappedByteBuffer memory;
    /** Whether this instance created the file, and so deletes it on close. */
    private final transient boolean owner;

    private SharedCounter(String path, int index, MappedByteBuffer memory, boolean owner) {
        this.path = path;
        this.index = index;
        this.memory = memory;
        this.owner = owner;
    }

    /**
     * Creates a counter at 0 in a new temporary file, readable and writable by this user only.
     *
     * @return a new counter, at 0, that owns its file
     * @throws UncheckedIOException if the file cannot be created or mapped
     */
    public static SharedCounter create() {
        return createMany(1).get(0);
    }

    /**
     * Creates {@code count} counters at 0 in one new temporary file: one per key of a tally, say.
     * Python: {@code multiprocessing.Array('q', count)}.
     *
     * @param count how many counters, from 1 to 2<sup>28</sup>
     * @return the counters, at 0, in index order: an unmodifiable list; they own their file
     * @throws IllegalArgumentException if {@code count} is below 1 or above 2<sup>28</sup>
     * @throws UncheckedIOException if the file cannot be created or mapped
     */
    public static List<SharedCounter> createMany(int count) {
        if (count < 1 || count > 1 << 28) {
            throw new IllegalArgumentException("count must be between 1 and 2^28, but was " + count);
        }
        try {
            Path file = WorkerCommand.privateTempFile("weft-counter-", ".bin");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(0).write(java.nio.ByteBuffer.allocate(1), (long) count * Long.BYTES - 1);
            }
            file.toFile().deleteOnExit();
            return counters(file.toString(), map(file), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a shared counter file", e);
        }
    }

    /**
     * Maps an existing counter file, for instance one whose {@link #path()} another process
     * printed, and returns its first counter. This instance does not own the file.
     *
     * @param path the counter file
     * @return the file's first counter, at index 0
     * @throws IllegalArgumentException if the file is not a counter file (its size is not a positive multiple of 8,
     *                                  or it holds more than 2<sup>28</sup> counters)
     * @throws UncheckedIOException if it cannot be opened or mapped
     */
    public static SharedCounter open(Path path) {
        return openMany(path).get(0);
    }

    /**
     * Maps an existing counter file and returns all its counters, in order. They do not own the file.
     *
     * @param path the counter file
     * @return the file's counters, in index order: an unmodifiable list
     * @throws IllegalArgumentException if the file is not a counter file (its size is not a positive multiple of 8,
     *                                  or it holds more than 2<sup>28</sup> counters)
     * @throws UncheckedIOException if it cannot be opened or mapped
     */
    public static List<SharedCounter> openMany(Path path) {
        Objects.requireNonNull(path, "path");
        return counters(path.toString(), map(path), false);
    }

    private static List<SharedCounter> counters(String path, MappedByteBuffer memory, boolean owner) {
        List<SharedCounter> all = new ArrayList<>(memory.capacity() / Long.BYTES);
        for (int i = 0; i < memory.capacity() / Long.BYTES; i++) {
            all.add(new SharedCounter(path, i, memory, owner));
        }
        return List.copyOf(all);
    }

    private static MappedByteBuffer map(Path path) {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = file.size();
            if (size < Long.BYTES || size % Long.BYTES != 0 || size > (long) Long.BYTES << 28) {
                throw new IllegalArgumentException(path + " is not a shared counter file: it holds " + size
                        + " bytes, not a positive multiple of " + Long.BYTES);
            }
            return file.map(FileChannel.MapMode.READ_WRITE, 0, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the shared counter file " + path, e);
        }
    }

    /** {@return the current value (a volatile read)} */
    public long get() {
        return (long) LONG.getVolatile(memory, index * Long.BYTES);
    }

    /**
     * Adds one and returns the new value.
     *
     * @return the value after the increment
     */
    public long incrementAndGet() {
        return addAndGet(1);
    }

    /**
     * Adds {@code delta} atomically and returns the new value.
     *
     * @param delta what to add; may be negative, and wraps around as {@code long} addition does
     * @return the value after the addition
     */
    public long addAndGet(long delta) {
        return (long) LONG.getAndAdd(memory, index * Long.BYTES, delta) + delta;
    }

    /**
     * Sets the value to {@code newValue} if it is {@code expected}; returns whether it did.
     *
     * @param expected the value the counter must hold
     * @param newValue the value to set
     * @return {@code true} if the counter held {@code expected} and now holds {@code newValue}
     */
    public boolean compareAndSet(long expected, long newValue) {
        return LONG.compareAndSet(memory, index * Long.BYTES, expected, newValue);
    }

    /**
     * Sets the value (a volatile write).
     *
     * @param newValue the new value
     */
    public void set(long newValue) {
        LONG.setVolatile(memory, index * Long.BYTES, newValue);
    }

    /** {@return the backing file} */
    public Path path() {
        return Path.of(path);
    }

    /** {@return this counter's index in its file (0 for {@link #create()})} */
    public int index() {
        return index;
    }

    /**
     * In the JVM that created the counter, deletes its file; elsewhere does nothing.
     *
     * @throws UncheckedIOException if the file exists and cannot be deleted
     */
    @Override
    public void close() {
        if (owner) {
            try {
                Files.deleteIfExists(Path.of(path));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the shared counter file " + path, e);
            }
        }
    }

    /**
     * A copy, in another JVM, maps the same file (once per file in that JVM).
     *
     * @return a counter at the same index of the same file, mapped in this JVM, that does not own
     *         the file
     * @throws ObjectStreamException never: a file that cannot be mapped here throws
     *         {@link UncheckedIOException}, one that is no counter file {@link IllegalArgumentException}
     */
    @Serial
    private Object readResolve() throws ObjectStreamException {
        return new SharedCounter(path, index, RECEIVED.computeIfAbsent(path, p -> map(Path.of(p))), false);
    }

    @Override
    public String toString() {
        return "SharedCounter[" + path + "#" + index + " = " + get() + "]";
    }
}
