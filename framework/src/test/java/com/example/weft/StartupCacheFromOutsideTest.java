package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Pool;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automatic startup cache as a user's program meets it: a program of its own, in a JVM of its
 * own, on the library's jar. The first run trains the cache, and its pool's close waits for that;
 * the next run's workers load Weft's classes from it; the application's classes may be a directory
 * placed before the jars; {@code -Dweft.startupCache=off} turns it off; {@code terminate()} kills a
 * training under way; the format of JDK 21 to 24, a dynamic CDS archive, works the same way (on JDK
 * 25, chosen by {@code -Dweft.startupCache.format=cds}). Each run keeps its cache in a directory of
 * the test's.
 */
class StartupCacheFromOutsideTest {
    private static final String LOADED_FROM_CACHE = "dev.weft.ProcessWorkerMain source: shared objects file";
    private static final String LOADED_FROM_JAR = "dev.weft.ProcessWorkerMain source: file:";

    @TempDir
    Path dir;
    private Path cache;
    private Path classes;
    private Path logs;

    @BeforeEach
    void program() throws Exception {
        cache = dir.resolve("cache");
        classes = Files.createDirectories(dir.resolve("classes"));
        logs = Files.createDirectories(dir.resolve("logs"));
        Path source = dir.resolve("Main.java");
        Files.writeString(source, """
                import dev.weft.Pool;
                import dev.weft.ProcessPool;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        ProcessPool pool = Pool.processes(c -> c.withWorkers(1)
                                .withJvmArgs("-Xlog:class+load=info:file=" + args[1] + "/worker-%p.log"));
                        if (args[0].equals("terminate")) {
                            pool.terminate();
                            System.out.println("terminated " + pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));
                        } else {
                            long k = 6;
                            System.out.println("result " + pool.submit(() -> k * 7).get());
                            System.out.println("worker " + pool.submit(() -> ProcessHandle.current().pid()).get());
                            pool.close();
                        }
                        System.out.println("children " + ProcessHandle.current().children().count());
                    }
                }
                """);
        Programs.run(List.of(Programs.tool("javac"), "-d", classes.toString(), "-cp", weftClasses().toString(),
                source.toString()), dir);
    }

    @Test
    void theFirstRunTrainsTheCacheAndTheNextStartsFromIt() throws Exception {
        assumeAot();
        firstRunTrainsNextStartsFromIt(".aot");
    }

    @Test
    void aCdsArchiveIsTrainedAndUsedTheSameWay() throws Exception {
        List<String> first = firstRunTrainsNextStartsFromIt(".jsa", "-Dweft.startupCache.format=cds");
        assertThat(caches(".aot")).isEmpty();
        assertThat(workerLog(first)).doesNotContain("aot");
    }

    /** Returns the second run's output. */
    private List<String> firstRunTrainsNextStartsFromIt(String suffix, String... properties) throws Exception {
        String cp = String.join(File.pathSeparator, weftJar().toString(), slf4jJar().toString(), classes.toString());
        List<String> first = run(cp, "submit", properties);
        assertThat(first).startsWith("result 42").endsWith("children 0");
        assertThat(caches(suffix)).as("written before the pool's close returned").hasSize(1);
        assertThat(leftovers()).isEmpty();
        assertThat(workerLog(first)).as("the first run's worker starts without it").contains(LOADED_FROM_JAR);

        List<String> second = run(cp, "submit", properties);
        assertThat(second).startsWith("result 42").endsWith("children 0");
        assertThat(workerLog(second)).contains(LOADED_FROM_CACHE);
        assertThat(caches(suffix)).hasSize(1);
        return second;
    }

    private static void assumeAot() {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache is JDK 25's and later's");
    }

    @Test
    void theApplicationsClassesMayComeFirstOnTheClassPath() throws Exception {
        assumeAot();
        String cp = String.join(File.pathSeparator, classes.toString(), slf4jJar().toString(), weftJar().toString());
        assertThat(run(cp, "submit")).startsWith("result 42").endsWith("children 0");
        List<String> second = run(cp, "submit");
        assertThat(second).startsWith("result 42").endsWith("children 0");
        assertThat(workerLog(second)).contains(LOADED_FROM_CACHE);
    }

    @Test
    void offMeansNoCache() throws Exception {
        String cp = String.join(File.pathSeparator, weftJar().toString(), slf4jJar().toString(), classes.toString());
        assertThat(run(cp, "submit", "-Dweft.startupCache=off")).startsWith("result 42").endsWith("children 0");
        assertThat(cache).doesNotExist();
    }

    @Test
    void terminateKillsATrainingUnderWay() throws Exception {
        assumeAot();
        String cp = String.join(File.pathSeparator, weftJar().toString(), slf4jJar().toString(), classes.toString());
        assertThat(run(cp, "terminate")).containsExactly("terminated true", "children 0");
        assertThat(caches(".aot")).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    // ---- the program's runs

    private List<String> run(String classPath, String mode, String... properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Programs.tool("java"), "-Dweft.startupCache=" + cache));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", classPath, "Main", mode, logs.toString()));
        Programs.Output output = Programs.run(command, dir);
        assertThat(output.err()).as("what the training printed goes nowhere").doesNotContain("AOT");
        return output.out();
    }

    private List<Path> caches(String suffix) throws IOException {
        return list(cache, suffix);
    }

    private List<Path> leftovers() throws IOException {
        return Stream.concat(list(cache, ".tmp").stream(), list(cache, ".config").stream()).toList();
    }

    private static List<Path> list(Path directory, String suffix) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    /** The class-loading log of the worker whose pid the program printed. */
    private String workerLog(List<String> out) throws IOException {
        String pid = out.stream().filter(l -> l.startsWith("worker ")).findFirst().orElseThrow().substring(7);
        return Files.readString(logs.resolve("worker-" + pid + ".log"), StandardCharsets.ISO_8859_1);
    }

    // ---- the library as a jar, as a user has it

    private static Path weftClasses() throws Exception {
        return Path.of(Pool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path slf4jJar() throws Exception {
        return Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private Path weftJar() throws Exception {
        return Programs.weftJar(dir);
    }
}
