package dev.weft.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
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
        return StartupCache.find(flags, classPath, List.of(weft, slf4j), cacheDir).orElseThrow().file();
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
                List.of(weft, slf4j), cacheDir).orElseThrow();
        assertThat(cache.classPath(classPath(classes, slf4j, app, weft)))
                .isEqualTo(classPath(weft, slf4j, classes, app));
    }

    @Test
    void noCacheWhenAFlagChoosesOneOrAJarIsNotOnTheClassPath() {
        String cp = classPath(weft, slf4j);
        for (String flag : List.of("-XX:AOTCache=/x.aot", "-XX:AOTMode=off", "-XX:SharedArchiveFile=/x.jsa",
                "-XX:ArchiveClassesAtExit=/x.jsa", "-Xshare:off")) {
            assertThat(StartupCache.find(List.of(flag), cp, List.of(weft, slf4j), cacheDir)).as(flag).isEmpty();
        }
        assertThat(StartupCache.find(List.of(), classPath(weft), List.of(weft, slf4j), cacheDir))
                .as("slf4j-api loaded by the application's own loader").isEmpty();
        assertThat(StartupCache.find(List.of(), cp, List.of(weft, slf4j), weft.resolve("cache")))
                .as("a cache directory that cannot be made").isEmpty();
    }

    @Test
    void noCacheFileMeansNoFlagUntilTrainingWroteOne() throws Exception {
        StartupCache cache = StartupCache.find(List.of(), classPath(weft, slf4j), List.of(weft, slf4j), cacheDir)
                .orElseThrow();
        assertThat(cache.flags()).isEmpty();
        Files.write(cache.file(), new byte[] {0});
        assertThat(cache.flags()).contains("-XX:AOTCache=" + cache.file());
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
        StartupCache.find(List.of(), classPath(weft, slf4j), List.of(weft, slf4j), cacheDir).orElseThrow();
        assertThat(left).doesNotExist();
        assertThat(leftConfig).doesNotExist();
        assertThat(training).exists();
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
