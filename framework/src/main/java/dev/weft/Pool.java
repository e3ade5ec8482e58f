package dev.weft;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A pool of workers with both of Python's pool vocabularies on one type, which is also a
 * {@link ExecutorService}: {@code multiprocessing.pool.Pool}/{@code ThreadPool} ({@code apply},
 * {@code map}, {@code imap}, {@code imap_unordered}, {@code starmap}, their {@code _async} forms,
 * {@code close}/{@code terminate}/{@code join}) and {@code concurrent.futures.ThreadPoolExecutor}
 * ({@code submit}, {@code map} with a timeout, {@code shutdown(wait, cancel_futures)}). The map
 * family ({@code map}, {@code imap}, {@code imapUnordered}, {@code starmap} and their
 * {@code Async} forms) is declared by {@link Mapper}, which every pool is.
 *
 * <pre>{@code
 * try (Pool pool = Pool.cpu()) {                          // platform threads, one per core
 *     List<Long> sums = pool.map(n -> sumTo(n), List.of(50_000_000L, 60_000_000L));
 *     TaskFuture<Long> one = pool.submit(() -> sumTo(10));
 *     pool.imapUnordered(n -> sumTo(n), inputs).forEachRemaining(System.out::println); // completion order
 * }                                                       // close: waits for every task
 * }</pre>
 *
 * <h2>Kinds</h2>
 * <ul>
 * <li>{@link #io()}: virtual threads, one per task, unbounded unless
 *     {@link Configuration#withWorkers(int) bounded}. For work that waits.</li>
 * <li>{@link #cpu()}: a fixed set of platform threads, by default one per carrier (the value of
 *     {@code jdk.virtualThreadScheduler.parallelism} when set, else
 *     {@link Runtime#availableProcessors()}). For work that computes: virtual threads are not meant
 *     for long CPU work.</li>
 * </ul>
 *
 * <h2>Life cycle</h2>
 * Python's {@code pool.close()} is {@link #shutdown()} here (no new tasks; queued ones still run),
 * because {@link #close()} is {@link ExecutorService#close()}: it shuts down <em>and waits</em>
 * for every task, which is what try-with-resources should do. Python's {@code with Pool()} calls
 * {@code terminate()} on exit and so cancels outstanding work; {@code with ThreadPoolExecutor()}
 * waits, as Weft does. {@link #terminate()} cancels everything now (queued tasks end cancelled,
 * running ones are interrupted); {@link #join()} waits for the workers after either, and is an
 * error before. A task submitted after shutdown is rejected with a
 * {@link RejectedExecutionException} whose message says the pool is shut down (closed).
 * {@link #shutdownNow()} is {@code terminate()} that also returns the tasks that never started
 * (already cancelled, so nobody waits for them for ever). A thread interrupted in {@code close()}
 * terminates the pool, then still waits, as {@link ExecutorService#close()} specifies.
 *
 * <h2>Threads</h2>
 * CPU workers are platform threads started by {@link #cpu}, named {@code weft-cpu-N} or
 * {@code weft-cpu-NAME-N}, and not daemon threads: like {@code ThreadPoolExecutor}'s they keep
 * the JVM alive until the pool is shut down. IO tasks run on new virtual threads named
 * {@code weft-io-N} or {@code weft-io-NAME-N}, one per task. Virtual threads keep no JVM alive, so
 * while any IO pool has tasks, queued or running, one platform thread of the JVM's, not a daemon,
 * {@code weft-exit-keeper}, does: the JVM waits at exit for an IO pool's work, as Python's
 * interpreter does for a {@code ThreadPoolExecutor}'s, even after {@code shutdown(false, ...)}. It
 * runs no task, serves every IO pool, and ends within 0.2 s of the last work; an open IO pool with
 * no work keeps nothing alive. The pools start no other thread.
 * {@link #currentWorker()} tells a task which worker runs it. An open {@link ProcessPool} keeps the
 * JVM alive too (its threads that read from the worker JVMs), so close every pool you open.
 *
 * <h2>Nothing is lost</h2>
 * Every task submitted ends in exactly one state: a result, an exception, or cancelled. No
 * caller waits forever: {@code terminate} ends every outstanding result. After
 * {@code close()}, or {@code shutdown()}/{@code terminate()} followed by {@code join()}, no worker
 * thread is alive (on a {@link ClusterPool}, a task that ignores the interrupt of {@code terminate}
 * runs on in its member's thread until it returns). A task given to {@link #execute(Runnable)} has no future anyone reads, so its
 * exception is logged through SLF4J. {@code terminate} interrupts tasks, not initializers: an
 * initializer that blocks delays {@code join}.
 *
 * <h2>Callbacks</h2>
 * A callback passed to an {@code ...Async} method runs exactly once, in the thread that finished
 * the task (for {@code mapAsync}, the last of its chunk tasks), before the {@link AsyncResult}
 * becomes {@linkplain AsyncResult#ready() ready}: normally the worker thread that ran it; for a
 * task cancelled before it started, the thread that called {@code terminate}/{@code shutdownNow}
 * (or {@code cancel}); for a task failed by a broken pool, the worker whose initializer threw;
 * for a {@code mapAsync} over no items, the calling thread, before the call returns. It
 * must be short. {@code errorCallback} receives the task's exception (the first in input order
 * for a map), or a {@link java.util.concurrent.CancellationException} if it was cancelled. A
 * callback that throws is logged through SLF4J (logger {@code dev.weft.Pool}) and changes nothing
 * else: the result, the pool and every waiter carry on (in Python it breaks the pool and callers
 * wait forever).
 *
 * <h2>Progress</h2>
 * {@link #withProgress(Progress.Listener)} returns a view of the map family whose calls report
 * their progress ({@link Progress}: items done, failed, cancelled, the total, the rate) to a
 * listener, as Python's {@code tqdm} does for {@code process_map} and {@code thread_map}.
 *
 * <h2>Failures</h2>
 * The blocking Python-style calls ({@code apply}, {@code map}, {@code starmap},
 * {@link AsyncResult#get()}) throw a task's exception wrapped once in a {@link FailedException}
 * (for a map: the first failure in input order as cause, later ones suppressed, thrown once every
 * task has ended; Python fails fast but then has to wait anyway). The iterators of {@code imap}
 * throw it when iteration reaches the item. An exception thrown by the input iterable itself is
 * thrown as it is, at the call for the eager methods (which copy the input first), and the pool
 * is not affected. A cancelled task gives {@link java.util.concurrent.CancellationException}.
 * The {@code concurrent.futures} calls follow {@link java.util.concurrent.Future}: {@code get}
 * throws an {@link java.util.concurrent.ExecutionException}.
 *
 * <h2>Waiting for the pool from its own threads</h2>
 * A task or callback that waits for its own pool can wait for ever: its wait holds the very
 * worker that would run what it waits for. Weft refuses such a wait instead of letting it hang: a
 * wait without a timeout ({@code apply}, {@code map}, {@code starmap}, {@code invokeAll},
 * {@code invokeAny}, {@link AsyncResult#get()}, {@link TaskFuture#get()}, {@code next()} of an
 * iterator without a deadline) for a task of this pool, made by one of its own threads, throws
 * {@link IllegalStateException}, naming the fixes, when it could never end:
 * <ul>
 * <li>a CPU pool, or a bounded IO pool: when every other one of its {@code workers} threads
 *     (for an IO pool, the tasks holding its slots) already waits for the pool, and none of those
 *     waits has its result yet. With 1 worker, any such wait;</li>
 * <li>an unbounded IO pool: never, as each task has a thread of its own;</li>
 * <li>a {@link RemotePool}: any such wait from the thread that completes its futures and runs its
 *     callbacks (a process pool's reader of a worker, a cluster pool's callback thread), which
 *     would stop completing them while it waits.</li>
 * </ul>
 * The wait is refused, the pool and the awaited task are untouched, and the caller (a callback's
 * exception is logged) can react. Weft does not compensate by adding a thread, as
 * {@code ForkJoinPool.managedBlock} does: a CPU pool's size is the promise that it uses that many
 * cores. The fixes: run a callback that waits with {@link TaskFuture#onDone(Consumer,
 * java.util.concurrent.Executor)} on another executor; chain instead of waiting
 * ({@code applyAsync} with a callback); give nested work a pool of its own; or give the pool more
 * workers. A wait with a timeout is not checked: it ends when its time is up.
 *
 * <h2>Thread safety</h2>
 * Every method may be called from any thread, concurrently. The {@link ResultIterator}s it returns
 * belong to the thread that iterates them. {@code join}, {@code close} and
 * {@code shutdown(true, ...)} called from one of the pool's own workers throw
 * {@link IllegalStateException} instead of waiting for themselves; {@code close} and
 * {@code shutdown(true, ...)} shut the pool down all the same.
 *
 * <h2>Memory consistency</h2>
 * Actions before submitting a task happen-before the task runs; the task's actions happen-before
 * its callback runs and before its result is returned by any method of this interface or of the
 * futures and results it hands out.
 *
 * <h2>Null policy and misuse</h2>
 * Every method throws {@link NullPointerException} for a null function, item collection, task,
 * callback or time unit argument, at the call, before anything is submitted; so do
 * {@code invokeAll} and {@code invokeAny} for a null task in their collection, and
 * {@code starmap} for a null pair. Items themselves may be null where the function accepts null.
 * Every submitting method throws {@link RejectedExecutionException} once the pool is shut down,
 * and {@link BrokenPoolException} (a {@code RejectedExecutionException}) once it is broken.
 *
 * <h2>The futures it returns</h2>
 * {@code submit} returns a {@link TaskFuture}: its caller can wait, listen and cancel, but not
 * complete it; only the pool does. Like the JDK's executors' futures it is also a
 * {@link java.util.concurrent.RunnableFuture}: whoever calls its {@code run()} first runs the
 * task, in the calling thread. A task whose future is done when its turn comes (cancelled, or run
 * so) is skipped, and the worker goes on to the next task.
 *
 * @since 0.1
 */
public interface Pool extends ExecutorService, Mapper {

    /**
     * An IO pool with the default configuration: virtual threads, unbounded.
     *
     * @return a new IO pool, named {@code io-ID}
     * @throws IllegalArgumentException if the system property {@code dev.weft.jmx} is set to
     *         anything but {@code true} or {@code false} (see {@link PoolMXBean})
     */
    static Pool io() {
        return io(UnaryOperator.identity());
    }

    /**
     * An IO pool: a virtual thread per task, named {@code weft-io-NAME-N}; at most
     * {@link Configuration#withWorkers(int) workers} tasks at once if bounded (unbounded by
     * default: a blocked virtual thread costs about a kilobyte, so bound it only to protect what
     * the tasks call, such as a server that allows eight connections).
     *
     * @param configure makes the pool's configuration from the default one, as in
     *         {@code c -> c.withName("fetch").withWorkers(8)}; it must not return null
     * @return a new IO pool
     * @throws IllegalArgumentException if the system property {@code dev.weft.jmx} is set to
     *         anything but {@code true} or {@code false} (see {@link PoolMXBean})
     */
    static Pool io(UnaryOperator<Configuration> configure) {
        Objects.requireNonNull(configure, "configure");
        return ThreadPoolImpl.io(Objects.requireNonNull(configure.apply(Configuration.DEFAULT), "configure returned null"));
    }

    /**
     * A CPU pool with the default configuration: one platform thread per carrier.
     *
     * @return a new CPU pool of {@link #carrierCount()} threads, named {@code cpu-ID}, its threads
     *         all started
     * @throws OutOfMemoryError if the JVM cannot start another thread
     * @throws IllegalArgumentException if the system property {@code dev.weft.jmx} is set to
     *         anything but {@code true} or {@code false} (see {@link PoolMXBean})
     */
    static Pool cpu() {
        return cpu(UnaryOperator.identity());
    }

    /**
     * A CPU pool: a fixed set of platform threads named {@code weft-cpu-N} (or
     * {@code weft-cpu-NAME-N}), all started before this returns. Creation is all or nothing: if a
     * thread cannot be started (the JVM is out of native threads), the threads already started
     * are stopped and have ended before the failure is thrown, as it is.
     *
     * @param configure makes the pool's configuration from the default one, as in
     *         {@code c -> c.withName("solver").withWorkers(4)}; it must not return null
     * @return a new CPU pool, its threads all started
     * @throws IllegalArgumentException if more than 32,767 workers are configured: each is an
     *                                  operating-system thread, and that is about what a machine
     *                                  allows in all by default (and the JDK's bound for a
     *                                  {@code ForkJoinPool}); the message says what to use instead
     * @throws OutOfMemoryError         if the JVM cannot start another thread
     * @throws IllegalArgumentException if the system property {@code dev.weft.jmx} is set to
     *         anything but {@code true} or {@code false} (see {@link PoolMXBean})
     */
    static Pool cpu(UnaryOperator<Configuration> configure) {
        Objects.requireNonNull(configure, "configure");
        return ThreadPoolImpl.cpu(Objects.requireNonNull(configure.apply(Configuration.DEFAULT), "configure returned null"));
    }

    /**
     * The default size of a CPU pool: {@code jdk.virtualThreadScheduler.parallelism} if set, else the processor count.
     *
     * @return the value of the system property {@code jdk.virtualThreadScheduler.parallelism} if it
     *         is a positive integer, else {@link Runtime#availableProcessors()}; read at each call
     */
    static int carrierCount() {
        return ThreadPoolImpl.carrierCount();
    }

    /**
     * A process pool with the default configuration: one worker JVM per carrier; see
     * {@link ProcessPool}.
     *
     * @return a new process pool of {@link #carrierCount()} worker JVMs, launched (not yet ready)
     *         when this returns
     * @throws java.io.UncheckedIOException if the workers cannot be started
     * @throws IllegalArgumentException if the system property {@code dev.weft.jmx} is set to
     *         anything but {@code true} or {@code false} (see {@link PoolMXBean})
     * @throws IllegalStateException if called by a static initializer in a process pool's worker:
     *         see {@link #processes(UnaryOperator)}
     */
    static ProcessPool processes() {
        return processes(UnaryOperator.identity());
    }

    /**
     * A process pool: worker JVMs started from this one; see {@link ProcessPool}. Python:
     * {@code ProcessPoolExecutor(max_workers, initializer=..., max_tasks_per_child=...)}. Like a CPU
     * pool, an open process pool opened from {@code main} keeps the JVM alive after {@code main}
     * returns: close it (try-with-resources) or shut it down.
     *
     * @param configure makes the pool's configuration from the default one, as in
     *         {@code c -> c.withWorkers(4).withMaxTasksPerChild(100)}; it must not return null
     * @return a new process pool, its workers launched (not yet ready) when this returns, unless
     *         the configuration asks for a lazy start
     * @throws java.io.UncheckedIOException if the workers cannot be started (eager start)
     * @throws IllegalArgumentException if the initializer cannot be serialized, or if the system
     *         property {@code dev.weft.jmx} is set to anything but {@code true} or {@code false}
     * @throws IllegalStateException if called by a static initializer in a process pool's worker,
     *         which initializes the classes its tasks use: a pool in a static field of the
     *         program's class would start in every worker; make it in {@code main}
     */
    static ProcessPool processes(UnaryOperator<ProcessPool.Configuration> configure) {
        Objects.requireNonNull(configure, "configure");
        return ProcessPoolImpl.create(Objects.requireNonNull(configure.apply(ProcessPool.Configuration.DEFAULT),
                "configure returned null"));
    }

    /**
     * A pool whose workers are the members of a cluster, with the default configuration: see
     * {@link ClusterPool}. Needs the module {@code dev.weft:weft-hazelcast} on the class path.
     *
     * @return a new cluster pool, with its member in this JVM (see {@link ClusterPool})
     * @throws IllegalStateException if no cluster engine is on the class path
     */
    static ClusterPool cluster() {
        return cluster(UnaryOperator.identity());
    }

    /**
     * A cluster pool, configured from the default by {@code configure}, as in
     * {@code Pool.cluster(c -> c.withMembers("10.0.0.1:5701", "10.0.0.2:5701"))}: see {@link ClusterPool}.
     *
     * @param configure makes the pool's configuration from the default one; it must not return null
     * @return a new cluster pool, with its member in this JVM (see {@link ClusterPool})
     * @throws IllegalStateException if no cluster engine is on the class path
     */
    static ClusterPool cluster(UnaryOperator<ClusterPool.Configuration> configure) {
        Objects.requireNonNull(configure, "configure");
        return ClusterPoolImpl.create(Objects.requireNonNull(configure.apply(ClusterPool.Configuration.DEFAULT),
                "configure returned null"));
    }

    /**
     * Returns the worker running the current thread's task, if the current thread is a worker of
     * a thread pool, or runs in a worker JVM of a {@link ProcessPool} (any thread of that JVM): a
     * task can ask who runs it. Python: {@code current_process()} / {@code current_thread()}.
     *
     * @return the worker running the current thread's task, or an empty {@code Optional} if the
     *         current thread is no pool's worker
     */
    static Optional<Worker> currentWorker() {
        return ThreadPoolImpl.currentWorker().or(ProcessWorkerMain::identity)
                .or(ClusterPoolImpl::currentWorker);
    }

    // ---- multiprocessing.pool style -------------------------------------------------------------

    /**
     * Runs {@code fn(arg)} in the pool and waits for it. Python: {@code apply(func, (arg,))}.
     * {@code arg} may be null, if {@code fn} accepts it.
     *
     * @param <A> the type of the argument
     * @param <R> the type of the result
     * @param fn the function to apply, in one of the pool's workers
     * @param arg the argument to apply {@code fn} to
     * @return what {@code fn} returned, which may be null
     * @throws FailedException if the task threw; its exception is the cause
     * @throws InterruptedException if interrupted while waiting; the task is then cancelled
     * @throws java.util.concurrent.CancellationException if the task was cancelled (the pool was
     *         terminated)
     * @throws RejectedExecutionException if the pool is shut down; {@link BrokenPoolException} if
     *         broken
     * @throws IllegalStateException if called from one of this pool's own threads when the wait
     *         could never end (see the class comment)
     */
    <A, R> R apply(Function<? super A, ? extends R> fn, A arg) throws InterruptedException;

    /**
     * Runs {@code task} in the pool and waits for it. Python: {@code apply(func)}.
     *
     * @param <R> the type of the result
     * @param task the task to run, in one of the pool's workers
     * @return what {@code task} returned, which may be null
     * @throws FailedException if the task threw; its exception is the cause
     * @throws java.util.concurrent.CancellationException if the task was cancelled (the pool was
     *         terminated)
     * @throws InterruptedException if interrupted while waiting; the task is then cancelled
     * @throws RejectedExecutionException if the pool is shut down; {@link BrokenPoolException} if
     *         broken
     * @throws IllegalStateException if called from one of this pool's own threads when the wait
     *         could never end (see the class comment)
     */
    <R> R apply(Callable<? extends R> task) throws InterruptedException;

    /**
     * Runs {@code fn(arg)} in the pool. Python: {@code apply_async(func, (arg,))}. {@code arg} may be
     * null, if {@code fn} accepts it.
     *
     * @param <A> the type of the argument
     * @param <R> the type of the result
     * @param fn the function to apply, in one of the pool's workers
     * @param arg the argument to apply {@code fn} to
     * @return the pending result of {@code fn(arg)}
     * @throws RejectedExecutionException if the pool is shut down; {@link BrokenPoolException} if
     *         broken
     */
    <A, R> AsyncResult<R> applyAsync(Function<? super A, ? extends R> fn, A arg);

    /**
     * Runs {@code fn(arg)} in the pool; {@code callback} receives the result, or
     * {@code errorCallback} the exception. Python: {@code apply_async(func, args, callback=...,
     * error_callback=...)}. {@code arg} may be null, if {@code fn} accepts it.
     *
     * @param <A> the type of the argument
     * @param <R> the type of the result
     * @param fn the function to apply, in one of the pool's workers
     * @param arg the argument to apply {@code fn} to
     * @param callback called with what {@code fn} returned, if it returned, before the result
     *         becomes ready (by which thread: see the class comment)
     * @param errorCallback called instead with what {@code fn} threw, or with a
     *         {@link java.util.concurrent.CancellationException} if the task was cancelled
     * @return the pending result of {@code fn(arg)}
     * @throws RejectedExecutionException if the pool is shut down; {@link BrokenPoolException} if
     *         broken
     */
    <A, R> AsyncResult<R> applyAsync(Function<? super A, ? extends R> fn, A arg,
                                     Consumer<? super R> callback, Consumer<? super Throwable> errorCallback);

    /**
     * {@link #withProgress(Duration, Progress.Listener)} with reports at most every 100 ms, the
     * default {@code mininterval} of Python's {@code tqdm}, besides the first and the final one.
     *
     * @param listener receives each call's progress
     * @return a view of this pool's map family whose calls report their progress to
     *         {@code listener}
     * @throws NullPointerException if {@code listener} is null, with a message that says what to pass
     */
    default Mapper withProgress(Progress.Listener listener) {
        return withProgress(Progress.DEFAULT_INTERVAL, listener);
    }

    /**
     * Returns this pool's map family with progress: the returned {@link Mapper}'s {@code map},
     * {@code mapAsync}, {@code imap}, {@code imapUnordered}, {@code starmap} and
     * {@code starmapAsync} run on this pool exactly as the pool's own do, and each call reports
     * its items done, failed and cancelled, its total once known, its elapsed time and its rate to
     * {@code listener}, as a {@link Progress}. Python: {@code tqdm.contrib.concurrent.thread_map}
     * and {@code process_map}, or {@code tqdm} around {@code imap}.
     *
     * <pre>{@code
     * List<Long> sums = pool.withProgress(Duration.ofSeconds(1), p -> log.info("{}", p))
     *         .map(n -> sumTo(n), inputs, 1);
     * }</pre>
     *
     * <p>The listener is called first, in the calling thread, before anything is submitted; then
     * at most once per {@code interval} ({@link Duration#ZERO}: for every change) as chunks end;
     * and last, once, when every item is done, before the call's result is handed over. Calls for
     * one map are never concurrent and never go back. {@link Progress.Listener} says which thread
     * makes each call and what a listener may rely on.
     *
     * <p>The view holds nothing but this pool and the listener: keep it for many calls, from any
     * thread, each with a progress of its own. It is not a pool: shutting down and closing stay
     * with the pool, whose life cycle governs the view's calls.
     *
     * @param interval the least time between two reports of one call, besides the first and the
     *         final one; {@link Duration#ZERO} reports every change
     * @param listener receives each call's progress
     * @return a view of this pool's map family whose calls report their progress to
     *         {@code listener}
     * @throws NullPointerException     if {@code interval} or {@code listener} is null, with a
     *                                  message that says what to pass
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    Mapper withProgress(Duration interval, Progress.Listener listener);

    /**
     * Cancels everything at once: queued tasks end cancelled, running ones are cancelled and
     * interrupted, and outstanding results end; returns without waiting. Python:
     * {@code terminate()}. Same as {@link #shutdownNow()} without its list.
     */
    void terminate();

    /**
     * Waits until every worker has ended. Python: {@code join()}.
     *
     * @throws IllegalStateException if the pool was neither shut down nor terminated, or if called
     *                               from one of this pool's workers (it would wait for itself)
     * @throws InterruptedException if interrupted while waiting; the pool is left as it was
     */
    void join() throws InterruptedException;

    // ---- concurrent.futures style ---------------------------------------------------------------

    /**
     * Submits a task. Python: {@code Executor.submit(fn)}.
     *
     * @throws RejectedExecutionException if the pool is shut down; {@link BrokenPoolException} if broken
     */
    @Override
    <T> TaskFuture<T> submit(Callable<T> task);

    @Override
    TaskFuture<?> submit(Runnable task);

    /**
     * Submits a task whose future gives {@code result} once the task has run; {@code result} may be
     * null, as in {@link ExecutorService#submit(Runnable, Object)}.
     *
     * @throws RejectedExecutionException if the pool is shut down; {@link BrokenPoolException} if broken
     */
    @Override
    <T> TaskFuture<T> submit(Runnable task, T result);

    /**
     * Shuts down; with {@code cancelFutures}, cancels the tasks not yet started; with
     * {@code wait}, waits for the running ones and for every worker thread to end. Python:
     * {@code shutdown(wait, cancel_futures)}. May be called again; it is never an error.
     *
     * @param wait whether to wait, as {@link #close()} does, until every task has ended and every
     *         worker with it
     * @param cancelFutures whether to cancel the tasks that have not started; they end cancelled
     *         and never run
     * @throws InterruptedException if {@code wait} and interrupted while waiting; the pool is shut
     *         down all the same
     * @throws IllegalStateException if {@code wait} and called from one of this pool's workers (it
     *         would wait for itself); the pool is shut down all the same
     */
    void shutdown(boolean wait, boolean cancelFutures) throws InterruptedException;

    /**
     * {@return the pool's name: the configured one, or its kind and a number, such as
     * {@code io-1}, {@code cpu-2}, {@code processes-3} or {@code cluster-4}}
     */
    String name();

    /** {@return the number of workers, or 0 for an unbounded IO pool} */
    int workers();

    /**
     * A worker of a pool: its pool's name, its index (from 1), the name of the thread that runs
     * its tasks, and the id of the process it runs in (a worker JVM's, for a {@link ProcessPool}).
     * {@link Pool#currentWorker()} hands it out; two are equal when all four are, and it is
     * serializable, so a task may return it from a worker JVM or a cluster member.
     *
     * @since 0.1
     */
    final class Worker implements java.io.Serializable {
        @java.io.Serial
        private static final long serialVersionUID = 1L;
        private static final List<String> NAMES = List.of("pool", "index", "threadName", "pid");

        /** The name of the worker's pool. */
        private final String pool;
        /** The worker's index in its pool, from 1. */
        private final int index;
        /** The name of the thread that runs its tasks. */
        private final String threadName;
        /** The id of the process it runs in. */
        private final long pid;

        Worker(String pool, int index, String threadName, long pid) {
            this.pool = pool;
            this.index = index;
            this.threadName = threadName;
            this.pid = pid;
        }

        /**
         * A worker, for Weft's own pools and engines; applications get theirs from
         * {@link Pool#currentWorker()}.
         *
         * @param pool       its pool's name
         * @param index      its index in the pool, from 1
         * @param threadName the name of the thread that runs its tasks
         * @param pid        the id of the process it runs in
         * @return a worker with these four values
         */
        public static Worker of(String pool, int index, String threadName, long pid) {
            return new Worker(pool, index, threadName, pid);
        }

        /** {@return the name of the worker's pool} */
        public String pool() {
            return pool;
        }

        /** {@return the worker's index in its pool, from 1} */
        public int index() {
            return index;
        }

        /** {@return the name of the thread that runs its tasks} */
        public String threadName() {
            return threadName;
        }

        /** {@return the id of the process it runs in: a worker JVM's, for a {@link ProcessPool}} */
        public long pid() {
            return pid;
        }

        private List<Object> components() {
            return Arrays.asList(pool, index, threadName, pid);
        }

        /** Whether {@code o} is a worker with the same pool, index, thread name and pid. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Worker w && components().equals(w.components());
        }

        @Override
        public int hashCode() {
            return components().hashCode();
        }

        /** {@code Worker[pool=..., index=..., threadName=..., pid=...]}, as a record shows it. */
        @Override
        public String toString() {
            return Components.text("Worker", NAMES, components());
        }
    }

    /**
     * A pool's configuration: immutable; each {@code with} method returns a changed copy.
     *
     * @since 0.1
     */
    final class Configuration {
        static final Configuration DEFAULT = new Configuration(null, 0, null);

        private final String name;
        private final int workers;
        private final Runnable initializer;

        private Configuration(String name, int workers, Runnable initializer) {
            this.name = name;
            this.workers = workers;
            this.initializer = initializer;
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
            return new Configuration(name, workers, initializer);
        }

        /**
         * Sets the number of workers: a CPU pool's threads (default: {@link Pool#carrierCount()}),
         * or an IO pool's bound on tasks running at once (default: none). Python:
         * {@code processes} / {@code max_workers}.
         *
         * @param workers the number of workers, at least 1
         * @return a copy of this configuration with that number of workers
         * @throws IllegalArgumentException if {@code workers} is below 1 ({@link Pool#cpu} also
         *                                  refuses more than 32,767, and says why)
         */
        public Configuration withWorkers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("a pool needs at least 1 worker, but was given " + workers);
            }
            return new Configuration(name, workers, initializer);
        }

        /**
         * Runs {@code initializer} once in each worker thread, before its first task: for a CPU
         * pool once per platform worker, when the pool starts; for an IO pool in each task's
         * virtual thread, before the task. If it throws, the pool is broken: the tasks waiting for
         * a worker (and an IO task whose own initializer threw) fail with
         * {@link BrokenPoolException}, whose cause is the initializer's exception, later
         * submissions throw it, and no worker is started again. Tasks already running finish.
         * Python: {@code initializer=..., initargs=...} (capture the arguments in the lambda).
         *
         * @param initializer what to run in each worker thread before its first task
         * @return a copy of this configuration with that initializer
         */
        public Configuration withInitializer(Runnable initializer) {
            return new Configuration(name, workers, Objects.requireNonNull(initializer, "initializer"));
        }

        /** {@return the pool's name, or null for the default ({@code io-ID} or {@code cpu-ID})} */
        public String name() {
            return name;
        }

        /**
         * {@return the number of workers, or 0 for the default: {@link Pool#carrierCount()} for a
         * CPU pool, unbounded for an IO pool}
         */
        public int workers() {
            return workers;
        }

        /** {@return what runs in each worker thread before its first task, or null for nothing} */
        public Runnable initializer() {
            return initializer;
        }
    }
}
