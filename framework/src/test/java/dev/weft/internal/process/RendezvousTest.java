package dev.weft.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.wire.Channel;
import dev.weft.testing.Background;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a worker meets its parent ({@link Rendezvous}) and the channel over their connection
 * ({@link Channel}): who may connect, what a parent waiting for a dead worker does, what is left
 * in the temporary directory.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RendezvousTest {

    /** The directory is the user's alone, and closing the rendezvous removes it with what it holds. */
    @Test
    void directoryIsPrivateAndGoesAtClose(@TempDir Path temp) throws Exception {
        Rendezvous rendezvous = Rendezvous.open(temp);
        Path directory = rendezvous.socket().getParent();
        assertThat(directory.getParent()).isEqualTo(temp.toAbsolutePath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(rendezvous.socket()).exists();
        Files.writeString(rendezvous.argumentFile(), "\"-ea\"\n");
        rendezvous.close();
        rendezvous.close();                     // twice: nothing more happens
        assertThat(temp).isEmptyDirectory();
    }

    /**
     * Prepared, a rendezvous is a private directory, named as the sweep expects, and a token, with
     * nothing listening yet: the parent spawns the worker first. Two rendezvous have two tokens.
     */
    @Test
    void aPreparedRendezvousIsPrivateAndDoesNotListenYet(@TempDir Path temp) throws Exception {
        try (Rendezvous first = Rendezvous.prepare(temp); Rendezvous second = Rendezvous.prepare(temp)) {
            Path directory = first.socket().getParent();
            assertThat(directory.getFileName().toString()).as("a name the sweep knows")
                    .matches("weft-worker-" + ProcessHandle.current().pid() + "-\\d+");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
            assertThat(first.socket()).doesNotExist();
            assertThat(first.token()).hasSize(2 * Rendezvous.TOKEN_BYTES).isNotEqualTo(second.token());
            first.listen();
            assertThat(first.socket()).exists();
        }
        assertThat(temp).isEmptyDirectory();
    }

    /**
     * A worker that connects before its parent listens waits, and gets in once the parent listens:
     * the parent listens only after the worker has failed to connect and asked whether to go on.
     */
    @Test
    void aWorkerThatConnectsBeforeItsParentListensGetsInOnceItDoes(@TempDir Path temp) throws Exception {
        try (Rendezvous rendezvous = Rendezvous.prepare(temp); Background background = new Background()) {
            CountDownLatch triedAndFailed = new CountDownLatch(1);
            AtomicReference<SocketChannel> connected = new AtomicReference<>();
            AtomicBoolean gaveUp = new AtomicBoolean();
            background.start("worker", () -> {
                try {
                    connected.set(Rendezvous.connect(rendezvous.socket(), rendezvous.token(), () -> {
                        triedAndFailed.countDown();
                        return true;
                    }));
                } finally {
                    gaveUp.set(connected.get() == null);
                }
            });
            assertThat(triedAndFailed.await(10, TimeUnit.SECONDS)).as("the worker tried to connect").isTrue();
            rendezvous.listen();
            try (SocketChannel parentSide = rendezvous.accept(() -> !gaveUp.get())) {
                assertThat(parentSide).as("the worker's connection, accepted").isNotNull();
                background.close();             // the worker's connect returned
                try (SocketChannel workerSide = connected.get()) {
                    workerSide.write(ByteBuffer.wrap(new byte[] {42}));
                    ByteBuffer first = ByteBuffer.allocate(1);
                    parentSide.read(first);
                    assertThat(first.get(0)).isEqualTo((byte) 42);
                }
            }
        }
    }

    /** A worker waiting for its parent to listen gives up, with the failure to connect, once its parent is gone. */
    @Test
    void aWorkerStopsWaitingWhenItsParentIsGone(@TempDir Path temp) throws Exception {
        AtomicInteger checks = new AtomicInteger();
        try (Rendezvous rendezvous = Rendezvous.prepare(temp)) {
            assertThatThrownBy(() -> Rendezvous.connect(rendezvous.socket(), rendezvous.token(),
                    () -> checks.incrementAndGet() <= 3)).isInstanceOf(IOException.class);
        }
        assertThat(checks).as("it tried again while its parent lived, then stopped").hasValue(4);
    }

    /** A worker whose rendezvous directory is gone (its parent closed it) gives up at once, parent alive or not. */
    @Test
    void aWorkerStopsWaitingAtOnceWhenItsDirectoryIsGone(@TempDir Path temp) throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Rendezvous rendezvous = Rendezvous.prepare(temp);
        rendezvous.close();
        assertThatThrownBy(() -> Rendezvous.connect(rendezvous.socket(), rendezvous.token(),
                () -> checks.incrementAndGet() > 0)).isInstanceOf(IOException.class);
        assertThat(checks).as("nothing to wait for").hasValue(0);
    }

    /**
     * A parent that cannot listen (something holds the socket's name) gets the failure, and closing
     * the rendezvous then leaves nothing; nor does a rendezvous closed before it listens ever listen.
     */
    @Test
    void aFailedOrLateListenLeavesNothingBehind(@TempDir Path temp) throws Exception {
        Rendezvous taken = Rendezvous.prepare(temp);
        Files.writeString(taken.socket(), "in the way");
        assertThatThrownBy(taken::listen).isInstanceOf(IOException.class);
        taken.close();
        Rendezvous closed = Rendezvous.prepare(temp);
        closed.close();
        assertThatThrownBy(closed::listen).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(closed.socket()).doesNotExist();
        assertThat(temp).isEmptyDirectory();
    }

    /** A connection that does not send the token is closed; the worker's, which does, is accepted. */
    @Test
    void onlyTheConnectionThatProvesTheTokenIsAccepted(@TempDir Path temp) throws Exception {
        try (Rendezvous rendezvous = Rendezvous.open(temp); Background background = new Background()) {
            AtomicReference<SocketChannel> accepted = new AtomicReference<>();
            background.start("reader", () -> accepted.set(rendezvous.accept(() -> true)));
            String wrong = HexFormat.of().formatHex(new byte[Rendezvous.TOKEN_BYTES]);
            try (SocketChannel impostor = Rendezvous.connect(rendezvous.socket(), wrong)) {
                assertThat(impostor.read(ByteBuffer.allocate(1))).as("the impostor is hung up on").isEqualTo(-1);
            }
            try (SocketChannel worker = Rendezvous.connect(rendezvous.socket(), rendezvous.token())) {
                worker.write(ByteBuffer.wrap(new byte[] {42}));
                background.close();             // the reader returned
                try (SocketChannel parentSide = accepted.get()) {
                    assertThat(parentSide.isBlocking()).isTrue();
                    ByteBuffer first = ByteBuffer.allocate(1);
                    parentSide.read(first);
                    assertThat(first.get(0)).as("the bytes after the token are the channel's").isEqualTo((byte) 42);
                }
            }
        }
    }

    /** A parent waiting for a worker that died before it connected stops waiting: accept returns null. */
    @Test
    void acceptReturnsWhenTheWorkerIsGone(@TempDir Path temp) throws Exception {
        AtomicInteger checks = new AtomicInteger();
        try (Rendezvous rendezvous = Rendezvous.open(temp)) {
            assertThat(rendezvous.accept(() -> checks.incrementAndGet() <= 3)).isNull();
        }
        assertThat(checks).as("it waited, checking the worker, then stopped").hasValue(4);
    }

    /** Frames written before the worker connects are held, then sent first, in order. */
    @Test
    void framesWrittenBeforeTheWorkerConnectsArriveInOrder(@TempDir Path temp) throws Exception {
        Channel parent = new Channel();
        parent.write(Channel.SETUP, 0, new byte[] {1});
        parent.writeUnflushed(Channel.TASK, 7, new byte[] {2, 3});
        parent.flush();                         // not connected: still held
        try (Rendezvous rendezvous = Rendezvous.open(temp);
             SocketChannel workerSide = Rendezvous.connect(rendezvous.socket(), rendezvous.token())) {
            parent.attach(rendezvous.accept(() -> true));
            parent.write(Channel.CANCEL, 7, new byte[0]);
            Channel worker = new Channel(workerSide);
            assertFrame(worker.read(), Channel.SETUP, 0, 1);
            assertFrame(worker.read(), Channel.TASK, 7, 2, 3);
            assertFrame(worker.read(), Channel.CANCEL, 7);
            worker.write(Channel.RESULT, 7, new byte[] {4});
            assertFrame(parent.read(), Channel.RESULT, 7, 4);
            worker.close();
            assertThat(parent.read()).as("the end of the connection").isNull();
        } finally {
            parent.close();
        }
    }

    private static void assertFrame(Channel.Frame frame, byte type, long id, int... payload) {
        byte[] bytes = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            bytes[i] = (byte) payload[i];
        }
        assertThat(frame).isNotNull();
        assertThat(frame.type()).isEqualTo(type);
        assertThat(frame.id()).isEqualTo(id);
        assertThat(frame.payload()).containsExactly(bytes);
    }

    /** Bytes that are not a frame are reported with what was found, never misread. */
    @Test
    void garbageOnTheChannelIsReportedNotMisread(@TempDir Path temp) throws Exception {
        try (Rendezvous rendezvous = Rendezvous.open(temp);
             SocketChannel workerSide = Rendezvous.connect(rendezvous.socket(), rendezvous.token())) {
            Channel parent = new Channel();
            parent.attach(rendezvous.accept(() -> true));
            workerSide.write(ByteBuffer.wrap("GARBAGE on the channel\n".getBytes(StandardCharsets.US_ASCII)));
            assertThatThrownBy(parent::read).isInstanceOf(StreamCorruptedException.class)
                    .hasMessageContaining("GARBAGE on the channel");
            parent.close();
        }
    }

    /**
     * The sweep deletes a directory a dead parent left a while ago, and nothing else: not a young
     * one, not a live process's, not one holding a file of another name.
     */
    @Test
    void sweepDeletesOnlyStaleDirectoriesOfDeadParents(@TempDir Path temp) throws Exception {
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long dead = gone.pid();
        long alive = ProcessHandle.current().pid();
        FileTime old = FileTime.from(Instant.now().minus(Rendezvous.STALE).minusSeconds(60));
        Path stale = leftOver(temp, "weft-worker-" + dead + "-1", old);
        Path young = leftOver(temp, "weft-worker-" + dead + "-2", FileTime.from(Instant.now()));
        Path living = leftOver(temp, "weft-worker-" + alive + "-3", old);
        Path foreign = leftOver(temp, "weft-worker-" + dead + "-4", null);
        Files.writeString(foreign.resolve("notes.txt"), "not Weft's");
        Files.setLastModifiedTime(foreign, old);
        Path unrelated = leftOver(temp, "weft-workers-" + dead + "-5", old);
        Rendezvous.sweep(temp);
        assertThat(stale).doesNotExist();
        assertThat(young).exists();
        assertThat(living).exists();
        assertThat(foreign.resolve("notes.txt")).exists();
        assertThat(unrelated).exists();
    }

    private static Path leftOver(Path temp, String name, FileTime modified) throws Exception {
        Path directory = Files.createDirectory(temp.resolve(name));
        Files.writeString(directory.resolve(Rendezvous.ARGUMENT_FILE), "\"-ea\"\n");
        if (modified != null) {
            Files.setLastModifiedTime(directory, modified);
        }
        return directory;
    }

    /**
     * A failure in the temporary directory is reported with the directory and what to do, unless
     * it is a want that may pass (no descriptor left), which the pool retries and which stays as
     * it was.
     */
    @Test
    void aFailureInTheTemporaryDirectorySaysWhereAndWhatToDo() {
        Path temp = Path.of("/full/tmp");
        IOException full = WorkerCommand.inTempDirectory("cannot write a worker's argument file", temp,
                new IOException("No space left on device"));
        assertThat(full).hasMessage("cannot write a worker's argument file in the temporary directory /full/tmp "
                + "(java.io.tmpdir): No space left on device; make room there, or start the JVM with "
                + "-Djava.io.tmpdir=DIR naming a directory you may write to").hasCauseInstanceOf(IOException.class);
        IOException denied = WorkerCommand.inTempDirectory("cannot make a worker's rendezvous directory", temp,
                new java.nio.file.AccessDeniedException("/full/tmp/weft-worker-1-2", null, "Permission denied"));
        assertThat(denied.getMessage()).contains("/full/tmp (java.io.tmpdir): Permission denied; make room there");
        IOException descriptors = new IOException("Too many open files");
        assertThat(WorkerCommand.inTempDirectory("cannot write a worker's argument file", temp, descriptors))
                .isSameAs(descriptors);
    }
}
