package dev.weft.testing;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A one-way signal that crosses processes, for tests of the process pool: latches cannot leave
 * the JVM, so a task in a worker raises a flag (creates a file), and the test waits for it through
 * {@link Await} like any other state. Serializable, so a task can capture it.
 *
 * @param path the file whose existence is the flag
 */
public record Flag(String path) implements Serializable {

    /** A new, lowered flag in a fresh temporary directory. */
    public static Flag create() {
        return new Flag(TempDirs.create("weft-flag-").resolve("raised").toString());
    }

    /** Raises the flag (in any process). */
    public void raise() {
        raise("raised");
    }

    /** Raises the flag with a message, such as a pid: written whole, then renamed into place, so a reader never sees half of it. */
    public void raise(String message) {
        try {
            Path target = Path.of(path);
            Path partial = Files.writeString(target.resolveSibling("partial-" + ProcessHandle.current().pid()), message);
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message the flag was raised with; it must be raised. */
    public String message() {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isRaised() {
        return Files.exists(Path.of(path));
    }

    /** Waits, bounded by {@link Await#LIMIT}, until the flag is raised; fails saying {@code what}. */
    public void await(String what) {
        Await.until(what, this::isRaised);
    }
}
