package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.process.Rendezvous;
import dev.weft.internal.process.StartupCache;
import dev.weft.internal.process.WorkerCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How a worker JVM's command is built: what it inherits from the parent, quoting, the startup cache. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerCommandTest {

    /** The flags a worker needs are carried over; agents, debuggers, heap and -XX flags are not. */
    @Test
    void inheritsOnlyTheFlagsAWorkerNeeds() {
        List<String> parent = List.of("-Dapp.mode=test", "-ea", "-esa", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-agentlib:jdwp=transport=dt_socket", "-javaagent:/tmp/agent.jar", "-Xmx8g", "-XX:+UseZGC",
                "-Xdebug", "-Djava.class.path=/elsewhere", "-Djdk.module.path=/mods", "-Dsun.java.command=x",
                "-ea:com.example...", "--enable-preview");
        assertThat(WorkerCommand.inherited(parent, null)).containsExactly("-Dapp.mode=test", "-ea", "-esa",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-ea:com.example...", "--enable-preview");
    }

    /**
     * The flags that shape the module graph are carried over, as the JVM reports them or in two
     * parts, except those the worker's {@code JDK_JAVA_OPTIONS} gives it already (a module patched
     * twice stops a JVM): each flag given there is left out once.
     */
    @Test
    void inheritsTheModuleGraphOnceWhateverTheLauncherOptionsGiveAgain() {
        List<String> parent = List.of("--module-path=/mods", "--add-modules=jdk.incubator.vector",
                "--limit-modules=java.base,java.sql", "--upgrade-module-path=/up", "--patch-module=java.base=/patch",
                "--add-modules", "java.sql", "--add-modules=jdk.incubator.vector");
        assertThat(WorkerCommand.inherited(parent, null)).isEqualTo(parent);
        assertThat(WorkerCommand.inherited(parent, " --patch-module java.base=/patch  -p /mods\t--add-modules=java.sql "
                + "--add-modules jdk.incubator.vector -Dother=1 --limit-modules"))
                .containsExactly("--limit-modules=java.base,java.sql", "--upgrade-module-path=/up",
                        "--add-modules=jdk.incubator.vector");
    }

    /**
     * The argument file is private, is the worker's alone, and holds everything after the JVM's
     * output flags, SLF4J's quiet setting among them unless the user chose a verbosity.
     */
    @Test
    void eachWorkerHasAPrivateArgumentFileWithSlf4jQuiet() throws Exception {
        WorkerCommand command = ProcessPoolImpl.workerCommand(ProcessPool.Configuration.DEFAULT);
        WorkerCommand chosen = ProcessPoolImpl.workerCommand(ProcessPool.Configuration.DEFAULT
                .withJvmArgs("-Dslf4j.internal.verbosity=WARN"));
        try (Rendezvous one = command.rendezvous(); Rendezvous two = chosen.rendezvous()) {
            List<String> line = command.command("p", "weft-process-p-", 1, "!*", one);
            assertThat(line.get(line.size() - 1)).isEqualTo("@" + one.argumentFile());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(one.argumentFile())))
                    .isEqualTo("rw-------");
            assertThat(Files.readAllLines(one.argumentFile())).contains(WorkerCommand.quote(WorkerCommand.SLF4J_QUIET),
                    WorkerCommand.quote(one.socket().toString()));
            chosen.command("p", "weft-process-p-", 1, "!*", two);
            assertThat(Files.readAllLines(two.argumentFile())).contains("\"-Dslf4j.internal.verbosity=WARN\"")
                    .doesNotContain(WorkerCommand.quote(WorkerCommand.SLF4J_QUIET));
            assertThat(String.join(" ", line)).as("the token is not on the command line").doesNotContain(one.token());
        } finally {
            command.end();
            chosen.end();
        }
    }

    /** Argument-file quoting survives spaces, quotes and backslashes. */
    @Test
    void quotesArgumentsForAnArgumentFile() {
        assertThat(WorkerCommand.quote("a b")).isEqualTo("\"a b\"");
        assertThat(WorkerCommand.quote("C:\\x \"y\"")).isEqualTo("\"C:\\\\x \\\"y\\\"\"");
    }

    /** A worker of the parent's JVM starts with a class path and a -D flag that contain spaces and quotes. */
    @Test
    void workerStartsWithAwkwardArguments(@TempDir Path dir) throws Exception {
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withName("with space")
                .withJvmArgs("-Dweft.test.awkward=a \"quoted\" \\ value"))) {
            String seen = pool.submit(() -> System.getProperty("weft.test.awkward")).get(30, TimeUnit.SECONDS);
            assertThat(seen).isEqualTo("a \"quoted\" \\ value");
        }
    }

    /** Without a cache file, worker 1 records one and the others do not; with one, every worker uses it. */
    @Test
    void startupCacheIsRecordedByWorkerOneAndUsedByAll(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("workers.cache");
        StartupCache.Format format = StartupCache.Format.chosen();
        WorkerCommand command = ProcessPoolImpl.workerCommand(ProcessPool.Configuration.DEFAULT.withStartupCache(cache));
        try (Rendezvous one = command.rendezvous(); Rendezvous two = command.rendezvous();
             Rendezvous three = command.rendezvous()) {
            assertThat(command.command("p", "weft-process-p-", 1, "!*", one)).containsSequence(format.record(cache));
            assertThat(command.command("p", "weft-process-p-", 2, "!*", two)).noneMatch(a -> a.contains(cache.toString()));
            Files.writeString(cache, "not really a cache");
            assertThat(command.command("p", "weft-process-p-", 2, "!*", three)).containsSequence(format.use(cache));
        } finally {
            command.end();
        }
    }

    /**
     * A cache the JDK cannot use (here: not a cache at all) leaves the pool working. The worker's
     * JVM reports the bad cache as an error on its stderr, which the parent copies to its own; that
     * report is expected here, so the test turns it off with the user's -Xlog flags, which come after
     * the pool's.
     */
    @Test
    void unusableStartupCacheIsIgnored(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("workers.cache");
        Files.writeString(cache, "garbage, not a cache");
        List<String> quiet = Runtime.version().feature() >= 25 ? List.of("-Xlog:aot*=off:stderr", "-Xlog:cds*=off:stderr")
                : List.of("-Xlog:cds*=off:stderr");
        try (ProcessPool pool = Pool.processes(c -> c.withWorkers(1).withStartupCache(cache)
                .withJvmArgs(quiet.toArray(String[]::new)))) {
            assertThat(pool.submit(() -> 6 * 7).get(30, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }
}
