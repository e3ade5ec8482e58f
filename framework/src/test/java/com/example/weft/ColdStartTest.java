package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a program that watches nothing pays for Weft's observability at its first scope and pool:
 * no Flight Recorder event class is loaded (JFR instruments each as it loads, which cost a cold JVM
 * about 130 ms) and no MBean server is made (about 170 ms), unless the program records or asks for
 * JMX. Runs a user's program, in a JVM of its own, on Weft's classes.
 */
class ColdStartTest {
    @TempDir
    Path dir;
    private Path classes;

    @BeforeEach
    void program() throws Exception {
        classes = Files.createDirectories(dir.resolve("classes"));
        Path source = dir.resolve("Main.java");
        Files.writeString(source, """
                import dev.weft.Pool;
                import dev.weft.TaskScope;
                import java.lang.management.ManagementFactory;
                import javax.management.MBeanServerFactory;
                import javax.management.ObjectName;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        try (var scope = TaskScope.open(TaskScope.Joiner.<Integer>allSuccessful())) {
                            scope.fork(() -> 1);
                            scope.join();
                        }
                        try (Pool io = Pool.io(c -> c.withName("cold-io")); Pool cpu = Pool.cpu(c -> c.withWorkers(1))) {
                            io.submit(() -> 1).get();
                            cpu.submit(() -> 2).get();
                            System.out.println("servers " + MBeanServerFactory.findMBeanServer(null).size());
                            System.out.println("registered " + ManagementFactory.getPlatformMBeanServer()
                                    .isRegistered(new ObjectName("dev.weft:type=Pool,name=cold-io")));
                        }
                    }
                }
                """);
        Path first = dir.resolve("FirstTask.java");
        Files.writeString(first, """
                import dev.weft.Pool;
                import dev.weft.ProcessPool;
                import dev.weft.SerializableCallable;

                public class FirstTask {
                    public static void main(String[] args) throws Exception {
                        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1)
                                .withJvmArgs(args[0]))) {
                            System.out.println(pool.submit((SerializableCallable<Integer>) () -> 6 * 7).get());
                            int six = Integer.parseInt("6");
                            System.out.println(pool.submit((SerializableCallable<Integer>) () -> six * 7).get());
                        }
                    }
                }
                """);
        Programs.run(List.of(Programs.tool("javac"), "-d", classes.toString(), "-cp", weft(), source.toString(),
                first.toString()), dir);
    }

    /**
     * A process pool's first tasks, a lambda that captures nothing and one that captures a number,
     * each returning a number, start neither SLF4J nor Java deserialization in either JVM. Weft's
     * loggers are made when first used (the provider lookup cost a cold worker about 14 ms), and
     * nothing on that path logs. The tasks cross as their shapes (and the captured value), the
     * results in compact form, and the filter makes its JDK part only for a class outside
     * {@code java.**} and {@code dev.weft.**}: the JDK's filter configuration starts its logging and
     * reads its security properties, about 15 ms of a cold worker's start, and the first stream
     * costs as much again.
     */
    @Test
    void aProcessPoolsFirstTaskStartsNeitherLoggingNorJavaDeserializationInTheParentOrTheWorker() throws Exception {
        Path parent = dir.resolve("parent.log");
        Path worker = dir.resolve("worker.log");
        String tags = "-Xlog:class+load=info,class+init=info:file=";
        List<String> out = runMain("FirstTask", List.of("-Dweft.startupCache=off", tags + parent), tags + worker);
        assertThat(out).containsExactly("42", "42");
        assertThat(Files.readString(parent, StandardCharsets.ISO_8859_1)).contains("dev.weft.ProcessPoolImpl ");
        assertThat(Files.readString(worker, StandardCharsets.ISO_8859_1)).contains("dev.weft.ProcessWorkerMain ");
        for (Path log : List.of(parent, worker)) {
            assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as(log.getFileName().toString())
                    .doesNotContain("org.slf4j.LoggerFactory ")
                    .contains("'dev/weft/internal/wire/AllowList$Filter'")
                    .doesNotContain("'java/io/ObjectInputFilter$Config'")
                    .doesNotContain("'java/io/ObjectInputStream'");
        }
    }

    @Test
    void aProgramThatWatchesNothingLoadsNoEventClassAndMakesNoMBeanServer() throws Exception {
        Path log = dir.resolve("classes.log");
        List<String> out = run("-Xlog:class+load=info:file=" + log);
        assertThat(out).containsExactly("servers 0", "registered false");
        String loaded = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertThat(loaded).contains("dev.weft.TaskScope ").doesNotContain("jdk.jfr.Event ")
                .doesNotContain("dev.weft.internal.jfr.ScopeEvents");
    }

    @Test
    void jmxTrueRegistersEveryPool() throws Exception {
        assertThat(run("-Ddev.weft.jmx=true")).containsExactly("servers 1", "registered true");
    }

    @Test
    void aRecordingLoadsTheEventClasses() throws Exception {
        Path log = dir.resolve("recorded.log");
        run("-XX:StartFlightRecording:filename=" + dir.resolve("r.jfr"), "-Xlog:class+load=info:file=" + log);
        assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).contains("dev.weft.internal.jfr.ScopeEvents");
    }

    private List<String> run(String... flags) throws Exception {
        return runMain("Main", List.of(flags));
    }

    private List<String> runMain(String main, List<String> flags, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Programs.tool("java"), "-Dslf4j.internal.verbosity=ERROR"));
        command.addAll(flags);
        command.addAll(List.of("-cp", weft() + File.pathSeparator + classes, main));
        command.addAll(List.of(args));
        return Programs.run(command, dir).out().stream().filter(l -> !l.startsWith("[")).toList();
    }

    /** Weft's classes and SLF4J's API, as the tests have them. */
    private static String weft() throws Exception {
        return Path.of(Pool.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
