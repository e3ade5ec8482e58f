package com.example.weft;

import static com.example.weft.Console.millisSince;

import dev.weft.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Example 3: a port scanner. It scans the loopback ports of a range (0–1023 by default) one after
 * another, then all at once on virtual threads, and reports the open ports in numeric order and
 * the speedup. Before scanning it opens a few listening sockets of its own, so the result is
 * known: inside the range where it may bind there (ports below 1024 need privileges), otherwise
 * on free ports that it adds to the scan.
 *
 * <p>Python: {@code ThreadPoolExecutor(100).map(scan_port, range(1024))}; here
 * {@code Pool.io().map}, a virtual thread per port.
 *
 * Run it with {@code ./weft example PortScanner [FROM TO]}.
 */
public final class PortScanner {
    /** What a scan found: the open ports, ours among them, and how long each scan took. */
    record Scan(List<Integer> open, List<Integer> ours, long serialMillis, long concurrentMillis) {
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private PortScanner() {
    }

    public static void main(String[] args) throws Exception {
        int from = args.length > 1 ? Integer.parseInt(args[0]) : 0;
        int to = args.length > 1 ? Integer.parseInt(args[1]) : 1023;
        run(System.out, from, to, 3);
    }

    /** Opens {@code listeners} sockets of its own, scans {@code from..to} (inclusive) both ways, and reports. */
    static Scan run(PrintStream out, int from, int to, int listeners) throws Exception {
        List<ServerSocket> sockets = listen(from, to, listeners);
        try {
            TreeSet<Integer> ports = new TreeSet<>(IntStream.rangeClosed(from, to).boxed().toList());
            List<Integer> ours = sockets.stream().map(ServerSocket::getLocalPort).sorted().toList();
            boolean inside = ours.stream().allMatch(p -> p >= from && p <= to);
            ports.addAll(ours);
            out.println("Scanning " + ports.size() + " loopback ports, " + from + "-" + to
                    + (inside ? "" : " and our own " + ours + " (binding below 1024 needs privileges)")
                    + "; listening ourselves on " + ours);
            List<Integer> portList = List.copyOf(ports);

            long start = System.nanoTime();
            List<Boolean> serial = new ArrayList<>();
            for (int port : portList) {
                serial.add(isOpen(port));
                if (serial.size() % 64 == 0) {
                    Console.progress(out, "serial scan", serial.size(), portList.size());
                }
            }
            long serialMillis = millisSince(start);

            start = System.nanoTime();
            List<Boolean> concurrent;
            try (Pool pool = Pool.io(c -> c.withName("scan"))) {
                concurrent = pool.map(PortScanner::isOpen, portList, 1);
            }
            long concurrentMillis = millisSince(start);

            List<Integer> open = openPorts(portList, concurrent);
            out.println("   open ports, in numeric order:");
            for (int port : open) {
                out.println("   " + port + (ours.contains(port) ? "  (ours)" : "  (another program's)"));
            }
            out.println("   the serial scan found " + (openPorts(portList, serial).equals(open) ? "the same ports"
                    : "other ports: " + openPorts(portList, serial) + " (a port opened or closed meanwhile)"));
            out.printf("   serial: %d ms; concurrent (a virtual thread per port): %d ms; speedup %.1fx%n",
                    serialMillis, concurrentMillis, serialMillis / (double) Math.max(1, concurrentMillis));
            out.println(serialMillis > concurrentMillis
                    ? "   verdict: each probe waits for the system's answer, so probes in flight at once pay off"
                    : "   verdict: on loopback a closed port refuses at once, so a probe has nothing to wait for and"
                            + " threads only add cost; across a network each probe waits a round trip (or a timeout),"
                            + " and the concurrent scan wins by about the number of probes in flight");
            return new Scan(open, ours, serialMillis, concurrentMillis);
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Whether something accepts connections on {@code port} of loopback. */
    static boolean isOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
            return true;
        } catch (IOException e) {                               // refused, or timed out
            return false;
        }
    }

    private static List<Integer> openPorts(List<Integer> ports, List<Boolean> open) {
        return IntStream.range(0, ports.size()).filter(open::get).mapToObj(ports::get).toList();
    }

    /**
     * Listens on {@code count} free ports of the range, from its top down; where that is not
     * allowed (a privileged range), on free ports the system picks.
     */
    private static List<ServerSocket> listen(int from, int to, int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        for (int port = to; port >= Math.max(from, 1) && sockets.size() < count; port--) {
            try {
                sockets.add(new ServerSocket(port, 50, LOOPBACK));
            } catch (BindException e) {
                if (port < 1024 && !isOpen(port)) {
                    break;                                      // free, so not allowed to bind here
                }
            }
        }
        while (sockets.size() < count) {
            sockets.add(new ServerSocket(0, 50, LOOPBACK));
        }
        return sockets;
    }
}
