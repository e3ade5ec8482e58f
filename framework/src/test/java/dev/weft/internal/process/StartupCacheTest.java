package dev.weft.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What names the automatic startup cache's file, and the class path it gives workers. Whether
 * workers start from it is {@code com.example.weft.StartupCacheFromOutsideTest}'s.
 */
class StartupCacheTest {
    @TempDir
    Path dir;
    private Path weft;
    private Path slf4j;
    private Path cacheDir;

    @BeforeEach
    void jars() throws Exception {
        weft = Files.write(dir.resolve("weft.jar"), new byte[] {1, 2, 3});
        slf4j = Files.write(dir.resolve("slf4j-api.jar"), new byte[] {4, 5});
        cacheDir = dir.resolve("cache");
    }

    private String classPath(Object... entries) {
        return String.join(File.pathSeparator, java.util.Arrays.stream(entries).map(Object::toString).toList());
    }

    private Path file(List<String> flags, String classPath) {
        return StartupCache.find(flags, classPath, List.of(weft, slf4j), cacheDir, StartupCache.Format.AOT).orElseThrow().file();
    }

    @Test
    void theSameJdkJarsAndFlagsNameTheSameFileWhateverTheApplicationsClassPath() {
        Path first = file(List.of("-Xmx64m"), classPath(weft, slf4j, dir.resolve("app.jar")));
        Path second = file(List.of("-Xmx64m"), classPath(dir.resolve("classes"), slf4j, weft));
        assertThat(second).isEqualTo(first);
        assertThat(first.getParent()).isEqualTo(cacheDir).isDirectory();
        assertThat(first.getFileName().toString()).matches("workers-[0-9a-f]{24}\\.aot");
    }

    @Test
    void anotherFlagOrAChangedJarNamesAnotherFile() throws Exception {
        String cp = classPath(weft, slf4j);
        Path before = file(List.of("-Xmx64m"), cp);
        assertThat(file(List.of("-Xmx128m"), cp)).isNotEqualTo(before);
        assertThat(file(List.of("-Xmx64m", "-ea"), cp)).isNotEqualTo(before);
        Files.setLastModifiedTime(weft, FileTime.fromMillis(Files.getLastModifiedTime(weft).toMillis() - 60_000));
        assertThat(file(List.of("-Xmx64m"), cp)).as("the same jar rebuilt").isNotEqualTo(before);
        Files.write(slf4j, new byte[] {4, 5, 6});
        assertThat(file(List.of("-Xmx64m"), cp)).as("another jar in its place").isNotEqualTo(before);
    }

    @Test
    void workersSeeTheCachedJarsFirstThenTheRestInOrder() {
        Path classes = dir.resolve("classes");
        Path app = dir.resolve("app.jar");
        StartupCache cache = StartupCache.find(List.of(), classPath(classes, slf4j, app, weft),
                List.of(weft, slf4j), cacheDir, StartupCache.Format.AOT).orElseThrow();
        assertThat(cache.classPath(classPath(classes, slf4j, app, weft)))
                .isEqualTo(classPath(weft, slf4j, classes, app));
    }

    @Test
    void noCacheWhenAFlagChoosesOneOrAJarIsNotOnTheClassPath() {
        String cp = classPath(weft, slf4j);
        for (String flag : List.of("-XX:AOTCache=/x.aot", "-XX:AOTMode=off", "-XX:SharedArchiveFile=/x.jsa",
                "-XX:ArchiveClassesAtExit=/x.jsa", "-Xshare:off")) {
            assertThat(StartupCache.find(List.of(flag), cp, List.of(weft, slf4j), cacheDir, StartupCache.Format.AOT)).as(flag).isEmpty();
        }
        assertThat(StartupCache.find(List.of(), classPath(weft), List.of(weft, slf4j), cacheDir, StartupCache.Format.AOT))
                .as("slf4j-api loaded by the application's own loader").isEmpty();
        assertThat(StartupCache.find(List.of(), cp, List.of(weft, slf4j), weft.resolve("cache"), StartupCache.Format.AOT))
                .as("a cache directory that cannot be made").isEmpty();
    }

    @Test
    void noCacheFileMeansNoFlagUntilTrainingWroteOne() throws Exception {
        StartupCache cache = StartupCache.find(List.of(), classPath(weft, slf4j), List.of(weft, slf4j), cacheDir, StartupCache.Format.AOT)
                .orElseThrow();
        assertThat(cache.flags()).isEmpty();
        Files.write(cache.file(), new byte[] {0});
        assertThat(cache.flags()).contains("-XX:AOTCache=" + cache.file());
    }

    /** JDK 21 to 24 have no AOT cache and no {@code aot} log tag: a flag naming it would stop the JVM at start. */
    @Test
    void theFormatIsTheJdksBestUnlessThePropertyChooses() {
        assertThat(StartupCache.Format.of("", 25)).isEqualTo(StartupCache.Format.AOT);
        assertThat(StartupCache.Format.of("", 21)).isEqualTo(StartupCache.Format.CDS);
        assertThat(StartupCache.Format.of("", 24)).isEqualTo(StartupCache.Format.CDS);
        assertThat(StartupCache.Format.of("cds", 25)).isEqualTo(StartupCache.Format.CDS);
        assertThat(StartupCache.Format.of("aot", 26)).isEqualTo(StartupCache.Format.AOT);
        assertThatThrownBy(() -> StartupCache.Format.of("aot", 21)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dweft.startupCache.format=aot needs JDK 25 or later, and this is JDK 21: give cds, "
                        + "or leave the property unset");
        assertThatThrownBy(() -> StartupCache.Format.of("jsa", 25)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give aot (JDK 25 and later) or cds");
        Path f = dir.resolve("c");
        assertThat(StartupCache.Format.CDS.use(f)).containsExactly("-Xlog:cds*=error:stderr", "-XX:SharedArchiveFile=" + f);
        assertThat(StartupCache.Format.CDS.record(f)).containsExactly("-Xlog:cds*=error:stderr",
                "-XX:ArchiveClassesAtExit=" + f);
        assertThat(StartupCache.Format.AOT.use(f)).endsWith("-XX:AOTCache=" + f);
        assertThat(StartupCache.Format.AOT.record(f)).endsWith("-XX:AOTCacheOutput=" + f);
    }

    @Test
    void aCdsCacheHasAFileOfItsOwn() {
        String cp = classPath(weft, slf4j);
        Path cds = StartupCache.find(List.of(), cp, List.of(weft, slf4j), cacheDir, StartupCache.Format.CDS)
                .orElseThrow().file();
        assertThat(cds.getFileName().toString()).matches("workers-[0-9a-f]{24}\\.jsa");
        assertThat(cds.resolveSibling(cds.getFileName().toString().replace(".jsa", ".aot"))).isEqualTo(file(List.of(), cp));
    }

    /**
     * A training that ends well but writes no cache (a JDK without the base archive that a dynamic
     * one needs) is not tried again by every later pool. Here the "JVM" is {@code true}, which
     * writes nothing.
     */
    @Test
    void aTrainingThatWritesNothingIsNotRepeated() throws Exception {
        Path nothing = Path.of("/bin/true");
        assumeTrue(Files.isExecutable(nothing), "a program that exits at once with 0");
        StartupCache cache = StartupCache.find(List.of(), classPath(weft, slf4j), List.of(weft, slf4j), cacheDir,
                StartupCache.Format.CDS).orElseThrow();
        StartupCache.Training training = cache.train(nothing, List.of(), dir, "Main");
        assertThat(training).isNotNull();
        training.ended().get(30, TimeUnit.SECONDS);
        assertThat(cache.file()).doesNotExist();
        assertThat(cache.train(nothing, List.of(), dir, "Main")).as("a second training").isNull();
        assertThat(cache.flags()).isEmpty();
    }

    /**
     * A training that fails says why, with the last lines it wrote to standard error, so that a
     * program's slow first {@code close} (it waits for its training) is explained; it leaves no
     * file, and a later pool trains again. One killed on purpose (a terminated pool) reports
     * nothing. Here the "JVM" is a script that complains and exits with 3.
     */
    @Test
    void aTrainingThatFailsSaysWhyAndOneKilledOnPurposeDoesNot() throws Exception {
        Path shell = Path.of("/bin/sh");
        assumeTrue(Files.isExecutable(shell), "a shell for the failing program");
        Path failing = dir.resolve("failing-java");
        Files.writeString(failing, "#!/bin/sh\necho 'starting' >&2\necho 'no room for the archive' >&2\nexit 3\n");
        assertThat(failing.toFile().setExecutable(true)).isTrue();
        StartupCache cache = StartupCache.find(List.of(), classPath(weft, slf4j), List.of(weft, slf4j), cacheDir,
                StartupCache.Format.AOT).orElseThrow();
        String failure = cache.train(failing, List.of(), dir, "Main").ended().get(30, TimeUnit.SECONDS);
        assertThat(failure).matches("(?s)the startup cache's training \\(pid \\d+\\) exited with code 3 after \\d+ ms; "
                + "workers start without it, and a later pool trains it again; its last lines on standard error:"
                + "\n  starting\n  no room for the archive");
        assertThat(cache.file()).doesNotExist();
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
                    .allMatch(name -> name.endsWith(".lock"));
        }
        Path sleeping = dir.resolve("sleeping-java");
        Files.writeString(sleeping, "#!/bin/sh\nexec sleep 30\n");
        assertThat(sleeping.toFile().setExecutable(true)).isTrue();
        StartupCache.Training again = cache.train(sleeping, List.of(), dir, "Main");
        assertThat(again).as("a later pool trains again").isNotNull();
        again.kill();
        assertThat(again.ended().get(30, TimeUnit.SECONDS)).as("killed on purpose").isNull();
    }

    @Test
    void temporaryFilesOfADeadParentAreSweptAndALiveOnesKept() throws Exception {
        Files.createDirectories(cacheDir);
        long dead = deadPid();
        long live = ProcessHandle.current().pid();
        Path left = Files.write(cacheDir.resolve("workers-abc.aot." + dead + ".tmp"), new byte[] {1});
        Path leftConfig = Files.write(cacheDir.resolve("workers-abc.aot." + dead + ".tmp.config"), new byte[] {1});
        Path training = Files.write(cacheDir.resolve("workers-abc.aot." + live + ".tmp"), new byte[] {1});
        Path other = Files.write(cacheDir.resolve("notes.1.tmp"), new byte[] {1});
        StartupCache.find(List.of(), classPath(weft, slf4j), List.of(weft, slf4j), cacheDir, StartupCache.Format.AOT).orElseThrow();
        assertThat(left).doesNotExist();
        assertThat(leftConfig).doesNotExist();
        assertThat(training).exists();
        assertThat(other).as("not a name of ours").exists();
    }

    /**
     * The lock file of a cache that no longer exists, idle and held by no training, is swept: every
     * cache ever trained left one, so a class path that changes with each build would pile them up.
     * A held lock, one touched just now (a training about to take it) and the lock of a cache that
     * exists are kept.
     */
    @Test
    void locksOfCachesGoneAreSweptUnlessATrainingHoldsThem() throws Exception {
        Files.createDirectories(cacheDir);
        Path orphan = Files.write(cacheDir.resolve("workers-gone.aot.lock"), new byte[0]);
        Path fresh = Files.write(cacheDir.resolve("workers-taking.aot.lock"), new byte[0]);
        Path cached = Files.write(cacheDir.resolve("workers-kept.aot"), new byte[] {1});
        Path cachedLock = Files.write(cacheDir.resolve("workers-kept.aot.lock"), new byte[0]);
        Path held = Files.write(cacheDir.resolve("workers-training.aot.lock"), new byte[0]);
        Path other = Files.write(cacheDir.resolve("notes.lock"), new byte[0]);
        FileTime idle = FileTime.fromMillis(System.currentTimeMillis() - (StartupCache.LOCK_IDLE_SECONDS + 60) * 1000);
        for (Path lock : List.of(orphan, cachedLock, held, other)) {
            Files.setLastModifiedTime(lock, idle);
        }
        try (FileChannel training = FileChannel.open(held, StandardOpenOption.WRITE); FileLock lock = training.lock()) {
            StartupCache.find(List.of(), classPath(weft, slf4j), List.of(weft, slf4j), cacheDir, StartupCache.Format.AOT)
                    .orElseThrow();
            assertThat(lock.isValid()).isTrue();
        }
        assertThat(orphan).doesNotExist();
        assertThat(fresh).as("touched just now, as a training touches the lock it is about to take").exists();
        assertThat(cached).exists();
        assertThat(cachedLock).as("its cache exists").exists();
        assertThat(held).as("a training holds it").exists();
        assertThat(other).as("not a name of ours").exists();
    }

    /** The pid of a process that has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        return p.pid();
    }
}
