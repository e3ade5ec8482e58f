package dev.weft.internal.process;

import dev.weft.internal.process.Rendezvous;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The command that starts a worker JVM of a {@code dev.weft.ProcessPool}: the parent's own {@code java}, a
 * few flags, then an argument file (so that a long class path fits any command line) that holds
 * the rest. The argument file holds, in order: the parent's flags that a worker needs
 * ({@link #inherited}), {@code -XX:+ExitOnOutOfMemoryError}, SLF4J's quiet setting (unless the
 * user chose one), the heap, the user's JVM arguments, the class path (and, for a modular
 * application, the module path), the main class and its arguments. Before it, on the command
 * line, come flags that send the JVM's own messages and warnings to standard error, where the
 * parent keeps their last lines for {@code dev.weft.BrokenProcessPoolException}, and the startup cache's
 * flags.
 *
 * <p>Each worker has an argument file of its own, written into its {@link Rendezvous} directory
 * (private to the user, {@code 0600} in {@code 0700}); the worker deletes it as it starts. A pool's
 * command keeps the rendezvous of its workers that have not connected yet, so that
 * {@link #end} can remove what is left when the pool ends; its first worker's start sweeps what
 * killed parents left ({@link #sweepOnce}).
 */
public final class WorkerCommand {
    /** Flags a worker inherits from the parent, by prefix; a two-part flag also carries its next argument. */
    private static final List<String> CARRIED = List.of("-D", "-ea", "-enableassertions", "-da", "-disableassertions",
            "-esa", "-enablesystemassertions", "-dsa", "--add-opens", "--add-exports", "--add-reads",
            "--enable-native-access", "--enable-preview", "--sun-misc-unsafe-memory-access", "--illegal-native-access",
            "--module-path", "--add-modules", "--limit-modules", "--upgrade-module-path", "--patch-module");
    /**
     * The flags that shape the module graph. A worker that {@code JDK_JAVA_OPTIONS} already gives
     * one of them does not get it twice: the JVM refuses a module patched twice.
     */
    private static final Set<String> MODULE_GRAPH = Set.of("--module-path", "--add-modules", "--limit-modules",
            "--upgrade-module-path", "--patch-module");
    private static final Set<String> TWO_PART = union(Set.of("--add-opens", "--add-exports", "--add-reads",
            "--enable-native-access"), MODULE_GRAPH);
    /** The JVM's flags whose value may come as the next argument: those carried in two parts, and the rest. */
    private static final Set<String> VALUE_NEXT = union(TWO_PART, Set.of("-p", "-cp", "-classpath", "--class-path",
            "--describe-module", "-d"));

    private static Set<String> union(Set<String> one, Set<String> other) {
        Set<String> both = new java.util.HashSet<>(one);
        both.addAll(other);
        return Set.copyOf(both);
    }

    /** Whether the JVM flag {@code flag} takes its value from the next argument, as {@code --add-opens} does. */
    public static boolean takesValue(String flag) {
        return VALUE_NEXT.contains(flag);
    }

    /** The environment variable whose options every {@code java} launcher reads, the workers' too. */
    static final String LAUNCHER_OPTIONS = "JDK_JAVA_OPTIONS";
    /** System properties that describe the parent's own launch, which the worker's command sets for itself. */
    private static final List<String> NOT_CARRIED = List.of("-Djava.class.path=", "-Djdk.module.", "-Dsun.java.",
            "-Djava.home=");
    /**
     * SLF4J 2 warns on stderr, in three lines, when it finds no provider; the parent may say so once,
     * every worker need not.
     */
    public static final String SLF4J_QUIET = "-Dslf4j.internal.verbosity=ERROR";

    /** The argument file's lines up to the main class, the same for every worker of the pool. */
    private final List<String> options;
    /** The options before the class path: the flags a training JVM shares with the workers. */
    private final List<String> flags;
    private final Path java;
    /** The cache the user chose, or null. */
    private final Path startupCache;
    /** The format of either cache. */
    private final StartupCache.Format format;
    /** The automatic cache, where the user chose none and it applies; else null. */
    private final StartupCache automatic;
    private final Path temp;
    /** The worker JVM's main class, which also runs the startup cache's training ({@code --train}). */
    private final String mainClass;
    /** The rendezvous of the workers started lately, closed ones among them until the next start; any thread. */
    private final Set<Rendezvous> open = ConcurrentHashMap.newKeySet();
    /** The training of the automatic cache that this pool started, if any: its first worker starts it. */
    private final AtomicReference<StartupCache.Training> training = new AtomicReference<>();
    private final AtomicBoolean trainingTried = new AtomicBoolean();
    private final AtomicBoolean swept = new AtomicBoolean();

    private WorkerCommand(List<String> options, List<String> flags, Path startupCache, StartupCache.Format format,
                          StartupCache automatic, Path temp, String mainClass) {
        this.options = options;
        this.flags = flags;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.startupCache = startupCache;
        this.format = format;
        this.automatic = automatic;
        this.temp = temp;
        this.mainClass = mainClass;
    }

    /**
     * The command for the workers of a pool: its heap ({@code -Xmx}, or null), its JVM flags, the
     * variables it adds to the workers' environment, its own startup cache (or null for the
     * automatic one) and the worker's main class, which the pool names.
     *
     * @throws IOException if the temporary directory ({@code java.io.tmpdir}) is not a directory
     */
    public static WorkerCommand create(String heap, List<String> jvmArgs, Map<String, String> environment,
                                       Path startupCache, String mainClass) throws IOException {
        String launcherOptions = environment.containsKey(LAUNCHER_OPTIONS) ? environment.get(LAUNCHER_OPTIONS)
                : System.getenv(LAUNCHER_OPTIONS);
        List<String> flags = new ArrayList<>(inherited(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                launcherOptions));
        flags.add("-XX:+ExitOnOutOfMemoryError");
        String quiet = SLF4J_QUIET.substring(0, SLF4J_QUIET.indexOf('=') + 1);
        if (flags.stream().noneMatch(a -> a.startsWith(quiet)) && jvmArgs.stream().noneMatch(a -> a.startsWith(quiet))) {
            flags.add(SLF4J_QUIET);
        }
        if (heap != null) {
            flags.add("-Xmx" + heap);
        }
        flags.addAll(jvmArgs);
        List<String> args = new ArrayList<>(flags);
        String classPath = System.getProperty("java.class.path", "");
        StartupCache.Format format = StartupCache.Format.chosen();
        StartupCache automatic = startupCache == null
                ? StartupCache.find(flags, classPath, format).orElse(null) : null;
        if (!classPath.isEmpty()) {
            args.add("-cp");
            args.add(automatic != null ? automatic.classPath(classPath) : classPath);
        }
        Module weft = WorkerCommand.class.getModule();
        if (weft.isNamed()) {
            String modulePath = System.getProperty("jdk.module.path", "");
            if (!modulePath.isEmpty()) {        // empty in a runtime image (jlink) that holds the modules itself
                args.add("-p");
                args.add(modulePath);
            }
            args.add("--add-modules");
            args.add(moduleRoots(ModuleLayer.boot()));
            args.add("-m");
            args.add(weft.getName() + "/" + mainClass);
        } else {
            args.add(mainClass);
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        if (!Files.isDirectory(temp)) {
            throw new NoSuchFileException(temp.toString(), null, "java.io.tmpdir is not a directory: create it, or "
                    + "start the JVM with -Djava.io.tmpdir=DIR, a directory you may write to");
        }
        return new WorkerCommand(List.copyOf(args), List.copyOf(flags), startupCache, format, automatic, temp,
                mainClass);
    }

    /**
     * The worker's root modules, for {@code --add-modules}: every module of the parent's boot layer,
     * so that a worker resolves the modules its parent did, no fewer (the application's own, in a
     * runtime image made with {@code jlink} or added with {@code --add-modules}) and no more (not a
     * module on the module path that the parent never resolved, whose own requirements may be
     * missing).
     */
    static String moduleRoots(ModuleLayer layer) {
        return layer.modules().stream().map(Module::getName).sorted().collect(Collectors.joining(","));
    }

    /**
     * A private directory and a token for a new worker; the caller spawns the worker, then has the
     * rendezvous {@link Rendezvous#listen listen} (see {@link Rendezvous}, "In which order").
     */
    public Rendezvous rendezvous() throws IOException {
        open.removeIf(Rendezvous::isClosed);
        Rendezvous rendezvous = Rendezvous.prepare(temp);
        open.add(rendezvous);
        return rendezvous;
    }

    /** A new temporary file that only this user may read and write (where the file system has POSIX permissions). */
    public static Path privateTempFile(String prefix, String suffix) throws IOException {
        try {
            return Files.createTempFile(prefix, suffix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {     // not a POSIX file system
            return Files.createTempFile(prefix, suffix);
        }
    }

    /**
     * The parent's flags a worker needs: see {@link #CARRIED}; agents, debugger and -XX flags stay
     * behind. {@code launcherOptions} is the worker's {@code JDK_JAVA_OPTIONS} (or null): a flag
     * that shapes the module graph and that the worker's launcher reads from there is not given
     * again.
     */
    public static List<String> inherited(List<String> parentArgs, String launcherOptions) {
        List<String> fromLauncher = launcherOptions == null ? new ArrayList<>()
                : moduleGraphFlags(List.of(launcherOptions.trim().split("\\s+")));
        List<String> carried = new ArrayList<>();
        for (int i = 0; i < parentArgs.size(); i++) {
            String arg = parentArgs.get(i);
            if (NOT_CARRIED.stream().anyMatch(arg::startsWith)) {
                continue;
            }
            if (CARRIED.stream().anyMatch(p -> arg.equals(p) || arg.startsWith(p + (p.startsWith("--") ? "=" : ""))
                    || (p.equals("-D") && arg.startsWith("-D")) || (!p.startsWith("--") && arg.startsWith(p + ":")))) {
                boolean twoPart = TWO_PART.contains(arg) && i + 1 < parentArgs.size();
                String value = twoPart ? parentArgs.get(++i) : null;
                if (!fromLauncher.remove(twoPart ? arg + "=" + value : arg)) {
                    carried.add(arg);
                    if (twoPart) {
                        carried.add(value);
                    }
                }
            }
        }
        return carried;
    }

    /**
     * The module-graph flags among {@code args}, a launcher's options, each as one
     * {@code --flag=value}, the form the JVM reports them in.
     */
    private static List<String> moduleGraphFlags(List<String> args) {
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i).equals("-p") ? "--module-path" : args.get(i);
            if (MODULE_GRAPH.contains(arg) && i + 1 < args.size()) {
                flags.add(arg + "=" + args.get(++i));
            } else if (MODULE_GRAPH.stream().anyMatch(f -> arg.startsWith(f + "="))) {
                flags.add(arg);
            }
        }
        return flags;
    }

    /** One argument of an argument file: quoted, with backslashes and quotes escaped. */
    public static String quote(String arg) {
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * Writes the argument file of worker {@code index} of pool {@code pool}, whose filter is
     * {@code filter}, into {@code rendezvous}, and returns the worker's full command.
     */
    public List<String> command(String pool, String threadPrefix, int index, String filter, Rendezvous rendezvous)
            throws IOException {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of(pool, threadPrefix, Integer.toString(index), Long.toString(ProcessHandle.current().pid()),
                filter, rendezvous.socket().toString()));
        StringBuilder text = new StringBuilder();
        for (String arg : args) {
            text.append(quote(arg)).append('\n');
        }
        Path file = rendezvous.argumentFile();
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {     // not a POSIX file system
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw inTempDirectory("cannot write a worker's argument file", temp, e);
        }
        // The JVM's own messages and warnings go to stderr, where the parent keeps the last lines for
        // BrokenProcessPoolException. They come first, so that the user's own -Xlog flags override them.
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+DisplayVMOutputToStderr",
                "-Xlog:disable", "-Xlog:all=warning:stderr"));
        if (automatic != null) {
            command.addAll(automatic.flags());
            if (trainingTried.compareAndSet(false, true)) {
                training.set(automatic.train(java, flags, temp, mainClass));
            }
        } else if (startupCache != null) {
            if (Files.isRegularFile(startupCache)) {
                command.addAll(format.use(startupCache));
            } else if (index == 1) {
                command.addAll(format.record(startupCache));
            }
        }
        command.add("@" + file);
        return command;
    }

    /**
     * {@code e}, a failure to {@code what} in {@code temp}, the temporary directory, as the launch
     * reports it: naming the directory and what to do (a full disk, say: "No space left on
     * device"). A want that may pass ({@link WorkerExit#launchMayPass}: no descriptor left) is left
     * as it is, since the pool tries again.
     */
    static IOException inTempDirectory(String what, Path temp, IOException e) {
        if (WorkerExit.launchMayPass(e)) {
            return e;
        }
        String reason = e instanceof FileSystemException f ? (f.getReason() != null ? f.getReason() : e.toString())
                : e.getMessage();
        return new IOException(what + " in the temporary directory " + temp + " (java.io.tmpdir): " + reason
                + "; make room there, or start the JVM with -Djava.io.tmpdir=DIR naming a directory you may write to", e);
    }

    /**
     * The first time a worker of the pool has been spawned: sweeps the temporary directory of what
     * killed parents left ({@link Rendezvous#sweep}). Called while that worker's JVM boots, so that
     * a large temporary directory (reading one of 6,000 entries took 47 ms here) does not delay it.
     */
    public void sweepOnce() {
        if (swept.compareAndSet(false, true)) {
            Rendezvous.sweep(temp);
        }
    }

    /**
     * The pool's workers have all exited: removes the rendezvous they left, if any (normally none).
     *
     * @return completes when the training of the startup cache that this pool started, if any, has ended
     */
    public CompletableFuture<Void> end() {
        List.copyOf(open).forEach(Rendezvous::close);
        StartupCache.Training t = training.get();
        return t == null ? CompletableFuture.completedFuture(null) : t.ended().thenApply(failure -> null);
    }

    /** Kills the training of the startup cache that this pool started, if any: the pool is terminated. */
    public void kill() {
        StartupCache.Training t = training.get();
        if (t != null) {
            t.kill();
        }
    }
}
