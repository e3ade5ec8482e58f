package dev.weft.testing;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A counter that crosses processes, for the shared pool suite: an {@code AtomicInteger} or a
 * concurrent set cannot leave the JVM, so a task in any process {@linkplain #add(String) adds} a
 * key (creates a new file, atomically, named after it) and the test counts the keys. A multiset:
 * the same key added twice counts twice. Serializable, so a task can capture it.
 *
 * @param dir the directory that holds one file per {@link #add}
 */
public record Tally(String dir) implements Serializable {
    private static final String SEPARATOR = "~";

    /** A new, empty tally in a fresh temporary directory. */
    public static Tally create() {
        return new Tally(TempDirs.create("weft-tally-").toString());
    }

    /** Counts one {@code key} (in any process); a key is a file name's worth of letters, digits, {@code .-_@}. */
    public void add(String key) {
        if (!key.matches("[A-Za-z0-9._@-]+")) {
            throw new IllegalArgumentException("not a tally key: '" + key + "'");
        }
        try {
            Files.createFile(Path.of(dir, key + SEPARATOR + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts one, without a key of its own. */
    public void add() {
        add("one");
    }

    /** The keys added so far, once per {@link #add}, sorted. */
    public List<String> keys() {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return files.map(f -> f.getFileName().toString())
                    .map(f -> f.substring(0, f.lastIndexOf(SEPARATOR)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times anything was added. */
    public int count() {
        return keys().size();
    }

    /** How many times {@code key} was added. */
    public int count(String key) {
        return (int) keys().stream().filter(key::equals).count();
    }

    /** Waits, bounded by {@link Await#LIMIT}, until at least {@code n} were added; fails saying {@code what}. */
    public void awaitCount(int n, String what) {
        Await.until(what, () -> count() >= n);
    }
}
