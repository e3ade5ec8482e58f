package dev.weft.internal.wire;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Channel}'s streams over its socket, which no caller's interrupt can close.
 *
 * <p>A {@code SocketChannel} in blocking mode is an {@code InterruptibleChannel}: a thread
 * interrupted while it reads or writes it closes it, and with it a worker's connection. On the
 * parent's side any thread writes (those that submit), and a thread waiting for its answer may
 * read; an interrupt aimed at such a thread, as a task scope's cancellation sends its subtasks,
 * would kill the worker and fail every task it held. So the parent's end is put in non-blocking
 * mode, where the channel's reads and writes never close it, and these streams wait for it
 * themselves: on a {@link Selector} per direction, or, on a virtual thread before JDK 25 (whose
 * selectors hold the carrier), in short parks. A worker's end stays blocking: only its own
 * threads use it.
 *
 * <p>Either way each call puts the caller's interrupt status aside and sets it again on return,
 * so a thread whose status is set reads and writes as any other (on a blocking socket it would
 * otherwise close it at once), and an interrupt that lands during a wait ends only that wait.
 *
 * <p>{@link #close} closes the socket and then the selectors, which ends a wait in progress.
 */
final class SocketStreams implements Closeable {
    /** Whether a virtual thread that selects parks instead of holding its carrier (JDK 25 on). */
    private static final boolean SELECT_PARKS_VIRTUAL = Runtime.version().feature() >= 25;
    private static final long FIRST_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long LAST_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * The most one call to the socket moves: the JDK copies an array's bytes through a native
     * buffer as large as the call, and keeps it for the thread. A socket's own buffer holds less.
     */
    private static final int MOST_PER_CALL = 1 << 18;

    private final SocketChannel socket;
    private final boolean virtualThreadsPark;
    /** Null on a blocking socket, which waits in its own calls. */
    private final Readiness readable;
    /**
     * Opened by the first write that finds the socket full (most never do, and a selector holds
     * two descriptors), under this object's lock, which {@link #close} takes too; null until then.
     */
    private Readiness writable;
    /** Set by close, under this object's lock. */
    private boolean closed;
    /** What made these streams close the socket themselves, or null: {@link #closedHere()}. */
    private volatile Throwable closedHere;
    final InputStream in = new In();
    final OutputStream out = new Out();
    /** For {@link InputStream#available}, which the channel's own streams answer in either mode. */
    private final InputStream available;

    private SocketStreams(SocketChannel socket, Readiness readable, boolean virtualThreadsPark) {
        this.socket = socket;
        this.readable = readable;
        this.virtualThreadsPark = virtualThreadsPark;
        this.available = Channels.newInputStream(socket);
    }

    /** Streams over a socket left as it is: a worker's end, in blocking mode. */
    static SocketStreams blocking(SocketChannel socket) {
        return new SocketStreams(socket, null, false);
    }

    /**
     * Streams over {@code socket}, put in non-blocking mode first: the parent's end.
     *
     * @throws IOException if the socket cannot be put in that mode, or a selector cannot be opened
     */
    static SocketStreams nonBlocking(SocketChannel socket) throws IOException {
        return nonBlocking(socket, !SELECT_PARKS_VIRTUAL);
    }

    /** As {@link #nonBlocking(SocketChannel)}, saying whether virtual threads park instead of selecting. */
    static SocketStreams nonBlocking(SocketChannel socket, boolean virtualThreadsPark) throws IOException {
        socket.configureBlocking(false);
        return new SocketStreams(socket, new Readiness(socket, SelectionKey.OP_READ, virtualThreadsPark),
                virtualThreadsPark);
    }

    /**
     * Reads what the socket holds now, up to {@code len} bytes, without waiting: 0 if nothing, -1
     * at the end of the stream. The reading thread only.
     */
    int readNow(byte[] b, int off, int len) throws IOException {
        if (readable == null) {
            int ready = available.available();
            return ready <= 0 ? 0 : in.read(b, off, Math.min(len, ready));
        }
        boolean interrupted = Thread.interrupted();
        try {
            return socket.read(ByteBuffer.wrap(b, off, Math.min(len, MOST_PER_CALL)));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What made these streams close the socket for a reason of this JVM's own (no descriptor left
     * for the wait to write, say), or null if they did not. The other side then finds its
     * connection ended, and says no more than that.
     */
    Throwable closedHere() {
        return closedHere;
    }

    /**
     * Closes the socket, then the selectors: closing a socket wakes no select that waits for it,
     * and its descriptor goes only when no selector holds it. Any thread.
     */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed anyway
        }
        Readiness opened;
        synchronized (this) {
            closed = true;
            opened = writable;
        }
        if (readable != null) {
            readable.close();
        }
        if (opened != null) {
            opened.close();
        }
    }

    /**
     * The wait for room to write, opened at the first need. If it cannot be opened (no descriptor
     * left, say), the streams are closed: a frame is then partly written, and the reader must find
     * the connection ended, and report the worker's end, rather than the next frame follow it.
     * The holder of the channel's write lock.
     */
    private synchronized Readiness writable() throws IOException {
        if (closed) {
            throw new AsynchronousCloseException();
        }
        if (writable == null) {
            try {
                writable = new Readiness(socket, SelectionKey.OP_WRITE, virtualThreadsPark);
            } catch (IOException | RuntimeException e) {
                closedHere = e;
                close();
                throw e;
            }
        }
        return writable;
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, Math.min(len, MOST_PER_CALL));
            boolean interrupted = Thread.interrupted();
            try {
                for (int round = 0; ; round++) {
                    int n = socket.read(buffer);
                    if (n != 0 || len == 0 || readable == null) {
                        return n;
                    }
                    readable.await(round);
                    interrupted |= Thread.interrupted();
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public int available() throws IOException {
            return available.available();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            int end = off + len;
            boolean interrupted = Thread.interrupted();
            try {
                for (int round = 0; buffer.position() < end; ) {
                    buffer.limit(Math.min(end, buffer.position() + MOST_PER_CALL));
                    if (socket.write(buffer) > 0) {
                        round = 0;
                    } else if (readable != null) {
                        writable().await(round++);
                        interrupted |= Thread.interrupted();
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Waits for a non-blocking socket to be ready for one operation. One thread at a time: the
     * reading thread for reads, the holder of the channel's write lock for writes.
     */
    private static final class Readiness implements Closeable {
        private final Selector selector;
        private final boolean virtualThreadsPark;

        Readiness(SocketChannel socket, int op, boolean virtualThreadsPark) throws IOException {
            this.virtualThreadsPark = virtualThreadsPark;
            selector = Selector.open();
            try {
                socket.register(selector, op);
            } catch (IOException | RuntimeException e) {
                selector.close();
                throw e;
            }
        }

        /**
         * Waits until the socket may be ready, has failed, or is closed ({@link #close} wakes the
         * wait), or until an interrupt; the caller tries again. On a virtual thread that a select
         * would pin, it parks instead, 20 µs the first time and twice as long each next round,
         * up to 1 ms.
         */
        void await(int round) throws IOException {
            if (virtualThreadsPark && Thread.currentThread().isVirtual()) {
                if (!selector.isOpen()) {
                    throw new AsynchronousCloseException();
                }
                LockSupport.parkNanos(Math.min(LAST_PARK_NANOS, FIRST_PARK_NANOS << Math.min(round, 6)));
                return;
            }
            try {
                selector.select(key -> { });
            } catch (ClosedSelectorException e) {
                throw new AsynchronousCloseException();
            }
        }

        @Override
        public void close() {
            try {
                selector.close();
            } catch (IOException e) {
                // its key is cancelled and the socket closed anyway
            }
        }
    }
}
