package dev.weft.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the benchmark programs that print JSON do with their output and their temporary files. */
final class RunFiles {
    private RunFiles() {
    }

    /** Prints {@code json} to stdout, alone, and writes it to {@code out} too unless that is null. */
    static void emit(CharSequence json, Path out) throws IOException {
        System.out.print(json);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json);
        }
    }

    /** Deletes {@code root} and everything under it, deepest first; best effort. */
    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> entries = Files.walk(root)) {
            entries.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
