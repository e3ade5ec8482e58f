package dev.weft.benchmarks;

import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.weft.ClusterPool;
import dev.weft.Pool;
import dev.weft.ProcessPool;
import dev.weft.RemotePool;
import dev.weft.TaskFuture;
import dev.weft.hazelcast.ClusterMember;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The cluster pool against Hazelcast's own executor on the same members, and against the local
 * process pool, in one run, on one machine: a 3-member Hazelcast cluster (this JVM's pool member
 * and two member JVMs on loopback) and a process pool of two worker JVMs.
 *
 * <ul>
 * <li>sequential {@code submit().get()} round trip: to this JVM's member, to a member JVM, and to
 *     a process worker; and again, Weft's and Hazelcast's to the same member in alternating
 *     blocks, reported as the median of each round's ratio;</li>
 * <li>the same alternation for the pipelined submits below, a round of each side at a time;</li>
 * <li>submit throughput of trivial tasks (submit all, then wait for all);</li>
 * <li>{@code map} over tiny items with the default chunksize (1,000,000 items) and with chunksize
 *     1 (20,000 items): what batching buys when each remote task costs a fraction of a millisecond.</li>
 * </ul>
 *
 * <pre>
 * "$(./weft java)/bin/java" --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
 *     --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *     --add-opens java.management/sun.management=ALL-UNNAMED \
 *     --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
 *     -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.ClusterPoolBenchmark --out benchmarks/results/cluster-pool.json
 * </pre>
 * Options: {@code --help} lists them, with their defaults.
 */
@Command(name = "ClusterPoolBenchmark", sortOptions = false,
        description = "The cluster pool against Hazelcast's own executor and the local process pool.")
public final class ClusterPoolBenchmark implements Callable<Integer> {
    private static final String CLUSTER = "weft-bench";
    private static final int PORT = 5790;

    @Mixin
    private HelpOption help;
    @Option(names = "--in-jvm", description = "Starts all three members in this JVM.")
    private boolean inJvm;
    @Option(names = "--roundtrips", paramLabel = "N", description = "submit().get() calls per block (default: ${DEFAULT-VALUE}).")
    private int roundtrips = 5_000;
    @Option(names = "--roundtrip-rounds", paramLabel = "R",
            description = "Rounds of the interleaved round trips and submits, each a block per side (default: ${DEFAULT-VALUE}).")
    private int roundtripRounds = 20;
    @Option(names = "--submits", paramLabel = "N", description = "Tasks per submit round (default: ${DEFAULT-VALUE}).")
    private int submits = 20_000;
    @Option(names = "--submit-warmup", paramLabel = "N",
            description = "Unmeasured submit rounds before the 5 measured, on each side (default: ${DEFAULT-VALUE}).")
    private int submitWarmup = 3;
    @Option(names = "--map-items", paramLabel = "N", description = "Items per map (default: ${DEFAULT-VALUE}).")
    private int mapItems = 1_000_000;
    @Option(names = "--out", paramLabel = "FILE", description = "Writes the JSON there too.")
    private Path out;
    @Option(names = "--tasks-in-flight", paramLabel = "N",
            description = "The cluster pool's withTasksInFlight (default: ${DEFAULT-VALUE}, the pool's own rule).")
    private int tasksInFlight;
    @Option(names = "--no-process-pool", description = "Skips the process pool's figures.")
    private boolean noProcessPool;

    private ClusterPoolBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClusterPoolBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        StringBuilder json = new StringBuilder("{\n");
        json.append(String.format(Locale.ROOT, "  \"java\": \"%s\", \"cpus\": %d, \"members_in_one_jvm\": %b,%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), inJvm));
        ClusterPool.Configuration config = ClusterPool.Configuration.defaults().withClusterName(CLUSTER).withPort(PORT)
                .withMembers("127.0.0.1:" + PORT);
        List<AutoCloseable> members = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                members.add(inJvm ? ClusterMember.start(config) : memberJvm(PORT));
            }
            json.append("  \"cluster\": {\n");
            ClusterPool.Configuration pooled = config.withWorkersPerMember(2);
            ClusterPool.Configuration sized = tasksInFlight > 0 ? pooled.withTasksInFlight(tasksInFlight) : pooled;
            try (ClusterPool pool = Pool.cluster(c -> sized)) {
                await(() -> pool.members().size() == 3, "the 3 members");
                ClusterPool.Member local = pool.localMember();
                ClusterPool.Member remote = pool.members().stream().filter(m -> !m.local()).findFirst().orElseThrow();
                warm(pool);
                json.append(roundTrip("roundtrip_local_member_us", () -> pool.submitTo(local, () -> 1), roundtrips));
                json.append(roundTrip("roundtrip_remote_member_us", () -> pool.submitTo(remote, () -> 1), roundtrips));
                json.append(roundTrip("roundtrip_any_member_us", () -> pool.submit(() -> 1), roundtrips));
                json.append(submitThroughput(pool, submits, submitWarmup));
                json.append(map(pool, mapItems, 0));
                json.append(map(pool, Math.min(mapItems, 20_000), 1));
                json.append(line("workers", pool.workers(), "3 members x 2"));
                json.setLength(json.length() - 2);
                json.append("\n  },\n  \"hazelcast_raw\": {\n");
                json.append(raw(pool.unwrap(HazelcastInstance.class), roundtrips, submits, submitWarmup));
                json.setLength(json.length() - 2);
                json.append("\n  },\n  \"interleaved\": {\n");
                json.append(interleaved(pool, local, remote, pool.unwrap(HazelcastInstance.class),
                        roundtripRounds, Math.max(1, roundtrips / 5), submits));
            }
            json.setLength(json.length() - 2);
            json.append("\n  },\n");
        } finally {
            for (AutoCloseable m : members) {
                m.close();
            }
        }
        if (!noProcessPool) {
            json.append("  \"process_pool\": {\n");
            try (ProcessPool pool = Pool.processes(c -> c.withWorkers(2))) {
                warm(pool);
                json.append(roundTrip("roundtrip_us", () -> pool.submit(() -> 1), roundtrips));
                json.append(submitThroughput(pool, submits, submitWarmup));
                json.append(map(pool, mapItems, 0));
                json.append(map(pool, Math.min(mapItems, 20_000), 1));
                json.append(line("workers", pool.workers(), "2 worker JVMs"));
            }
            json.setLength(json.length() - 2);
            json.append("\n  }\n}\n");
        } else {
            json.setLength(json.length() - 2);
            json.append("\n}\n");
        }
        RunFiles.emit(json, out);
        return 0;
    }

    /** A trivial task for Hazelcast's own executor: a record, the cheapest Java serialization. */
    record One() implements Callable<Integer>, Serializable {
        @Override
        public Integer call() {
            return 1;
        }
    }

    /**
     * The peer: Hazelcast's IExecutorService itself, on the same members, with the same two threads
     * per member, and a record task (no lambda, no Weft envelope).
     */
    private static String raw(HazelcastInstance hz, int roundtrips, int submits, int warmup) throws Exception {
        hz.getConfig().addExecutorConfig(new ExecutorConfig("bench-raw").setPoolSize(2));
        IExecutorService executor = hz.getExecutorService("bench-raw");
        com.hazelcast.cluster.Member local = hz.getCluster().getLocalMember();
        com.hazelcast.cluster.Member remote = hz.getCluster().getMembers().stream().filter(m -> !m.localMember())
                .findFirst().orElseThrow();
        List<com.hazelcast.cluster.Member> all = new ArrayList<>(hz.getCluster().getMembers());
        for (int i = 0; i < 6_000; i++) {
            executor.submitToMember(new One(), all.get(i % all.size())).get();
        }
        StringBuilder out = new StringBuilder();
        out.append(roundTrip("roundtrip_local_member_us", () -> executor.submitToMember(new One(), local), roundtrips));
        out.append(roundTrip("roundtrip_remote_member_us", () -> executor.submitToMember(new One(), remote), roundtrips));
        double[] rates = new double[5];
        for (int r = -warmup; r < rates.length; r++) {
            double rate = pipelined(i -> executor.submitToMember(new One(), all.get(i % all.size())), submits);
            if (r >= 0) {
                rates[r] = rate;
            }
        }
        Stats s = Stats.of(rates);
        out.append(line("submit_per_s", s.median, "round robin over the members; median of 5 after " + warmup
                + " unmeasured; best " + (long) s.max));
        executor.shutdown();
        return out.toString();
    }

    /** A member in a JVM of its own, from this class path, with Hazelcast's flags; returns once it is ready. */
    private static AutoCloseable memberJvm(int port) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.log.com.hazelcast=error",
                "-cp", System.getProperty("java.class.path"), ClusterMember.class.getName(),
                "--cluster", CLUSTER, "--port", Integer.toString(port), "--members", "127.0.0.1:" + port));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("member-jvm-output").start(() -> {
            try (BufferedReader in = p.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("member ") && line.contains(" ready")) {
                        ready.complete(line);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("a member JVM ended before it was ready"));
        });
        try {
            System.out.println(ready.get(120, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        return () -> {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        };
    }

    private interface Check {
        boolean ok();
    }

    private static void await(Check check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within 60 s");
            }
            Thread.sleep(50);       // a benchmark's setup, not a test: polling the membership is fine
        }
    }

    private static void warm(RemotePool pool) throws Exception {
        for (int r = 0; r < 3; r++) {
            pool.map(x -> x, IntStream.range(0, 20_000).boxed().toList());
            List<TaskFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                all.add(pool.submit(() -> 1));
            }
            for (TaskFuture<Integer> f : all) {
                f.get();
            }
        }
    }

    /** One submission, to Weft's pool or to Hazelcast's executor: both return a {@link Future}. */
    private interface Submit {
        Future<?> submit();
    }

    private static String roundTrip(String name, Submit submit, int n) throws Exception {
        double[] us = new double[5];
        for (int r = 0; r < us.length; r++) {
            us[r] = timeBlock(submit, n);
        }
        Stats s = Stats.of(us);
        return line(name, s.median, "median of 5 blocks of " + n + "; best " + String.format(Locale.ROOT, "%.1f", s.min));
    }

    /**
     * The round trips to this JVM's member and to a member JVM again, and the pipelined submits,
     * Weft's and Hazelcast's executor's in alternating blocks (of {@code block} calls, or of one
     * round of {@code submits} tasks), the side that goes first turning each round, so that both meet
     * the same compiled code, heap and neighbours, where the figures above take each side once, a
     * minute apart. For each, the median over {@code rounds} of each round's Weft / Hazelcast ratio
     * (of times for the round trips, of rates for the submits), with its quartiles, as
     * {@code StsInterleaved} reports the scope's.
     */
    private static String interleaved(ClusterPool pool, ClusterPool.Member local, ClusterPool.Member remote,
                                      HazelcastInstance hz, int rounds, int block, int submits) throws Exception {
        hz.getConfig().addExecutorConfig(new ExecutorConfig("bench-raw-interleaved").setPoolSize(2));
        IExecutorService executor = hz.getExecutorService("bench-raw-interleaved");
        com.hazelcast.cluster.Member hzLocal = hz.getCluster().getLocalMember();
        com.hazelcast.cluster.Member hzRemote = hz.getCluster().getMembers().stream()
                .filter(m -> m.getUuid().toString().equals(remote.id())).findFirst().orElseThrow();
        Submit[][] sides = {
                {() -> pool.submitTo(local, () -> 1), () -> executor.submitToMember(new One(), hzLocal)},
                {() -> pool.submitTo(remote, () -> 1), () -> executor.submitToMember(new One(), hzRemote)}};
        for (Submit[] member : sides) {
            for (Submit side : member) {
                timeBlock(side, 2 * block);
            }
        }
        StringBuilder out = new StringBuilder();
        String[] names = {"local_member", "remote_member"};
        for (int m = 0; m < sides.length; m++) {
            Submit[] member = sides[m];
            double[][] us = alternate(rounds, () -> timeBlock(member[0], block), () -> timeBlock(member[1], block));
            Stats q = Stats.of(ratios(us));
            out.append(line("roundtrip_" + names[m] + "_ratio", q.median, String.format(Locale.ROOT,
                    "Weft / Hazelcast per round, median of %d rounds of %d calls a side; quartiles %.3f-%.3f; "
                            + "Weft %.2f us, Hazelcast %.2f us (medians)",
                    rounds, block, q.q1, q.q3, Stats.of(us[0]).median, Stats.of(us[1]).median)));
        }
        List<com.hazelcast.cluster.Member> all = new ArrayList<>(hz.getCluster().getMembers());
        double[][] rates = alternate(rounds, () -> pipelined(i -> pool.submit(() -> 1), submits),
                () -> pipelined(i -> executor.submitToMember(new One(), all.get(i % all.size())), submits));
        Stats q = Stats.of(ratios(rates));
        out.append(line("submit_ratio", q.median, String.format(Locale.ROOT,
                "Weft / Hazelcast tasks per second per round (round robin on both sides), median of %d rounds of %d "
                        + "submits a side; quartiles %.3f-%.3f; Weft %.0f/s, Hazelcast %.0f/s (medians)",
                rounds, submits, q.q1, q.q3, Stats.of(rates[0]).median, Stats.of(rates[1]).median)));
        executor.shutdown();
        return out.toString();
    }

    /** One block of a side: a time or a rate. */
    private interface Measure {
        double take() throws Exception;
    }

    /**
     * {@code rounds} rounds of a block of {@code weft} and one of {@code raw}, the side that goes first
     * turning each round; each side's figures by round, Weft's first.
     */
    private static double[][] alternate(int rounds, Measure weft, Measure raw) throws Exception {
        Measure[] sides = {weft, raw};
        double[][] figures = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < 2; j++) {
                int side = (r + j) % 2;
                figures[side][r] = sides[side].take();
            }
        }
        return figures;
    }

    /** Each round's Weft / Hazelcast ratio of {@link #alternate}'s figures. */
    private static double[] ratios(double[][] figures) {
        double[] ratio = new double[figures[0].length];
        for (int r = 0; r < ratio.length; r++) {
            ratio[r] = figures[0][r] / figures[1][r];
        }
        return ratio;
    }

    /** {@code n} sequential round trips through {@code submit}; µs each. */
    private static double timeBlock(Submit submit, int n) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            submit.submit().get();
        }
        return (System.nanoTime() - start) / 1e3 / n;
    }

    /** Pipelined submits: {@code warmup} rounds unmeasured, then 5 measured, of {@code n} tasks each. */
    private static String submitThroughput(RemotePool pool, int n, int warmup) throws Exception {
        double[] rates = new double[5];
        for (int r = -warmup; r < rates.length; r++) {
            double rate = pipelined(i -> pool.submit(() -> 1), n);
            if (r >= 0) {
                rates[r] = rate;
            }
        }
        Stats s = Stats.of(rates);
        return line("submit_per_s", s.median, "median of 5 after " + warmup + " unmeasured; best " + (long) s.max);
    }

    /** The {@code i}th submission of a pipelined round, to Weft's pool or to Hazelcast's executor. */
    private interface Nth {
        Future<?> submit(int i);
    }

    /** One pipelined round: {@code n} submissions, then a wait for all of them; tasks per second. */
    private static double pipelined(Nth submit, int n) throws Exception {
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(submit.submit(i));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static String map(RemotePool pool, int n, int chunksize) throws Exception {
        List<Integer> items = IntStream.range(0, n).boxed().toList();
        double[] rates = new double[3];
        for (int r = 0; r < rates.length; r++) {
            long start = System.nanoTime();
            List<Integer> result = chunksize == 0 ? pool.map(x -> x, items) : pool.map(x -> x, items, chunksize);
            rates[r] = n / ((System.nanoTime() - start) / 1e9);
            if (result.size() != n) {
                throw new AssertionError("map lost items");
            }
        }
        Stats s = Stats.of(rates);
        return line("map_items_per_s_chunksize_" + (chunksize == 0 ? "default" : chunksize), s.median,
                n + " items; median of 3; best " + (long) s.max);
    }

    private static String line(String name, double value, String note) {
        String text = String.format(Locale.ROOT, "    \"%s\": %.2f, \"%s_note\": \"%s\",%n", name, value, name, note);
        System.out.print(text);
        return text;
    }
}
