package dev.weft.internal.wire;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link SocketStreamsTest} in a JVM of its own, whose descriptors it can take all of: the
 * parent's end of a channel must wait to write, and no descriptor is left for that wait. Prints
 * what the write threw, what {@link SocketStreams#closedHere()} then says, and what the other end
 * read: {@code write: ...}, {@code closedHere: ...}, {@code far: N bytes, then end}.
 */
final class NoDescriptorLeftProbe {
    private NoDescriptorLeftProbe() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("weft-no-descriptor");
        var address = UnixDomainSocketAddress.of(dir.resolve("socket"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
             SocketChannel near = SocketChannel.open(address);
             SocketChannel far = server.accept()) {
            SocketStreams streams = SocketStreams.nonBlocking(near, false);
            byte[] large = new byte[8 << 20];       // far more than the sockets' buffers: the write must wait
            List<FileInputStream> taken = new ArrayList<>();
            try {
                for (;;) {
                    taken.add(new FileInputStream("/dev/null"));
                }
            } catch (IOException full) {
                // every descriptor is taken
            }
            try {
                streams.out.write(large, 0, large.length);
                System.out.println("write: returned");
            } catch (IOException | RuntimeException e) {
                System.out.println("write: " + e);
            }
            for (FileInputStream in : taken) {
                in.close();
            }
            System.out.println("closedHere: " + streams.closedHere());
            long read = 0;
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            for (int n; (n = far.read(buffer.clear())) >= 0; ) {
                read += n;
            }
            System.out.println("far: " + read + " bytes, then end");
        } finally {
            Files.deleteIfExists(dir.resolve("socket"));
            Files.delete(dir);
        }
    }
}
