package dev.weft.benchmarks;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weft.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The IO pool against Python's {@code multiprocessing.pool.ThreadPool} with one thread per task,
 * as the seed runs it, both in one run of this program: the Python side is
 * {@code thread_pool_peer.py} (a resource of this jar), run with the machine's {@code python3}.
 *
 * <p>Two workloads, each timed as the whole life of a pool, creation to the end of its last
 * thread: Weft's {@code Pool.io()}, {@code map(fn, items)} (Python's default chunksize, 1 for an
 * unbounded IO pool: one virtual thread per item), {@code close()}; Python's
 * {@code ThreadPool(len(items))}, {@code map}, {@code close()}, {@code join()}.
 * <ul>
 * <li>{@code scan}: a port scan of 1,024 loopback ports, each task one TCP connect (1 s timeout).
 *     The program opens 8 of the ports itself (listeners on 127.0.0.1 that accept and close every
 *     connection); the other 1,016 are ports that nothing listens on, so their connect is refused.
 *     All are below the kernel's ephemeral range, so a connect can never meet itself.</li>
 * <li>{@code sleep}: 10,000 tasks, each blocking 100 ms.</li>
 * </ul>
 * Each round runs both sides {@code --runs} times, Weft in this JVM and Python in one fresh
 * interpreter, and alternates which goes first; the figure is the ratio weft/python of the two
 * sides' medians in each round, its mean with a 99.9% confidence interval over the rounds (as
 * {@link Interleaved} reports its pairs), and its median.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.IoPoolVsPython \
 *     --out benchmarks/results/pools-io-python.json
 * </pre>
 *
 * Options: {@code --help} lists them, with their defaults. Without a working {@code python3} the Weft side is measured alone and the program says so.
 * Results and the machine: {@code docs/benchmarks.md}, section Pools.
 */
@Command(name = "IoPoolVsPython", sortOptions = false,
        description = "The IO pool against Python's multiprocessing.pool.ThreadPool, both in one run.")
public final class IoPoolVsPython implements Callable<Integer> {
    private static final int PORTS = 1024;
    private static final int OPEN = 8;
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;
    /** Python's json.dumps writes a float it has no figure for as the bare word NaN, which JSON does not allow. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** One workload: Weft's side (returns a check value), the Python script's arguments after RUNS. */
    private record Workload(String name, String check, Op weft, List<String> pythonArgs, int rounds, int runs) {
    }

    @FunctionalInterface
    private interface Op {
        long run() throws Exception;
    }

    @Mixin
    private HelpOption help;
    @Option(names = "--only", paramLabel = "scan|sleep", description = "Runs this workload alone.")
    private String only;
    @Option(names = "--rounds", paramLabel = "R", description = "Rounds (default: scan 10, sleep 3).")
    private Integer rounds;
    @Option(names = "--runs", paramLabel = "N", description = "Runs per side and round (default: scan 5, sleep 1).")
    private Integer runs;
    @Option(names = "--python", paramLabel = "CMD", description = "The Python to run (default: ${DEFAULT-VALUE}).")
    private String python = "python3";
    @Option(names = "--out", paramLabel = "FILE", description = "Writes the JSON there.")
    private Path out;

    private IoPoolVsPython() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new IoPoolVsPython()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path script = extractScript();
        String pythonVersion = pythonVersion(python);
        if (pythonVersion == null) {
            System.out.println("# " + python + " is not available here: measuring the Weft side alone, no ratio");
        }
        System.out.printf(Locale.ROOT, "# IoPoolVsPython: JVM %s, Python %s%n",
                System.getProperty("java.vm.version"), pythonVersion == null ? "absent" : pythonVersion);
        StringBuilder json = new StringBuilder("{\n  \"benchmark\": \"dev.weft.benchmarks.IoPoolVsPython\",\n");
        json.append("  \"vmVersion\": \"").append(System.getProperty("java.vm.version")).append("\",\n");
        json.append("  \"python\": ").append(pythonVersion == null ? "null" : "\"" + pythonVersion + "\"")
                .append(",\n  \"results\": [\n");
        List<String> done = new ArrayList<>();
        try (Listeners listeners = Listeners.open(PORTS, OPEN)) {
            List<Workload> workloads = new ArrayList<>();
            if (only == null || only.equals("scan")) {
                String ports = listeners.ports.stream().map(String::valueOf).collect(Collectors.joining(","));
                workloads.add(new Workload("scan " + PORTS + " loopback ports, " + OPEN + " open", "open ports",
                        () -> weft(listeners.ports, port -> probe(listeners.host, port) ? 1L : 0L),
                        List.of("scan", listeners.host.getHostAddress(), ports),
                        rounds != null ? rounds : 10, runs != null ? runs : 5));
            }
            if (only == null || only.equals("sleep")) {
                workloads.add(new Workload("sleep 10000 tasks x 100 ms", "tasks",
                        () -> weft(Collections.nCopies(10_000, 100L), IoPoolVsPython::sleep),
                        List.of("sleep", "10000", "100"),
                        rounds != null ? rounds : 3, runs != null ? runs : 1));
            }
            for (Workload w : workloads) {
                done.add(measure(w, python, script, pythonVersion != null, listeners));
            }
        }
        json.append(String.join(",\n", done)).append("\n  ]\n}\n");
        if (out != null) {
            Files.writeString(out, json);
            System.out.println("wrote " + out);
        }
        return 0;
    }

    /** Runs one workload's rounds; prints its figures and returns its JSON object. */
    private static String measure(Workload w, String python, Path script, boolean withPython, Listeners listeners)
            throws Exception {
        System.out.printf(Locale.ROOT, "# %s: %d rounds of %d runs a side%n", w.name, w.rounds, w.runs);
        long check = w.weft.run();      // warm-up, and the check value printed once
        System.out.printf(Locale.ROOT, "# weft: %d %s (warm-up run)%n", check, w.check);
        w.weft.run();
        double[] ratios = new double[withPython ? w.rounds : 0];
        List<Double> weftAll = new ArrayList<>();
        List<Double> pythonAll = new ArrayList<>();
        List<String> pythonOutputs = new ArrayList<>();
        for (int r = 0; r < w.rounds; r++) {
            double[] weft = null;
            String pythonOut = null;
            for (int side = 0; side < 2; side++) {
                if ((side + r) % 2 == 0) {
                    weft = weftRuns(w.weft, w.runs);
                } else if (withPython) {
                    pythonOut = runPython(python, script, w.pythonArgs, w.runs);
                }
            }
            double weftMedian = Stats.of(weft).median;
            for (double x : weft) {
                weftAll.add(x);
            }
            String line = String.format(Locale.ROOT, "round %2d  weft %9.1f ms", r + 1, weftMedian);
            if (pythonOut != null) {
                pythonOutputs.add(pythonOut);
                JsonNode peer = JSON.readTree(pythonOut);
                double[] py = peer.path("runs").valueStream().mapToDouble(run -> run.path("total").asDouble()).toArray();
                String error = peer.path("error").asText(null);
                if (py.length == 0) {
                    throw new IllegalStateException("python gave no timing: " + (error != null ? error : pythonOut));
                }
                for (double x : py) {
                    pythonAll.add(x);
                }
                double pyMedian = Stats.of(py).median;
                ratios[r] = weftMedian / pyMedian;
                line += String.format(Locale.ROOT, "  python %9.1f ms  weft/python %.4f", pyMedian, ratios[r]);
                if (error != null) {
                    line += "  (python stopped: " + error + ")";
                }
            }
            System.out.printf(Locale.ROOT, "%s   (connections accepted so far: %d)%n", line, listeners.accepted.get());
        }
        Stats sw = Stats.of(toArray(weftAll));
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "    {\"workload\": \"%s\", \"unit\": \"ms\", \"runsPerSide\": %d, \"weftCheck\": %d,%n"
                        + "     \"weft\": {\"median\": %.3f, \"mean\": %.3f, \"error\": %.3f, \"runs\": %s}",
                w.name, w.runs, check, sw.median, sw.mean, sw.error, array(toArray(weftAll))));
        System.out.printf(Locale.ROOT, "%s: weft median %.1f ms", w.name, sw.median);
        if (ratios.length > 0) {
            Stats sp = Stats.of(toArray(pythonAll));
            Stats sq = Stats.of(ratios);
            System.out.printf(Locale.ROOT, ", python median %.1f ms, weft/python %.4f ± %.4f (median %.4f)",
                    sp.median, sq.mean, sq.error, sq.median);
            json.append(String.format(Locale.ROOT,
                    ",%n     \"python\": {\"median\": %.3f, \"mean\": %.3f, \"error\": %.3f, \"runs\": %s},%n"
                            + "     \"ratio\": %.4f, \"ratioError\": %.4f, \"ratioMedian\": %.4f, \"roundRatios\": %s,%n"
                            + "     \"pythonOutput\": [%s]",
                    sp.median, sp.mean, sp.error, array(toArray(pythonAll)), sq.mean, sq.error, sq.median,
                    array(ratios), String.join(", ", pythonOutputs)));
        }
        System.out.println();
        return json.append("}").toString();
    }

    // ---- the Weft side ----

    /** One pool's life: {@code Pool.io()}, {@code map(fn, items)}, {@code close()}; the sum of the results. */
    static <A> long weft(List<A> items, Function<A, Long> fn) throws InterruptedException {
        try (Pool pool = Pool.io()) {
            long sum = 0;
            for (long x : pool.map(fn, items)) {
                sum += x;
            }
            return sum;
        }
    }

    /** Whether a TCP connect to {@code host:port} succeeds. */
    static boolean probe(InetAddress host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long sleep(long millis) {
        try {
            Thread.sleep(millis);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double[] weftRuns(Op op, int runs) throws Exception {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            op.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    // ---- the Python side ----

    private static Path extractScript() throws IOException {
        Path script = Files.createTempFile("weft-thread-pool-peer", ".py");
        script.toFile().deleteOnExit();
        try (InputStream in = IoPoolVsPython.class.getResourceAsStream("thread_pool_peer.py")) {
            if (in == null) {
                throw new IllegalStateException("thread_pool_peer.py is missing from the jar");
            }
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    /** The version {@code python} reports, or null if it cannot be run. */
    private static String pythonVersion(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import platform; print(platform.python_version())")
                    .redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && !version.isEmpty() ? version : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs the script; returns its JSON line. */
    private static String runPython(String python, Path script, List<String> args, int runs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), args.get(0), Integer.toString(runs)));
        command.addAll(args.subList(1, args.size()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("python failed; its output:\n" + output);
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                return line.trim();
            }
        }
        throw new IllegalStateException("python printed no JSON; its output:\n" + output);
    }

    private static double[] toArray(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String array(double[] xs) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < xs.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", xs[i]));
        }
        return s.append(']').toString();
    }

    // ---- the ports ----

    /**
     * The scan's targets on 127.0.0.1: {@code total} ports below the ephemeral range that nothing
     * listened on when checked (a bind succeeded), {@code open} of them, spread evenly, held open
     * by this program. Each listener has a virtual thread that accepts and closes connections
     * until the listener is closed.
     */
    private static final class Listeners implements AutoCloseable {
        final InetAddress host = InetAddress.getLoopbackAddress();
        final List<Integer> ports = new ArrayList<>();
        final AtomicLong accepted = new AtomicLong();
        private final List<ServerSocket> servers = new ArrayList<>();
        private final List<Thread> acceptors = new ArrayList<>();

        static Listeners open(int total, int open) throws IOException {
            Listeners l = new Listeners();
            int port = Math.max(1024, ephemeralLow() - 2 * total - 2048);
            int every = total / open;
            while (l.ports.size() < total) {
                if (port >= ephemeralLow()) {
                    throw new IllegalStateException("not enough free ports below the ephemeral range");
                }
                ServerSocket server;
                try {
                    server = new ServerSocket(port, PORTS, l.host);
                } catch (IOException e) {       // something listens there: skip it
                    port++;
                    continue;
                }
                if (l.ports.size() % every == every / 2) {
                    l.servers.add(server);
                    l.acceptors.add(Thread.ofVirtual().name("listener-" + port).start(() -> l.accept(server)));
                } else {
                    server.close();
                }
                l.ports.add(port++);
            }
            return l;
        }

        private void accept(ServerSocket server) {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    // closed: the loop ends
                }
            }
        }

        /** The low end of {@code ip_local_port_range}, or 32768, Linux's default. */
        private static int ephemeralLow() {
            // Files.readString reads "3" of this file (its size shows as 0): read it line by line.
            try (var in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
            } catch (IOException | RuntimeException e) {
                return 32768;
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            for (ServerSocket s : servers) {
                s.close();
            }
            for (Thread t : acceptors) {
                t.join();
            }
        }
    }
}
