package dev.weft.internal.wire;


import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of the connection between a process pool and a worker JVM, a Unix-domain socket
 * that nothing else writes to (the pool's rendezvous, ADR 0005): frames in, frames out. Frames may be written
 * unflushed and sent together by one {@link #flush}.
 *
 * <h2>Frames</h2>
 * A frame is a header of 17 bytes, {@code MAGIC} (4), a type (1), a task id (8) and a payload
 * length (4), followed by the payload: a serialized object ({@link #serialize}) for TASK,
 * READY (null), SETUP_FAILED, RESULT and ERROR; the setup's own form for SETUP (a version header,
 * then the initializer serialized: {@code ProcessWorkerMain.Setup}); a function's bytes for FUNCTION; ids and compact
 * values for CALL, CHUNK and LAMBDA; one byte for CANCEL; a class's name for CLASS_REQUEST and its
 * class file for CLASS_BYTES; nothing for STOP, FORGET and CANCELLED. A frame whose magic number or length
 * is wrong is reported as a {@link StreamCorruptedException} that shows the bytes found, never
 * misread.
 *
 * <h2>Before the worker connects</h2>
 * The parent makes its end with {@link #Channel()} when it starts the worker, and writes to it at
 * once (the setup, and tasks sent ahead): the frames are held in memory, in order, until the
 * reader thread {@link #attach}es the worker's connection and sends them. Nobody waits for the
 * worker's JVM to start, and a worker that dies first leaves no writer blocked.
 *
 * <h2>Threads</h2>
 * One thread reads ({@link #read}), and it alone attaches; any thread writes, each frame whole
 * under {@code writeLock}: {@link #write} sends its frame at once, {@link #writeUnflushed} leaves it
 * in the buffer, to be sent with the frames before and after it by the next {@link #flush} (or
 * {@code write}, or a full buffer). A blocking read and a blocking write of the socket go
 * on at the same time in their threads; {@link #close} from any thread ends both. The parent's end
 * is in non-blocking mode and waits for its socket itself, so that an interrupt of a thread that
 * submits cannot close it ({@link SocketStreams}).
 */
public final class Channel {
    public static final int MAGIC = 0x57656674;            // "Weft"
    public static final int MAX_PAYLOAD = 1 << 30;
    private static final int BUFFER = 1 << 16;
    private static final int HEADER = 17;

    // parent → worker
    public static final byte SETUP = 1, TASK = 2, CANCEL = 3, STOP = 4, FUNCTION = 5, FORGET = 6, CALL = 7, CHUNK = 8,
            CLASS_BYTES = 9, LAMBDA = 10;
    // worker → parent
    public static final byte READY = 11, RESULT = 12, ERROR = 13, SETUP_FAILED = 15, CANCELLED = 16, CLASS_REQUEST = 17;

    /** A frame read. */
    public record Frame(byte type, long id, byte[] payload) {
    }

    /** Read by the one reading thread, which sets it when it attaches; {@code in} reads {@code buffer}. */
    private DataInputStream in;
    private InputBuffer buffer;
    /**
     * Written under writeLock: into {@code held} until the channel is attached, then to the socket.
     * {@code sink} is the stream under {@code out}, which payloads go to directly: past
     * DataOutputStream's monitor, so that a virtual thread that waits for room in the socket
     * does not wait holding a monitor (which pins it to its carrier before JDK 24).
     */
    private DataOutputStream out;
    private OutputStream sink;
    /** The frames written before the worker connected; null once attached. Under writeLock. */
    private ByteArrayOutputStream held;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The connection's streams, once attached; closed by any thread. */
    private volatile SocketStreams streams;
    /** Why {@link #attach} closed the socket it was given, or null; set before {@link #streams}. */
    private Throwable attachFailure;

    /** The parent's end of a worker's channel, before the worker connects: see {@link #attach}. */
    public Channel() {
        this.held = new ByteArrayOutputStream();
        this.sink = held;
        this.out = new DataOutputStream(held);
    }

    /** A worker's end, over its connection to the parent, which stays in blocking mode. */
    public Channel(SocketChannel socket) {
        SocketStreams streams = SocketStreams.blocking(socket);
        this.buffer = new InputBuffer(streams);
        this.in = new DataInputStream(buffer);
        this.sink = new BufferedOutputStream(streams.out, BUFFER);
        this.out = new DataOutputStream(sink);
        this.streams = streams;
    }

    /** The buffer of what was received and not yet read, which can say how much it holds. */
    private static final class InputBuffer extends BufferedInputStream {
        private final SocketStreams socket;

        InputBuffer(SocketStreams socket) {
            super(socket.in, BUFFER);
            this.socket = socket;
        }

        /** How many bytes are in the buffer; the reading thread only. */
        int buffered() {
            return count - pos;
        }

        /**
         * Moves into the buffer what the socket holds now, as far as there is room: a read that
         * does not wait. The end of the stream, or a failure (a reset: the other side died with
         * bytes unread), moves nothing; the reader's next read finds it and reports it, as it
         * would without this. Reading thread only.
         */
        synchronized void fillNow() {
            if (pos > 0) {                      // no marks are set: keep only what is unread
                System.arraycopy(buf, pos, buf, 0, count - pos);
                count -= pos;
                pos = 0;
            }
            if (count < buf.length) {
                try {
                    int n = socket.readNow(buf, count, buf.length - count);
                    if (n > 0) {
                        count += n;
                    }
                } catch (IOException e) {
                    // the reader's to report
                }
            }
        }

        /**
         * Whether the buffer holds a whole frame, which {@link #read} then reads without the
         * socket; or a header that is not a frame's, which it reports. Reading thread only.
         */
        synchronized boolean holdsWholeFrame() {
            int n = count - pos;
            if (n < HEADER) {
                return false;
            }
            int magic = intAt(pos);
            int length = intAt(pos + HEADER - 4);      // the header's last field
            return magic != MAGIC || length < 0 || length > MAX_PAYLOAD || n - HEADER >= length;
        }

        private int intAt(int at) {
            return ((buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16) | ((buf[at + 2] & 0xff) << 8)
                    | (buf[at + 3] & 0xff);
        }
    }

    /**
     * Connects a channel made by {@link #Channel()} to the worker: sends the frames held so far,
     * in order, and writes later ones to {@code socket}. If the worker died as it connected, the
     * frames are lost with it, and the next {@link #read} ends the stream. The socket is put in
     * non-blocking mode, so that no interrupt of a thread that writes or reads can close it
     * ({@link SocketStreams}); if that fails, it is closed, and the next read ends the stream too.
     * Reading thread only, before its first read.
     */
    public void attach(SocketChannel socket) {
        SocketStreams streams;
        try {
            streams = SocketStreams.nonBlocking(socket);
        } catch (IOException | RuntimeException e) {
            attachFailure = e;
            streams = SocketStreams.blocking(socket);
            streams.close();
        }
        this.buffer = new InputBuffer(streams);
        this.in = new DataInputStream(buffer);
        this.streams = streams;
        writeLock.lock();
        try {
            BufferedOutputStream buffered = new BufferedOutputStream(streams.out, BUFFER);
            ByteArrayOutputStream frames = held;
            held = null;
            sink = buffered;
            out = new DataOutputStream(buffered);
            frames.writeTo(out);
            out.flush();
        } catch (IOException e) {
            // the worker is gone: the reader finds out
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * What made this JVM close the connection for a reason of its own, or null if it did not: the
     * socket could not be put in non-blocking mode, or no wait to write could be opened (no
     * descriptor left, say). A worker whose connection this closed exits as if it had broken
     * ({@code WorkerExit.EXIT_CHANNEL_BROKEN}), and only this side knows why. Any thread.
     */
    public Throwable closedHere() {
        SocketStreams attached = streams;
        Throwable failure = attachFailure;
        return failure != null || attached == null ? failure : attached.closedHere();
    }

    /** Closes the connection, if any: a blocked read or write ends with an exception. Any thread. */
    public void close() {
        SocketStreams attached = streams;
        if (attached != null) {
            attached.close();       // the socket, then what waits for it
        }
    }

    /**
     * Reads the next frame; returns null at the end of the stream between frames, or when the
     * connection fails there (closed, or reset by the other side's death).
     *
     * @throws StreamCorruptedException if the bytes are not a frame
     * @throws EOFException if the stream ends inside a frame
     */
    public Frame read() throws IOException {
        int first;
        try {
            first = in.read();
        } catch (IOException e) {
            return null;        // the other side is gone: a reset (it died with bytes unread) ends the stream too
        }
        if (first < 0) {
            return null;
        }
        byte[] header = new byte[16];
        header[0] = (byte) first;
        in.readFully(header, 1, 3);
        int magic = ((first & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        if (magic != MAGIC) {
            byte[] more = in.readNBytes(Math.min(in.available(), 76));
            throw new StreamCorruptedException("not a Weft frame: the stream holds \"" + printable(header, 4, more) + "\"");
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

    /**
     * Whether a whole frame's header, at least, was received and not yet read: the next {@link #read}
     * then needs no system call. Reading thread only.
     */
    public boolean hasBufferedFrame() {
        return buffer.buffered() >= HEADER;
    }

    /**
     * Whether something can be read without blocking: a system call only if nothing is buffered.
     * Reading thread only.
     */
    public boolean hasInput() throws IOException {
        return buffer.buffered() > 0 || buffer.available() > 0;
    }

    /**
     * Whether {@link #read} would return a frame without a call to the socket: it first moves
     * into the buffer what the socket holds, with a read that does not wait. So a thread that must
     * not be held up reads only frames that are here whole, and leaves the end of the stream and
     * its failures to the reader, which reports them. A frame larger than the buffer is never
     * here whole. Reading thread only.
     */
    public boolean hasWholeFrame() {
        buffer.fillNow();
        return buffer.holdsWholeFrame();
    }

    /**
     * Whether something can be read without blocking, asked while another thread may be reading:
     * it looks at the buffer under the buffer's own lock, and at the socket.
     */
    public boolean inputAvailable() throws IOException {
        return buffer.available() > 0;
    }

    /**
     * Waits busily, for up to {@code nanos}, until something can be read without blocking: so that
     * a thread that expects a frame soon is awake when it comes, instead of being woken. Between
     * polls it yields its core ({@link Thread#yield}): a thread that shares the core, such as a
     * parent's thread that polls for this side's answer in turn, runs at once instead of after this
     * one's time slice. It polls first after one yield: a caller asks when {@link #hasInput} has
     * just said no. Reading thread only.
     *
     * @return whether something can be read now
     */
    public boolean awaitInput(long nanos) throws IOException {
        long start = System.nanoTime();
        do {
            Thread.yield();
            if (inputAvailable()) {
                return true;
            }
        } while (System.nanoTime() - start < nanos);
        return false;
    }

    private static String printable(byte[] header, int n, byte[] more) {
        byte[] all = new byte[n + more.length];
        System.arraycopy(header, 0, all, 0, n);
        System.arraycopy(more, 0, all, n, more.length);
        return new String(all, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Writes one frame and flushes it. */
    public void write(byte type, long id, byte[] payload) throws IOException {
        write(type, id, payload, 0, payload.length);
    }

    public void write(byte type, long id, byte[] payload, int offset, int length) throws IOException {
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
    public void writeUnflushed(byte type, long id, byte[] payload) throws IOException {
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
        sink.write(payload, offset, length);
    }

    /** Sends what is buffered. */
    public void flush() throws IOException {
        writeLock.lock();
        try {
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Takes the write lock, so that a caller can check a condition and write as one step. */
    public void lock() {
        writeLock.lock();
    }

    public void unlock() {
        writeLock.unlock();
    }

    // ---- serialization ------------------------------------------------------------------------

    /**
     * Serializes {@code value}.
     *
     * @throws NotSerializableException naming the class that is not serializable
     */
    public static byte[] serialize(Object value) throws IOException {
        return AllowList.serialize(value);
    }

    /**
     * Serializes {@code value}, announcing its application classes, each of which is given to {@code written}.
     *
     * @throws NotSerializableException naming the class that is not serializable
     */
    public static byte[] serialize(Object value, java.util.function.Consumer<Class<?>> written) throws IOException {
        return AllowList.serialize(value, written);
    }

    /**
     * Deserializes {@code payload} through {@code filter}.
     *
     * @throws InvalidClassException if the filter rejected a class, named in the exception
     * @throws ClassNotFoundException if a class is not on this side's class path
     */
    public static Object deserialize(byte[] payload, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        return AllowList.deserialize(payload, filter);
    }

    /** Deserializes {@code payload} through {@code filter}, looking classes up in {@code loader} first. */
    public static Object deserialize(byte[] payload, ObjectInputFilter filter, ClassLoader loader)
            throws IOException, ClassNotFoundException {
        return AllowList.deserialize(payload, filter, loader);
    }
}
