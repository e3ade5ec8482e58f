package dev.weft;

import dev.weft.internal.wire.Channel;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a worker JVM of a {@link ProcessPool} meets its parent: a Unix-domain socket in a
 * directory of its own, which lives only while the worker starts.
 *
 * <h2>How a worker connects</h2>
 * For each worker it starts, the parent creates {@code java.io.tmpdir/weft-worker-PID-N} (PID the
 * parent's, N random), readable by the user alone ({@code 0700}), and in it the worker's argument
 * file ({@value #ARGUMENT_FILE}, {@code 0600}, written by {@link WorkerCommand}) and a listening
 * socket ({@value #SOCKET}). It draws a token of {@value #TOKEN_BYTES} random bytes and gives it
 * to the worker in its environment ({@value #TOKEN_VARIABLE}), never on its command line, which
 * other users can read. The worker deletes its argument file, connects and sends the token
 * first; the parent accepts only a connection whose first bytes are the token, then closes the
 * listening socket and deletes the directory. From then on the connection is the worker's
 * channel ({@link Channel}), which nothing else can write to; its stdout and stderr stay free.
 *
 * <h2>Nothing left behind</h2>
 * A directory outlives its worker's start only if the parent dies during it. The worker then
 * deletes it (it knows its parent is gone when the connection fails or its parent's process
 * handle reports the exit); and if the worker died too, the next pool created on the machine
 * sweeps it ({@link #sweep}): a directory named for a process that no longer exists, untouched
 * for {@link #STALE}, holding nothing but the two files. Only those names are deleted.
 *
 * <h2>Threads</h2>
 * The parent's reader thread of the worker accepts ({@link #accept}); {@link #close} may be called
 * by any thread, once or more.
 */
final class Rendezvous implements AutoCloseable {
    static final String ARGUMENT_FILE = "worker.args";
    static final String SOCKET = "worker.sock";
    static final String TOKEN_VARIABLE = "WEFT_WORKER_TOKEN";
    static final int TOKEN_BYTES = 32;
    /** How old a dead parent's directory must be before {@link #sweep} deletes it. */
    static final Duration STALE = Duration.ofMinutes(1);
    private static final String PREFIX = "weft-worker-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,18})-\\d+");
    /** How often the parent checks that a worker it waits for is still alive. */
    private static final long POLL_MILLIS = 20;
    /** A Unix-domain socket's path holds 108 bytes on Linux, 104 on macOS, with the final zero. */
    private static final int MAX_SOCKET_PATH = 103;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final ServerSocketChannel server;
    private final byte[] token;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Rendezvous(Path directory, ServerSocketChannel server, byte[] token) {
        this.directory = directory;
        this.server = server;
        this.token = token;
    }

    /**
     * Creates a private directory under {@code base} and listens on a socket in it.
     *
     * @throws IOException if the directory or the socket cannot be made, with what to do when
     *         the socket's path is too long
     */
    static Rendezvous open(Path base) throws IOException {
        Path directory = privateDirectory(base.toAbsolutePath());
        Path socket = directory.resolve(SOCKET);
        ServerSocketChannel server = null;
        try {
            if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
                throw new IOException("the path of a worker's socket, " + socket + ", is longer than the "
                        + MAX_SOCKET_PATH + " bytes a Unix-domain socket's path may hold: start the JVM with a shorter"
                        + " -Djava.io.tmpdir");
            }
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
        } catch (UnsupportedOperationException e) {
            delete(directory);
            throw new IOException("a process pool needs Unix-domain sockets, which this platform lacks: " + e, e);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                closeQuietly(server);
            }
            delete(directory);
            throw e;
        }
        byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        return new Rendezvous(directory, server, token);
    }

    private static Path privateDirectory(Path base) throws IOException {
        String prefix = PREFIX + ProcessHandle.current().pid() + "-";
        try {
            return Files.createTempDirectory(base, prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {     // not a POSIX file system: its default is private
            return Files.createTempDirectory(base, prefix);
        }
    }

    Path argumentFile() {
        return directory.resolve(ARGUMENT_FILE);
    }

    Path socket() {
        return directory.resolve(SOCKET);
    }

    /** The token, for the worker's environment. */
    String token() {
        return HexFormat.of().formatHex(token);
    }

    /**
     * Waits for the worker to connect and prove the token, while {@code alive} holds; connections
     * that send anything else are closed. Reader thread only.
     *
     * @return the worker's connection, in blocking mode; null if {@code alive} turned false first
     */
    SocketChannel accept(BooleanSupplier alive) throws IOException {
        Map<SocketChannel, ByteBuffer> callers = new HashMap<>();
        SocketChannel worker = null;
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (worker == null && alive.getAsBoolean()) {
                selector.select(POLL_MILLIS);
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext() && worker == null; ) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isAcceptable()) {
                        SocketChannel caller = server.accept();
                        if (caller != null) {
                            callers.put(caller, ByteBuffer.allocate(TOKEN_BYTES));
                            caller.configureBlocking(false);
                            caller.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        worker = check((SocketChannel) key.channel(), callers);
                    }
                }
            }
        } finally {
            callers.keySet().forEach(Rendezvous::closeQuietly);
        }
        if (worker != null) {
            try {
                worker.configureBlocking(true);     // the selector is closed: it holds no key of it
            } catch (IOException | RuntimeException e) {
                closeQuietly(worker);
                throw e;
            }
        }
        return worker;
    }

    /** Reads what {@code caller} sent: the caller if it completed the token, else null (and closed if it failed). */
    private SocketChannel check(SocketChannel caller, Map<SocketChannel, ByteBuffer> callers) {
        ByteBuffer proof = callers.get(caller);
        try {
            if (caller.read(proof) >= 0 && proof.hasRemaining()) {
                return null;                        // more to come
            }
            if (!proof.hasRemaining() && MessageDigest.isEqual(proof.array(), token)) {
                callers.remove(caller);
                return caller;
            }
        } catch (IOException e) {
            // a caller that fails is not the worker
        }
        callers.remove(caller);
        closeQuietly(caller);
        return null;
    }

    /**
     * The worker's side: connects to {@code socket} and proves {@code token}.
     *
     * @throws IOException if nobody listens there (the parent is gone) or the connection fails
     */
    static SocketChannel connect(Path socket, String token) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer proof = ByteBuffer.wrap(HexFormat.of().parseHex(token));
            while (proof.hasRemaining()) {
                channel.write(proof);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Stops listening and deletes the directory. Any thread, once or more. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(server);
            delete(directory);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** The worker's side, as it starts: deletes its argument file, which holds nothing it needs any more; quietly. */
    static void deleteArgumentFile(Path directory) {
        try {
            Files.deleteIfExists(directory.resolve(ARGUMENT_FILE));
        } catch (IOException e) {
            // the parent deletes it too
        }
    }

    /** Deletes a rendezvous directory and the two files it may hold, and nothing else; quietly. */
    static void delete(Path directory) {
        try {
            Files.deleteIfExists(directory.resolve(ARGUMENT_FILE));
            Files.deleteIfExists(directory.resolve(SOCKET));
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // someone else's file in it, or gone already: left as it is
        }
    }

    /**
     * Deletes, in {@code base}, the rendezvous directories that parents killed during a worker's
     * start left behind: see the class comment. Best effort: what cannot be read or deleted stays.
     */
    static void sweep(Path base) {
        Instant stale = Instant.now().minus(STALE);
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher name = NAME.matcher(entry.getFileName().toString());
                try {
                    if (name.matches() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                            && Long.parseLong(name.group(1)) != self && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty()
                            && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(stale)) {
                        delete(entry);
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours: the next one
                }
            }
        } catch (IOException | RuntimeException e) {
            // a sweep is a courtesy: the pool works without it
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a channel nobody will use again: nothing to do
        }
    }

    @Override
    public String toString() {
        return "rendezvous " + directory;
    }
}
