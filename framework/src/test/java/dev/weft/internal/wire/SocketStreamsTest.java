package dev.weft.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Await;
import dev.weft.testing.TempDirs;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The parent's end of a worker's channel cannot be closed by an interrupt of a thread that writes
 * or reads it ({@link SocketStreams#nonBlocking}): an interrupt that lands while the call waits
 * for the socket ends only the wait, the call goes on, and the thread keeps its interrupt status.
 * Closing the streams ends a wait, so no caller waits forever. Each test runs on a platform
 * thread, on a virtual thread that waits on a selector, and on a virtual thread that parks (what
 * virtual threads do before JDK 25); a blocking socket, the worker's end, shows what the tests
 * guard against.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketStreamsTest {
    /** Far more than the two sockets' buffers hold: a writer of this much waits for the reader. */
    private static final int LARGE = 8 << 20;
    /** Where a call waits for the socket: on a selector or in a park. */
    private static final String WAIT = SocketStreams.class.getName() + "$Readiness";

    /** The thread that calls the streams, and how a virtual one waits. */
    enum Caller {
        PLATFORM(false, false), VIRTUAL_SELECTS(true, false), VIRTUAL_PARKS(true, true);

        final boolean virtual;
        final boolean parks;

        Caller(boolean virtual, boolean parks) {
            this.virtual = virtual;
            this.parks = parks;
        }

        <V> Call<V> start(String name, Callable<V> call) {
            FutureTask<V> task = new FutureTask<>(call);
            return new Call<>((virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon()).name(name).start(task), task);
        }
    }

    /** A call under way in its own thread. */
    private record Call<V>(Thread thread, FutureTask<V> result) {
        V get() throws Exception {
            return result.get(30, TimeUnit.SECONDS);
        }
    }

    private ServerSocketChannel server;
    /** The end under test, and the other end, which the test reads and writes in blocking mode. */
    private SocketChannel near, far;

    @BeforeEach
    void connect() throws IOException {
        var address = UnixDomainSocketAddress.of(TempDirs.create("weft-socket-streams").resolve("socket"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
        near = SocketChannel.open(address);
        far = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        near.close();
        far.close();
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void aWriterInterruptedWhileTheSocketIsFullWritesEveryByteAndKeepsItsInterrupt(Caller caller) throws Exception {
        SocketStreams streams = SocketStreams.nonBlocking(near, caller.parks);
        byte[] sent = pattern(LARGE);
        Call<Boolean> write = caller.start("writer", () -> {
            streams.out.write(sent);
            return Thread.currentThread().isInterrupted();
        });
        byte[] received = new byte[LARGE];
        readFully(received, 0, 1 << 16);            // the writer is under way, and far from done
        write.thread().interrupt();
        readFully(received, 1 << 16, LARGE - (1 << 16));

        assertThat(write.get()).as("the writer's interrupt status, kept").isTrue();
        assertThat(Arrays.equals(received, sent)).as("every byte arrived, in order").isTrue();
        assertThat(near.isOpen()).isTrue();
        streams.close();
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void aReaderInterruptedWhileItWaitsReadsWhatComesAndKeepsItsInterrupt(Caller caller) throws Exception {
        SocketStreams streams = SocketStreams.nonBlocking(near, caller.parks);
        Call<String> read = caller.start("reader", () -> {
            byte[] b = new byte[100];
            int n = streams.in.read(b, 0, b.length);
            return new String(b, 0, n) + (Thread.currentThread().isInterrupted() ? ", interrupted" : "");
        });
        Await.inFrameOf(read.thread(), WAIT);
        read.thread().interrupt();
        far.write(ByteBuffer.wrap("answer".getBytes()));

        assertThat(read.get()).isEqualTo("answer, interrupted");
        assertThat(near.isOpen()).isTrue();
        streams.close();
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void closingEndsAWaitingReadAndAWaitingWrite(Caller caller) throws Exception {
        SocketStreams streams = SocketStreams.nonBlocking(near, caller.parks);
        Call<Integer> read = caller.start("reader", () -> streams.in.read(new byte[100], 0, 100));
        Call<Void> write = caller.start("writer", () -> {
            streams.out.write(new byte[LARGE]);
            return null;
        });
        Await.inFrameOf(read.thread(), WAIT);
        Await.inFrameOf(write.thread(), WAIT);
        streams.close();

        assertThatThrownBy(read::get).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(write::get).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aReadThatNeedNotWaitTakesWhatIsThereAndNeverWaits() throws Exception {
        SocketStreams streams = SocketStreams.nonBlocking(near);
        byte[] b = new byte[100];
        assertThat(streams.readNow(b, 0, b.length)).as("nothing there").isZero();
        far.write(ByteBuffer.wrap("abc".getBytes()));
        Await.until("the bytes arrived", () -> available(streams) == 3);
        assertThat(streams.readNow(b, 0, b.length)).isEqualTo(3);
        far.close();
        Await.until("the end of the stream is seen", () -> readNow(streams, b) < 0);
        streams.close();
    }

    /**
     * A waiter that looks for whole frames (a parent's thread that reads its own answer) leaves a
     * reset, the other side dead with bytes unread, to the reader, who reports the end.
     */
    @Test
    void aResetIsLeftToTheReader() throws Exception {
        Channel channel = new Channel();
        channel.attach(near);
        channel.write(Channel.CANCEL, 1, new byte[] {1});     // never read: the close then resets
        far.close();
        assertThat(channel.hasWholeFrame()).isFalse();
        assertThat(channel.read()).as("the reader's read: the end of the stream").isNull();
        channel.close();
    }

    /** What the tests guard against: an interrupt closes a blocking socket under its writer. */
    @Test
    void aBlockingSocketIsClosedByAnInterruptOfItsWriter() throws Exception {
        SocketStreams streams = SocketStreams.blocking(near);
        Call<Void> write = Caller.PLATFORM.start("writer", () -> {
            streams.out.write(new byte[LARGE]);
            return null;
        });
        readFully(new byte[1 << 16], 0, 1 << 16);
        write.thread().interrupt();

        assertThatThrownBy(write::get).hasCauseInstanceOf(IOException.class);
        assertThat(near.isOpen()).isFalse();
    }

    /**
     * A write that must wait when no descriptor is left for its wait closes the streams, and says
     * why ({@link SocketStreams#closedHere()}): the other end sees only its stream end, and a
     * worker's exit is then reported with this side's reason. Needs a JVM whose descriptors it can
     * take all of ({@link NoDescriptorLeftProbe}), under {@code ulimit -n}.
     */
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aWriteWithNoDescriptorLeftForItsWaitClosesAndSaysWhy() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe = new ProcessBuilder("sh", "-c", "ulimit -n 64 && exec \"$0\" \"$@\"", java.toString(),
                "-XX:-MaxFDLimit", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                NoDescriptorLeftProbe.class.getName()).redirectErrorStream(true).start();
        String output;
        try (var in = probe.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output.lines()).as(output).hasSize(3);
        assertThat(output.lines().toList().get(0)).startsWith("write: java.io.IOException").contains("Too many open files");
        assertThat(output.lines().toList().get(1)).startsWith("closedHere: java.io.IOException")
                .contains("Too many open files");
        assertThat(output.lines().toList().get(2)).as("the other end reads what was written, then the end")
                .matches("far: [1-9][0-9]* bytes, then end");
    }

    private void readFully(byte[] into, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, offset, length);
        while (buffer.hasRemaining()) {
            if (far.read(buffer) < 0) {
                throw new IOException("the stream ended after " + (buffer.position() - offset) + " of " + length
                        + " bytes");
            }
        }
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8));
        }
        return bytes;
    }

    private static int available(SocketStreams streams) {
        try {
            return streams.in.available();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int readNow(SocketStreams streams, byte[] b) {
        try {
            return streams.readNow(b, 0, b.length);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
