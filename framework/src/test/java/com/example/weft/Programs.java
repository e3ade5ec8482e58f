package com.example.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Pool;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Runs a user's program as a JVM of its own, as the tests of this package do. */
final class Programs {
    static final long RUN_SECONDS = 120;

    private Programs() {
    }

    /** What a program printed: its standard output's lines, and its standard error. */
    record Output(List<String> out, String err) {
    }

    /**
     * Runs {@code command} in {@code dir}, bounded by {@link #RUN_SECONDS}; fails, with both
     * streams, unless it exits with 0 in time.
     */
    static Output run(List<String> command, Path dir) throws IOException, InterruptedException {
        return run(command, dir, Map.of());
    }

    /** As {@link #run(List, Path)}, with {@code environment} added to the program's environment. */
    static Output run(List<String> command, Path dir, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            boolean exited = process.waitFor(RUN_SECONDS, TimeUnit.SECONDS);
            List<String> out = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertThat(exited).as("%s ended within %d s; stdout %s, stderr %s", command, RUN_SECONDS, out, err).isTrue();
            assertThat(process.exitValue()).as("exit code of %s; stdout %s, stderr %s", command, out, err).isZero();
            return new Output(out, err);
        } finally {
            process.destroyForcibly();
        }
    }

    /** The {@code java.home} tool {@code name}: {@code java}, {@code javac}, {@code jshell}. */
    static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /**
     * The library's jar, as a user has it: the build's classes put in {@code dir/weft.jar} (the
     * test phase runs before the jar is built), or the jar itself if the tests run on it.
     */
    static Path weftJar(Path dir) throws Exception {
        Path from = Path.of(location(Pool.class));
        if (Files.isRegularFile(from)) {
            return from;
        }
        Path jar = dir.resolve("weft.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(from.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return jar;
    }

    /** Where {@code type} was loaded from, a jar or a directory of classes, as a class path entry. */
    static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
