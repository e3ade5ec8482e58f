package dev.weft;

import dev.weft.internal.threads.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every {@link Pool} shares, whatever runs its tasks: submission as {@link PoolTask}s (every
 * submitting method, {@code invokeAll} and {@code invokeAny} included), the whole
 * {@code multiprocessing.pool} vocabulary, built on {@link #enqueue} by {@link PoolMapping} and
 * {@link PoolIterator} (the map family through {@link PoolMaps}), the end of the life cycle ({@code join}, {@code close}), and the check that
 * keeps a pool's own threads from waiting for it for ever ({@link #enterOwnWait}). A subclass
 * decides how a task finds a thread and implements the rest of the life cycle:
 * {@link ThreadPoolImpl}, {@link ProcessPoolImpl}, {@link ClusterPoolImpl}.
 *
 * <p>What the pool is doing is counted in its {@link PoolBean}, registered by its factory
 * ({@link #registered}) and unregistered as it terminates ({@link #completeTermination}); its
 * tasks count themselves there and record their Flight Recorder events ({@link PoolTask}).
 */
abstract class AbstractPool extends AbstractExecutorService implements Pool {
    /** The life cycle, in order: {@link #state} only moves forward ({@link #advance}). */
    static final int RUNNING = 0, SHUTDOWN = 1, TERMINATED = 2;

    /** Guards the transitions of {@link #state}, and whatever each subclass says it guards. */
    final ReentrantLock lock = new ReentrantLock();
    /** RUNNING, SHUTDOWN or TERMINATED; written under lock, read by any thread. */
    volatile int state = RUNNING;
    /** The pool's name: the configured one, or its kind and a number. */
    final String name;
    /** The pool's kind, as its unnamed pools are named and its events and MXBean say: io, cpu, processes or cluster. */
    final String kind;
    /** What the pool is doing, for JMX: see {@link PoolBean}. */
    final PoolBean bean;
    /** The map family, which this pool's own map calls run. */
    private final PoolMaps maps = new PoolMaps(this, null);

    /**
     * Tasks between {@code markRunning} and their end: added and removed by the thread running the
     * task, swept by the thread that terminates the pool (to cancel and interrupt them).
     */
    final Set<PoolTask<?>> running = ConcurrentHashMap.newKeySet();

    /** Names the pool {@code configured}, or, if that is null, {@code kind-N} with N drawn from {@code ids}. */
    AbstractPool(String configured, String kind, AtomicLong ids) {
        this.name = name(configured, kind, ids);
        this.kind = kind;
        this.bean = new PoolBean(this, kind);
    }

    /**
     * A pool's name: the one {@code configured}, or else {@code kind-N}, N the next of {@code ids};
     * a factory that needs it before the pool exists passes the result as configured.
     */
    static String name(String configured, String kind, AtomicLong ids) {
        return configured != null ? configured : kind + "-" + ids.incrementAndGet();
    }

    /** The factory's last step, once the pool works: registers its MXBean, and returns the pool. */
    static <P extends AbstractPool> P registered(P pool) {
        pool.bean.register();
        return pool;
    }

    /**
     * Ends the life cycle, once, in the thread that finds the pool shut down with nothing left:
     * unregisters the MXBean, then completes {@link #terminated}, so that whoever sees the pool
     * terminated sees its bean gone.
     */
    final void completeTermination() {
        bean.unregister();
        terminated.complete(null);
    }

    /** The workers the pool has now, for its MXBean: see {@link PoolMXBean#getWorkers()}. Any thread. */
    abstract int liveWorkers();

    /** Whether the pool is broken: it refuses tasks because an initializer or a worker failed. Any thread. */
    abstract boolean isBroken();

    /** Runs {@code action} under {@link #lock} and returns what it returned. */
    final <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the state forward to {@code to} (never back) and, if {@code drain}, empties
     * {@code queue}, the subclass's tasks not yet handed to a worker, and returns what it held; the
     * caller ends those. Calls {@link #onTransition} under the lock. Any thread.
     */
    final <J> List<J> advance(int to, Collection<J> queue, boolean drain) {
        lock.lock();
        try {
            if (state < to) {
                state = to;
            }
            onTransition();
            if (!drain) {
                return List.of();
            }
            List<J> drained = new ArrayList<>(queue);
            queue.clear();
            return drained;
        } finally {
            lock.unlock();
        }
    }

    /** Under {@link #lock}, after every {@link #advance}: what a subclass must do on a state change (nothing by default). */
    void onTransition() {
    }

    /**
     * Hands {@code task} to a worker, or queues it, or throws: {@link java.util.concurrent.RejectedExecutionException}
     * if the pool is shut down, {@link BrokenPoolException} if it is broken.
     */
    abstract void enqueue(PoolTask<?> task);

    /**
     * Before a remote pool encodes a task, and again under {@link #lock} before it queues it:
     * throws a copy of the pool's error
     * {@code broken}, always a {@link BrokenPoolException}, with the caller's own stack trace, if it
     * is broken; or a {@link RejectedExecutionException} if it is shut down.
     */
    final void checkAccepting(RuntimeException broken) {
        if (broken != null) {
            throw ((BrokenPoolException) broken).copyForCaller();
        }
        checkOpen();
    }

    /**
     * Throws a {@link RejectedExecutionException} if the pool is shut down: what every submitting
     * method does then, even one whose input is empty, so that it submits nothing.
     */
    final void checkOpen() {
        if (state != RUNNING) {
            throw new RejectedExecutionException("pool '" + name + "' is shut down (closed): it accepts no new tasks");
        }
    }

    /** Whether the pool is being terminated: a task that has not started yet must not start. */
    final boolean isTerminating() {
        return state == TERMINATED;
    }

    @Override
    public final boolean isShutdown() {
        return state != RUNNING;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * Cancels {@code task} where it runs, if that is not a thread of this JVM, and returns true;
     * returns false (the default) to have the runner thread interrupted as usual. Called by the
     * cancelling thread.
     */
    boolean cancelRemotely(PoolTask<?> task, boolean mayInterruptIfRunning) {
        return false;
    }

    /** Whether the calling thread is one of this pool's workers (which must not wait for the pool). */
    abstract boolean isOwnWorker();

    // ---- waiting for the pool from its own threads --------------------------------------------

    /**
     * How many of this pool's own threads must all wait for the pool before none is left to run
     * its tasks, if the calling thread is one of them; 0 if it is not, or if the pool has no such
     * bound (an unbounded IO pool starts a thread per task). The default, for the pools whose
     * tasks run in other JVMs, is 1 when the caller is the thread that completes the futures and
     * runs the callbacks (a reader): while it waits, no result it would read can complete.
     */
    int ownThreadsThatServe() {
        return isOwnWorker() ? 1 : 0;
    }

    /**
     * Whether this pool's own threads run its tasks (a CPU or IO pool), rather than only complete
     * futures and run callbacks for tasks that run in other JVMs: what the messages call them.
     */
    boolean runsTasksInItsThreads() {
        return false;
    }

    /** What the calling thread, one of this pool's own, is to the pool: for the messages that refuse its waits. */
    private String ownThread() {
        return runsTasksInItsThreads() ? "a worker of pool '" + name() + "'"
                : "a thread of pool '" + name() + "' that completes its futures and runs their callbacks";
    }

    /**
     * The futures that this pool's own threads wait for, without a timeout, by waiting thread. A
     * waiting thread puts its entry before it counts itself in {@link #ownWaiting}, and uncounts
     * itself before it removes it, so every counted thread has its entry here.
     */
    private final Map<Thread, Future<?>> ownWaits = new ConcurrentHashMap<>();
    /** How many of this pool's own threads wait for it without a timeout; any own thread, atomically. */
    private final AtomicInteger ownWaiting = new AtomicInteger();

    /**
     * Called by a thread about to wait, without a timeout, for {@code awaited}, a future of this
     * pool. If the thread is one of the pool's own and its wait would make every thread that could
     * serve the pool wait for the pool while each of those waits still lacks its result, none of
     * them could ever end: this throws {@link IllegalStateException} (Python's executors deadlock
     * here, as Java's do). Returns whether the caller must call {@link #exitOwnWait()} afterwards.
     */
    final boolean enterOwnWait(Future<?> awaited) {
        int serving = ownThreadsThatServe();
        if (serving <= 0) {
            return false;
        }
        ownWaits.put(Thread.currentThread(), awaited);
        if (ownWaiting.incrementAndGet() >= serving && ownWaits.values().stream().noneMatch(Future::isDone)) {
            exitOwnWait();
            if (!runsTasksInItsThreads()) {
                throw new IllegalStateException(Thread.currentThread().getName() + " would wait for a task of pool '"
                        + name() + "', but it is the thread that completes this pool's futures and runs their "
                        + "callbacks, so the task's outcome could never reach it: the wait would never end. Run the "
                        + "code that waits elsewhere (a callback with TaskFuture.onDone(callback, executor)), or chain "
                        + "instead of waiting (applyAsync with a callback)");
            }
            throw new IllegalStateException(Thread.currentThread().getName() + " would wait for a task of pool '"
                    + name() + "', but it is " + (serving == 1 ? "the thread that runs this pool's tasks"
                    : "the last of the " + serving + " threads that run this pool's tasks that is not already "
                    + "waiting for the pool") + ", so nothing could ever run that task: the wait would never end. "
                    + "Run the code that waits elsewhere (a callback with TaskFuture.onDone(callback, executor)), "
                    + "chain instead of waiting (applyAsync with a callback), give the inner work another pool, "
                    + "or give this pool more workers");
        }
        return true;
    }

    /** Ends a wait that {@link #enterOwnWait} counted; called by the thread that waited. */
    final void exitOwnWait() {
        ownWaiting.decrementAndGet();
        ownWaits.remove(Thread.currentThread());
    }

    /**
     * Called by a thread about to wait for {@code future} without a timeout, before it parks: a
     * pool may complete the future in that thread. The default does nothing.
     */
    void helpWait(OwnFuture<?> future) {
    }

    /**
     * A future of one pool ({@link PoolTask}, the future behind an {@link AsyncResult}): a thread of
     * that pool that waits for it without a timeout goes through {@link #enterOwnWait}.
     */
    abstract static class OwnFuture<T> extends TaskFuture<T> {
        final AbstractPool pool;

        OwnFuture(AbstractPool pool) {
            this.pool = pool;
        }

        @Override
        final boolean enterUntimedWait() {
            return pool.enterOwnWait(this);
        }

        @Override
        final void exitUntimedWait() {
            pool.exitOwnWait();
        }

        @Override
        final void helpBeforeWait() {
            pool.helpWait(this);
        }
    }

    /**
     * Completed once, by the thread that finds the pool shut down with no worker left; after it,
     * {@link #lastExiting} is the last thread of the pool to end.
     */
    final SettableFuture<Void> terminated = SettableFuture.create();

    /**
     * The last of the pool's threads to exit so far. So that {@code join} can promise that no
     * thread of the pool is alive, exiting threads form a chain: each one swaps itself in here
     * and joins the thread it replaced ({@link #chainExit}) before its last act, so the thread
     * whose last act completes {@code terminated} has joined all the others, and {@code join}
     * waits for {@code terminated} and then joins that one thread.
     */
    private final AtomicReference<Thread> lastExiting = new AtomicReference<>();

    /** Called by each exiting thread of the pool before its last act; see {@link #lastExiting}. */
    final void chainExit() {
        Thread previous = lastExiting.getAndSet(Thread.currentThread());
        if (previous != null) {
            Threads.joinUninterruptibly(previous);
        }
    }

    // ---- waiting for the end: the same for every kind ------------------------------------------

    @Override
    public void join() throws InterruptedException {
        if (!isShutdown()) {
            throw new IllegalStateException("join() on pool '" + name()
                    + "' before shutdown() or terminate(): it would wait for ever (Python raises ValueError)");
        }
        awaitTerminated();
    }

    /** ExecutorService's close, which also joins the last thread, and refuses to wait for itself. */
    @Override
    public void close() {
        if (isOwnWorker()) {        // as shutdown(true, ...) from a worker: shut down, but do not wait
            shutdown();
            throw new IllegalStateException("close() from " + ownThread() + " would wait for itself; the pool is "
                    + "shut down all the same: close or join it from a thread outside the pool to wait for its end");
        }
        shutdown();
        boolean interrupted = false;
        for (;;) {
            try {
                awaitTerminated();
                break;
            } catch (InterruptedException e) {
                if (!interrupted) {
                    terminate();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkNotOwnWorker(String what) {
        if (isOwnWorker()) {
            throw new IllegalStateException(what + " from " + ownThread() + " would wait for itself");
        }
    }

    final void awaitTerminated() throws InterruptedException {
        checkNotOwnWorker("waiting for termination");
        try {
            terminated.get();
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
        joinLast();
    }

    private void joinLast() throws InterruptedException {
        Thread last = lastExiting.get();
        if (last != null && last != Thread.currentThread()) {
            last.join();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            terminated.get(timeout, unit);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
        joinLast();
        return true;
    }

    /** Python's terminate is ExecutorService's shutdownNow, without the list. */
    @Override
    public void terminate() {
        shutdownNow();
    }

    @Override
    public boolean isTerminated() {
        return terminated.isDone();
    }

    // ---- submission -------------------------------------------------------------------------

    @Override
    public <T> TaskFuture<T> submit(Callable<T> task) {
        PoolTask<T> t = new PoolTask<>(this, Objects.requireNonNull(task, "task"), false);
        enqueue(t);
        return t;
    }

    @Override
    public TaskFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public <T> TaskFuture<T> submit(Runnable task, T result) {
        return submit(new PoolMapping.RunnableCall<>(Objects.requireNonNull(task, "task"), result));
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        enqueue(new PoolTask<>(this, new PoolMapping.RunnableCall<>(command, null), true));
    }

    /**
     * Submits every task and waits for all; a null task is a {@link NullPointerException} at the
     * call, before anything is submitted. See {@link PoolInvocations}.
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return PoolInvocations.invokeAll(this, tasks);
    }

    /** As {@link #invokeAll(Collection)}; the tasks not done when the timeout passes are cancelled. */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return PoolInvocations.invokeAll(this, tasks, timeout, unit);
    }

    /** Runs every task and returns the result of one that succeeded; the others are cancelled. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return PoolInvocations.invokeAny(this, tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return PoolInvocations.invokeAny(this, tasks, timeout, unit);
    }

    // ---- the multiprocessing.pool vocabulary: see PoolMapping -------------------------------

    @Override
    public <A, R> R apply(Function<? super A, ? extends R> fn, A arg) throws InterruptedException {
        return PoolMapping.get(applyAsync(fn, arg));
    }

    @Override
    public <R> R apply(Callable<? extends R> task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        return PoolMapping.get(PoolMapping.applyAsync(this, task, null, null));
    }

    @Override
    public <A, R> AsyncResult<R> applyAsync(Function<? super A, ? extends R> fn, A arg) {
        Objects.requireNonNull(fn, "fn");
        return PoolMapping.applyAsync(this, new PoolMapping.Application<>(fn, arg), null, null);
    }

    @Override
    public <A, R> AsyncResult<R> applyAsync(Function<? super A, ? extends R> fn, A arg,
                                            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "fn");
        return PoolMapping.applyAsync(this, new PoolMapping.Application<>(fn, arg),
                Objects.requireNonNull(callback, "callback"), Objects.requireNonNull(errorCallback, "errorCallback"));
    }

    // The map family: see PoolMaps.

    @Override
    public Mapper withProgress(Duration interval, Progress.Listener listener) {
        return new PoolMaps(this, MapProgress.settings(interval, listener));
    }

    @Override
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items)
            throws InterruptedException {
        return maps.map(fn, items);
    }

    @Override
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize)
            throws InterruptedException {
        return maps.map(fn, items, chunksize);
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return maps.mapAsync(fn, items);
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(Function<? super A, ? extends R> fn, Iterable<? extends A> items,
                                                int chunksize, Consumer<? super List<R>> callback,
                                                Consumer<? super Throwable> errorCallback) {
        return maps.mapAsync(fn, items, chunksize, callback, errorCallback);
    }

    @Override
    public <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize) {
        return maps.imap(fn, items, chunksize);
    }

    @Override
    public <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize,
                                         Duration timeout) {
        return maps.imap(fn, items, chunksize, timeout);
    }

    @Override
    public <A, R> ResultIterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int chunksize,
                                         Duration timeout, int buffersize) {
        return maps.imap(fn, items, chunksize, timeout, buffersize);
    }

    @Override
    public <A, R> ResultIterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items,
                                                  int chunksize) {
        return maps.imapUnordered(fn, items, chunksize);
    }

    @Override
    public <A, B, R> List<R> starmap(BiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException {
        return maps.starmap(fn, pairs);
    }

    @Override
    public <A, B, R> List<R> starmap(BiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize)
            throws InterruptedException {
        return maps.starmap(fn, pairs, chunksize);
    }

    @Override
    public <A, B, R> AsyncResult<List<R>> starmapAsync(BiFunction<? super A, ? super B, ? extends R> fn,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
                                                       int chunksize, Consumer<? super List<R>> callback,
                                                       Consumer<? super Throwable> errorCallback) {
        return maps.starmapAsync(fn, pairs, chunksize, callback, errorCallback);
    }
}
