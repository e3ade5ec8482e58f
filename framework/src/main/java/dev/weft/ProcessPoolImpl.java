package dev.weft;

import dev.weft.internal.jfr.Jfr;
import dev.weft.internal.jfr.WorkerEvents;
import dev.weft.internal.process.ReadTurn;
import dev.weft.internal.process.WorkerCommand;
import dev.weft.internal.process.WorkerExit;
import dev.weft.internal.process.WorkerFaults;
import dev.weft.internal.process.WorkerProcess;
import dev.weft.internal.remote.RemoteDispatcher;
import dev.weft.internal.wire.AllowList;
import dev.weft.internal.wire.Channel;
import dev.weft.internal.wire.ClassSource;
import dev.weft.internal.wire.SharedFunctions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * The pool behind {@link Pool#processes}: worker JVMs ({@link WorkerProcess}) fed over their channels.
 *
 * <h2>Dispatch</h2>
 * A submitted task is serialized at once, in the submitting thread (so what cannot be serialized
 * fails at the call), and becomes a {@link ProcessJob} in the {@link RemoteDispatcher}'s queue.
 * {@link #schedule} places pending jobs on the workers' lanes ({@link WorkerLane}: open until the
 * worker retires or stops; its window fixed, or adapted to how long its tasks take), starts
 * workers where the pool has fewer than it may, and picks the workers to stop (retired ones, and
 * every idle one once the pool is shut down and nothing is pending). It runs under {@code lock}
 * and only decides; the writes happen after, outside the lock ({@link #act}), because a write can
 * block on a full socket buffer while the reader that would drain the other direction needs the
 * lock. A job is marked running just before it is written; a cancellation that comes first stops
 * the write (see {@link WorkerProcess#send}). Every answer from a worker (result, error, or its
 * death) frees its jobs' places and schedules again. Jobs sent ahead to a worker whose task runs
 * long, or that is still starting, are taken back for an idle worker ({@link #recall}); a virtual
 * thread, {@code recallWatch}, lives while such a recall is in view, to schedule again when it is
 * due. It also schedules the next launch after one that failed for want of a resource the machine
 * gives back ({@link #launchFailed}); while that launch is in view, a shut-down pool with no live
 * worker is not finished ({@link #finished}).
 *
 * <h2>Deaths and faults</h2>
 * A worker's reader reports its exit ({@link #onExit}), which {@link WorkerExit} reads: killed from
 * outside (a signal such as SIGKILL), could not start (it ended by its own doing before READY), or
 * died after READY. The jobs it held fail with an exception that names it, except when it ended
 * before READY with its channel intact: then it started none of them (READY is flushed before the
 * first task runs, and the reader reads every frame before the end of the stream), so they go
 * back to the head of the queue, for its replacement. With {@link ProcessPool.AfterDeath#REPLACE},
 * kills never break the pool; only faults that repeat do.
 *
 * <h2>Life cycle</h2>
 * {@code state} goes RUNNING → SHUTDOWN → TERMINATED (or straight to TERMINATED) under {@code lock}.
 * The pool breaks once, under {@code lock} ({@link #breakLocked}), when a worker's initializer
 * throws (its SETUP_FAILED frame), when a worker cannot even be launched, or when
 * {@link WorkerFaults} says a death breaks the pool. From then on no worker starts; it fails the
 * pending jobs with the pool's error, kills the workers (their jobs fail naming them, with the
 * pool's cause) and rejects later submissions at once. A worker is in {@code live} from its start
 * until its reader reports its exit; the reader whose report leaves {@code live} empty while the
 * pool is shut down completes {@link #terminated}, and readers chain their exits
 * ({@link #chainExit}), so that {@code join} can promise that no worker process and no helper
 * thread is left.
 */
final class ProcessPoolImpl extends AbstractPool implements ProcessPool {
    private static final AtomicLong POOL_IDS = new AtomicLong();
    private static final AtomicLong JOB_IDS = new AtomicLong();
    /**
     * Launches of one worker in a row that kills from outside may take before the pool gives up and
     * breaks: kills never break a pool, but a launch that every attempt loses to a signal is a
     * machine that cannot start JVMs.
     */
    private static final int LAUNCH_ATTEMPTS = 10;
    /**
     * How long launches may go on failing for want of a resource the machine may give back
     * ({@link WorkerExit#launchMayPass}: no descriptor or process left, no memory) before a pool
     * that has no live worker breaks. The next launch waits {@link #RELAUNCH_FIRST_NANOS}, twice as
     * long each time after, up to {@link #RELAUNCH_LAST_NANOS}.
     */
    private static final long LAUNCH_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long RELAUNCH_FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long RELAUNCH_LAST_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How much work, in time, the adaptive window keeps sent ahead to each worker. */
    private static final double PIPELINE_NANOS = 200_000;
    /**
     * How long a worker holding tasks sent ahead may go without an answer, while another worker
     * is idle and nothing is pending, before the pool takes those tasks back: see {@link #recall}.
     */
    static final long RECALL_AFTER_NANOS = 5_000_000;

    /**
     * A worker as the pool dispatches to it, and the listener of its {@link WorkerProcess}. Its
     * fields are under the pool's lock; {@code process} is set there once the worker is launched.
     */
    private final class WorkerLane extends RemoteDispatcher.Lane<ProcessJob> implements WorkerProcess.Listener {
        WorkerProcess process;
        /** Tasks placed on it so far, for maxTasksPerChild. */
        int sent;
        /** Whether the worker sent READY (its initializer ran). */
        boolean ready;
        /** Whether it takes no more tasks: it reached maxTasksPerChild. */
        boolean retiring;
        /** Whether STOP was sent (or is about to be): its exit is expected. */
        boolean stopping;
        /**
         * Whether the pool took back the tasks it held ({@link #recall}): it runs one that is long
         * or stalled, or is still starting, and takes no more until it answers, or is ready and
         * holds nothing ({@link #settle}).
         */
        boolean recalling;
        /** The recent time per task as the pool sees it, for the adaptive window; MAX_VALUE before the first answer. */
        double nanosPerTask = Double.MAX_VALUE;
        /** When its last answer came. */
        long lastAnswerNanos;
        /** The Flight Recorder token of its start ({@link WorkerEvents}), or null. */
        Object flight;
        /**
         * The workers this lane's reader wrote jobs to and has not flushed, because more of this
         * worker's answers were already in its buffer: it flushes them once it has read those (see
         * {@link #onFrame(WorkerLane, WorkerProcess, Channel.Frame)}). Its reader's thread only.
         */
        final List<WorkerProcess> unflushed = new ArrayList<>(2);

        @Override
        protected boolean open() {
            return !retiring && !stopping && !recalling;
        }

        /** Opens the lane again after a recall, once it is ready and every task it held came back. */
        void settle() {
            if (recalling && ready && held.isEmpty()) {
                recalling = false;
            }
        }

        /**
         * When the worker began the task it runs, as far as the pool can tell: its last answer, or
         * the first placement since, if it held nothing then.
         */
        long busySince() {
            long first = Long.MAX_VALUE;
            for (ProcessJob job : held.values()) {
                first = Math.min(first, job.placedNanos);
            }
            return Math.max(lastAnswerNanos, first);
        }

        /**
         * How many jobs the worker may hold. Fixed if configured; otherwise enough to cover
         * {@link #PIPELINE_NANOS} of its recent time per task, between 2 and 64.
         */
        @Override
        protected int window() {
            if (config.tasksInFlight() > 0) {
                return config.tasksInFlight();
            }
            return (int) Math.max(2, Math.min(64, Math.ceil(PIPELINE_NANOS / nanosPerTask)));
        }

        @Override
        protected void placed(ProcessJob job) {
            if (++sent == config.maxTasksPerChild()) {
                retiring = true;
            }
        }

        /**
         * A job placed on it came back unstarted, taken back for an idle worker ({@link #recall}):
         * it no longer counts toward maxTasksPerChild, so a worker retiring with it takes tasks
         * again, as Python's, which counts the tasks a worker ran.
         */
        void unplaced() {
            if (--sent < config.maxTasksPerChild() && !stopping) {
                retiring = false;
            }
        }

        /** The time per task of this worker, answering {@code job}, as an average of recent tasks. */
        void observe(ProcessJob job, long now) {
            // Busy since its last answer: the gap is one task's time. Else the job's whole trip (an overestimate).
            long sample = held.size() > 1 ? now - lastAnswerNanos : now - job.placedNanos;
            nanosPerTask = nanosPerTask == Double.MAX_VALUE ? sample : 0.75 * nanosPerTask + 0.25 * sample;
            lastAnswerNanos = now;
        }

        @Override
        public void readerStarted() {
            READER.set(ProcessPoolImpl.this);
        }

        @Override
        public void onFrame(WorkerProcess worker, Channel.Frame frame) {
            ProcessPoolImpl.this.onFrame(this, worker, frame);
        }

        @Override
        public void onExit(WorkerProcess worker, int exitCode, List<String> stderrTail, Throwable channelError) {
            ProcessPoolImpl.this.onExit(this, worker, exitCode, stderrTail, channelError);
        }
    }

    /**
     * A job to write to the worker {@link #schedule} placed it on. The lane is kept apart from
     * {@link ProcessJob#lane}: should that worker die before it was ready, its reader may queue the
     * job again and another schedule place it on the next worker before this write happens; the
     * write then goes to the dead worker, where it is lost harmlessly, and never twice to the next.
     */
    private record Send(ProcessJob job, WorkerLane lane) {
    }

    /**
     * What {@link #schedule} decided, for {@link #act} to carry out outside the lock: jobs to send,
     * workers to stop, and, when the pool has just broken, jobs to fail with {@code broken} and
     * workers to kill.
     */
    private record Actions(List<Send> send, List<Send> recall, List<WorkerLane> stop, List<ProcessJob> fail,
                           List<WorkerLane> kill, RuntimeException broken) {
        static final Actions NONE = new Actions(List.of(), List.of(), List.of(), List.of(), List.of(), null);

        boolean isEmpty() {
            return send.isEmpty() && recall.isEmpty() && stop.isEmpty() && fail.isEmpty() && kill.isEmpty();
        }
    }

    /**
     * Set in each reader thread and in the recall watch, so that a callback cannot wait for the pool
     * whose thread runs it.
     */
    private static final ThreadLocal<ProcessPoolImpl> READER = new ThreadLocal<>();

    private final ProcessPool.Configuration config;
    /** Worker threads are named this and their index: weft-process-N, or weft-process-NAME-N for a named pool. */
    private final String threadPrefix;
    private final int workers;
    private final String filterPattern;
    private final AllowList.Filter filter;
    private final WorkerCommand command;
    /** The workers {@link #create} spawned, in order, until {@link #startWorker} starts them; under lock. */
    private final ArrayDeque<WorkerProcess.Spawned> spawned;
    private final byte[] setup;
    /** How long a worker's reader offers its turn after an answer that came alone: the idle spin, on more than one core. */
    private final long answerSpinNanos;
    /** See {@link #answersReadByWaiters()}. */
    private final AtomicLong answersReadByWaiters = new AtomicLong();
    /** The application classes this pool serialized, and where their bytes are: see {@link ClassSource}. */
    private final ClassSource classes = new ClassSource();
    private final SharedFunctions functions = new SharedFunctions(classes::written);

    // The lock (AbstractPool's) guards the dispatcher, live, started, the lanes, brokenReason, failing and killing.
    private final RemoteDispatcher<ProcessJob> dispatcher;
    /** Workers started and not yet reported gone. Under lock. */
    private final List<WorkerLane> live = new ArrayList<>();
    /** The index of the last worker started. Under lock. */
    private int started;
    /** Which deaths break the pool; its count of workers that could not start is under lock. */
    private final WorkerFaults faults;
    /** The pool's error's message without "pool 'NAME' is broken: "; set when it breaks. Under lock. */
    private String brokenReason;
    /** When the pool breaks: the jobs to fail and the workers to kill, for the next {@link #act}. Under lock. */
    private final List<ProcessJob> failing = new ArrayList<>();
    private final List<WorkerLane> killing = new ArrayList<>();
    /** Wakes {@code recallWatch}: a recall is due sooner, or no longer in view. */
    private final Condition recallWake = lock.newCondition();
    /** The virtual thread that waits for the next recall, while one is in view; else null. Under lock. */
    private Thread recallWatch;
    /** Whether a recall is in view, and when it is due. Under lock. */
    private boolean recallInView;
    private long recallDue;
    /**
     * Whether a recall is in view or under way (tasks taken back not yet answered): a shut-down
     * pool keeps its idle workers for them. Under lock.
     */
    private boolean recallsAhead;
    /**
     * The last launch's failure, while launches fail for want of a resource the machine may give
     * back ({@link #startWorker}); null once one succeeds. Then: when the first of them failed,
     * how many have, and when the next may be tried, which {@code recallWatch} schedules. Under lock.
     */
    private IOException launchFailure;
    private long launchFailingSince;
    private int launchFailures;
    private long relaunchAt;
    /**
     * Set by {@code shutdown(wait, true)}: a task taken back from a worker ({@link #recall}) and
     * answered CANCELLED from then on is cancelled, as the tasks that never left the pool are.
     */
    private volatile boolean cancellingFutures;

    private ProcessPoolImpl(ProcessPool.Configuration config, WorkerCommand command, String name,
                            String threadPrefix, String filterPattern, List<WorkerProcess.Spawned> spawned) {
        super(name, "processes", POOL_IDS);
        this.config = config;
        this.threadPrefix = threadPrefix;
        this.workers = workers(config);
        this.filterPattern = filterPattern;
        this.filter = ProcessPool.Configuration.filter(filterPattern);
        this.command = command;
        this.spawned = new ArrayDeque<>(spawned);
        this.dispatcher = new RemoteDispatcher<>(false);       // ties to the first worker: see RemoteDispatcher
        this.faults = new WorkerFaults(config.afterDeath() == ProcessPool.AfterDeath.BREAK);
        // On one core, a poll would only delay the thread that makes the answer: see WorkerProcess.offerTurn.
        this.answerSpinNanos = Runtime.getRuntime().availableProcessors() > 1 ? config.idleSpin().toNanos() : 0;
        try {
            this.setup = new ProcessWorkerMain.Setup(config.initializer(), config.idleSpin().toNanos())
                    .encode(classes::written);
        } catch (IOException e) {
            throw new IllegalArgumentException("the initializer cannot be sent to the workers: " + e, e);
        }
    }

    private static int workers(ProcessPool.Configuration config) {
        return config.workers() == 0 ? Pool.carrierCount() : config.workers();
    }

    /**
     * Makes the pool. Its workers are spawned first, unless it starts them lazily: a worker's JVM
     * boots for a few hundred milliseconds, and a cold parent spends about a hundred on the rest of
     * the pool (its classes, its filter, its initializer's bytes), which now overlaps the boot.
     */
    static ProcessPool create(ProcessPool.Configuration config) {
        checkNotInWorkersClassInit();
        PoolBean.checkSetting();
        WorkerCommand command;
        try {
            command = workerCommand(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the workers' argument file: " + e.getMessage(), e);
        }
        String name = AbstractPool.name(config.name(), "processes", POOL_IDS);
        String threadPrefix = "weft-process-" + (config.name() != null ? config.name() + "-" : "");
        String filterPattern = config.filterPattern();
        List<WorkerProcess.Spawned> spawned = new ArrayList<>();
        for (int i = 1; !config.lazyStart() && i <= workers(config); i++) {
            try {
                spawned.add(WorkerProcess.spawn(name, threadPrefix, i, command, filterPattern, config.environment()));
            } catch (IOException | RuntimeException e) {
                break;      // the pool's own start tries again, and breaks the pool with the cause
            }
        }
        ProcessPoolImpl pool;
        try {
            pool = new ProcessPoolImpl(config, command, name, threadPrefix, filterPattern, spawned);
        } catch (RuntimeException | Error e) {
            spawned.forEach(WorkerProcess.Spawned::abandon);
            command.kill();                 // the startup cache's training, if the spawns started one
            command.end();
            throw e;
        }
        pool.act(pool.locked(() -> pool.schedule()));
        pool.locked(() -> pool.abandonSpawned());
        RuntimeException b = pool.dispatcher.broken();
        if (b != null && !config.lazyStart() && b.getCause() instanceof IOException io) {
            pool.terminate();
            throw new UncheckedIOException("cannot start the workers of pool '" + pool.name + "': " + io.getMessage(), io);
        }
        return registered(pool);
    }

    /**
     * Refuses a process pool made by a static initializer in a worker JVM: a worker initializes
     * the classes its tasks use, so a pool in a static field of the program's main class
     * ({@code static final ProcessPool POOL = Pool.processes()}) would start again in every worker,
     * each with workers of its own, and theirs would idle until the pool ended. Python's pools
     * refuse the same thing (a pool made while a spawned worker imports the main module) and point
     * to {@code if __name__ == '__main__':}. A pool a task makes as it runs is fine: nested pools.
     *
     * @throws IllegalStateException in a worker, if a static initializer is making this pool
     */
    private static void checkNotInWorkersClassInit() {
        Optional<Pool.Worker> worker = ProcessWorkerMain.identity();
        if (worker.isEmpty()) {
            return;
        }
        Optional<String> initializing = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.filter(f -> f.getMethodName().equals("<clinit>"))
                        .map(f -> f.getDeclaringClass().getName()).findFirst());
        if (initializing.isPresent()) {
            throw new IllegalStateException("a process pool was made by the static initializer of "
                    + initializing.get() + " in " + worker.get().threadName() + ", a worker of pool '"
                    + worker.get().pool() + "' (pid " + worker.get().pid() + "), which initialized that class"
                    + " for a task: every worker would start a pool of its own. Make the pool in main, or in a"
                    + " method main calls, not in a static field's initializer (as Python's pools want"
                    + " if __name__ == '__main__':)");
        }
    }

    /** Under lock: kills the workers spawned for the pool's start that it did not start (it broke first). */
    private Void abandonSpawned() {
        spawned.forEach(WorkerProcess.Spawned::abandon);
        spawned.clear();
        return null;
    }

    /** The command that starts the workers of a pool configured by {@code config}. */
    static WorkerCommand workerCommand(ProcessPool.Configuration config) throws IOException {
        return WorkerCommand.create(config.heap(), config.jvmArgs(), config.environment(), config.startupCache(),
                ProcessWorkerMain.class.getName());
    }

    // ---- submission and dispatch --------------------------------------------------------------

    @Override
    void enqueue(PoolTask<?> task) {
        checkAccepting(dispatcher.broken());     // before the encoding, whose refusal of a task would hide the pool's
        ProcessJob job = ProcessJob.encode(task, JOB_IDS.incrementAndGet(), functions, classes, name);
        Actions actions;
        lock.lock();
        try {
            checkAccepting(dispatcher.broken());
            task.queued();
            dispatcher.enqueue(job);
            actions = schedule();
        } finally {
            lock.unlock();
        }
        act(actions);
    }

    /** Under lock: see the class comment. */
    private Actions schedule() {
        List<Send> send = List.of();
        for (ProcessJob job : dispatcher.place(live, this::startWorker, Integer.MAX_VALUE)) {
            if (send.isEmpty()) {
                send = new ArrayList<>();
            }
            send.add(new Send(job, (WorkerLane) job.lane));
        }
        if (state == RUNNING && !config.lazyStart()) {
            while (live.size() < workers && startWorker()) {
                // keep the pool full
            }
        }
        if (launchFailure != null && !dispatcher.hasPending() && (state != RUNNING || config.lazyStart())) {
            // No worker is wanted now: the next launch starts afresh. If that leaves a shut-down pool
            // with nothing to end, the watch ends the row, and then the pool (watchRecalls), now. A
            // terminated pool launches nothing and has no launch in view (recall): its row ends here,
            // and whoever terminated it sees it finished (afterTransition).
            if (live.isEmpty() && state == SHUTDOWN && Thread.currentThread() != recallWatch) {
                relaunchAt = System.nanoTime();
            } else {
                launchFailure = null;
            }
        }
        List<Send> recall = recall();
        List<WorkerLane> stop = List.of();
        for (WorkerLane worker : live) {
            boolean idle = worker.held.isEmpty() && !worker.stopping;
            if (idle && (worker.retiring || (state != RUNNING && !dispatcher.hasPending() && !recallsAhead))) {
                worker.stopping = true;
                if (stop.isEmpty()) {
                    stop = new ArrayList<>();
                }
                stop.add(worker);
            }
        }
        if (send.isEmpty() && recall.isEmpty() && stop.isEmpty() && failing.isEmpty() && killing.isEmpty()) {
            return Actions.NONE;
        }
        List<ProcessJob> fail = List.copyOf(failing);
        List<WorkerLane> kill = List.copyOf(killing);
        failing.clear();
        killing.clear();
        return new Actions(send, recall, stop, fail, kill, dispatcher.broken());
    }

    /**
     * Under lock: takes back the tasks sent ahead to a worker whose task runs long, for an idle
     * worker to run, as Python's pools, whose workers take a task only when free, never leave one
     * waiting behind another while a worker idles. When nothing is pending and a ready worker is
     * idle, every worker that holds two tasks or more (one or more while it starts: it runs none)
     * and has not answered for {@link #RECALL_AFTER_NANOS} is asked to drop them all (a CANCEL
     * frame without interrupt, for each): the one it runs goes on, and each it had not started
     * comes back CANCELLED at once, to go back to the head of the queue ({@link #onFrameRead}).
     * Until it answers, or is ready and holds nothing, the worker takes no more. A worker whose recall is not yet due sets {@code recallDue}, for
     * {@code recallWatch} to schedule again then. Returns the CANCEL frames to write.
     */
    private List<Send> recall() {
        boolean inView = false;
        boolean underWay = false;
        long due = 0;
        List<Send> recall = List.of();
        if (!dispatcher.hasPending() && dispatcher.broken() == null && state != TERMINATED && hasIdleWorker()) {
            long now = System.nanoTime();
            for (WorkerLane lane : live) {
                // One still starting runs none of the tasks it holds. A retiring one's are taken back too.
                if (lane.held.size() < (lane.ready ? 2 : 1) || lane.stopping) {
                    continue;
                }
                if (lane.recalling) {
                    underWay = true;
                    continue;
                }
                // Its last answer is a bound that costs nothing; the first placement since is searched for only past it.
                long at = lane.lastAnswerNanos + RECALL_AFTER_NANOS;
                if (now - at >= 0) {
                    at = lane.busySince() + RECALL_AFTER_NANOS;
                }
                if (now - at >= 0) {
                    lane.recalling = true;
                    underWay = true;
                    if (recall.isEmpty()) {
                        recall = new ArrayList<>();
                    }
                    for (ProcessJob job : lane.held.values()) {
                        job.recalled = true;
                        recall.add(new Send(job, lane));
                    }
                } else if (!inView || at - due < 0) {
                    inView = true;
                    due = at;
                }
            }
        }
        recallsAhead = inView || underWay;
        if (launchFailure != null && dispatcher.broken() == null && state != TERMINATED) {
            if (!inView || relaunchAt - due < 0) {
                due = relaunchAt;               // the next launch: the watch schedules again then
            }
            inView = true;
        }
        watchRecall(inView, due);
        return recall;
    }

    /** Under lock: whether a worker that has started is idle and takes tasks. */
    private boolean hasIdleWorker() {
        for (WorkerLane lane : live) {
            if (lane.ready && lane.held.isEmpty() && lane.open()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Under lock: has {@code recallWatch} schedule again at {@code due} if {@code inView}, starting
     * it if none runs. It is woken only when a recall is due sooner than it waits for; a recall no
     * longer in view lets it end when it wakes, so that a pool whose workers go from idle to busy
     * and back does not start a thread each time.
     */
    private void watchRecall(boolean inView, long due) {
        boolean sooner = inView && (!recallInView || due - recallDue < 0);
        recallInView = inView;
        recallDue = due;
        if (recallWatch == null && inView) {
            try {
                recallWatch = Thread.ofVirtual().name(threadPrefix + "recall").start(this::watchRecalls);
            } catch (Throwable e) {     // no thread left for a carrier (ulimit -u): nothing will schedule at due
                noWatch(e);
            }
        } else if (recallWatch != null && sooner) {
            recallWake.signal();
        }
    }

    /**
     * Under lock: {@code recallWatch} could not start, with {@code e}, so nothing schedules when a
     * launch is due again. With no worker live, the pool breaks, its pending tasks failing with
     * the launch's failure and {@code e}. Otherwise the live workers run the tasks, and the launch
     * is made again, when due, by the next schedule that their answers bring. A recall alone is
     * only late: its task runs where it was sent, and the next schedule starts the watch again.
     */
    private void noWatch(Throwable e) {
        if (launchFailure != null && live.isEmpty()) {
            launchFailure.addSuppressed(e);
            launchGaveUp(launchFailure, launchFailures);
        }
    }

    /** {@code recallWatch}: schedules again whenever a recall is due, and ends once none is in view. */
    private void watchRecalls() {
        READER.set(this);       // it may fail tasks, and so run their callbacks, which must not wait for this pool
        for (;;) {
            Actions actions;
            boolean done;
            lock.lock();
            try {
                for (long wait; recallInView && (wait = recallDue - System.nanoTime()) > 0; ) {
                    recallWake.awaitNanos(wait);
                }
                if (!recallInView) {
                    recallWatch = null;
                    return;
                }
                boolean launching = launchFailure != null;
                actions = schedule();
                done = launching && finished();         // the launch it waited for was the last thing left
            } catch (InterruptedException e) {
                recallWatch = null;                     // nobody interrupts it; the next schedule starts another
                return;
            } finally {
                lock.unlock();
            }
            act(actions);
            if (done) {
                command.end().thenRun(this::completeTerminationAfterWatch);
            }
        }
    }

    /**
     * Under lock: whether the pool, shut down, has nothing left to end: no worker live, and no
     * launch to try again ({@link #launchFailed}) for tasks still pending.
     */
    private boolean finished() {
        return live.isEmpty() && state != RUNNING && launchFailure == null;
    }

    /**
     * Under lock: starts a worker if the pool may have one more; false if it may not or cannot. A
     * launch that a kill from outside took ({@link WorkerExit#launchKilled}) is made again, as a
     * worker killed while it starts is replaced: up to {@value #LAUNCH_ATTEMPTS} launches in a row.
     * A launch that failed for want of a resource the machine may give back
     * ({@link WorkerExit#launchMayPass}) is made again later ({@link #launchFailed}); any other
     * failure breaks the pool.
     */
    private boolean startWorker() {
        if (dispatcher.broken() != null || state == TERMINATED || live.size() >= workers
                || (launchFailure != null && System.nanoTime() - relaunchAt < 0)) {
            return false;
        }
        WorkerLane lane = new WorkerLane();
        for (int attempt = 1; ; attempt++) {
            try {
                WorkerProcess.Spawned worker = spawned.poll();
                if (worker == null) {       // numbered once spawned: a launch whose spawn fails takes no number
                    worker = WorkerProcess.spawn(name, threadPrefix, started + 1, command, filterPattern,
                            config.environment());
                }
                started++;
                assert worker.index() == started : "worker " + worker.index() + " started as " + started;
                lane.process = WorkerProcess.start(lane, threadPrefix, worker, command, setup, answerSpinNanos);
                break;
            } catch (IOException e) {
                if (WorkerExit.launchKilled(e) && attempt < LAUNCH_ATTEMPTS) {
                    continue;
                }
                // In a row of such failures, a spawn helper that died before its exec met the same want.
                boolean mayPass = WorkerExit.launchMayPass(e) || (launchFailure != null && WorkerExit.spawnHelperFailed(e));
                if (!mayPass || !launchFailed(e)) {
                    launchGaveUp(e);
                }
                return false;
            }
        }
        if (launchFailure != null) {
            Logs.pool().info("pool '{}' started worker {} after {} failed launches", name, started, launchFailures);
            launchFailure = null;
        }
        live.add(lane);
        if (Jfr.started()) {
            lane.flight = WorkerEvents.started(name, started, lane.process.pid());
        }
        return true;
    }

    /**
     * Under lock: breaks the pool, which cannot start a worker: {@code e} is the last launch's
     * failure, not yet counted in {@code launchFailures}.
     */
    private void launchGaveUp(IOException e) {
        launchGaveUp(e, launchFailures + 1);
    }

    /** Under lock: breaks the pool, which cannot start a worker after {@code tries} launches, the last failing with {@code e}. */
    private void launchGaveUp(IOException e, int tries) {
        breakLocked("it cannot start a worker JVM" + (launchFailure == null ? ""
                : " (it tried " + (tries == 1 ? "once" : tries + " times") + " in " + TimeUnit.NANOSECONDS.toMillis(
                        System.nanoTime() - launchFailingSince) + " ms)") + ": " + e,
                e, Integer.MIN_VALUE, List.of(), null);
        launchFailure = null;
    }

    /**
     * Under lock: a launch failed with {@code e}, for want of a resource the machine may give back.
     * Returns whether the pool waits and tries again: always while another worker is live, else
     * for {@link #LAUNCH_PATIENCE_NANOS} since the first failure in a row, after which it breaks.
     * The next launch is due after a wait that doubles each time ({@code recallWatch} then
     * schedules again; {@link #recall} puts it in view).
     */
    private boolean launchFailed(IOException e) {
        long now = System.nanoTime();
        if (launchFailure == null) {
            launchFailingSince = now;
            launchFailures = 0;
            Logs.pool().warn("pool '{}' cannot start a worker JVM now, and tries again for {} s while it has "
                    + "no worker: {}", name, TimeUnit.NANOSECONDS.toSeconds(LAUNCH_PATIENCE_NANOS), e.toString());
        }
        if (live.isEmpty() && now - launchFailingSince >= LAUNCH_PATIENCE_NANOS) {
            return false;
        }
        launchFailure = e;
        launchFailures++;
        relaunchAt = now + Math.min(RELAUNCH_LAST_NANOS, RELAUNCH_FIRST_NANOS << Math.min(launchFailures - 1, 20));
        return true;
    }

    /** Outside the lock: sends and stops what {@link #schedule} decided, and schedules again for the jobs not sent. */
    private void act(Actions actions) {
        act(actions, null);
    }

    /**
     * {@link #act(Actions)}, called by {@code reading}'s reader: while more of its worker's answers
     * wait in its buffer, the jobs it writes are flushed once it has read them, in one system call
     * per worker, instead of one for each answer. The worker sent those answers together; the jobs
     * that replace them leave together, a few microseconds later.
     */
    private void act(Actions actions, WorkerLane reading) {
        while (!actions.isEmpty()) {
            for (ProcessJob job : actions.fail()) {
                job.task.completeExceptionally(actions.broken());
            }
            actions.kill().forEach(lane -> lane.process.kill());
            List<ProcessJob> unsent = List.of();
            List<WorkerProcess> written = List.of();        // a handful at most: a list is cheaper than a set
            for (Send send : actions.send()) {
                ProcessJob job = send.job();
                WorkerProcess worker = send.lane().process;
                if (!markRunning(job) || !worker.send(job)) {
                    if (unsent.isEmpty()) {
                        unsent = new ArrayList<>();
                    }
                    unsent.add(job);
                } else if (!written.contains(worker)) {
                    if (written.isEmpty()) {
                        written = new ArrayList<>();
                    }
                    written.add(worker);
                }
            }
            if (reading != null && reading.process.channel.hasBufferedFrame()) {
                for (WorkerProcess worker : written) {
                    if (!reading.unflushed.contains(worker)) {
                        reading.unflushed.add(worker);
                    }
                }
            } else {
                written.forEach(WorkerProcess::flush);      // one system call per worker for all its jobs
            }
            for (Send recall : actions.recall()) {
                recall.lane().process.recall(recall.job());
            }
            actions.stop().forEach(lane -> lane.process.stop());
            if (unsent.isEmpty()) {
                return;
            }
            lock.lock();
            try {
                unsent.forEach(dispatcher::release);
                actions = schedule();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Marks the job's task running before its first send; a job sent before, to a worker that died
     * before it was ready, is running already. False if the task was cancelled, or failed by a
     * death or a break that overtook this send.
     */
    private static boolean markRunning(ProcessJob job) {
        return job.task.isRunning() || job.task.tryMarkRunning();
    }

    /**
     * Tells the worker that holds {@code task} to drop or interrupt it; not once the pool is
     * terminated, whose workers are being killed: a write may wait behind another thread's, blocked
     * on a worker that does not read, and {@link #shutdownNow} must not wait for it.
     */
    @Override
    boolean cancelRemotely(PoolTask<?> task, boolean mayInterruptIfRunning) {
        ProcessJob job = dispatcher.out(task);
        if (job != null && state != TERMINATED) {
            ((WorkerLane) job.lane).process.cancel(job.id, mayInterruptIfRunning);
        }
        return true;
    }

    /**
     * A platform thread about to wait for the one task its worker holds reads the answer itself,
     * if the worker's reader offers its turn (see {@code WorkerProcess.readWhileWaiting}): a
     * sequential {@code submit().get()} then wakes no thread in this JVM. It reads as a reader
     * does, and may not wait for this pool while it does ({@link #isOwnWorker}); it completes the
     * task, and hands its callbacks to the reader ({@code WorkerProcess.handOff}), which runs them
     * as before. A virtual thread waits as before: its polling would hold its carrier.
     */
    @Override
    void helpWait(OwnFuture<?> future) {
        if (answerSpinNanos == 0 || !(future instanceof PoolTask<?> task) || Thread.currentThread().isVirtual()
                || READER.get() != null) {
            return;
        }
        ProcessJob job = dispatcher.out(task);
        if (job == null || !(job.lane instanceof WorkerLane lane) || lane.process == null
                || lane.process.turnState() != ReadTurn.OFFERED) {
            return;
        }
        lock.lock();
        try {
            if (lane.held.size() != 1 || lane.held.get(job.id) != job) {
                return;                 // answers of other tasks would come first: it would wait as their reader
            }
        } finally {
            lock.unlock();
        }
        READER.set(this);
        try {
            if (lane.process.readWhileWaiting(task::isDone, answerSpinNanos, () -> holdsAny(lane))) {
                answersReadByWaiters.incrementAndGet();
            }
        } finally {
            READER.remove();
        }
    }

    /** How many waits ended with the waiting thread holding the worker's turn to read: for tests. */
    long answersReadByWaiters() {
        return answersReadByWaiters.get();
    }

    private boolean holdsAny(WorkerLane lane) {
        lock.lock();
        try {
            return !lane.held.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    // ---- from the readers -----------------------------------------------------------------------

    /**
     * Called by {@code worker}'s reader for each frame it reads. Once no other frame waits in the
     * worker's buffer, or if this one fails, flushes the jobs written meanwhile (see
     * {@link #act(Actions, WorkerLane)}): before the reader could block.
     */
    private void onFrame(WorkerLane lane, WorkerProcess worker, Channel.Frame frame) {
        boolean read = false;
        try {
            onFrameRead(lane, worker, frame);
            read = true;
        } finally {
            // A waiter that reads its own answer may stop after this frame: it flushes now.
            if (!lane.unflushed.isEmpty() && (!read || !worker.channel.hasBufferedFrame()
                    || worker.turnState() == ReadTurn.LENT)) {
                lane.unflushed.forEach(WorkerProcess::flush);
                lane.unflushed.clear();
            }
        }
    }

    private void onFrameRead(WorkerLane lane, WorkerProcess worker, Channel.Frame frame) {
        switch (frame.type()) {
            case Channel.CLASS_REQUEST -> worker.sendClass(frame.id(),
                    classes.bytes(new String(frame.payload(), StandardCharsets.UTF_8)));
            case Channel.READY -> act(locked(() -> {
                faults.progress();
                lane.ready = true;
                lane.settle();
                return schedule();                      // an idle worker more: a recall may be in view
            }));
            case Channel.SETUP_FAILED -> {
                Object decoded = outcome(worker, frame.payload(), true);
                Throwable cause = decoded instanceof RemoteOutcomes.Undecodable u ? u.exception() : (Throwable) decoded;
                act(locked(() -> {
                    breakLocked("its initializer threw in " + worker + ": " + cause, cause, Integer.MIN_VALUE,
                            List.of(), identity(worker));
                    return schedule();
                }));
            }
            case Channel.RESULT, Channel.ERROR, Channel.CANCELLED -> {
                boolean dropped = frame.type() == Channel.CANCELLED;
                Object outcome = dropped ? null : outcome(worker, frame.payload(), frame.type() == Channel.ERROR);
                ProcessJob job;
                boolean requeued = false;
                RuntimeException broken = null;
                Actions actions;
                lock.lock();
                try {
                    job = lane.held.get(frame.id());
                    if (job != null) {
                        if (!dropped) {
                            lane.observe(job, System.nanoTime());
                        }
                        dispatcher.release(job);
                        if (!dropped) {
                            lane.recalling = false;     // the task it ran has ended
                        } else {
                            lane.settle();
                        }
                        // Terminated, the pool cancels it, as every task it held.
                        if (dropped && job.recalled && !cancellingFutures && state != TERMINATED
                                && !job.task.isDone()) {
                            job.recalled = false;
                            broken = dispatcher.broken();
                            if (broken == null) {
                                lane.unplaced();
                                job.cameBack();
                                dispatcher.requeue(List.of(job));   // taken back: first in line for an idle worker
                                requeued = true;
                            }
                        }
                    }
                    faults.progress();
                    actions = schedule();
                } finally {
                    lock.unlock();
                }
                if (job != null) {
                    worker.answered(job);
                }
                act(actions, lane);
                if (job == null || requeued) {
                    return;
                }
                Executor elsewhere = worker.handOff();  // not null in a waiter that reads its own answer
                if (broken != null) {
                    complete(job.task, broken, true, elsewhere);
                } else if (dropped) {
                    job.task.cancel(false);             // it never started in the worker; cancelled already if it ends here
                } else {
                    complete(job.task, outcome, frame.type() == Channel.ERROR, elsewhere);
                }
            }
            default -> throw new IllegalStateException("unexpected frame type " + frame.type() + " from " + worker);
        }
    }

    /** Completes {@code task} with what its worker sent; its callbacks run here, or go {@code elsewhere} if not null. */
    @SuppressWarnings("unchecked")
    private static <T> void complete(PoolTask<T> task, Object outcome, boolean failed, Executor elsewhere) {
        Throwable failure = outcome instanceof RemoteOutcomes.Undecodable u ? u.exception()
                : failed ? (Throwable) outcome : null;
        if (failure != null) {
            if (elsewhere == null) {
                task.completeExceptionally(failure);
            } else {
                task.completeExceptionallyHandingOff(failure, elsewhere);
            }
        } else if (elsewhere == null) {
            task.complete((T) outcome);
        } else {
            task.completeHandingOff((T) outcome, elsewhere);
        }
    }

    /** What a worker sent, deserialized; see {@link RemoteOutcomes#decode}. */
    private Object outcome(WorkerProcess worker, byte[] payload, boolean failure) {
        return RemoteOutcomes.decode(bytes -> Channel.deserialize(bytes, filter, classes.loader()), payload,
                worker.toString(), name, failure);
    }

    /**
     * Called by {@code worker}'s reader as its last act, once the process has exited: fails the
     * jobs it held (or, if it started none of them, queues them again), breaks the pool if the
     * fault calls for it (see the class comment), and schedules again (a new worker).
     */
    private void onExit(WorkerLane lane, WorkerProcess worker, int exitCode, List<String> stderrTail,
                        Throwable channelError) {
        chainExit();
        List<ProcessJob> lost = List.of();
        BrokenProcessPoolException failure = null;
        Actions actions;
        boolean done;
        WorkerExit exit;
        boolean expected;
        lock.lock();
        try {
            live.remove(lane);
            exit = new WorkerExit(worker.toString(), exitCode, stderrTail, channelError, worker.closedHere(), lane.ready);
            List<ProcessJob> held = dispatcher.releaseAll(lane);
            BrokenProcessPoolException before = (BrokenProcessPoolException) dispatcher.broken();
            expected = (lane.stopping && channelError == null) || state == TERMINATED || before != null;
            if (!expected) {
                String fault = faults.breaks(exit);
                if (fault != null) {
                    breakLocked(fault, exit.channelError(), exit.exitCode(), exit.stderrTail(), identity(worker));
                }
            }
            // This JVM could not take the worker's connection for want of a descriptor, say: a launch that failed.
            IOException refused = worker.acceptFailure();
            if (refused != null && dispatcher.broken() == null && state != TERMINATED && !launchFailed(refused)) {
                launchGaveUp(refused);
            }
            if (dispatcher.broken() == null && state != TERMINATED && exit.startedNoTask()) {
                dispatcher.requeue(held);               // none started: first in line for the next worker
            } else if (!held.isEmpty()) {
                lost = held;
                failure = before == null
                        ? new BrokenProcessPoolException(exit.heldTask(name), exit.channelError(), exit.exitCode(),
                                exit.stderrTail(), identity(worker))
                        : new BrokenProcessPoolException(exit.heldWhenBroken(name, brokenReason), before.getCause(),
                                before.exitCode(), before.stderrTail(), identity(worker));
            }
            actions = schedule();
            done = finished();
        } finally {
            lock.unlock();
        }
        if (Jfr.started()) {
            WorkerEvents.exited(lane.flight, name, worker.index, worker.pid(), exitCode, exit.how(), expected,
                    lane.ready, stderrTail);
        }
        for (ProcessJob job : lost) {
            job.task.completeExceptionally(failure);    // nothing if terminate cancelled it already
        }
        act(actions);
        if (done) {
            command.end().thenRun(this::completeTerminationAfterWatch);
        }
    }

    /**
     * Completes the pool's termination once {@code recallWatch} has ended, so that no thread of the
     * pool is left: with no worker live, no recall is in view, and it ends once woken.
     */
    private void completeTerminationAfterWatch() {
        Thread watch = locked(() -> {
            recallWake.signal();
            return recallWatch;
        });
        boolean interrupted = false;
        // A callback run by the watch may end the pool: it cannot wait for itself, and ends once it returns.
        while (watch != null && watch != Thread.currentThread()) {
            try {
                watch.join();
                watch = null;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        completeTermination();
    }

    /** {@code worker} as a {@link BrokenProcessPoolException} names it. */
    private Pool.Worker identity(WorkerProcess worker) {
        return Pool.Worker.of(name, worker.index, threadPrefix + worker.index, worker.pid());
    }

    /**
     * Under lock: breaks the pool (once) for {@code reason}, with the failed worker's exit code,
     * stderr and identity where there is one; the next {@link #act} fails the pending jobs and
     * kills every worker, and no worker starts again.
     */
    private void breakLocked(String reason, Throwable cause, int exitCode, List<String> stderrTail,
                             Pool.Worker failed) {
        if (dispatcher.broken() != null) {
            return;
        }
        brokenReason = reason;
        failing.addAll(dispatcher.breakWith(new BrokenProcessPoolException("pool '" + name + "' is broken: " + reason,
                cause, exitCode, stderrTail, failed)));
        killing.addAll(live);
    }

    // ---- life cycle -------------------------------------------------------------------------


    /** A reader thread (which runs callbacks) must not wait for its own pool: it would wait for itself. */
    @Override
    boolean isOwnWorker() {
        return READER.get() == this;
    }

    @Override
    public void shutdown() {
        advance(SHUTDOWN, dispatcher.pending(), false);
        afterTransition();
    }

    /**
     * With {@code cancelFutures}, also the tasks sent ahead to a busy worker and not started there
     * end cancelled: the worker drops them and says so; those that run finish.
     */
    @Override
    public void shutdown(boolean wait, boolean cancelFutures) throws InterruptedException {
        if (cancelFutures) {
            cancellingFutures = true;
        }
        advance(SHUTDOWN, dispatcher.pending(), cancelFutures).forEach(job -> job.task.cancel(false));
        if (cancelFutures) {
            for (ProcessJob job : dispatcher.outJobs()) {
                ((WorkerLane) job.lane).process.cancel(job.id, false);
            }
        }
        afterTransition();
        if (wait) {
            awaitTerminated();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<ProcessJob> drained = advance(TERMINATED, dispatcher.pending(), true);
        drained.forEach(job -> job.task.cancel(false));
        dispatcher.outJobs().forEach(job -> job.task.cancel(false));     // no CANCEL frame: see cancelRemotely
        locked(() -> new ArrayList<>(live)).forEach(lane -> lane.process.kill());
        command.kill();
        afterTransition();
        List<Runnable> tasks = new ArrayList<>();
        drained.forEach(job -> tasks.add(job.task));
        return tasks;
    }

    /** After a state change: stops idle workers, and completes termination if no worker is left. */
    private void afterTransition() {
        boolean done;
        Actions actions;
        lock.lock();
        try {
            actions = schedule();
            done = finished();
        } finally {
            lock.unlock();
        }
        act(actions);
        if (done) {
            command.end().thenRun(this::completeTerminationAfterWatch);
        }
    }



    /** The map family reporting progress, with the serializable overloads that a remote pool's calls need. */
    @Override
    public RemoteMapper withProgress(Duration interval, Progress.Listener listener) {
        return new PoolMaps.Remote(this, MapProgress.settings(interval, listener));
    }

    @Override
    public int workers() {
        return workers;
    }

    /** The pids of the live workers, in start order: for tests and diagnostics. */
    List<Long> pids() {
        return locked(() -> live.stream().map(lane -> lane.process.pid()).toList());
    }

    /** How many workers the pool has started so far: for tests. */
    int startedWorkers() {
        return locked(() -> started);
    }

    /** Its worker JVMs, started and not yet reported gone. */
    @Override
    int liveWorkers() {
        return locked(live::size);
    }

    @Override
    boolean isBroken() {
        return dispatcher.broken() != null;
    }

    /** The pids of the live workers whose tasks the pool is taking back ({@link #recall}): for tests. */
    List<Long> recallingPids() {
        return locked(() -> live.stream().filter(lane -> lane.recalling).map(lane -> lane.process.pid()).toList());
    }

    /** The pids of the live workers that are ready (their initializer ran): for tests. */
    List<Long> readyPids() {
        return locked(() -> live.stream().filter(lane -> lane.ready).map(lane -> lane.process.pid()).toList());
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", processes, workers=" + workers + ", "
                + (isBroken() ? "broken" : isTerminated() ? "terminated" : state == RUNNING ? "running" : "shut down")
                + "]";
    }
}
