package dev.weft;

import dev.weft.spi.AllowList;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of the pipe pair between a {@link ProcessPool} and a worker JVM: frames in, frames out.
 * Frames may be written unflushed and sent together by one {@link #flush}.
 *
 * <h2>Frames</h2>
 * A frame is a header of 17 bytes, {@code MAGIC} (4), a type (1), a task id (8) and a payload
 * length (4), followed by the payload: a serialized object, or raw bytes for {@code OUT}. A frame
 * whose magic number or length is wrong is reported as a {@link StreamCorruptedException} that
 * shows the bytes found, never misread: something other than Weft wrote to the worker's standard
 * output (a JVM flag such as {@code -Xlog} that logs to stdout, or native code).
 *
 * <h2>Threads</h2>
 * One thread reads ({@link #read}); any thread writes ({@link #write}), one frame at a time under
 * {@code writeLock}, each frame flushed as it is written.
 */
final class Channel {
    static final int MAGIC = 0x57656674;            // "Weft"
    static final int MAX_PAYLOAD = 1 << 30;

    // parent → worker
    static final byte SETUP = 1, TASK = 2, CANCEL = 3, STOP = 4, FUNCTION = 5, FORGET = 6, CALL = 7, CHUNK = 8,
            CLASS_BYTES = 9;
    // worker → parent
    static final byte READY = 11, RESULT = 12, ERROR = 13, OUT = 14, SETUP_FAILED = 15, CANCELLED = 16,
            CLASS_REQUEST = 17;

    /** A frame read. */
    record Frame(byte type, long id, byte[] payload) {
    }

    /** Read by the one reading thread. */
    private final DataInputStream in;
    /** Written under writeLock. */
    private final DataOutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();

    Channel(InputStream in, OutputStream out) {
        this.in = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        this.out = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    }

    /**
     * Reads the next frame; returns null at a clean end of stream (between frames).
     *
     * @throws StreamCorruptedException if the bytes are not a frame
     * @throws EOFException if the stream ends inside a frame
     */
    Frame read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] header = new byte[16];
        header[0] = (byte) first;
        in.readFully(header, 1, 3);
        int magic = ((first & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        if (magic != MAGIC) {
            byte[] more = in.readNBytes(Math.min(in.available(), 76));
            throw new StreamCorruptedException("not a Weft frame: the stream holds \"" + printable(header, 4, more)
                    + "\"; something other than Weft writes to this stream (a worker's stdout: -Xlog, or native code?)");
        }
        byte type = in.readByte();
        long id = in.readLong();
        int length = in.readInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new StreamCorruptedException("a frame of type " + type + " claims " + length + " bytes of payload");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, id, payload);
    }

    private static String printable(byte[] header, int n, byte[] more) {
        byte[] all = new byte[n + more.length];
        System.arraycopy(header, 0, all, 0, n);
        System.arraycopy(more, 0, all, n, more.length);
        return new String(all, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Writes one frame and flushes it. */
    void write(byte type, long id, byte[] payload) throws IOException {
        write(type, id, payload, 0, payload.length);
    }

    void write(byte type, long id, byte[] payload, int offset, int length) throws IOException {
        writeLock.lock();
        try {
            writeUnflushed(type, id, payload, offset, length);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes one frame into the buffer, to be sent by the next {@link #flush}: several frames then
     * cost one system call.
     */
    void writeUnflushed(byte type, long id, byte[] payload) throws IOException {
        writeLock.lock();
        try {
            writeUnflushed(type, id, payload, 0, payload.length);
        } finally {
            writeLock.unlock();
        }
    }

    private void writeUnflushed(byte type, long id, byte[] payload, int offset, int length) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(type);
        out.writeLong(id);
        out.writeInt(length);
        out.write(payload, offset, length);
    }

    /** Sends what is buffered. */
    void flush() throws IOException {
        writeLock.lock();
        try {
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Takes the write lock, so that a caller can check a condition and write as one step. */
    void lock() {
        writeLock.lock();
    }

    void unlock() {
        writeLock.unlock();
    }

    /** Closes the writing side: the other end reads a clean end of stream. */
    void closeOutput() {
        writeLock.lock();
        try {
            out.close();
        } catch (IOException e) {
            // the other side is gone already: nothing to tell it
        } finally {
            writeLock.unlock();
        }
    }

    // ---- serialization ------------------------------------------------------------------------

    /**
     * Serializes {@code value}.
     *
     * @throws NotSerializableException naming the class that is not serializable
     */
    static byte[] serialize(Object value) throws IOException {
        return AllowList.serialize(value);
    }

    /**
     * Serializes {@code value}, announcing its application classes, each of which is given to {@code written}.
     *
     * @throws NotSerializableException naming the class that is not serializable
     */
    static byte[] serialize(Object value, java.util.function.Consumer<Class<?>> written) throws IOException {
        return AllowList.serialize(value, written);
    }

    /**
     * Deserializes {@code payload} through {@code filter}.
     *
     * @throws InvalidClassException if the filter rejected a class, named in the exception
     * @throws ClassNotFoundException if a class is not on this side's class path
     */
    static Object deserialize(byte[] payload, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        return AllowList.deserialize(payload, filter);
    }

    /** Deserializes {@code payload} through {@code filter}, looking classes up in {@code loader} first. */
    static Object deserialize(byte[] payload, ObjectInputFilter filter, ClassLoader loader)
            throws IOException, ClassNotFoundException {
        return AllowList.deserialize(payload, filter, loader);
    }
}
