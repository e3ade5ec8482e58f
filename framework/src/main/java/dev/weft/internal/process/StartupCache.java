package dev.weft.internal.process;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The workers' automatic startup cache: the classes a worker loads (and, on JDK 25, links) as it
 * starts, Weft's and the JDK's, kept per user and shared by every pool whose workers start the same
 * way. Its {@link Format}: the JDK's AOT cache (JEP 483) on JDK 25 and later, a dynamic CDS archive
 * on JDK 21 to 24; the system property {@value #FORMAT_PROPERTY} ({@code aot} or {@code cds})
 * chooses. It cuts the time from {@code Pool.processes()} to the first result by about a third to a
 * half.
 *
 * <h2>When it applies</h2>
 * When the pool's configuration names no cache of its own ({@code withStartupCache}), Weft and
 * SLF4J's API come from jar files on the class path (the JDK's cache refuses directories; a
 * modular application has none), no worker flag chooses a cache itself ({@code -XX:AOT...},
 * {@code -XX:SharedArchiveFile}, {@code -Xshare}), and the system property {@value #PROPERTY} is
 * not {@code off}. Where it does not apply, workers start as they did without it.
 *
 * <h2>One cache for every application</h2>
 * The cache is trained on a class path of those jars alone. A worker's class path starts with them,
 * followed by the rest of the parent's in its order: the JDK accepts a cache whose class path is a
 * prefix of the JVM's. So an application's own classes, which change with every build, never
 * invalidate it, and its jars and directories may follow in any form.
 *
 * <h2>Its file</h2>
 * It lives in the per-user cache directory ({@code $XDG_CACHE_HOME/weft}, else {@code ~/.cache/weft};
 * {@code ~/Library/Caches/weft} on macOS; {@code %LOCALAPPDATA%\weft} on Windows), or in the
 * directory that the property {@value #PROPERTY} names. The file's name holds a hash of everything
 * that makes a cache valid: the JDK (its home and build), the jars (path, size and time) and the
 * workers' flags. A change of any of them names another file, so a stale cache is never used; the
 * directory keeps the {@value #KEPT} most recently used ones.
 *
 * <h2>Training</h2>
 * A pool that starts a worker and finds no file starts one training JVM beside its workers, which
 * start without the cache: the worker's main class given {@link #TRAIN}, whose output goes nowhere, and which
 * writes the cache to a temporary name as it exits; the pool then renames it into place. A training
 * that ends well but writes nothing (a JDK without the base CDS archive that a dynamic one needs)
 * leaves a marker of the same name, so that no later pool trains in vain. Within a
 * JVM one pool trains a given cache at a time, and a lock file keeps other JVMs from training it at
 * the same time; a pool that finds training under way starts its workers without the cache. The
 * training JVM is the pool's child: the pool terminates once it has exited (about two seconds after
 * it started, on two cores; a pool that lives longer never waits for it), {@code terminate()} kills
 * it, and it exits at once if its parent dies. One that runs for {@link #TRAINING_LIMIT_SECONDS}
 * seconds is killed.
 */
public final class StartupCache {
    /** The system property: {@code off}, or the directory that keeps the caches. */
    static final String PROPERTY = "weft.startupCache";
    /** The system property that chooses the {@link Format}: {@code aot} or {@code cds}. */
    static final String FORMAT_PROPERTY = "weft.startupCache.format";
    /** How many caches the directory keeps, most recently used first. */
    static final int KEPT = 4;
    static final long TRAINING_LIMIT_SECONDS = 60;
    /**
     * How long a cache's lock file must have gone untouched before a sweep may delete it: a
     * training touches its lock as it takes it, and lasts {@value #TRAINING_LIMIT_SECONDS} s at most.
     */
    static final long LOCK_IDLE_SECONDS = 10 * TRAINING_LIMIT_SECONDS;
    /**
     * The first argument that makes the worker's main class run a training instead of a worker:
     * {@code java FLAGS -XX:AOTCacheOutput=FILE -cp JARS MAIN --train TEMP PARENT-PID}.
     */
    public static final String TRAIN = "--train";
    /** Flags by which the user chose a cache, or no cache, of their own. */
    private static final List<String> OWN_CACHE_FLAGS = List.of("-XX:AOT", "-XX:SharedArchiveFile",
            "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive", "-Xshare");
    private static final String PREFIX = "workers-", TEMPORARY = ".tmp", NOTHING_WRITTEN = ".none", LOCK = ".lock";
    /** The caches that a pool of this JVM is training. */
    private static final Set<Path> TRAINING = ConcurrentHashMap.newKeySet();

    /**
     * The kinds of cache the JDK offers. Both hold the classes a training run loaded, and accept a
     * worker whose class path starts with the training's.
     */
    public enum Format {
        /**
         * The JDK's AOT cache (JEP 483), recorded in one run since JDK 25 (JEP 514): classes loaded
         * and linked, the JDK's among them. The faster start; about 16 MB for a worker's classes.
         */
        AOT(".aot", "-XX:AOTCache=", "-XX:AOTCacheOutput=", List.of("-Xlog:aot*=error:stderr", "-Xlog:cds*=error:stderr")),
        /**
         * A dynamic CDS archive (JDK 13 and later), on top of the JDK's own base archive: classes
         * loaded. About 3 MB for a worker's classes.
         */
        CDS(".jsa", "-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit=", List.of("-Xlog:cds*=error:stderr"));

        private final String suffix;
        private final String use;
        private final String record;
        /** Keep the JVM's messages about the cache to errors (recording warns of every class it skips); {@code aot} is a log tag of JDK 24 and later only. */
        private final List<String> quiet;

        Format(String suffix, String use, String record, List<String> quiet) {
            this.suffix = suffix;
            this.use = use;
            this.record = record;
            this.quiet = quiet;
        }

        /**
         * The format of the system property {@value #FORMAT_PROPERTY}, or else the best this JDK
         * offers: AOT on JDK 25 and later, CDS before.
         *
         * @throws IllegalArgumentException if the property names another format, or AOT before JDK 25
         */
        public static Format chosen() {
            return of(System.getProperty(FORMAT_PROPERTY, ""), Runtime.version().feature());
        }

        static Format of(String property, int feature) {
            return switch (property) {
                case "" -> feature >= 25 ? AOT : CDS;
                case "cds" -> CDS;
                case "aot" -> {
                    if (feature < 25) {
                        throw new IllegalArgumentException("-D" + FORMAT_PROPERTY + "=aot needs JDK 25 or later, "
                                + "and this is JDK " + feature + ": give cds, or leave the property unset");
                    }
                    yield AOT;
                }
                default -> throw new IllegalArgumentException("-D" + FORMAT_PROPERTY + "=" + property
                        + " is not a startup cache format: give aot (JDK 25 and later) or cds, or leave it unset");
            };
        }

        /** The flags that make a JVM start from the cache in {@code file}. */
        public List<String> use(Path file) {
            return flags(use + file);
        }

        /** The flags that make a JVM record a cache into {@code file} as it exits. */
        public List<String> record(Path file) {
            return flags(record + file);
        }

        private List<String> flags(String flag) {
            List<String> flags = new ArrayList<>(quiet);
            flags.add(flag);
            return flags;
        }
    }

    private final Path file;
    private final Format format;
    /** The jars the cache covers, in class-path order: Weft's, then SLF4J's if it is another. */
    private final List<Path> jars;

    private StartupCache(Path file, Format format, List<Path> jars) {
        this.file = file;
        this.format = format;
        this.jars = jars;
    }

    /**
     * The automatic cache of workers whose flags (everything before the class path) are
     * {@code flags}, in {@code format}, or empty where it does not apply (see the class comment).
     * Sweeps what a training killed with its parent left in the directory.
     */
    static Optional<StartupCache> find(List<String> flags, String classPath, Format format) {
        String setting = System.getProperty(PROPERTY, "");
        if (setting.equals("off") || WorkerCommand.class.getModule().isNamed()) {
            return Optional.empty();
        }
        List<Path> jars = new ArrayList<>();
        for (Class<?> c : List.of(StartupCache.class, org.slf4j.LoggerFactory.class)) {
            Optional<Path> jar = jarOf(c);
            if (jar.isEmpty()) {
                return Optional.empty();
            }
            if (!jars.contains(jar.get())) {
                jars.add(jar.get());
            }
        }
        try {
            return find(flags, classPath, jars, setting.isEmpty() ? userCacheDirectory() : Path.of(setting), format);
        } catch (RuntimeException e) {
            return Optional.empty();                    // not a path: workers start without a cache
        }
    }

    /**
     * The cache of {@code jars} for workers with {@code flags} and {@code classPath}, in
     * {@code directory}; empty if a flag chooses a cache of its own, if a jar is not on the class
     * path (the application loaded it itself), or if the directory cannot be made.
     */
    static Optional<StartupCache> find(List<String> flags, String classPath, List<Path> jars, Path directory,
                                       Format format) {
        if (flags.stream().anyMatch(f -> OWN_CACHE_FLAGS.stream().anyMatch(f::startsWith))
                || !entries(classPath).containsAll(jars)) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(directory);
            sweep(directory);
            return Optional.of(new StartupCache(directory.resolve(PREFIX + key(jars, flags) + format.suffix), format,
                    jars));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();                    // no cache directory: workers start without one
        }
    }

    /** The jar file {@code c} was loaded from, if it came from one. */
    private static Optional<Path> jarOf(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
            return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<Path> entries(String classPath) {
        List<Path> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                try {
                    entries.add(Path.of(entry).toAbsolutePath().normalize());
                } catch (RuntimeException e) {
                    // not a path: the JVM ignores it as well
                }
            }
        }
        return entries;
    }

    private static Path userCacheDirectory() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String home = System.getProperty("user.home");
        String xdg = System.getenv("XDG_CACHE_HOME");
        String local = System.getenv("LOCALAPPDATA");
        if (os.contains("win") && local != null) {
            return Path.of(local, "weft");
        } else if (os.contains("mac")) {
            return Path.of(home, "Library", "Caches", "weft");
        } else if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "weft");
        }
        return Path.of(home, ".cache", "weft");
    }

    /**
     * A hash of what makes a cache valid: the JDK, the jars and the flags. Not a cryptographic one:
     * {@code MessageDigest} would start the JDK's security providers, about 30 ms of a cold parent,
     * before its first worker is spawned; a file of this user's own directory needs no more than 96
     * bits that two different texts are unlikely to share, and the JDK checks a cache against the
     * class path it was made for in any case.
     */
    static String key(List<Path> jars, List<String> flags) throws IOException {
        StringBuilder text = new StringBuilder("weft startup cache 1\n")
                .append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n');
        for (Path jar : jars) {
            text.append(jar).append(' ').append(Files.size(jar)).append(' ')
                    .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        }
        flags.forEach(f -> text.append(f).append('\n'));
        long fnv = 0xcbf29ce484222325L;             // FNV-1a, 64 bits
        long golden = 0;                            // a multiply-rotate hash of the same bytes
        for (byte b : text.toString().getBytes(StandardCharsets.UTF_8)) {
            fnv = (fnv ^ (b & 0xff)) * 0x100000001b3L;
            golden = Long.rotateLeft((golden ^ (b & 0xff)) * 0x9e3779b97f4a7c15L, 29);
        }
        byte[] hash = new byte[12];
        long first = mix(fnv), second = mix(golden ^ first);
        for (int i = 0; i < 8; i++) {
            hash[i] = (byte) (first >>> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            hash[8 + i] = (byte) (second >>> (8 * i));
        }
        return HexFormat.of().formatHex(hash);
    }

    /** Spreads every bit of {@code h} over all 64 (the finalizer of MurmurHash3). */
    private static long mix(long h) {
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /**
     * Deletes the temporary files of trainings whose parents are gone, and the lock files of caches
     * that no longer exist (dropped by {@link #keepRecent}, or never written), untouched for
     * {@value #LOCK_IDLE_SECONDS} s, that no training holds: each cache a JVM ever trained left
     * one, and a class path that changes with every build would fill the directory with them. A
     * training about to lock one has just touched it, so it is not deleted under it.
     */
    private static void sweep(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(LOCK)) {
                    if (!Files.exists(f.resolveSibling(name.substring(0, name.length() - LOCK.length())))
                            && System.currentTimeMillis() - lastModified(f).toMillis() >= LOCK_IDLE_SECONDS * 1000) {
                        deleteUnheldLock(f);
                    }
                    continue;
                }
                int end = name.indexOf(TEMPORARY);
                int start = name.lastIndexOf('.', end - 1) + 1;
                if (name.startsWith(PREFIX) && end > 0 && start > 0) {
                    try {
                        long pid = Long.parseLong(name.substring(start, end));
                        if (ProcessHandle.of(pid).isEmpty()) {
                            Files.deleteIfExists(f);
                        }
                    } catch (NumberFormatException | IOException e) {
                        // not ours, or gone already
                    }
                }
            }
        }
    }

    /**
     * Deletes {@code lock} if no training holds it, while holding it: a JVM that opened it
     * meanwhile and locks it after finds the cache written, or trains it again, as without a lock.
     */
    private static void deleteUnheldLock(Path lock) {
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            if (channel.tryLock() != null) {
                Files.deleteIfExists(lock);
            }
        } catch (IOException | OverlappingFileLockException e) {
            // held by a training of this JVM, or gone already
        }
    }

    /** The cache's file, which may not exist yet. */
    Path file() {
        return file;
    }

    /** {@code classPath} with the cache's jars first, then its other entries in their order. */
    String classPath(String classPath) {
        Set<String> ordered = new LinkedHashSet<>();
        jars.forEach(j -> ordered.add(j.toString()));
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty() && !jars.contains(Path.of(entry).toAbsolutePath().normalize())) {
                ordered.add(entry);
            }
        }
        return String.join(File.pathSeparator, ordered);
    }

    /**
     * The flags that make a worker start from the cache: none if there is none yet. Marks the
     * file used, for the directory's {@value #KEPT}.
     */
    List<String> flags() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // used all the same
        }
        return format.use(file);
    }

    /**
     * Starts the training JVM, with the workers' {@code flags}, unless the cache exists or is being
     * trained; {@code temp} is where it makes its rendezvous.
     *
     * @return the training, or null if none started
     */
    Training train(Path java, List<String> flags, Path temp, String mainClass) {
        Path nothingWritten = file.resolveSibling(file.getFileName() + NOTHING_WRITTEN);
        if (Files.exists(file) || Files.exists(nothingWritten) || !TRAINING.add(file)) {
            return null;
        }
        FileChannel lockFile = null;
        try {
            Path lockPath = file.resolveSibling(file.getFileName() + LOCK);
            lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Files.setLastModifiedTime(lockPath, FileTime.fromMillis(System.currentTimeMillis()));  // in use: no sweep
            FileLock lock = lockFile.tryLock();
            if (lock == null || Files.exists(file)) {
                lockFile.close();
                TRAINING.remove(file);
                return null;
            }
            long pid = ProcessHandle.current().pid();
            Path output = file.resolveSibling(file.getFileName() + "." + pid + TEMPORARY);
            List<String> command = new ArrayList<>(List.of(java.toString()));
            command.addAll(flags);
            command.addAll(format.record(output));
            command.addAll(List.of("-cp", classPath(""), mainClass, TRAIN, temp.toString(), Long.toString(pid)));
            Path errors = output.resolveSibling(output.getFileName() + ".err");
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            FileChannel held = lockFile;
            AtomicBoolean overLimit = new AtomicBoolean();
            AtomicBoolean stopped = new AtomicBoolean();
            CompletableFuture<String> ended = process.onExit().handle((p, e) -> {
                String failure = null;
                try {
                    if (p != null && p.exitValue() == 0 && Files.isRegularFile(output)) {
                        Files.move(output, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        keepRecent(file.getParent(), format.suffix);
                    } else if (p != null && p.exitValue() == 0) {
                        Files.write(nothingWritten, new byte[0]);
                    } else if (!stopped.get()) {
                        failure = failure(process, overLimit.get(), System.nanoTime() - started, errors);
                        TrainingLog.LOG.warn(failure);
                    }
                } catch (IOException | RuntimeException failed) {
                    // no cache this time; the next pool trains again
                } finally {
                    deleteQuietly(output);
                    deleteQuietly(output.resolveSibling(output.getFileName() + ".config"));
                    deleteQuietly(errors);
                    closeQuietly(held);
                    TRAINING.remove(file);
                }
                return failure;
            });
            CompletableFuture.delayedExecutor(TRAINING_LIMIT_SECONDS, TimeUnit.SECONDS).execute(() -> {
                if (process.isAlive()) {
                    overLimit.set(true);
                    process.destroyForcibly();
                }
            });
            return new Training(process, ended, stopped);
        } catch (IOException | RuntimeException e) {
            closeQuietly(lockFile);
            TRAINING.remove(file);
            return null;
        }
    }

    /** Deletes all but the {@value #KEPT} most recently used caches ending in {@code suffix} of {@code directory}. */
    private static void keepRecent(Path directory, String suffix) throws IOException {
        List<Path> caches;
        try (Stream<Path> files = Files.list(directory)) {
            caches = files.filter(f -> f.getFileName().toString().startsWith(PREFIX)
                    && f.getFileName().toString().endsWith(suffix)).toList();
        }
        caches.stream().sorted(Comparator.comparing(StartupCache::lastModified).reversed()).skip(KEPT)
                .forEach(StartupCache::deleteQuietly);
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next sweep
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // released with the process anyway
            }
        }
    }

    /** A training JVM: {@code ended} completes once it has exited and its cache is in place (or not). */
    /**
     * A training under way: its process, and what completes when it has ended, with why it failed
     * (as logged), or null if it wrote its cache, wrote nothing, or was {@linkplain #kill killed}.
     */
    record Training(Process process, CompletableFuture<String> ended, AtomicBoolean stopped) {
        /** Kills the training, on purpose: its end is not reported as a failure. */
        void kill() {
            stopped.set(true);
            process.destroyForcibly();
        }
    }

    /**
     * Why a training failed, for the log: it ran past {@value #TRAINING_LIMIT_SECONDS} s, or exited
     * with another code than 0, after {@code nanos}; with the last lines it wrote to {@code errors}.
     * A program's first pool waits for its training as it closes, so a training that ran long
     * explains a slow {@code close}.
     */
    private static String failure(Process process, boolean overLimit, long nanos, Path errors) {
        StringBuilder text = new StringBuilder("the startup cache's training (pid ").append(process.pid()).append(") ");
        text.append(overLimit ? "ran past its " + TRAINING_LIMIT_SECONDS + " s limit and was stopped"
                : "exited with code " + process.exitValue()).append(" after ")
                .append(TimeUnit.NANOSECONDS.toMillis(nanos)).append(" ms; workers start without it, and a later pool "
                        + "trains it again");
        try {
            List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8);
            if (!lines.isEmpty()) {
                text.append("; its last lines on standard error:");
                lines.subList(Math.max(0, lines.size() - 10), lines.size()).forEach(l -> text.append("\n  ").append(l));
            }
        } catch (IOException | RuntimeException e) {
            // no lines to show
        }
        return text.toString();
    }

    /** The logger of a training that failed, made only then. */
    private static final class TrainingLog {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.weft.Pool");
    }
}
