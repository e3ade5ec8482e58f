package com.example.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.ClusterPool;
import dev.weft.hazelcast.ClusterMember;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * The README's Java snippets compile and run as written, in a user's package
 * ({@code com.example.readme}), and give what their comments promise. Each {@code ```java} block of
 * README.md is a test of its own: it must match exactly one of the checks below, by a call it
 * makes, so a new snippet fails here until it gets a check. See {@link SnippetCompiler} for how a
 * snippet becomes a class, and {@link ReadmeSnippets} for what the snippets name.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private final SnippetCompiler compiler = SnippetCompiler.besideTheTests();

    /** One check per snippet, keyed by a call only that snippet makes. */
    private final Map<String, ThrowingConsumer<Snippet>> checks = new LinkedHashMap<>();

    {
        checks.put("Joiner.<Page>allSuccessful()", this::scopeFetchesBothAndRenders);
        checks.put("withConcurrencyLimit(8)", this::asCompletedShowsEveryPageAtMostEightAtOnce);
        checks.put("Pool.cpu()", this::cpuPoolSumsOnItsThreads);
        checks.put("Pool.processes(", this::processPoolSumsInWorkers);
        checks.put("Pool.cluster(", this::clusterPoolSumsOnMembers);
        checks.put("Futures.wait(", this::waitKeepsTheFirstAndAsCompletedGivesTheRest);
    }

    /** A README snippet: its place among the README's Java blocks, and its code. */
    record Snippet(int number, String code) {
        String className() {
            return "Snippet" + number;
        }
    }

    /** Each README Java snippet compiles, runs to the end and gives the results its comments promise. */
    @TestFactory
    Stream<DynamicTest> readmeSnippetsRunAsWritten() throws IOException {
        List<String> blocks = SnippetCompiler.javaBlocks(Files.readString(README));
        assertThat(blocks).as("the Java snippets of " + README).isNotEmpty();
        List<DynamicTest> tests = new ArrayList<>();
        List<String> unused = new ArrayList<>(checks.keySet());
        for (int i = 0; i < blocks.size(); i++) {
            Snippet snippet = new Snippet(i + 1, blocks.get(i));
            List<String> keys = checks.keySet().stream().filter(snippet.code()::contains).toList();
            unused.removeAll(keys);
            String name = "README snippet " + snippet.number() + ": " + snippet.code().lines().findFirst().orElse("").strip();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                assertThat(keys).as("the checks that match README snippet %d (exactly one must):%n%s",
                        snippet.number(), snippet.code()).hasSize(1);
                assertTimeoutPreemptively(LIMIT, () -> checks.get(keys.get(0)).accept(snippet),
                        () -> "README snippet " + snippet.number() + " did not finish in " + LIMIT);
            }));
        }
        tests.add(DynamicTest.dynamicTest("every check has its README snippet", () -> assertThat(unused)
                .as("checks whose call no README snippet makes any more; update them").isEmpty()));
        return tests.stream();
    }

    @AfterEach
    void forgetRecords() {
        ReadmeSnippets.reset();
    }

    /** The fetch scope: both pages fetched on the scope's virtual threads, then rendered once. */
    private void scopeFetchesBothAndRenders(Snippet snippet) throws Throwable {
        ReadmeSnippets.reset();
        compileAndRun(snippet);
        assertThat(ReadmeSnippets.rendered).hasSize(1);
        List<ReadmeSnippets.Page> pages = ReadmeSnippets.rendered.get(0);
        assertThat(pages).extracting(ReadmeSnippets.Page::path).containsExactly("/user", "/order");
        assertThat(pages).allSatisfy(p -> {
            assertThat(p.thread()).matches("weft-scope-fetch-\\d+");
            assertThat(p.virtual()).isTrue();
        });
    }

    /** asCompleted: every URL's page shown once, with exactly the limit of 8 fetches running at once. */
    private void asCompletedShowsEveryPageAtMostEightAtOnce(Snippet snippet) throws Throwable {
        ReadmeSnippets.reset();
        ReadmeSnippets.prepareConcurrentFetches();
        compileAndRun(snippet);
        assertThat(ReadmeSnippets.shown).hasSameSizeAs(ReadmeSnippets.urls)
                .allSatisfy(v -> assertThat(v).isInstanceOf(ReadmeSnippets.Page.class));
        assertThat(ReadmeSnippets.shown).extracting(v -> ((ReadmeSnippets.Page) v).path())
                .containsExactlyInAnyOrderElementsOf(ReadmeSnippets.urls);
        assertThat(ReadmeSnippets.peakFetches()).isEqualTo(ReadmeSnippets.CONCURRENCY_LIMIT);
    }

    /** The CPU pool: the map's sums shown, the async and unordered results printed, all on weft-cpu threads. */
    private void cpuPoolSumsOnItsThreads(Snippet snippet) throws Throwable {
        ReadmeSnippets.reset();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            compileAndRun(snippet);
        } finally {
            System.setOut(stdout);
        }
        assertThat(ReadmeSnippets.shown).containsExactly(List.of(sumTo(50_000_000L), sumTo(60_000_000L)));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> expected = new ArrayList<>(List.of(Long.toString(sumTo(10))));
        ReadmeSnippets.inputs.forEach(n -> expected.add(Long.toString(sumTo(n))));
        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ReadmeSnippets.sumThreads).isNotEmpty().allMatch(t -> t.matches("weft-cpu-\\d+"));
    }

    /** The process pool: the sums, computed in worker JVMs (not in this one), shown in input order. */
    private void processPoolSumsInWorkers(Snippet snippet) throws Throwable {
        ReadmeSnippets.reset();
        compileAndRun(snippet);
        assertThat(ReadmeSnippets.shown).containsExactly(expectedSums());
        assertThat(ReadmeSnippets.sumThreads).as("sumTo ran in the worker JVMs, not in this one").isEmpty();
    }

    /**
     * The cluster pool. The snippet must compile as written; it names hosts 10.0.0.1–3, which this
     * machine is not, so it runs with exactly these changes: the two members' addresses are those of
     * two members this test starts on loopback, the pool's host is 127.0.0.1, and the cluster has a
     * name of its own, so that it never meets another cluster on this machine.
     */
    private void clusterPoolSumsOnMembers(Snippet snippet) throws Throwable {
        ReadmeSnippets.reset();
        compiler.compile(snippet.className(), snippet.code());
        String cluster = "readme-" + ProcessHandle.current().pid();
        ClusterPool.Configuration config = ClusterPool.Configuration.defaults().withClusterName(cluster)
                .withHost("127.0.0.1").withPort(5790).withAllowedClasses("com.example.**");
        try (ClusterMember first = ClusterMember.start(config)) {
            String firstAddress = first.member().address();
            try (ClusterMember second = ClusterMember.start(config.withMembers(firstAddress))) {
                String onLoopback = replaceOnce(snippet.code(), "\"10.0.0.1:5701\"", '"' + firstAddress + '"');
                onLoopback = replaceOnce(onLoopback, "\"10.0.0.2:5701\"", '"' + second.member().address() + '"');
                onLoopback = replaceOnce(onLoopback, "\"10.0.0.3\"", "\"127.0.0.1\"");
                onLoopback = replaceOnce(onLoopback, "c -> c.withMembers(", "c -> c.withClusterName(\"" + cluster
                        + "\").withMembers(");
                String name = snippet.className() + "OnLoopback";
                compiler.compile(name, onLoopback);
                compiler.run(name);
            }
        }
        assertThat(ReadmeSnippets.shown).containsExactly(expectedSums());
    }

    /** wait(FIRST_COMPLETED) keeps the one done and cancels the rest; asCompleted shows every other page. */
    private void waitKeepsTheFirstAndAsCompletedGivesTheRest(Snippet snippet) throws Throwable {
        ReadmeSnippets.reset();
        ReadmeSnippets.prepareFutures(2, 3);
        List<Future<ReadmeSnippets.Page>> futures = ReadmeSnippets.futures;
        List<Future<ReadmeSnippets.Page>> others = ReadmeSnippets.others;
        compileAndRun(snippet);
        assertThat(futures.get(0).state()).isEqualTo(Future.State.SUCCESS);
        assertThat(futures.subList(1, futures.size())).allSatisfy(f -> assertThat(f.isCancelled()).isTrue());
        assertThat(ReadmeSnippets.shown).containsExactlyInAnyOrderElementsOf(
                others.stream().map(Future::resultNow).map(Object.class::cast).toList());
    }

    private void compileAndRun(Snippet snippet) throws Throwable {
        compiler.compile(snippet.className(), snippet.code());
        compiler.run(snippet.className());
    }

    /** {@code text} with {@code target}, which must occur exactly once, replaced. */
    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        assertThat(at).as("the cluster snippet names %s once; if it changed, change this test's rewrite", target)
                .isNotNegative().isEqualTo(text.lastIndexOf(target));
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }

    /** The sums of {@link ReadmeSnippets#inputs}, in order. */
    private static List<Long> expectedSums() {
        return ReadmeSnippets.inputs.stream().map(ReadmeSnippetsTest::sumTo).toList();
    }

    /** 1 + 2 + … + n, by Gauss's formula. */
    private static long sumTo(long n) {
        return n * (n + 1) / 2;
    }
}
