package dev.weft;

import dev.weft.internal.process.WorkerCommand;
import dev.weft.internal.wire.AllowList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Pool} whose workers are separate JVMs: for CPU work that needs isolation, its own heap,
 * or protection from a crash. Python: {@code concurrent.futures.ProcessPoolExecutor} and
 * {@code multiprocessing.Pool}.
 *
 * <pre>{@code
 * try (ProcessPool pool = Pool.processes()) {             // one worker JVM per core
 *     List<Long> sums = pool.map(n -> sumTo(n), List.of(50_000_000L, 60_000_000L));
 *     TaskFuture<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
 * }                                                       // close: waits, then the workers exit
 * }</pre>
 *
 * <h2>What crosses to a worker</h2>
 * Functions, tasks, items and results travel by Java serialization. On a {@code ProcessPool} a
 * lambda passed to {@code map}, {@code submit} or {@code apply} targets the
 * {@link SerializableFunction}/{@link SerializableCallable}/{@link SerializableRunnable} overloads
 * below, so it is serializable; what it captures must be too. A function, task or item that
 * cannot be serialized throws {@link IllegalArgumentException} at the call that was given it,
 * naming the class; a result that cannot be serialized fails that task's future, naming the class.
 * Either way the pool stays usable.
 *
 * <p>No configuration is needed for the classes of your own tasks and results, in any package.
 * Both sides deserialize through an {@link java.io.ObjectInputFilter} that allows {@code java.**},
 * {@code dev.weft.**}, and the classes the other side serialized itself: the sender lists, before
 * each object, the classes whose descriptors it wrote, and the reader allows those. A lambda is
 * allowed when the class that created it is. A class that appears in the bytes without being
 * listed (one a task read from a file, say, or a gadget spliced into the stream) is rejected, with a
 * message that names it and the {@link Configuration#withAllowedClasses} call that allows it.
 * Each object is also bounded in depth, references, array length and bytes
 * ({@link Configuration#withSerialLimits}), so that a hostile or runaway result cannot stall the
 * pool. A class that exists only in the parent's memory (a single-file program run as
 * {@code java Main.java}, or jshell) reaches the workers too: a worker that cannot find a class
 * on its class path asks the parent for its bytes.
 * <p>A stateless task, one whose class has no instance field (a lambda that captures nothing is
 * one), crosses to each worker once; after that each submission sends only its id, and the
 * worker calls the one instance it holds. Such a class's {@code readObject} or
 * {@code readResolve} then runs once per worker, not once per task.
 *
 * <h2>Workers</h2>
 * A worker runs the parent's own {@code java} ({@code java.home}) on the parent's class path, with
 * the parent's {@code -D}, {@code -ea}, {@code --add-opens}/{@code --add-exports} and
 * {@code --enable-native-access} flags (not its agents or debugger flags), the flags that shape
 * its module graph ({@code --module-path}, {@code --add-modules}, {@code --limit-modules},
 * {@code --upgrade-module-path}, {@code --patch-module}; those that {@code JDK_JAVA_OPTIONS} gives
 * the worker's launcher are not given twice), plus
 * {@code -XX:+ExitOnOutOfMemoryError}, so that a worker out of memory dies instead of limping on.
 * Where Weft is a named module, a worker resolves the modules of the parent's boot layer, from the
 * parent's module path or from its runtime image ({@code jlink}), no more and no fewer.
 * Workers start when the pool is created, all at once ({@link Configuration#withLazyStart lazy}
 * start is an option); {@link Pool#processes} returns once their processes are launched, not once
 * their JVMs are ready, so the first tasks wait for that (a few hundred milliseconds; see
 * {@link Configuration#withStartupCache}). A worker runs one task at a time, in a platform thread named
 * {@code weft-process-N} ({@code weft-process-NAME-N} in a named pool); {@link Pool#currentWorker()} in a worker returns that identity,
 * with the worker's pid, from any of its threads. A task may open {@link TaskScope}s and IO pools
 * of its own. What a task prints on {@code System.out} or {@code System.err} appears on the
 * parent's. A worker whose parent dies exits by itself. A worker told to stop (at close, or past
 * its {@linkplain Configuration#withMaxTasksPerChild task limit}) runs its JVM's shutdown hooks,
 * and halts if they have not ended within 5 seconds.
 *
 * <p>In the parent, each worker has three helper threads, {@code weft-process-NAME-N-reader} (which
 * completes futures and so runs callbacks), {@code weft-process-NAME-N-stdout} and
 * {@code weft-process-NAME-N-stderr} (which copy the worker's output). One exception: a platform
 * thread that calls {@code get()} without a timeout for the only task its worker holds may read
 * that answer itself, when the worker's reader stands by for it (on more than one core, for the
 * {@linkplain Configuration#withIdleSpin idle spin} after an answer that came alone, as in
 * {@code submit(...).get()} in a loop). That thread then completes the future, and no thread has to
 * wake it: on 2 cores the loop's round trip falls from about 40 to about 20 µs. The future's
 * callbacks still run in the reader, after the caller's {@code get()} has returned, as for any
 * other answer. A virtual thread, or a {@code get} with a timeout, always waits to be woken. After
 * {@code close()}, or {@code shutdown()}/{@code terminate()} followed by {@code join()}, no worker
 * process and no helper thread is left.
 *
 * <p><b>An open process pool keeps the JVM alive</b>, as an open CPU pool or
 * {@code ThreadPoolExecutor} does: the helper threads are platform threads that take the daemon
 * status of the thread that starts their worker, so a pool opened from {@code main} (or any thread
 * that is not a daemon) keeps the JVM, and its worker JVMs, running after {@code main} returns,
 * until the pool is closed or shut down. Open it with try-with-resources, or call
 * {@code shutdown()} when done; the JVM then exits once the tasks have ended.
 *
 * <h2>When a worker dies</h2>
 * Only the tasks it held (the one it ran and those sent ahead to it) fail, at once, with a
 * {@link BrokenProcessPoolException} that names the worker ({@link BrokenProcessPoolException#worker()})
 * and carries its exit code and last lines of standard error; tasks still waiting in the pool go
 * to the next worker. A worker that died before it was ready (before its initializer had
 * finished) had started none of its tasks: they go to its replacement instead of failing. Then,
 * by {@link AfterDeath policy}:
 * <ul>
 * <li>{@code REPLACE} (the default): a new worker starts and nothing else fails. A worker killed
 *     from outside ({@code kill}, the OOM killer: a signal, exit code 128 + N) never breaks the
 *     pool, however often it happens, ready or still starting. Only a fault that repeats on fresh
 *     workers does: 3 workers in a row that cannot start (their JVM exits by its own doing before it
 *     is ready: a bad {@link Configuration#withJvmArgs flag}, a missing class, a crash), with no
 *     worker becoming ready and no task completing in between. The pool's error is then that
 *     fault: the last worker's exit code and standard error.</li>
 * <li>{@code BREAK}: any death breaks the pool, as Python's {@code ProcessPoolExecutor}.</li>
 * </ul>
 * A worker that cannot be launched for want of something the machine gives back (no descriptor
 * left, no process, no memory) is launched again, 10 ms later and twice as late each time, up to a
 * second apart, whatever the policy; tasks wait meanwhile, and the pool breaks only after 5 seconds
 * without a live worker, with that failure as the cause. Any other launch failure (no such
 * {@code java}, no permission) breaks it at once.
 * An initializer that throws breaks the pool at once, whatever the policy, with its exception as
 * the cause. A broken pool starts no worker again, kills those it has, fails every task it held or
 * queued (a task a worker held names that worker) and rejects every later submission at once with
 * its error. Exit codes tell a signal apart on Unix; elsewhere a killed worker that had not started
 * counts as one that cannot start.
 *
 * <h2>Remote exceptions</h2>
 * A task's exception arrives with its type, message and stack trace (the worker's). If it had no
 * cause, its cause is a {@link RemoteTaskException} that says which worker threw it. One that
 * cannot be deserialized in the parent arrives as a {@code RemoteTaskException} holding its class
 * name, message and stack trace.
 *
 * <h2>Cancellation</h2>
 * Cancelling a task that has not reached a worker cancels it locally: it never runs.
 * {@code cancel(true)} on a running one also interrupts it in its worker. A task the pool has
 * sent ahead to a busy worker ({@link Configuration#withTasksInFlight}) ends cancelled at once
 * too, and the worker drops it if the cancellation reaches it before the task starts; if the
 * worker starts it first, it runs and its outcome is ignored, as for a running task cancelled
 * without interrupt. The same goes for {@code shutdown(wait, true)}: Python's executor cannot
 * cancel its call queue's items either. With {@code withTasksInFlight(1)} a task goes only to an
 * idle worker, so cancelling a waiting task is always exact. {@link #terminate()} kills the workers.
 * A task sent ahead behind one that runs long is not left waiting while another worker idles:
 * see {@link Configuration#withTasksInFlight}.
 *
 * <p>An interrupt stays with the caller. A thread whose interrupt status is set, or one
 * interrupted while its submit writes the task to the worker (a subtask of a {@link TaskScope}
 * that a sibling's failure cancels), finishes the submit and keeps its interrupt status; only a
 * wait, such as {@link TaskFuture#get()}, answers it. The worker and its other tasks never see it.
 *
 * <p>So a task counts as running from when it is sent to its worker, as in Python's executor,
 * whose futures run once they enter the call queue: {@link TaskFuture#isRunning()} is true for a
 * task sent ahead that its worker has not yet started, and {@link #shutdownNow()} returns only
 * the tasks never sent; the ones sent ahead end cancelled with the rest.
 *
 * <p>Everything else, life cycle, callbacks, failures, thread safety, memory consistency and
 * nulls, is as {@link Pool} describes it.
 *
 * @since 0.1
 */
public interface ProcessPool extends RemotePool {

    /**
     * What the pool does when a worker dies while it is running.
     *
     * @since 0.1
     */
    enum AfterDeath {
        /**
         * Only the dead worker's tasks fail; a new worker replaces it ({@code multiprocessing.Pool},
         * without its hang). Kills never break the pool; only a fault that repeats on fresh workers does.
         */
        REPLACE,
        /** The pool is broken: pending tasks fail and later submissions are rejected ({@code ProcessPoolExecutor}). */
        BREAK
    }

    /**
     * A process pool's configuration: immutable; each {@code with} method returns a changed copy.
     * {@link Pool#processes(java.util.function.UnaryOperator)} hands over the default (one worker
     * JVM per carrier, workers started at once, {@link AfterDeath#REPLACE}, tasks in flight
     * adapting, a 100 µs idle spin, the default {@link SerialLimits}), to be changed with the
     * {@code with} methods.
     *
     * @since 0.1
     */
    final class Configuration {
        /** The longest idle spin: long enough to bridge any round trip, short enough to be no burden. */
        static final Duration MAX_IDLE_SPIN = Duration.ofMillis(10);
        /** How long an idle worker waits busily for its next task by default. */
        static final Duration DEFAULT_IDLE_SPIN = Duration.ofNanos(100_000);
        static final Configuration DEFAULT = new Configuration(new Builder());
        private static final List<String> NAMES = List.of("name", "workers", "initializer", "maxTasksPerChild",
                "jvmArgs", "heap", "lazyStart", "environment", "afterDeath", "allowedClasses", "tasksInFlight",
                "startupCache", "idleSpin", "serialLimits");

        private final String name;
        private final int workers;
        private final SerializableRunnable initializer;
        private final int maxTasksPerChild;
        private final List<String> jvmArgs;
        private final String heap;
        private final boolean lazyStart;
        private final Map<String, String> environment;
        private final AfterDeath afterDeath;
        private final List<String> allowedClasses;
        private final int tasksInFlight;
        private final Path startupCache;
        private final Duration idleSpin;
        private final SerialLimits serialLimits;

        /** Checks every component, as the {@code with} methods do, and copies the collections. */
        private Configuration(Builder b) {
            if (b.workers < 0 || b.maxTasksPerChild < 0 || b.tasksInFlight < 0) {
                throw new IllegalArgumentException("workers, maxTasksPerChild and tasksInFlight must be 0 (the "
                        + "default) or more, but were " + b.workers + ", " + b.maxTasksPerChild + ", " + b.tasksInFlight);
            }
            name = b.name;
            workers = b.workers;
            initializer = b.initializer;
            maxTasksPerChild = b.maxTasksPerChild;
            jvmArgs = List.copyOf(b.jvmArgs);
            heap = b.heap;
            lazyStart = b.lazyStart;
            environment = Map.copyOf(b.environment);
            allowedClasses = List.copyOf(b.allowedClasses);
            afterDeath = Objects.requireNonNull(b.afterDeath, "afterDeath");
            tasksInFlight = b.tasksInFlight;
            startupCache = b.startupCache;
            idleSpin = Objects.requireNonNull(b.idleSpin, "idleSpin");
            serialLimits = Objects.requireNonNull(b.serialLimits, "serialLimits");
            if (idleSpin.isNegative() || idleSpin.compareTo(MAX_IDLE_SPIN) > 0) {
                throw new IllegalArgumentException("idleSpin must be between 0 and " + MAX_IDLE_SPIN.toMillis()
                        + " ms, but was " + idleSpin + "; Duration.ZERO lets an idle worker sleep at once");
            }
        }

        /**
         * The components while one {@code with} method changes them: starts as the default or as a
         * copy of a configuration, and becomes one through the checking constructor.
         */
        private static final class Builder {
            String name;
            int workers;
            SerializableRunnable initializer;
            int maxTasksPerChild;
            List<String> jvmArgs = List.of();
            String heap;
            boolean lazyStart;
            Map<String, String> environment = Map.of();
            AfterDeath afterDeath = AfterDeath.REPLACE;
            List<String> allowedClasses = List.of();
            int tasksInFlight;
            Path startupCache;
            Duration idleSpin = DEFAULT_IDLE_SPIN;
            SerialLimits serialLimits = SerialLimits.defaults();

            Builder() {
            }

            Builder(Configuration c) {
                name = c.name;
                workers = c.workers;
                initializer = c.initializer;
                maxTasksPerChild = c.maxTasksPerChild;
                jvmArgs = c.jvmArgs;
                heap = c.heap;
                lazyStart = c.lazyStart;
                environment = c.environment;
                afterDeath = c.afterDeath;
                allowedClasses = c.allowedClasses;
                tasksInFlight = c.tasksInFlight;
                startupCache = c.startupCache;
                idleSpin = c.idleSpin;
                serialLimits = c.serialLimits;
            }
        }

        /** A copy of this configuration with {@code change} applied, checked. */
        private Configuration with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return new Configuration(b);
        }

        /**
         * Names the pool; its threads are named after it.
         *
         * @param name the pool's name, not blank
         * @return a copy of this configuration with that name
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Configuration withName(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("a pool's name must not be blank");
            }
            return with(b -> b.name = name);
        }

        /**
         * Sets the number of worker JVMs (default: {@link Pool#carrierCount()}). Python: {@code max_workers}/{@code processes}.
         *
         * @param workers the number of worker JVMs, at least 1
         * @return a copy of this configuration with that number of workers
         * @throws IllegalArgumentException if {@code workers} is below 1
         */
        public Configuration withWorkers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("a pool needs at least 1 worker, but was given " + workers);
            }
            return with(b -> b.workers = workers);
        }

        /**
         * Runs {@code initializer} once in each worker, in the thread that then runs its tasks,
         * before its first task. Capture its arguments in the lambda. If it throws, the pool is
         * broken with its exception as the cause ({@link BrokenProcessPoolException}) for every task
         * it held or queued and every later submission; no worker is started again, and the worker
         * also prints the exception on its standard error. Python: {@code initializer=..., initargs=...}.
         *
         * @param initializer what each worker runs before its first task; it and what it captures
         *         are serialized to get there
         * @return a copy of this configuration with that initializer
         */
        public Configuration withInitializer(SerializableRunnable initializer) {
            Objects.requireNonNull(initializer, "initializer");
            return with(b -> b.initializer = initializer);
        }

        /**
         * Retires a worker after {@code tasks} tasks (counting a map's chunks, not its items, and
         * not the tasks sent ahead to it that the pool took back for an idle worker before it started
         * them), and starts a new one once it has exited, so there are never more than
         * {@link #withWorkers workers} processes. Python: {@code max_tasks_per_child}/{@code maxtasksperchild}.
         *
         * @param tasks how many tasks a worker runs before it retires, at least 1
         * @return a copy of this configuration with that number
         * @throws IllegalArgumentException if {@code tasks} is below 1
         */
        public Configuration withMaxTasksPerChild(int tasks) {
            if (tasks < 1) {
                throw new IllegalArgumentException("maxTasksPerChild must be at least 1, but was " + tasks);
            }
            return with(b -> b.maxTasksPerChild = tasks);
        }

        /**
         * Adds arguments to each worker's {@code java} command, after the inherited ones.
         *
         * @param args the arguments, one flag each, such as {@code -Xss2m}; added after those of
         *         earlier calls
         * @return a copy of this configuration with these arguments added
         * @throws IllegalArgumentException if an argument is blank, or is neither a flag (it starts
         *         with {@code -}) nor the value of the flag before it, such as {@code --add-opens}'s:
         *         the JVM would take it for the main class; or if it names an argument file
         *         ({@code @file}), which the worker's own argument file cannot expand
         * @throws NullPointerException if {@code args} or one of them is null
         */
        public Configuration withJvmArgs(String... args) {
            Objects.requireNonNull(args, "args");
            List<String> all = new ArrayList<>(jvmArgs);
            for (String arg : args) {
                if (Objects.requireNonNull(arg, "a JVM argument").isBlank()) {
                    throw new IllegalArgumentException("a JVM argument must not be blank: give each flag, such as "
                            + "-Xss2m, as one argument");
                }
                boolean value = !all.isEmpty() && WorkerCommand.takesValue(all.get(all.size() - 1));
                if (!value && arg.startsWith("@")) {
                    throw new IllegalArgumentException("'" + arg + "' names an argument file, which a worker cannot "
                            + "read: its flags go into the worker's own argument file, where java expands no other. "
                            + "Read the file and give its flags to withJvmArgs one by one");
                }
                if (!value && !arg.startsWith("-")) {
                    throw new IllegalArgumentException("'" + arg + "' is not a JVM flag: each argument must start with "
                            + "'-', or be the value of a flag that takes one, such as --add-opens; a worker's java would "
                            + "take it for its main class");
                }
                all.add(arg);
            }
            return with(b -> b.jvmArgs = all);
        }

        /**
         * Sets each worker's maximum heap, as {@code -Xmx} takes it: {@code "512m"}, {@code "2g"}.
         *
         * @param heap the maximum heap: a number of bytes, with {@code k}, {@code m} or {@code g}
         *         for KiB, MiB or GiB
         * @return a copy of this configuration with that heap
         * @throws IllegalArgumentException if {@code heap} is not a number of bytes with an optional
         *         k, m or g, or is less than 4 MiB, too little for a worker's JVM to start
         *         ({@code "512"} is 512 bytes)
         */
        public Configuration withHeap(String heap) {
            if (!Objects.requireNonNull(heap, "heap").matches("[1-9][0-9]{0,15}[kKmMgG]?")) {
                throw new IllegalArgumentException("heap must look like -Xmx's value, such as 512m or 2g, but was '"
                        + heap + "'");
            }
            char unit = Character.toLowerCase(heap.charAt(heap.length() - 1));
            int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 0;
            long number = Long.parseLong(shift == 0 ? heap : heap.substring(0, heap.length() - 1));
            if (number < (4L << 20 >> shift)) {
                throw new IllegalArgumentException("heap '" + heap + "' is " + (shift == 0 ? number + " bytes" : heap)
                        + ", less than the 4 MiB a worker's JVM needs to start" + (shift == 0 || unit == 'k'
                        ? "; give a unit, such as " + number + "m" : ""));
            }
            return with(b -> b.heap = heap);
        }

        /**
         * Starts workers only when tasks need them, instead of all at once when the pool is created.
         *
         * @return a copy of this configuration with lazy start
         */
        public Configuration withLazyStart() {
            return with(b -> b.lazyStart = true);
        }

        /**
         * Adds a variable to each worker's environment (which is otherwise the parent's).
         *
         * @param variable the variable's name; a second call with the same name replaces its value
         * @param value its value
         * @return a copy of this configuration with that variable added
         * @throws IllegalArgumentException if {@code variable} is empty or holds {@code =} or a NUL
         *         character, or {@code value} holds a NUL character: no environment can hold them
         */
        public Configuration withEnvironment(String variable, String value) {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(value, "value");
            if (variable.isEmpty() || variable.indexOf('=') >= 0 || variable.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException("'" + variable + "' cannot name an environment variable: a name is "
                        + "not empty and holds no '=' and no NUL; give the name and the value apart, as "
                        + "withEnvironment(\"NAME\", \"value\")");
            }
            if (value.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException("the value of environment variable " + variable
                        + " holds a NUL character, which no environment can hold");
            }
            Map<String, String> all = new LinkedHashMap<>(environment);
            all.put(variable, value);
            return with(b -> b.environment = all);
        }

        /**
         * Sets what happens when a worker dies while running; see {@link AfterDeath}.
         *
         * @param policy what to do: {@link AfterDeath#REPLACE} (the default) or
         *         {@link AfterDeath#BREAK}
         * @return a copy of this configuration with that policy
         */
        public Configuration withAfterDeath(AfterDeath policy) {
            Objects.requireNonNull(policy, "policy");
            return with(b -> b.afterDeath = policy);
        }

        /**
         * Allows more classes through the deserialization filter on both sides, as
         * {@link java.io.ObjectInputFilter.Config#createFilter} patterns: {@code "com.example.**"}
         * (a package and its subpackages), {@code "com.example.*"} (one package),
         * {@code "com.example.Point"} (one class). A pool needs none for the classes of its own
         * tasks and results: each side allows what the other serialized itself (see "What crosses
         * to a worker"). This is for a class that only ever arrives inside bytes a task read, such
         * as an object a worker deserializes from a file and returns.
         *
         * @param patterns the patterns to allow, added to those of earlier calls
         * @return a copy of this configuration with these patterns added
         * @throws IllegalArgumentException if a pattern is blank, contains {@code ;}, {@code !} or {@code =}, or is one
         *                                  the JDK's pattern filter refuses, such as {@code "mod/"} or {@code ".*"}
         */
        public Configuration withAllowedClasses(String... patterns) {
            List<String> all = AllowList.withPatterns(allowedClasses, patterns);
            return with(b -> b.allowedClasses = all);
        }

        /**
         * Fixes how many tasks the pool sends ahead to each worker. By default it adapts: 2 (one
         * running, one waiting in the pipe) for tasks that take a while, up to 64 for tasks of a
         * few microseconds, whose throughput depends on keeping the pipe full. A task sent to a
         * busy worker waits for it, so fewer balances long tasks of uneven length better; 1 sends
         * a task only to an idle worker, as Python's {@code ProcessPoolExecutor} nearly does.
         * Whatever the number, a task sent ahead does not wait behind a long one while a worker
         * idles: once its worker has gone 5 ms without an answer while another worker is idle
         * and nothing else is queued, the pool takes back the tasks that worker has not started,
         * and the idle one runs them. The same goes for tasks sent to a worker that is still
         * starting (its initializer runs) while another is ready.
         *
         * @param tasks how many tasks each worker may hold at once, running or waiting, at least 1
         * @return a copy of this configuration with that number
         * @throws IllegalArgumentException if {@code tasks} is below 1
         */
        public Configuration withTasksInFlight(int tasks) {
            if (tasks < 1) {
                throw new IllegalArgumentException("tasksInFlight must be at least 1, but was " + tasks);
            }
            return with(b -> b.tasksInFlight = tasks);
        }

        /**
         * Speeds up the start of workers with a cache of the classes they load, kept in
         * {@code file}: the JDK's AOT cache on JDK 25 and later ({@code -XX:AOTCache}, JEP 483),
         * a dynamic CDS archive before ({@code -XX:SharedArchiveFile}). If the file does not exist
         * yet, worker 1 records it while it runs and writes it when it exits (when the pool shuts
         * down), and later pools start from it. The JDK ignores a cache that does not match, with
         * a warning on the worker's standard error: after a JDK update or any change of the class
         * path, delete the file. It works only when the class path holds jar files, not
         * directories (the JDK's rule).
         *
         * @param file the cache file, which need not exist yet
         * @return a copy of this configuration with that cache
         */
        public Configuration withStartupCache(Path file) {
            Objects.requireNonNull(file, "file");
            return with(b -> b.startupCache = file);
        }

        /**
         * Sets how long a worker that has just run out of tasks keeps its core, polling its channel
         * for the next one, before its thread sleeps: 100 µs by default. Waking a sleeping thread costs
         * tens of microseconds on many machines, virtual ones most of all, more than a tiny task's
         * whole trip; so a caller that sends one task after another ({@code submit(...).get()} in a
         * loop) sees its round trip about halve (Weft's benchmarks, section "Process pool"). The
         * price is up to this much CPU time each time a worker runs dry. A worker spins only when the
         * task it ran came alone: one that has just run a burst of tasks was fed by a busy parent,
         * which needs the core more than the worker's next task needs the head start (on 2 cores,
         * spinning after bursts took a third of the CPU of a stream of small tasks, and capturing
         * submits rose from about 200,000 to about 330,000 per second without it). {@link Duration#ZERO}
         * lets an idle worker sleep at once, which suits a machine with more workers than cores that
         * are busy with other work.
         * On a machine with one core, workers never wait busily: nothing else could run meanwhile.
         * The same time bounds how long a worker's reader, in the parent, stands by after an answer
         * that came alone, polling, for a thread that waits for the next answer to read it itself
         * (see the class comment); {@link Duration#ZERO} turns that off too. Both poll with
         * {@link Thread#yield} between looks, so that a thread sharing the core runs at once.
         *
         * @param spin how long an idle worker checks for its next task, from {@link Duration#ZERO}
         *         to 10 ms
         * @return a copy of this configuration with that spin
         * @throws IllegalArgumentException if {@code spin} is negative or above 10 ms
         */
        public Configuration withIdleSpin(Duration spin) {
            return with(b -> b.idleSpin = spin);
        }

        /**
         * Sets how much of one task or one result either side deserializes; see {@link SerialLimits}
         * for the defaults and why they are what they are.
         *
         * @param limits the limits, for tasks and results alike
         * @return a copy of this configuration with those limits
         */
        public Configuration withSerialLimits(SerialLimits limits) {
            Objects.requireNonNull(limits, "limits");
            return with(b -> b.serialLimits = limits);
        }

        /** {@return the pool's name, or null for {@code processes-ID}} */
        public String name() {
            return name;
        }

        /** {@return the number of worker JVMs, or 0 for {@link Pool#carrierCount()}} */
        public int workers() {
            return workers;
        }

        /** {@return what runs once in each worker before its first task, or null for nothing} */
        public SerializableRunnable initializer() {
            return initializer;
        }

        /** {@return after how many tasks a worker retires, or 0 for never} */
        public int maxTasksPerChild() {
            return maxTasksPerChild;
        }

        /** {@return the extra arguments of each worker's {@code java}: an unmodifiable list} */
        public List<String> jvmArgs() {
            return jvmArgs;
        }

        /** {@return the maximum heap of each worker ({@code -Xmx}), or null for the JVM's default} */
        public String heap() {
            return heap;
        }

        /** {@return whether workers start only when tasks need them} */
        public boolean lazyStart() {
            return lazyStart;
        }

        /** {@return the variables added to each worker's environment: an unmodifiable map} */
        public Map<String, String> environment() {
            return environment;
        }

        /** {@return what happens when a worker dies} */
        public AfterDeath afterDeath() {
            return afterDeath;
        }

        /**
         * {@return the {@link java.io.ObjectInputFilter} patterns of classes allowed besides the
         * defaults: an unmodifiable list}
         */
        public List<String> allowedClasses() {
            return allowedClasses;
        }

        /** {@return how many tasks the pool sends ahead to each worker, or 0 to adapt} */
        public int tasksInFlight() {
            return tasksInFlight;
        }

        /** {@return the file of the workers' class-data cache, or null for none} */
        public Path startupCache() {
            return startupCache;
        }

        /** {@return how long a worker out of tasks waits busily for the next before it sleeps} */
        public Duration idleSpin() {
            return idleSpin;
        }

        /** {@return how much of one task or result either side deserializes} */
        public SerialLimits serialLimits() {
            return serialLimits;
        }

        private List<Object> components() {
            return Arrays.asList(name, workers, initializer, maxTasksPerChild, jvmArgs, heap, lazyStart,
                    environment, afterDeath, allowedClasses, tasksInFlight, startupCache, idleSpin, serialLimits);
        }

        /** Whether {@code o} is a process pool configuration with equal components. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Configuration c && components().equals(c.components());
        }

        @Override
        public int hashCode() {
            return components().hashCode();
        }

        /** The components, as a record shows them: {@code Configuration[name=..., workers=..., ...]}. */
        @Override
        public String toString() {
            return Components.text("Configuration", NAMES, components());
        }

        /** The filter patterns both sides deserialize through: the limits, the defaults, these, and reject the rest. */
        String filterPattern() {
            return AllowList.pattern(serialLimits.pattern(), allowedClasses);
        }

        /**
         * The filter both sides deserialize through, given its {@link #filterPattern}, whose parts
         * {@link SerialLimits} and {@link #withAllowedClasses} checked. Its JDK part is made only
         * when a class is first deserialized (see {@link AllowList.Filter#checkedBefore}): a pool
         * whose tasks and results cross in compact form never starts the JDK's filter configuration.
         */
        static AllowList.Filter filter(String pattern) {
            return AllowList.Filter.checkedBefore(pattern, true, ALLOWED_CLASSES_HINT, SERIAL_LIMITS_HINT);
        }

        private static final String ALLOWED_CLASSES_HINT = "ProcessPool.Configuration.withAllowedClasses";
        private static final String SERIAL_LIMITS_HINT = "ProcessPool.Configuration.withSerialLimits";
    }
}
