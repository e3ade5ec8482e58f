package dev.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary directories for the helpers that cross processes ({@link Flag}, {@link Tally},
 * {@link Gate}): each is deleted, with whatever any process put in it, when the JVM that made it
 * exits. A test run makes a few thousand of them; without this they stayed in the temporary
 * directory after every run.
 */
public final class TempDirs {
    private static final Set<Path> MADE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "weft-test-temp-dirs"));
    }

    private TempDirs() {
    }

    /** A new directory in the temporary directory, named from {@code prefix}, deleted when this JVM exits. */
    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            MADE.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every directory made here; what cannot be deleted is left, as a temporary file would be. */
    private static void deleteAll() {
        for (Path dir : MADE) {
            try {
                deleteTree(dir);
            } catch (UncheckedIOException e) {
                // already gone, or unreadable: nothing more to do at exit
            }
        }
    }

    /** Deletes {@code root} and everything under it, deepest entries first. */
    static void deleteTree(Path root) {
        try (Stream<Path> entries = Files.walk(root)) {
            entries.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
