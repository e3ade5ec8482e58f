package dev.weft.benchmarks;

import dev.weft.Pool;
import dev.weft.ProcessPool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Two costs of a worker JVM's start that Weft does not choose, each measured side by side with
 * its alternatives in one run, the sides alternating:
 *
 * <ul>
 * <li><b>The channel.</b> A bare JVM that connects to its parent and sends a 32-byte token, over
 *     a Unix-domain socket (Weft's channel) and over TCP on the loopback, each from an AOT cache
 *     trained on its own side (JDK 25; none before). The figure is the time from the spawn to the
 *     token's arrival: what ADR 0005's choice of the socket costs a worker's start.</li>
 * <li><b>The floor.</b> A 30-byte message and its echo between two JVMs: over each channel with a
 *     blocking thread at each end, and over the socket against a peer that polls, as a worker does
 *     after a task that came alone, with each way this side can wait ({@code --floor-only}).</li>
 * <li><b>The class path.</b> The first result of a one-worker pool, from fresh parent JVMs on
 *     three class paths, in rotating order: a jar of Weft's classes, SLF4J's and the program's,
 *     as a program that uses Weft ships them; that jar and {@code --jars} jars of one file each;
 *     and this benchmark jar, which also holds JMH, Hazelcast and picocli. A worker gets its
 *     parent's class path, and a JVM that deserializes or opens a socket reads every jar on it as
 *     it starts: see docs/benchmarks.md, "Session 18".</li>
 * <li><b>The cold parent.</b> The first pool of a fresh parent JVM, to its first result, beside
 *     the same parent's later pools: the first pool also pays for loading and linking the parent's
 *     own side of the pool, which a program pays once. With {@code --build NAME=JAR}, repeatable,
 *     each build of Weft gets a thin class path of its own (that jar's Weft, SLF4J and the
 *     program), the parents rotate over the builds, and each later build's first pool is reported
 *     as a ratio to the first build's, parent by parent: see docs/benchmarks.md, "Session 19".</li>
 * </ul>
 *
 * <pre>
 * "$(./weft java)/bin/java" -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.WorkerStartBenchmark \
 *     --out benchmarks/results/worker-start.json
 * </pre>
 * Options: {@code --help} lists them, with their defaults. The run's files (the jars, the caches)
 * are in a temporary directory that it deletes.
 */
@Command(name = "WorkerStartBenchmark", sortOptions = false,
        description = "A worker's start: the channel (Unix-domain socket or TCP) and the class path's length.")
public final class WorkerStartBenchmark implements Callable<Integer> {
    private static final int TOKEN_BYTES = 32;
    private static final int ECHOES = 20_000;

    @Mixin
    private HelpOption help;
    @Option(names = "--connects", paramLabel = "N", description = "JVMs per channel (default: ${DEFAULT-VALUE}).")
    private int connects = 40;
    @Option(names = "--parents", paramLabel = "N", description = "Parent JVMs per class path (default: ${DEFAULT-VALUE}).")
    private int parents = 6;
    @Option(names = "--pools", paramLabel = "P", description = "Pools per parent; the first is not counted (default: ${DEFAULT-VALUE}).")
    private int pools = 8;
    @Option(names = "--jars", paramLabel = "J", description = "Jars added to the longer class path (default: ${DEFAULT-VALUE}).")
    private int jars = 150;
    @Option(names = "--cold-parents", paramLabel = "N", description = "Parent JVMs per build for the cold parent "
            + "(default: ${DEFAULT-VALUE}).")
    private int coldParents = 12;
    @Option(names = "--build", paramLabel = "NAME=JAR", description = "A build of Weft for the cold parent "
            + "(repeatable; the first is the base); default: the Weft in this benchmark's jar.")
    private Map<String, Path> builds = new LinkedHashMap<>();
    @Option(names = "--cold-parent-only", description = "Measures the cold parent alone.")
    private boolean coldParentOnly;
    @Option(names = "--floor-only", description = "Measures the transport's floor alone.")
    private boolean floorOnly;
    @Option(names = "--out", paramLabel = "FILE", description = "Writes the JSON there too.")
    private Path out;

    private WorkerStartBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerStartBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (connects < 1 || parents < 1 || coldParents < 1 || pools < 2 || jars < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--connects, --parents, --cold-parents and --jars must be at least 1, and --pools at least 2");
        }
        if (floorOnly && coldParentOnly) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--floor-only and --cold-parent-only each measure one thing alone: give one of them");
        }
        for (Map.Entry<String, Path> build : builds.entrySet()) {
            if (!Files.isRegularFile(build.getValue())) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--build " + build.getKey() + ": no jar at " + build.getValue());
            }
        }
        Path dir = Files.createTempDirectory("weft-worker-start-");
        StringBuilder json = new StringBuilder("{\n");
        try {
            json.append(String.format(Locale.ROOT, "  \"java\": \"%s\", \"cpus\": %d,%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors()));
            if (floorOnly) {
                json.append(floor(dir));
            } else {
                if (!coldParentOnly) {
                    json.append(channel(dir));
                    json.append(floor(dir));
                    json.append(classPath(dir));
                }
                json.append(coldParent(dir));
            }
        } finally {
            RunFiles.deleteTree(dir);
        }
        json.setLength(json.length() - 2);
        json.append("\n}\n");
        RunFiles.emit(json, out);
        return 0;
    }

    private String channel(Path dir) throws Exception {
        for (boolean unix : new boolean[] {true, false}) {
            connect(dir, unix, cacheFlag(dir, unix, true));     // trains the side's cache
        }
        double[] unix = new double[connects];
        double[] tcp = new double[connects];
        for (int i = 0; i < connects; i++) {         // the sides alternate, each first in half the pairs
            boolean unixFirst = i % 2 == 0;
            for (boolean side : new boolean[] {unixFirst, !unixFirst}) {
                (side ? unix : tcp)[i] = connect(dir, side, cacheFlag(dir, side, false));
            }
        }
        Stats u = Stats.of(unix);
        Stats t = Stats.of(tcp);
        double[] ratios = new double[connects];
        for (int i = 0; i < connects; i++) {
            ratios[i] = tcp[i] / unix[i];
        }
        Stats r = Stats.of(ratios);
        String cacheNote = cacheFlag(dir, true, false) != null ? "each side from an AOT cache trained on it"
                : "no AOT cache (JDK " + Runtime.version().feature() + ")";
        return section("channel", line("unix_ms", u, "spawn to token, median of " + connects + "; " + cacheNote)
                + line("tcp_ms", t, "the same over TCP on the loopback")
                + line("tcp_to_unix", r, "median of the paired ratios"));
    }

    /**
     * The flag that gives a peer on the socket ({@code unix}) or on TCP its own AOT cache, to write
     * ({@code training}) or to start from; null before JDK 25, which has none.
     */
    private static String cacheFlag(Path dir, boolean unix, boolean training) {
        if (Runtime.version().feature() < 25) {
            return null;
        }
        return (training ? "-XX:AOTCacheOutput=" : "-XX:AOTCache=") + dir.resolve(unix ? "unix.aot" : "tcp.aot");
    }

    /** Spawns a {@link Connect} JVM, and returns the milliseconds from the spawn to its token. */
    private static double connect(Path dir, boolean unix, String cacheFlag) throws Exception {
        try (Peer peer = Peer.spawn(dir, unix, cacheFlag, false)) {
            return peer.startMs;
        }
    }

    /**
     * The transport's floor: a 30-byte message and its echo between this JVM and a {@link Connect}
     * JVM, over each channel with one blocking thread at each end, then over the socket with each
     * way of waiting ({@link Wait}) against a peer that polls; blocks of {@code ECHOES}, the sides
     * alternating block by block.
     */
    private String floor(Path dir) throws Exception {
        int blocks = 7;
        Wait[] waits = Wait.values();
        double[][] us = new double[2 + waits.length][blocks];
        try (Peer unix = Peer.spawn(dir, true, cacheFlag(dir, true, false), false);
             Peer tcp = Peer.spawn(dir, false, cacheFlag(dir, false, false), false);
             Peer polling = Peer.spawn(dir, true, cacheFlag(dir, true, false), true)) {
            int sides = us.length;
            for (int side = 0; side < sides; side++) {
                echo(side, unix, tcp, polling, waits);              // warm-up
            }
            for (int b = 0; b < blocks; b++) {
                for (int k = 0; k < sides; k++) {
                    int side = (b + k) % sides;
                    us[side][b] = echo(side, unix, tcp, polling, waits);
                }
            }
        }
        StringBuilder lines = new StringBuilder();
        lines.append(line("unix_us", Stats.of(us[0]), "30 bytes and their echo between two JVMs over the socket, "
                + "a blocking thread at each end, median of " + blocks + " blocks of " + ECHOES));
        lines.append(line("tcp_us", Stats.of(us[1]), "the same over TCP on the loopback"));
        for (Wait wait : waits) {
            lines.append(line("unix_peer_polls_" + wait.key + "_us", Stats.of(us[2 + wait.ordinal()]),
                    "the same over the socket, the peer polling, and here " + wait.note));
        }
        return section("floor", lines.toString());
    }

    private static double echo(int side, Peer unix, Peer tcp, Peer polling, Wait[] waits) throws Exception {
        return switch (side) {
            case 0 -> unix.echo(ECHOES, Wait.BLOCKS);
            case 1 -> tcp.echo(ECHOES, Wait.BLOCKS);
            default -> polling.echo(ECHOES, waits[side - 2]);
        };
    }

    /** How this side of an echo waits for it. */
    enum Wait {
        BLOCKS("blocks", "the sender blocks in its read"),
        READER_BLOCKS("reader_blocks", "a reader thread blocks in its read and wakes the sender, which parks: "
                + "a process pool's parent"),
        READER_POLLS("reader_polls", "a reader thread polls, yielding, and wakes the sender, which parks"),
        POLLS("polls", "the sender polls: no thread is woken at either end");

        final String key;
        final String note;

        Wait(String key, String note) {
            this.key = key;
            this.note = note;
        }

        boolean hasReader() {
            return this == READER_BLOCKS || this == READER_POLLS;
        }
    }

    /** A {@link Connect} JVM, connected, and its channel. */
    private static final class Peer implements AutoCloseable {
        final Process process;
        final SocketChannel channel;
        final double startMs;
        private final ByteBuffer message = ByteBuffer.allocate(30);

        private Peer(Process process, SocketChannel channel, double startMs) {
            this.process = process;
            this.channel = channel;
            this.startMs = startMs;
        }

        /** Spawns a peer on the socket ({@code unix}) or on TCP, which polls or blocks, and waits for its token. */
        static Peer spawn(Path dir, boolean unix, String cacheFlag, boolean polls) throws Exception {
            Path socket = dir.resolve("connect.sock");
            Files.deleteIfExists(socket);
            SocketAddress address = unix ? UnixDomainSocketAddress.of(socket)
                    : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            try (ServerSocketChannel server = unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                    : ServerSocketChannel.open()) {
                server.bind(address);
                String target = unix ? socket.toString()
                        : Integer.toString(((InetSocketAddress) server.getLocalAddress()).getPort());
                List<String> command = new ArrayList<>(List.of(javaCommand()));
                if (cacheFlag != null) {
                    command.add(cacheFlag);
                }
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), Connect.class.getName(),
                        unix ? "unix" : "tcp", target, polls ? "poll" : "block"));
                boolean training = cacheFlag != null && cacheFlag.startsWith("-XX:AOTCacheOutput");
                long start = System.nanoTime();
                Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(training ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.INHERIT)
                        .start();
                SocketChannel channel = server.accept();
                ByteBuffer token = ByteBuffer.allocate(TOKEN_BYTES);
                while (token.hasRemaining()) {
                    if (channel.read(token) < 0) {
                        channel.close();
                        child.destroyForcibly();
                        throw new IOException("the child hung up before its token: " + command);
                    }
                }
                return new Peer(child, channel, (System.nanoTime() - start) / 1e6);
            }
        }

        /**
         * Sends {@code n} messages, one at a time, each after the last one's echo, which this side
         * waits for as {@code wait} says; returns µs per round trip.
         */
        double echo(int n, Wait wait) throws Exception {
            channel.configureBlocking(wait == Wait.BLOCKS || wait == Wait.READER_BLOCKS);
            Thread reader = null;
            AtomicLong echoes = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            if (wait.hasReader()) {
                Thread sender = Thread.currentThread();
                reader = Thread.ofPlatform().name("echo-reader").start(() -> {
                    ByteBuffer in = ByteBuffer.allocate(message.capacity());
                    try {
                        for (int i = 0; i < n; i++) {
                            in.clear();
                            receive(in, true);     // blocks if the channel does
                            echoes.incrementAndGet();
                            LockSupport.unpark(sender);
                        }
                    } catch (Exception e) {
                        failure.set(e);
                        echoes.set(Long.MAX_VALUE);
                        LockSupport.unpark(sender);
                    }
                });
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                message.clear();
                while (message.hasRemaining()) {
                    channel.write(message);
                }
                message.clear();
                if (reader == null) {
                    receive(message, false);
                } else {
                    while (echoes.get() <= i) {
                        LockSupport.park(this);
                    }
                    if (failure.get() != null) {
                        throw failure.get();
                    }
                }
            }
            double us = (System.nanoTime() - start) / 1e3 / n;
            if (reader != null) {
                reader.join();
            }
            return us;
        }

        /**
         * Reads until {@code buffer} is full: blocking if the channel is in blocking mode, or else
         * polling, with a yield or a spin between reads.
         */
        private void receive(ByteBuffer buffer, boolean yield) throws IOException {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer);
                if (n < 0) {
                    throw new IOException("the peer hung up");
                }
                if (n == 0) {
                    if (yield) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
        }

        /** Hangs up, which ends the peer, and checks that it ended well. */
        @Override
        public void close() throws IOException, InterruptedException {
            channel.close();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("a peer JVM failed (exit " + (process.isAlive() ? "none" : process.exitValue()) + ")");
            }
        }
    }

    private String classPath(Path dir) throws Exception {
        String fat = System.getProperty("java.class.path");
        String thin = thinJar(fat, null, dir.resolve("weft-and-slf4j.jar"), Pools.class).toString();
        StringBuilder longer = new StringBuilder(thin);
        Path extra = Files.createDirectories(dir.resolve("jars"));
        for (int i = 1; i <= jars; i++) {
            Path jar = extra.resolve("lib" + i + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(false))) {
                out.putNextEntry(new JarEntry("lib" + i + "/readme.txt"));
                out.write(("jar " + i + " of " + jars + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            longer.append(File.pathSeparatorChar).append(jar);
        }
        String[] classPaths = {thin, longer.toString(), fat};
        String cacheDir = "-Dweft.startupCache=" + dir.resolve("startup-cache");
        parent(thin, cacheDir, 2);          // trains the run's startup caches: one for each jar that holds Weft
        parent(fat, cacheDir, 2);
        List<List<Double>> figures = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < parents; i++) {
            for (int k = 0; k < classPaths.length; k++) {          // the order rotates: each side goes first as often
                int side = (i + k) % classPaths.length;
                double[] ms = parent(classPaths[side], cacheDir, pools);
                for (int p = 1; p < ms.length; p++) {               // the first pool of a fresh parent is not counted
                    figures.get(side).add(ms[p]);
                }
            }
        }
        Stats[] stats = figures.stream().map(f -> Stats.of(f.stream().mapToDouble(Double::doubleValue).toArray()))
                .toArray(Stats[]::new);
        String note = "pools 2-" + pools + " of " + parents + " parent JVMs, median";
        return section("class_path", String.format(Locale.ROOT, "    \"jars\": %d,%n", jars)
                + line("thin_ms", stats[0], "first result of a one-worker pool; class path: Weft, SLF4J and the "
                        + "program, in one jar; " + note)
                + line("with_jars_ms", stats[1], "the same and " + jars + " jars of one file each")
                + line("fat_ms", stats[2], "the benchmark jar (" + entries(fat) + " entries), as ProcessPoolBenchmark runs")
                + String.format(Locale.ROOT, "    \"per_jar_ms\": %.3f,%n", (stats[1].median - stats[0].median) / jars));
    }

    /**
     * The first pool of fresh parents, and their later pools, for each build (see the class
     * comment); the parents rotate over the builds, each build first as often as the others.
     */
    private String coldParent(Path dir) throws Exception {
        String fat = System.getProperty("java.class.path");
        Map<String, Path> weft = builds.isEmpty() ? Map.of("benchmark", Path.of(fat)) : builds;
        List<String> names = List.copyOf(weft.keySet());
        String[] classPaths = new String[names.size()];
        for (int b = 0; b < classPaths.length; b++) {
            Path jar = weft.get(names.get(b));
            classPaths[b] = thinJar(fat, builds.isEmpty() ? null : jar, dir.resolve("cold-" + b + ".jar"), Pools.class)
                    .toString();
        }
        String cacheDir = "-Dweft.startupCache=" + dir.resolve("cold-startup-cache");
        for (String classPath : classPaths) {
            parent(classPath, cacheDir, 2);                // trains each build's startup cache
        }
        double[][] first = new double[names.size()][coldParents];
        double[][] made = new double[names.size()][coldParents];
        List<List<Double>> later = new ArrayList<>();
        names.forEach(n -> later.add(new ArrayList<>()));
        for (int i = 0; i < coldParents; i++) {
            for (int k = 0; k < classPaths.length; k++) {
                int side = (i + k) % classPaths.length;
                double[][] figures = parentPools(classPaths[side], cacheDir, pools);
                double[] ms = figures[0];
                first[side][i] = ms[0];
                made[side][i] = figures[1][0];
                for (int p = 1; p < ms.length; p++) {
                    later.get(side).add(ms[p]);
                }
            }
        }
        StringBuilder lines = new StringBuilder();
        String note = "of " + coldParents + " parent JVMs, median; class path: that build's Weft, SLF4J and the program";
        for (int b = 0; b < names.size(); b++) {
            String name = names.get(b);
            lines.append(line(name + "_first_pool_ms", Stats.of(first[b]),
                    "first result of a one-worker pool, the first pool of a fresh parent, " + note + " (" + weft.get(name) + ")"));
            lines.append(line(name + "_first_pool_made_ms", Stats.of(made[b]),
                    "how long the first pool's Pool.processes took to return, the same parents"));
            lines.append(line(name + "_later_pools_ms",
                    Stats.of(later.get(b).stream().mapToDouble(Double::doubleValue).toArray()),
                    "the same parents' pools 2-" + pools));
            if (b > 0) {
                lines.append(line(name + "_to_" + names.get(0) + "_first_pool", Stats.of(ratios(first[b], first[0])),
                        "the first pools' first results, ratio parent by parent (each round's parents back to back)"));
                lines.append(line(name + "_to_" + names.get(0) + "_first_pool_made", Stats.of(ratios(made[b], made[0])),
                        "the first pools' Pool.processes, ratio parent by parent"));
            }
        }
        return section("cold_parent", lines.toString());
    }

    static double[] ratios(double[] a, double[] b) {
        double[] ratios = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ratios[i] = a[i] / b[i];
        }
        return ratios;
    }

    /**
     * Writes to {@code target} a jar of what a program that uses Weft ships: Weft's classes (from
     * {@code weft}, a Weft jar, or if null from {@code fat}), and SLF4J's and the {@code program}'s
     * classes from {@code fat}, the benchmark jar. Weft's engine modules' service files are left
     * out, so its scopes run on the core engine, as they do for a program without those modules.
     */
    static Path thinJar(String fat, Path weft, Path target, Class<?>... program) throws IOException {
        Set<String> classes = Stream.of(program).map(c -> c.getName().replace('.', '/') + ".class")
                .collect(Collectors.toSet());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest(true))) {
            copy(fat, out, name -> (weft == null && isWeft(name)) || name.startsWith("org/slf4j/")
                    || classes.contains(name) || name.equals("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
            if (weft != null) {
                copy(weft.toString(), out, WorkerStartBenchmark::isWeft);
            }
        }
        return target;
    }

    /** Whether a jar entry is a class of Weft's own, versioned or not, and not of this benchmark. */
    private static boolean isWeft(String name) {
        String unversioned = name.replaceFirst("^META-INF/versions/\\d+/", "");
        return unversioned.startsWith("dev/weft/") && !unversioned.startsWith("dev/weft/benchmarks/");
    }

    /** Copies the files of {@code jar} that {@code wanted} names into {@code out}. */
    private static void copy(String jar, JarOutputStream out, Predicate<String> wanted) throws IOException {
        try (JarFile source = new JarFile(jar)) {
            for (JarEntry entry : Collections.list(source.entries())) {
                if (!entry.isDirectory() && wanted.test(entry.getName())) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    private static Manifest manifest(boolean multiRelease) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (multiRelease) {
            manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        }
        return manifest;
    }

    private static int entries(String jar) throws IOException {
        try (JarFile file = new JarFile(jar)) {
            return file.size();
        }
    }

    /** Runs {@link Pools} in a fresh JVM on {@code classPath}, and returns its pools' first results, in ms. */
    private static double[] parent(String classPath, String cacheDir, int pools) throws Exception {
        return parentPools(classPath, cacheDir, pools)[0];
    }

    /**
     * Runs {@link Pools} in a fresh JVM on {@code classPath}, and returns its pools' figures, in ms:
     * the first results, then the times {@code Pool.processes} took to return.
     */
    private static double[][] parentPools(String classPath, String cacheDir, int pools) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaCommand()));
        command.addAll(List.of(cacheDir, "-cp", classPath, Pools.class.getName(), Integer.toString(pools)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(120, TimeUnit.SECONDS) || child.exitValue() != 0) {
            child.destroyForcibly();
            throw new IOException("a parent JVM failed: " + output);
        }
        return Stream.of(output.strip().split("\\R")).map(line -> Stream.of(line.strip().split("\\s+"))
                .mapToDouble(Double::parseDouble).toArray()).toArray(double[][]::new);
    }

    private static String[] javaCommand() {
        return new String[] {Path.of(System.getProperty("java.home"), "bin", "java").toString()};
    }

    /** A JSON object of {@code lines}, each ending in a comma, which the last one loses. */
    static String section(String name, String lines) {
        return "  \"" + name + "\": {\n" + lines.substring(0, lines.length() - 2) + "\n  },\n";
    }

    static String line(String name, Stats s, String note) {
        return String.format(Locale.ROOT, "    \"%s\": %.2f, \"%s_note\": \"%s; quartiles %.2f-%.2f, min %.2f, max %.2f\",%n",
                name, s.median, name, note, s.q1, s.q3, s.min, s.max);
    }

    /** The peer of the channel figures: connects as its arguments say, sends a token, then echoes what it reads until the end. */
    public static final class Connect {
        private Connect() {
        }

        public static void main(String[] args) throws IOException {
            SocketAddress address = args[0].equals("unix") ? UnixDomainSocketAddress.of(args[1])
                    : new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1]));
            boolean polls = args[2].equals("poll");
            try (SocketChannel channel = SocketChannel.open(address)) {
                ByteBuffer buffer = ByteBuffer.allocate(TOKEN_BYTES);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.configureBlocking(!polls);
                buffer.clear();
                for (int n; (n = channel.read(buffer)) >= 0; ) {
                    if (n == 0) {
                        Thread.onSpinWait();            // polling: as a worker after a task that came alone
                        continue;
                    }
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    buffer.clear();
                }
            }
        }
    }

    /**
     * The parent of the class-path and cold-parent figures: {@code args[0]} one-worker pools in a
     * row; prints, in ms, each one's first result on a line, then the time each factory call took.
     */
    public static final class Pools {
        private Pools() {
        }

        public static void main(String[] args) throws Exception {
            int pools = Integer.parseInt(args[0]);
            long[] first = new long[pools];
            long[] made = new long[pools];
            for (int i = 0; i < pools; i++) {
                long start = System.nanoTime();
                try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1))) {
                    made[i] = System.nanoTime() - start;
                    int one = pool.submit(() -> 1).get();
                    first[i] = System.nanoTime() - start;
                    if (one != 1) {
                        throw new AssertionError("the task returned " + one);
                    }
                }
            }
            for (long[] figures : new long[][] {first, made}) {
                StringBuilder line = new StringBuilder();
                for (long nanos : figures) {
                    line.append(String.format(Locale.ROOT, "%.3f ", nanos / 1e6));
                }
                System.out.println(line.toString().strip());
            }
        }
    }
}
