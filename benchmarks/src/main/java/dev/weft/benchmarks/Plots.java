package dev.weft.benchmarks;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.weft.benchmarks.BarChart.Bar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Draws the plots of {@code docs/benchmarks.md} from the JSON in {@code benchmarks/results/}: it
 * reads the files the benchmarks wrote and writes one SVG per plot, so the plots are never drawn
 * by hand and change only when the data does. A plot whose file is missing is skipped, with a
 * line saying so; no figure is made up.
 *
 * <pre>
 * "$(./weft java)/bin/java" -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.Plots
 * </pre>
 * Run from the repository's root. Options: {@code --help} lists them, with their defaults.
 */
@Command(name = "Plots", sortOptions = false,
        description = "Draws the plots of docs/benchmarks.md, as SVG, from the JSON the benchmarks wrote.")
public final class Plots implements Callable<Integer> {
    /** The process pool's latest run with Python beside it: session 28's last build's first. */
    private static final String PROCESS_POOL = "process-pool-session28-run3.json";
    private static final Pattern MEDIAN_NOTE = Pattern.compile("median ([0-9.]+)");
    /** JMH writes a score it has no figure for as the bare word NaN, which JSON does not allow. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @Mixin
    private HelpOption help;
    @Option(names = "--results", paramLabel = "DIR", description = "Where the JSON is (default: ${DEFAULT-VALUE}).")
    private Path results = Path.of("benchmarks/results");
    @Option(names = "--out", paramLabel = "DIR", description = "Where the SVGs go (default: ${DEFAULT-VALUE}).")
    private Path out = Path.of("docs/plots");

    private Plots() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Plots()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        weftAgainstJdk();
        forkJoinThroughput();
        ioPoolAgainstPython();
        processPoolAgainstPython();
        cpuSpeedup();
        scopeAgainstJdkScope();
        clusterAgainstHazelcast();
        return 0;
    }

    /** (a) Fork + join, blocking tasks and heap per task: the ratio Weft / raw JDK, with each harness's interval. */
    private void weftAgainstJdk() throws IOException {
        JsonNode jmh = read("fork-join-after.json");
        JsonNode interleaved = read("interleaved-after.json");
        JsonNode blocking = read("blocking-tasks.json");
        JsonNode heap = read("heap-per-task.json");
        if (jmh.isMissingNode() || interleaved.isMissingNode() || blocking.isMissingNode() || heap.isMissingNode()) {
            skipped("weft-vs-jdk.svg");
            return;
        }
        BarChart chart = new BarChart("Weft against the raw JDK: cost of Weft / cost of raw",
                "lower is better, 1 = the same cost; whiskers: 99.9% confidence interval",
                "workload", "Weft / raw (time or heap per task)", false,
                sources("fork-join-after.json", "interleaved-after.json", "blocking-tasks.json", "heap-per-task.json"));
        for (String n : List.of("1", "10", "100")) {
            double[] raw = jmhScore(jmh, "raw", n);
            double[] weft = jmhScore(jmh, "weft", n);
            chart.group("fork + join, n = " + n,
                    "JMH µs/scope:\nraw " + BarChart.compact(raw[0]) + ", Weft " + BarChart.compact(weft[0]), 1.2,
                    ratio("JMH", weft, raw), interleavedBar(interleaved, "fork-join n=" + n + "\u0000"));
        }
        double[] raw = jmhScore(blocking, "raw", null);
        double[] weft = jmhScore(blocking, "weft", null);
        chart.group("10,000 tasks blocking 100 ms",
                "JMH ms/batch:\nraw " + BarChart.compact(raw[0]) + ", Weft " + BarChart.compact(weft[0]), 1.1,
                ratio("JMH", weft, raw), interleavedBar(interleaved, "blocking"));
        chart.group("heap per blocked task",
                "bytes/task:\nraw " + BarChart.compact(number(heap, "/variants/raw/mean"))
                        + ", Weft " + BarChart.compact(number(heap, "/variants/weft/mean")), 1.5,
                Bar.plusMinus("fresh JVM per round (heap)", number(heap, "/ratio"), number(heap, "/ratioError")));
        chart.line(1, "same cost");
        write("weft-vs-jdk.svg", chart);
    }

    /** (c) Subtasks per second against subtasks per scope, from the fork + join JMH run. */
    private void forkJoinThroughput() throws IOException {
        JsonNode jmh = read("fork-join-after.json");
        if (jmh.isMissingNode()) {
            skipped("fork-join-throughput.svg");
            return;
        }
        BarChart chart = new BarChart("Fork + join throughput against subtasks per scope",
                "open, fork n subtasks returning a constant, join, close; whiskers: JMH's 99.9% interval; higher is better",
                "subtasks per scope (n)", "subtasks per second (log scale)", true, sources("fork-join-after.json"));
        for (String n : List.of("1", "10", "100")) {
            double[] raw = jmhScore(jmh, "raw", n);
            double[] weft = jmhScore(jmh, "weft", n);
            chart.group("n = " + n, String.format(Locale.ROOT, "µs/scope: raw %s ± %s,\nWeft %s ± %s",
                    BarChart.compact(raw[0]), BarChart.compact(raw[1]), BarChart.compact(weft[0]), BarChart.compact(weft[1])),
                    Double.NaN, throughput("raw JDK (virtual-thread executor)", raw, Integer.parseInt(n)),
                    throughput("Weft (TaskScope)", weft, Integer.parseInt(n)));
        }
        write("fork-join-throughput.svg", chart);
    }

    /** (b) The IO pool against Python's ThreadPool: ms per pool, both sides, log scale. */
    private void ioPoolAgainstPython() throws IOException {
        JsonNode io = read("pools-io-python.json");
        if (io.isMissingNode()) {
            skipped("io-pool-vs-python.svg");
            return;
        }
        BarChart chart = new BarChart("IO pool against Python's ThreadPool (CPython " + io.path("python").asText() + ")",
                "a pool's whole life: create, map, close; bars: median pool; whiskers: fastest to slowest pool; lower is better",
                "workload", "ms per pool (log scale)", true, sources("pools-io-python.json"));
        for (JsonNode result : io.path("results")) {
            chart.group(result.path("workload").asText(),
                    "Python / Weft: " + BarChart.compact(1 / number(result, "/ratioMedian")) + "×\n(median of the rounds' ratios)",
                    Double.NaN, runs("Weft Pool.io()", result.path("weft")),
                    runs("Python ThreadPool", result.path("python")));
        }
        write("io-pool-vs-python.svg", chart);
    }

    /** (b) The process pool against Python's executor and multiprocessing.Pool: Weft's rate / Python's. */
    private void processPoolAgainstPython() throws IOException {
        JsonNode pp = read(PROCESS_POOL);
        JsonNode python = pp.path("python");
        if (!python.isObject()) {
            skipped("process-pool-vs-python.svg" + (pp.isMissingNode() ? "" : " (the run has no Python side)"));
            return;
        }
        JsonNode weft = pp.path("weft");
        BarChart chart = new BarChart("Process pool against Python's ProcessPoolExecutor and multiprocessing.Pool",
                pp.path("workers").asInt() + " workers; ratio of rates (of times: Python's / Weft's); above 1: Weft is faster",
                "workload", "Weft / Python (log scale)", true, sources(PROCESS_POOL));
        rateGroup(chart, "submit,\nvs executor", weft, "submit_per_s", python, "executor_submit_per_s", "/s");
        rateGroup(chart, "submit,\nvs apply_async", weft, "submit_per_s", python, "pool_apply_async_per_s", "/s");
        rateGroup(chart, "map 1M items,\nchunksize 100", weft, "map_items_per_s_chunksize_100",
                python, "pool_map_chunksize100_items_per_s", " items/s");
        double weftUs = number(weft, "/roundtrip_us");
        double pythonUs = number(python, "/executor_roundtrip_us");
        chart.group("submit().get()\nround trip", "Weft " + BarChart.compact(weftUs) + " µs,\nexecutor "
                + BarChart.compact(pythonUs) + " µs", Double.NaN, Bar.of("Weft median, Python one run", pythonUs / weftUs));
        double pythonMs = number(python, "/executor_first_result_ms");
        double weftMs = number(weft, "/first_result_ms");
        double cachedMs = number(weft, "/first_result_cached_ms");
        chart.group("new pool to\nfirst result", "Weft " + BarChart.compact(weftMs) + " ms (cached "
                + BarChart.compact(cachedMs) + "),\nexecutor " + BarChart.compact(pythonMs) + " ms", Double.NaN,
                Bar.of("Weft median, Python one run", pythonMs / weftMs),
                Bar.of("Weft with startup cache", pythonMs / cachedMs));
        chart.line(1, "same speed");
        write("process-pool-vs-python.svg", chart);
    }

    /**
     * (c) Speedup of the seed's 8 sums: against workers (1, 2, 4 on the 2-core machine) from the
     * quiet run with {@code -p workers=...}, then every 2-worker run there is.
     */
    private void cpuSpeedup() throws IOException {
        BarChart chart = new BarChart("Speedup against workers (the machine has 2 cores)",
                "8 × sum to 50M, sequential wall time / pool wall time; whiskers: 99.9% interval",
                "run (workers)", "speedup over sequential", false, new ArrayList<>());
        JsonNode byWorkers = read("pools-cpu-workers.json");
        if (!byWorkers.isMissingNode()) {
            for (String w : List.of("1", "2", "4")) {
                double[] sequential = score(byWorkers, "CpuPoolBenchmark.sequential", "workers", w);
                double[] weft = score(byWorkers, "CpuPoolBenchmark.weft", "workers", w);
                double[] forkJoin = score(byWorkers, "CpuPoolBenchmark.forkJoin", "workers", w);
                chart.group(w + (w.equals("1") ? " worker" : " workers"), "quiet JMH run", Double.NaN,
                        ratio("Pool.cpu()", sequential, weft), ratio("ForkJoinPool", sequential, forkJoin));
            }
            chart.sources().add("benchmarks/results/pools-cpu-workers.json");
        }
        if (byWorkers.isMissingNode()) {
            loadedCpuRuns(chart);       // the earlier 2-worker runs on a shared machine, when nothing better exists
        }
        JsonNode pp = read(PROCESS_POOL);
        if (!pp.isMissingNode()) {
            chart.group("2, processes", PROCESS_POOL + ", one run", Double.NaN,
                    Bar.of("Pool.processes()", number(pp, "/weft/seed_speedup")));
            chart.sources().add("benchmarks/results/" + PROCESS_POOL);
        }
        if (chart.isEmpty()) {
            skipped("cpu-speedup.svg");
            return;
        }
        chart.line(1, "no speedup").line(2, "ideal for 2 cores");
        write("cpu-speedup.svg", chart);
    }

    /**
     * Issue 17, section 1: Weft's scope over the JDK 25 scope ({@link StsInterleaved}), per n, for
     * each stage of the work. A stage's runs are pooled: every round's ratio is one sample, and the
     * bar is their median, the whisker their quartiles.
     */
    private void scopeAgainstJdkScope() throws IOException {
        record Stage(String series, List<String> files) {
        }
        List<Stage> stages = List.of(
                new Stage("session 16, before", List.of("sts-interleaved-session16-1.json", "sts-interleaved-session16-2.json")),
                new Stage("join waits for the newest thread", List.of("sts-interleaved-session16-after-1.json",
                        "sts-interleaved-session16-after-2.json")),
                new Stage("unnamed scopes share names", List.of("sts-interleaved-session17-1.json",
                        "sts-interleaved-session17-2.json", "sts-interleaved-session17-3.json",
                        "sts-interleaved-session17-4.json", "sts-interleaved-session17-5.json",
                        "sts-interleaved-session17-6.json", "sts-interleaved-session17-7.json",
                        "sts-interleaved-session17-8.json")),
                new Stage("no change, session 18's VM", numbered("sts-interleaved-session18-", 4)),
                new Stage("no change, session 19's VM", numbered("sts-interleaved-session19-", 4)),
                new Stage("no change, session 20's VM", numbered("sts-interleaved-session20-", 2)),
                new Stage("session 21's fixes, its VM", numbered("sts-interleaved-session21-", 2)),
                new Stage("no change, session 23's VM", numbered("sts-interleaved-session23-", 2)),
                new Stage("no change, session 24", numbered("sts-interleaved-session24-", 2)));
        BarChart chart = new BarChart("Weft's scope against the JDK 25 StructuredTaskScope: fork + join of n trivial subtasks",
                "wall time Weft / JDK scope, per round of interleaved blocks; bars: median of the stage's rounds; whiskers: quartiles",
                "subtasks per scope (n)", "Weft / JDK scope", false, new ArrayList<>());
        List<List<double[]>> ratios = new ArrayList<>();     // [stage][n index] -> the rounds' ratios
        for (Stage stage : stages) {
            List<double[]> byN = new ArrayList<>();
            for (String n : List.of("1", "10", "100")) {
                List<Double> rounds = new ArrayList<>();
                for (String file : stage.files()) {
                    for (JsonNode result : read(file).path("results")) {
                        if (result.path("n").asText().equals(n)) {
                            JsonNode weft = result.path("wall").path("weft");
                            JsonNode sts = result.path("wall").path("sts");
                            for (int r = 0; r < Math.min(weft.size(), sts.size()); r++) {
                                rounds.add(weft.get(r).asDouble() / sts.get(r).asDouble());
                            }
                        }
                    }
                }
                byN.add(rounds.stream().mapToDouble(Double::doubleValue).toArray());
            }
            ratios.add(byN);
            stage.files().stream().filter(f -> Files.isRegularFile(results.resolve(f)))
                    .forEach(f -> chart.sources().add("benchmarks/results/" + f));
        }
        List<String> sizes = List.of("1", "10", "100");
        for (int i = 0; i < sizes.size(); i++) {
            List<Bar> bars = new ArrayList<>();
            StringBuilder note = new StringBuilder("medians:");
            for (int k = 0; k < stages.size(); k++) {
                double[] samples = ratios.get(k).get(i);
                if (samples.length > 0) {
                    Stats st = Stats.of(samples);
                    bars.add(new Bar(stages.get(k).series(), st.median, st.q1, st.q3));
                    note.append(k == 0 ? " " : ", ").append(BarChart.compact(st.median));
                }
            }
            if (bars.isEmpty()) {
                skipped("scope-vs-jdk-scope.svg");
                return;
            }
            chart.group("n = " + sizes.get(i), note.toString(), 1.0, bars.toArray(Bar[]::new));
        }
        chart.line(1, "the JDK's scope");
        write("scope-vs-jdk-scope.svg", chart);
    }

    /**
     * Issue 17, section 3: the cluster pool against Hazelcast's own executor on the same members,
     * from {@code ClusterPoolBenchmark}'s interleaved figures (each already a median of its run's
     * rounds); a bar is the median of the runs, its whisker their extremes.
     */
    private void clusterAgainstHazelcast() throws IOException {
        record Session(String series, List<String> files) {
        }
        List<Session> sessions = List.of(
                new Session("session 16", numbered("cluster-pool-session16-interleaved-cpb2-run", 7)),
                new Session("session 19", numbered("cluster-pool-session19-interleaved-cpb2-run", 3)));
        record Figure(String key, String label, double target) {
        }
        List<Figure> figures = List.of(
                new Figure("submit_ratio", "pipelined submits,\nWeft / Hazelcast rate\n(bar: at least 1)", 1.0),
                new Figure("roundtrip_local_member_ratio", "round trip, own member,\nWeft / Hazelcast time\n(bar: at most 1.1)", 1.1),
                new Figure("roundtrip_remote_member_ratio", "round trip, other JVM,\nWeft / Hazelcast time\n(bar: at most 1.1)", 1.1));
        BarChart chart = new BarChart("Cluster pool against Hazelcast's IExecutorService on the same members (common pool at 2)",
                "interleaved blocks, each run's median of its rounds; bars: median of the runs; whiskers: fastest and slowest run",
                "figure", "Weft / Hazelcast", false, new ArrayList<>());
        List<List<JsonNode>> runs = new ArrayList<>();       // [session] -> its runs
        for (Session session : sessions) {
            List<JsonNode> read = new ArrayList<>();
            for (String file : session.files()) {
                JsonNode run = read(file);
                if (!run.isMissingNode()) {
                    read.add(run);
                    chart.sources().add("benchmarks/results/" + file);
                }
            }
            runs.add(read);
        }
        for (Figure figure : figures) {
            List<Bar> bars = new ArrayList<>();
            StringBuilder note = new StringBuilder();
            for (int k = 0; k < sessions.size(); k++) {
                double[] values = runs.get(k).stream().map(run -> run.path("interleaved").path(figure.key()))
                        .filter(JsonNode::isNumber).mapToDouble(JsonNode::asDouble).toArray();
                if (values.length > 0) {
                    Stats st = Stats.of(values);
                    bars.add(new Bar(sessions.get(k).series() + ", interleaved", st.median, st.min, st.max));
                    note.append(note.isEmpty() ? "" : ",\n").append(sessions.get(k).series()).append(": ")
                            .append(BarChart.compact(st.min)).append(" to ").append(BarChart.compact(st.max));
                }
            }
            if (!bars.isEmpty()) {
                chart.group(figure.label(), note.toString(), figure.target(), bars.toArray(Bar[]::new));
            }
        }
        if (chart.isEmpty()) {
            skipped("cluster-vs-hazelcast.svg");
            return;
        }
        chart.line(1, "the same");
        write("cluster-vs-hazelcast.svg", chart);
    }

    /** {@code prefix1.json} to {@code prefixN.json}: the files of N numbered runs. */
    private static List<String> numbered(String prefix, int runs) {
        List<String> files = new ArrayList<>(runs);
        for (int run = 1; run <= runs; run++) {
            files.add(prefix + run + ".json");
        }
        return files;
    }

    private static void rateGroup(BarChart chart, String label, JsonNode weft, String weftKey, JsonNode python,
            String pythonKey, String unit) {
        double weftBest = number(weft, "/" + weftKey);
        double pythonBest = number(python.path(pythonKey), "/best");
        Matcher m = MEDIAN_NOTE.matcher(weft.path(weftKey + "_note").asText());
        double weftMedian = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        double pythonMedian = number(python.path(pythonKey), "/median");
        chart.group(label, "best: Weft " + BarChart.compact(weftBest) + unit + ",\nPython "
                + BarChart.compact(pythonBest) + unit, Double.NaN,
                Bar.of("best / best", weftBest / pythonBest), Bar.of("median / median", weftMedian / pythonMedian));
    }

    /** The median of a side's runs, with the fastest and slowest as the whisker. */
    private static Bar runs(String series, JsonNode side) {
        double[] runs = side.path("runs").valueStream().mapToDouble(JsonNode::asDouble).toArray();
        Stats s = Stats.of(runs);
        return new Bar(series, s.median, s.min, s.max);
    }

    private static Bar throughput(String series, double[] score, int n) {
        double perSecond = n / score[0] * 1e6;
        double fastest = score[0] > score[1] ? n / (score[0] - score[1]) * 1e6 : Double.NaN;
        return Double.isNaN(fastest) ? Bar.of(series, perSecond)
                : new Bar(series, perSecond, n / (score[0] + score[1]) * 1e6, fastest);
    }

    /** {@code a / b}, its error from the two relative errors added in quadrature, as the docs give it. */
    /** The 2-worker CPU pool runs taken while the machine was shared: JMH runs 1-2 and interleaved runs 1-3. */
    private void loadedCpuRuns(BarChart chart) throws IOException {
        for (String run : List.of("1", "2")) {
            String file = "pools-cpu-run" + run + ".json";
            JsonNode jmh = read(file);
            if (!jmh.isMissingNode()) {
                double[] sequential = score(jmh, "CpuPoolBenchmark.sequential", null);
                double[] weft = score(jmh, "CpuPoolBenchmark.weft", null);
                double[] forkJoin = score(jmh, "CpuPoolBenchmark.forkJoin", null);
                chart.group("JMH run " + run + " (2)", "loaded; ms: seq " + BarChart.compact(sequential[0]) + ",\nWeft "
                        + BarChart.compact(weft[0]), Double.NaN,
                        ratio("Pool.cpu()", sequential, weft), ratio("ForkJoinPool(2)", sequential, forkJoin));
                chart.sources().add("benchmarks/results/" + file);
            }
        }
        for (String run : List.of("1", "2", "3")) {
            String file = "pools-interleaved-run" + run + ".json";
            JsonNode interleaved = read(file);
            JsonNode result = workload(interleaved, "cpu-sum", "sequential");
            if (!result.isMissingNode()) {
                double r = number(result, "/wall/ratio");
                double e = number(result, "/wall/ratioError");
                chart.group("interleaved run " + run + " (2)", interleaved.path("pairs").asInt() + " pairs of blocks",
                        Double.NaN, Bar.plusMinus("Pool.cpu()", 1 / r, e / (r * r)));
                chart.sources().add("benchmarks/results/" + file);
            }
        }
    }

    private static Bar ratio(String series, double[] a, double[] b) {
        double r = a[0] / b[0];
        return Bar.plusMinus(series, r, r * Math.hypot(a[1] / a[0], b[1] / b[0]));
    }

    private static Bar interleavedBar(JsonNode interleaved, String workloadPrefix) {
        JsonNode result = workload(interleaved, workloadPrefix, null);
        return Bar.plusMinus("interleaved, wall time", number(result, "/wall/ratio"), number(result, "/wall/ratioError"));
    }

    /**
     * The result whose workload starts with {@code prefix} (a NUL at its end: is exactly it) and
     * whose peer is {@code peer} (any if null), or a missing node.
     */
    private static JsonNode workload(JsonNode interleaved, String prefix, String peer) {
        for (JsonNode result : interleaved.path("results")) {
            String name = result.path("workload").asText() + "\u0000";
            if (name.startsWith(prefix) && (peer == null || peer.equals(result.path("peer").asText()))) {
                return result;
            }
        }
        return MissingNode.getInstance();
    }

    private static double[] jmhScore(JsonNode jmh, String method, String n) {
        return score(jmh, "." + method, n);
    }

    /** {score, error} of the JMH benchmark whose name ends with {@code suffix} (and whose {@code n} is {@code n}). */
    private static double[] score(JsonNode jmh, String suffix, String n) {
        return score(jmh, suffix, "n", n);
    }

    /** The score and error of the benchmark ending with {@code suffix} whose parameter {@code param} is {@code value} (any if null). */
    private static double[] score(JsonNode jmh, String suffix, String param, String value) {
        for (JsonNode b : jmh) {
            if (b.path("benchmark").asText().endsWith(suffix)
                    && (value == null || value.equals(b.path("params").path(param).asText()))) {
                return new double[] {number(b, "/primaryMetric/score"), number(b, "/primaryMetric/scoreError")};
            }
        }
        throw new IllegalArgumentException("no benchmark ending with " + suffix
                + (value == null ? "" : " for " + param + " = " + value));
    }

    /** The file's JSON, or a missing node (saying so) where there is no such file. */
    private JsonNode read(String file) throws IOException {
        Path path = results.resolve(file);
        if (!Files.isRegularFile(path)) {
            System.out.println("no " + path);
            return MissingNode.getInstance();
        }
        return JSON.readTree(path.toFile());
    }

    /** The number at {@code pointer} (a JSON Pointer, "/wall/ratio"), or NaN where there is none. */
    private static double number(JsonNode node, String pointer) {
        return node.at(pointer).asDouble(Double.NaN);
    }

    private static List<String> sources(String... files) {
        List<String> sources = new ArrayList<>();
        for (String file : files) {
            sources.add("benchmarks/results/" + file);
        }
        return sources;
    }

    private void skipped(String plot) {
        System.out.println("skipped " + plot + ": its data is missing");
    }

    private void write(String name, BarChart chart) throws IOException {
        Path file = out.resolve(name);
        Files.writeString(file, chart.svg());
        System.out.println("wrote " + file);
    }
}
