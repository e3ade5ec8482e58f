package dev.weft;

import dev.weft.internal.threads.ExitKeeper;
import dev.weft.internal.threads.Threads;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.function.BiFunction;

/**
 * The thread pool behind {@link Pool#io} and {@link Pool#cpu}: how tasks find threads, and the
 * life cycle. Submission and the map family live in {@link AbstractPool}.
 *
 * <h2>Strategy</h2>
 * The two kinds differ only in how a submitted task finds a thread ({@link #enqueue}):
 * <ul>
 * <li>CPU: {@code workers} platform threads, started at construction, take tasks from
 *     {@code queue} until the pool is shut down and the queue is empty, or terminated, or broken.
 *     A worker clears its interrupt status before each task.</li>
 * <li>IO: a new virtual thread per task. With a bound, {@code active} counts the threads holding
 *     a slot; a task that finds none free waits in {@code queue}, and a finishing thread hands its
 *     slot to the next queued task by starting its thread ({@link #passSlot}). Virtual threads do
 *     not keep the JVM alive, so an IO pool tells the {@link ExitKeeper} when its {@code live}
 *     leaves 0 and when it comes back, under {@code lock}: the JVM then waits at exit for the
 *     tasks an IO pool holds, as Python's does for a {@code ThreadPoolExecutor}'s.</li>
 * </ul>
 *
 * <h2>Life cycle and termination</h2>
 * {@code state} goes RUNNING → SHUTDOWN → TERMINATED (or straight to TERMINATED) under
 * {@code lock}, and submission checks it under the same lock, so no task slips in after
 * shutdown. {@code live} counts threads started and not yet exited; it is incremented before a
 * thread starts and only while the pool accepts work or by a live thread (an IO thread starting
 * the next queued task), so it can reach 0 after shutdown only when nothing is left to run. The
 * thread that brings it to 0 after shutdown, or {@code shutdown} itself if it is already 0,
 * completes {@code terminated}.
 *
 * <p>So that {@code join} can promise that no worker thread is alive, exiting threads form a
 * chain: each one swaps itself into {@code lastExiting} and joins the thread it replaced before
 * it decrements {@code live}. Decrements therefore happen in swap order, the thread that brings
 * {@code live} to 0 is the last one in {@code lastExiting} and has joined all the others, and
 * {@code join} waits for {@code terminated} and then joins that one thread.
 */
final class ThreadPoolImpl extends AbstractPool {
    /** The pool and worker identity of a worker thread; set by the worker itself. */
    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    /**
     * The most worker threads a CPU pool may have: the bound of ForkJoinPool's parallelism, and
     * about what an operating system allows a whole machine by default (Linux's pid_max is 32768).
     */
    static final int MAX_CPU_WORKERS = 0x7fff;

    private final String threadPrefix;
    private final boolean cpu;
    /** CPU: the thread count; IO: the bound on running tasks, 0 for none. */
    private final int workers;
    private final Runnable initializer;

    // The lock (AbstractPool's) guards queue, active, live and threadSeq.
    /** CPU workers wait here for a task; signalled by enqueue and by every state change (transition). */
    private final Condition available = lock.newCondition();
    /** Tasks waiting for a worker (CPU) or a slot (bounded IO). Submitters add, workers take, terminate drains; under lock. */
    private final ArrayDeque<PoolTask<?>> queue = new ArrayDeque<>();
    /** IO: threads holding a slot (counted when unbounded too). Under lock. */
    private int active;
    /** Threads started and not yet exited. Under lock. */
    private int live;
    /** The number of the last thread named. Under lock. */
    private int threadSeq;
    /** Set once, under lock, by the worker whose initializer threw; read by any thread. */
    private volatile Throwable initFailure;

    private ThreadPoolImpl(boolean cpu, Pool.Configuration config) {
        super(config.name(), cpu ? "cpu" : "io", IDS);
        this.cpu = cpu;
        String kind = cpu ? "cpu" : "io";
        this.threadPrefix = "weft-" + kind + "-" + (config.name() != null ? config.name() + "-" : "");
        this.workers = cpu && config.workers() == 0 ? carrierCount() : config.workers();
        this.initializer = config.initializer();
    }

    static Pool io(Pool.Configuration config) {
        PoolBean.checkSetting();
        return registered(new ThreadPoolImpl(false, config));
    }

    static Pool cpu(Pool.Configuration config) {
        // Non-daemon, as Pool promises: left unset, the status would be the opener's, and a
        // virtual thread (a scope's subtask) or any daemon thread would make daemon workers.
        return cpu(config, (name, body) -> Thread.ofPlatform().name(name).daemon(false).unstarted(body));
    }

    /**
     * A CPU pool whose worker threads {@code newThread} makes, unstarted, from a name and a body:
     * the seam through which tests make a start fail. All or nothing: if a thread cannot be made or
     * started (the JVM is out of native threads), the pool stops, every thread it started has ended
     * before this throws, and what the start threw is thrown as it is.
     */
    static Pool cpu(Pool.Configuration config, BiFunction<String, Runnable, Thread> newThread) {
        PoolBean.checkSetting();
        int workers = config.workers() == 0 ? carrierCount() : config.workers();
        if (workers > MAX_CPU_WORKERS) {
            throw new IllegalArgumentException("a CPU pool of " + workers + " workers would start " + workers
                    + " platform threads; at most " + MAX_CPU_WORKERS + " are allowed: each is an operating-system "
                    + "thread with a stack of its own, Linux's default pid_max (32768) caps the threads of the whole "
                    + "machine, and the JDK caps a ForkJoinPool's parallelism at the same " + MAX_CPU_WORKERS
                    + ". For work that waits, use Pool.io(), a virtual thread per task; for work that computes, "
                    + "Pool.carrierCount() threads (" + carrierCount() + " here) keep every core busy");
        }
        ThreadPoolImpl pool = new ThreadPoolImpl(true, config);
        List<Thread> threads = new ArrayList<>(workers);
        try {
            pool.lock.lock();
            try {
                for (int i = 0; i < pool.workers; i++) {
                    Worker worker = pool.nextWorker();
                    threads.add(Objects.requireNonNull(newThread.apply(worker.threadName(), () -> pool.runCpu(worker)),
                            "a worker thread"));
                    pool.live++;
                }
            } finally {
                pool.lock.unlock();
            }
        } catch (RuntimeException | Error e) {
            pool.abortStart(List.of(), threads.size());
            throw e;
        }
        for (int started = 0; started < threads.size(); started++) {
            try {
                threads.get(started).start();
            } catch (RuntimeException | Error e) {
                pool.abortStart(threads.subList(0, started), threads.size() - started);
                throw e;
            }
        }
        return registered(pool);
    }

    /**
     * Undoes a CPU pool's start that failed: uncounts the {@code unstarted} threads, terminates the
     * pool (its queue is empty: nobody has had it yet), interrupts the {@code started} ones, which
     * may still run the initializer, so that they exit, and joins them.
     */
    private void abortStart(List<Thread> started, int unstarted) {
        lock.lock();
        try {
            live -= unstarted;
        } finally {
            lock.unlock();
        }
        transition(TERMINATED, true, null);
        started.forEach(Thread::interrupt);
        checkTerminated();
        started.forEach(Threads::joinUninterruptibly);
    }

    static int carrierCount() {
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (parallelism != null) {
            try {
                int n = Integer.parseInt(parallelism.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // the JDK ignores it too
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    static Optional<Worker> currentWorker() {
        Current current = CURRENT.get();
        return current == null ? Optional.empty() : Optional.of(current.worker);
    }

    private record Current(ThreadPoolImpl pool, Worker worker) {
    }

    /** Under lock: the next worker identity. */
    private Worker nextWorker() {
        int index = ++threadSeq;
        return new Worker(name, index, threadPrefix + index, PID);
    }

    @Override
    void enqueue(PoolTask<?> task) {
        Thread thread = null;
        lock.lock();
        try {
            if (initFailure != null) {
                throw broken();
            }
            if (state != RUNNING) {
                throw new RejectedExecutionException("pool '" + name + "' is shut down (closed): it accepts no new tasks");
            }
            task.queued();
            if (cpu) {
                queue.add(task);
                available.signal();
            } else if (workers == 0 || active < workers) {
                active++;
                thread = newIoThread(task);
            } else {
                queue.add(task);
            }
        } finally {
            lock.unlock();
        }
        if (thread != null && !tryStart(thread, task)) {
            passSlot();
        }
    }

    /**
     * Under lock: a new, unstarted virtual thread for {@code task}, counted as live; the first of
     * a stretch tells the ExitKeeper, which keeps the JVM alive until the stretch ends.
     */
    private Thread newIoThread(PoolTask<?> task) {
        Worker worker = nextWorker();
        if (live++ == 0) {
            ExitKeeper.busy();
        }
        return Thread.ofVirtual().name(worker.threadName()).unstarted(() -> runIo(worker, task));
    }

    /** Starts {@code thread}; if it cannot start, uncounts it and fails {@code task} with the reason. */
    private boolean tryStart(Thread thread, PoolTask<?> task) {
        try {
            thread.start();
            return true;
        } catch (Throwable e) {
            lock.lock();
            try {
                uncountLocked();
            } finally {
                lock.unlock();
            }
            task.completeExceptionally(e);
            checkTerminated();
            return false;
        }
    }

    /** Bounded or unbounded IO, after a task: gives the slot to the next queued task, or frees it. */
    private void passSlot() {
        for (;;) {
            PoolTask<?> next;
            Thread thread;
            lock.lock();
            try {
                next = queue.poll();
                if (next == null) {
                    active--;
                    return;
                }
                thread = newIoThread(next);
            } finally {
                lock.unlock();
            }
            if (tryStart(thread, next)) {
                return;
            }
        }
    }

    // ---- workers ----------------------------------------------------------------------------

    private void runIo(Worker worker, PoolTask<?> task) {
        CURRENT.set(new Current(this, worker));
        try {
            if (initialize()) {
                task.run();
            } else {
                task.completeExceptionally(broken());
            }
            passSlot();
        } finally {
            CURRENT.remove();
            exit();
        }
    }

    private void runCpu(Worker worker) {
        CURRENT.set(new Current(this, worker));
        try {
            if (!initialize()) {
                return;
            }
            for (PoolTask<?> task; (task = take()) != null; ) {
                Thread.interrupted();   // a cancel(true) of the previous task must not leak into this one
                task.run();
            }
        } finally {
            exit();
        }
    }

    /** CPU: the next task, or null when the worker should exit. */
    private PoolTask<?> take() {
        lock.lock();
        try {
            for (;;) {
                PoolTask<?> task = queue.poll();
                if (task != null) {
                    return task;
                }
                if (state != RUNNING || initFailure != null) {
                    return null;
                }
                available.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs the initializer in this worker thread; false if the pool is (now) broken. */
    private boolean initialize() {
        if (initializer == null) {
            return true;
        }
        if (initFailure != null) {
            return false;
        }
        try {
            initializer.run();
            return true;
        } catch (Throwable e) {
            for (PoolTask<?> task : transition(RUNNING, true, e)) {
                task.completeExceptionally(broken());
            }
            return false;
        }
    }

    private BrokenPoolException broken() {
        return new BrokenPoolException("pool '" + name + "' is broken: a worker's initializer threw "
                + initFailure, initFailure);
    }

    /** The last act of every worker thread: joins the previous exiting thread, then uncounts itself. */
    private void exit() {
        chainExit();
        lock.lock();
        try {
            uncountLocked();
        } finally {
            lock.unlock();
        }
        checkTerminated();
    }

    /** Under lock: one thread fewer; for IO, the last one of a stretch tells the ExitKeeper. */
    private void uncountLocked() {
        if (--live == 0 && !cpu) {
            ExitKeeper.idle();
        }
    }

    private void checkTerminated() {
        boolean done;
        lock.lock();
        try {
            done = live == 0 && state != RUNNING;
        } finally {
            lock.unlock();
        }
        if (done) {
            completeTermination();
        }
    }

    /**
     * Moves the state forward to {@code to}, records the first initializer {@code failure} if
     * given, and, if {@code drain}, empties the queue and returns what it held (see {@link #advance}).
     */
    private List<PoolTask<?>> transition(int to, boolean drain, Throwable failure) {
        return locked(() -> {
            if (failure != null && initFailure == null) {
                initFailure = failure;
            }
            return advance(to, queue, drain);
        });
    }

    /** Wakes the idle CPU workers, so that they re-check the state. */
    @Override
    void onTransition() {
        available.signalAll();
    }


    // ---- life cycle -------------------------------------------------------------------------

    @Override
    public void shutdown() {
        transition(SHUTDOWN, false, null);
        checkTerminated();
    }

    @Override
    public void shutdown(boolean wait, boolean cancelFutures) throws InterruptedException {
        transition(SHUTDOWN, cancelFutures, null).forEach(task -> task.cancel(false));
        checkTerminated();
        if (wait) {
            awaitTerminated();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<PoolTask<?>> pending = transition(TERMINATED, true, null);
        pending.forEach(task -> task.cancel(false));
        for (PoolTask<?> task : running) {
            task.cancel(true);
        }
        checkTerminated();
        return List.copyOf(pending);
    }

    @Override
    boolean isOwnWorker() {
        Current me = CURRENT.get();
        return me != null && me.pool == this;
    }

    /** A worker (or a bounded IO task's thread, which holds a slot) is one of {@code workers}; unbounded IO has no bound. */
    @Override
    int ownThreadsThatServe() {
        return workers != 0 && isOwnWorker() ? workers : 0;
    }

    @Override
    boolean runsTasksInItsThreads() {
        return true;
    }



    @Override
    public int workers() {
        return workers;
    }

    /** CPU: its live worker threads; IO: its live task threads. */
    @Override
    int liveWorkers() {
        return locked(() -> live);
    }

    @Override
    boolean isBroken() {
        return initFailure != null;
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", " + (cpu ? "cpu" : "io") + ", workers=" + workers + ", "
                + (isTerminated() ? "terminated" : state == RUNNING ? "running" : "shut down") + "]";
    }

}
