package dev.weft.internal.process;

import dev.weft.internal.wire.Channel;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
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
 * Where a worker JVM of a process pool meets its parent: a Unix-domain socket in a
 * directory of its own, which lives only while the worker starts.
 *
 * <h2>How a worker connects</h2>
 * For each worker it starts, the parent creates {@code java.io.tmpdir/weft-worker-PID-N} (PID the
 * parent's, N random), readable by the user alone ({@code 0700}), and in it the worker's argument
 * file ({@value #ARGUMENT_FILE}, {@code 0600}, written by the pool's worker command). It draws a token
 * of {@value #TOKEN_BYTES} random bytes and gives it to the worker in its environment
 * ({@value #TOKEN_VARIABLE}), never on its command line, which other users can read. The worker
 * deletes its argument file, connects to the socket {@value #SOCKET} and sends the token first;
 * the parent accepts only a connection whose first bytes are the token, then closes the listening
 * socket and deletes the directory. From then on the connection is the worker's channel
 * ({@link Channel}), which nothing else can write to; its stdout and stderr stay free.
 *
 * <h2>In which order</h2>
 * {@link #prepare} makes the directory and the token; the parent then spawns the worker, and only
 * then {@link #listen}s, while the worker's JVM boots. In a parent that has not used a Unix-domain
 * socket yet, the first bind costs tens of milliseconds (the JDK's {@code UnixDomainSockets}
 * initializes the security providers for a {@code SecureRandom}), which in this order overlap the
 * worker's boot instead of delaying its spawn. So the worker may find no socket yet, or one that
 * refuses: it tries again every few milliseconds ({@link #connect(Path, String, BooleanSupplier)})
 * while the directory is there, its parent lives and for at most {@link #PATIENCE}. A parent that
 * cannot listen kills the worker it spawned and closes the rendezvous. None of this changes who can
 * connect: the directory is private before the worker exists, and the token is the proof.
 *
 * <h2>Nothing left behind</h2>
 * A directory outlives its worker's start only if the parent dies during it. The worker then
 * deletes it (it knows its parent is gone when the connection fails or its parent's process
 * handle reports the exit); and if the worker died too, the next pool created on the machine
 * sweeps it ({@link #sweep}): a directory named for a process that no longer exists, untouched
 * for {@link #STALE}, holding nothing but the two files. Only those names are deleted.
 *
 * <h2>Threads</h2>
 * The thread that starts the worker prepares and listens; the parent's reader thread of the worker,
 * started after that, accepts ({@link #accept}); {@link #close} may be called by any thread, once
 * or more. {@link #listen} and {@link #close} hold the rendezvous's monitor, so a socket bound after
 * a close is never left behind.
 */
public final class Rendezvous implements AutoCloseable {
    public static final String ARGUMENT_FILE = "worker.args";
    public static final String SOCKET = "worker.sock";
    public static final String TOKEN_VARIABLE = "WEFT_WORKER_TOKEN";
    public static final int TOKEN_BYTES = 32;
    /** How old a dead parent's directory must be before {@link #sweep} deletes it. */
    public static final Duration STALE = Duration.ofMinutes(1);
    private static final String PREFIX = "weft-worker-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,18})-\\d+");
    /** How often the parent checks that a worker it waits for is still alive. */
    private static final long POLL_MILLIS = 20;
    /** How long a worker waits for its parent to listen, at most: the parent listens right after the spawn. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The worker's first and longest pause between two tries to connect: it doubles from one to the other. */
    private static final long FIRST_PAUSE_NANOS = 1_000_000, LONGEST_PAUSE_NANOS = 4_000_000;
    /** A Unix-domain socket's path holds 108 bytes on Linux, 104 on macOS, with the final zero. */
    private static final int MAX_SOCKET_PATH = 103;
    private static final Path URANDOM = Path.of("/dev/urandom");
    private static final FileAttribute<?> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path directory;
    private final byte[] token;
    /**
     * The listening socket: null until {@link #listen}. Written by the starting thread under this
     * monitor, before it starts the reader; read by the reader (after that start) and by {@link #close}
     * (under this monitor).
     */
    private ServerSocketChannel server;
    /** Set once by {@link #close}, under this monitor; read by any thread. */
    private final AtomicBoolean closed = new AtomicBoolean();

    private Rendezvous(Path directory, byte[] token) {
        this.directory = directory;
        this.token = token;
    }

    /**
     * Creates a private directory under {@code base} and listens on a socket in it: {@link #prepare}
     * and {@link #listen} at once, for a worker that is not a process of its own.
     *
     * @throws IOException as {@link #prepare} and {@link #listen} do
     */
    public static Rendezvous open(Path base) throws IOException {
        Rendezvous rendezvous = prepare(base);
        rendezvous.listen();
        return rendezvous;
    }

    /**
     * Creates a private directory under {@code base} and draws the token; nothing listens yet (see
     * {@link #listen}).
     *
     * @throws IOException if the directory cannot be made, or the socket's path would be too long,
     *         with what to do then
     */
    public static Rendezvous prepare(Path base) throws IOException {
        byte[] token = random(TOKEN_BYTES);         // first: a draw that fails leaves no directory behind
        Path directory = privateDirectory(base.toAbsolutePath());
        Path socket = directory.resolve(SOCKET);
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            delete(directory);
            throw new IOException("the path of a worker's socket, " + socket + ", is longer than the "
                    + MAX_SOCKET_PATH + " bytes a Unix-domain socket's path may hold: start the JVM with a shorter"
                    + " -Djava.io.tmpdir");
        }
        return new Rendezvous(directory, token);
    }

    /**
     * {@code weft-worker-PID-N} in {@code base}, N random, made by this call ({@code mkdir} fails on a
     * name that exists) and private to the user: what {@code Files.createTempDirectory} does, but with
     * N from {@link #random}, since the JDK's draws it from a {@code SecureRandom} of its own.
     */
    private static Path privateDirectory(Path base) throws IOException {
        String prefix = PREFIX + ProcessHandle.current().pid() + "-";
        boolean posix = base.getFileSystem().supportedFileAttributeViews().contains("posix");
        for (int tries = 1; ; tries++) {
            Path directory = base.resolve(prefix + Long.toUnsignedString(ByteBuffer.wrap(random(Long.BYTES)).getLong()));
            try {
                return posix ? Files.createDirectory(directory, PRIVATE_DIRECTORY)
                        : Files.createDirectory(directory);     // not a POSIX file system: its default is private
            } catch (FileAlreadyExistsException e) {
                if (tries == 100) {
                    throw e;
                }
            } catch (IOException e) {
                throw WorkerCommand.inTempDirectory("cannot make a worker's rendezvous directory", base, e);
            }
        }
    }

    /**
     * {@code n} bytes from the kernel's generator, {@code /dev/urandom}, where it exists, else from a
     * {@link SecureRandom}. The first {@code SecureRandom} of a JVM initializes the security providers,
     * some 20 to 35 ms in a fresh parent, on the path to the worker's spawn; reading the device costs
     * well under one. The bytes are as secret either way: on Linux and macOS the default
     * {@code SecureRandom} (NativePRNG) reads that same device.
     *
     * @throws IOException if the device exists but cannot be read: no descriptor left, say. A
     *         {@code SecureRandom} would then fail to open it too, and gather its seed from thread
     *         timings instead, for seconds; the launch fails at once, to be tried again
     */
    private static byte[] random(int n) throws IOException {
        byte[] bytes = new byte[n];
        if (Files.isReadable(URANDOM)) {
            try (InputStream in = new FileInputStream(URANDOM.toFile())) {
                if (in.readNBytes(bytes, 0, n) == n) {
                    return bytes;
                }
            }
        }
        Fallback.RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Holds the {@code SecureRandom}, so that a JVM that reads {@code /dev/urandom} never creates it. */
    private static final class Fallback {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /**
     * Binds the socket and listens on it; the starting thread, once, before it starts the reader.
     *
     * @throws IOException if the rendezvous is closed, or the socket cannot be made or bound (the
     *         caller then closes the rendezvous)
     */
    public synchronized void listen() throws IOException {
        if (closed.get()) {
            throw new IOException(this + " was closed before its parent listened");
        }
        if (server != null) {
            throw new IllegalStateException(this + " listens already");
        }
        ServerSocketChannel listening = null;
        try {
            listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listening.bind(UnixDomainSocketAddress.of(socket()));
            listening.configureBlocking(false);
        } catch (UnsupportedOperationException e) {
            throw new IOException("a process pool needs Unix-domain sockets, which this platform lacks: " + e, e);
        } catch (IOException | RuntimeException e) {
            if (listening != null) {
                closeQuietly(listening);
            }
            throw e;
        }
        server = listening;
    }

    public Path argumentFile() {
        return directory.resolve(ARGUMENT_FILE);
    }

    public Path socket() {
        return directory.resolve(SOCKET);
    }

    /** The token, for the worker's environment. */
    public String token() {
        return HexFormat.of().formatHex(token);
    }

    /**
     * Waits for the worker to connect and prove the token, while {@code alive} holds; connections
     * that send anything else are closed. Reader thread only.
     *
     * @return the worker's connection, in blocking mode; null if {@code alive} turned false first
     * @throws IllegalStateException if it does not listen yet
     */
    public SocketChannel accept(BooleanSupplier alive) throws IOException {
        ServerSocketChannel server = this.server;
        if (server == null) {
            throw new IllegalStateException(this + " does not listen yet");
        }
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
     * The worker's side, as it starts: connects to {@code socket} and proves {@code token}, waiting
     * for its parent to listen (see the class comment). While the socket is missing but its directory
     * is there, or the socket refuses, it tries again after a pause of 1 ms, then 2, then 4 at most;
     * it gives up, with the last failure, once {@code parentAlive} turns false or {@link #PATIENCE}
     * has passed. Any other failure, or a directory that is gone (its parent closed the rendezvous),
     * ends it at once.
     *
     * <p>It looks for the socket's file before each try, rather than after a failure: a socket bound
     * between a failed try and the look would otherwise pass for a failure of another kind.
     *
     * @throws IOException the last failure to connect, when it gives up
     * @throws InterruptedException if interrupted while it pauses
     */
    public static SocketChannel connect(Path socket, String token, BooleanSupplier parentAlive)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        for (;;) {
            IOException notYet;
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    return connect(socket, token);
                } catch (ConnectException e) {          // refused: bound, not listening yet
                    notYet = e;
                }
            } else if (Files.isDirectory(socket.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                notYet = new NoSuchFileException(socket.toString(), null, "nothing listens there yet");
            } else {
                throw new NoSuchFileException(socket.getParent().toString(), null, "the rendezvous is gone");
            }
            if (!parentAlive.getAsBoolean() || System.nanoTime() - deadline >= 0) {
                throw notYet;
            }
            Thread.sleep(Duration.ofNanos(pause));          // sleeping: a worker that waits burns no core
            pause = Math.min(2 * pause, LONGEST_PAUSE_NANOS);
        }
    }

    /**
     * Connects to {@code socket} and proves {@code token}, once.
     *
     * @throws IOException if nobody listens there or the connection fails
     */
    public static SocketChannel connect(Path socket, String token) throws IOException {
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

    /** Stops listening, if it does, and deletes the directory. Any thread, once or more. */
    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            if (server != null) {
                closeQuietly(server);
            }
            delete(directory);
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** The worker's side, as it starts: deletes its argument file, which holds nothing it needs any more; quietly. */
    public static void deleteArgumentFile(Path directory) {
        try {
            Files.deleteIfExists(directory.resolve(ARGUMENT_FILE));
        } catch (IOException e) {
            // the parent deletes it too
        }
    }

    /** Deletes a rendezvous directory and the two files it may hold, and nothing else; quietly. */
    public static void delete(Path directory) {
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
    public static void sweep(Path base) {
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
