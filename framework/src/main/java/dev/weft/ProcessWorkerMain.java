package dev.weft;

import dev.weft.internal.process.Rendezvous;
import dev.weft.internal.process.StartupCache;
import dev.weft.internal.process.WorkerExit;
import dev.weft.internal.wire.Channel;
import dev.weft.internal.wire.ParentClassLoader;
import dev.weft.internal.wire.ReceivedFunctions;
import dev.weft.internal.wire.SharedFunctions;
import dev.weft.internal.wire.StandIn;
import dev.weft.internal.wire.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The main class of a worker JVM of a {@link ProcessPool}; {@link ProcessPoolImpl} starts it as
 * {@code java ... dev.weft.ProcessWorkerMain POOL THREAD-PREFIX INDEX PARENT-PID FILTER SOCKET}, with
 * the token that proves it to the parent in its environment (see {@link Rendezvous}); its
 * task thread is named {@code THREAD-PREFIX INDEX}, {@code weft-process-N} or {@code weft-process-NAME-N}.
 *
 * <h2>Threads</h2>
 * The task thread, {@code weft-process-POOL-N}, runs the initializer and then the tasks, one at a
 * time, in arrival order, and writes their outcomes. One thread at a time holds the channel and
 * reads it ({@code reader}, under {@code runLock}): most of the time the task thread itself, which
 * reads a task and runs it at once, so that a task's trip through the worker wakes no thread but
 * the one its frame wakes; out of tasks after one that came alone, it polls the channel a little
 * before it blocks in it (the pool's {@code idleSpin}); after a burst it blocks at once. The main
 * thread, renamed {@code weft-process-POOL-N-channel}, stands by meanwhile, and takes the channel
 * when the task thread cannot read it: at the start (the task thread decodes the setup and runs
 * the initializer), when a task it runs has run for
 * a check or two of the standby ({@link #STANDBY_CHECK_NANOS}), so that a cancellation still
 * reaches a long task and the parent's writes do not block (writing the task's outcome counts as
 * running it: a large outcome waits for the parent to read, while the parent may wait to write
 * this worker its next task), and at once when a task needs a class from the parent, whose
 * answer comes on the channel. Holding it, the channel thread queues tasks for the task thread,
 * delivers cancellations and stops; the first task that finds the task thread idle goes to it
 * with the channel. While the task thread runs the tasks it reads,
 * the standby wakes every check; after {@link #STANDBY_IDLE_CHECKS} checks with no task it sleeps
 * until the task thread's next task wakes it.
 *
 * <p>Standard input, output and error are the process's own: the parent closes the first and
 * copies the other two to its own, so tasks, the JVM and subprocesses may write to them freely.
 * A third thread, {@code weft-process-POOL-N-flusher}, is a safety net for batching: the result of
 * a tiny task written while more tasks have arrived is sent with the next ones (a stream of tiny
 * tasks costs one system call per batch), and the flusher sends it if the next task turns out to
 * be long.
 *
 * <h2>Cancellation</h2>
 * {@code known} holds the ids received and not yet finished, {@code cancelled} those of them
 * cancelled before they started, {@code runningId} the one running; all three under
 * {@code runLock}. A cancellation for a running task interrupts the task thread under the lock,
 * and the task thread clears its interrupt status under the lock once the task ends, so an
 * interrupt never reaches the next task. A task cancelled before it started is dropped and
 * answered {@code CANCELLED}: at once if it was queued (the flusher writes the answer), by the
 * task thread if that had just taken it. One that runs is interrupted only if the parent asked
 * for it. A cancellation for a finished task is ignored.
 *
 * <h2>Ending</h2>
 * {@code STOP} (sent when the worker holds no task): the task thread ends, the worker exits with 0.
 * End of the connection, or the parent process gone: the parent is dead, the worker halts at once
 * (first deleting its rendezvous directory, if the parent died while it was starting).
 */
final class ProcessWorkerMain {

    /** This JVM's identity as a worker, or null outside workers; set once, before the initializer runs. */
    private static volatile Pool.Worker identity;

    /**
     * What the parent sends first: the initializer, and how long the task thread polls the channel
     * for the next task before it sleeps (see {@link ProcessPool.Configuration#withIdleSpin}). It
     * travels in a form of its own: a {@link WireFormat} header, which the worker checks before it
     * reads anything else; the idle spin; whether an initializer follows; then the initializer,
     * serialized. Not a serialized record: deserializing a record composes method handles, which
     * cost a cold worker about 35 ms before its first task, and a pool with no initializer now
     * sends nothing that needs Java serialization at all.
     *
     * @param initializer   what the worker runs before its first task, or null for nothing
     * @param idleSpinNanos how long the task thread polls for the next task, in nanoseconds
     */
    record Setup(SerializableRunnable initializer, long idleSpinNanos) {
        /**
         * The setup's bytes, each application class serialized given to {@code written}.
         *
         * @throws java.io.NotSerializableException if the initializer is not serializable, naming the class
         */
        byte[] encode(Consumer<Class<?>> written) throws IOException {
            return encode(WireFormat.VERSION, WireFormat.release(), written);
        }

        /** The setup's bytes as Weft {@code release}, of wire format {@code version}, writes them: for tests that play one. */
        byte[] encode(int version, String release, Consumer<Class<?>> written) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            WireFormat.writeHeader(out, version, release);
            out.writeLong(idleSpinNanos);
            out.writeBoolean(initializer != null);
            out.flush();
            if (initializer != null) {
                bytes.write(Channel.serialize(initializer, written));
            }
            return bytes.toByteArray();
        }

        /**
         * The setup in {@code payload}; its initializer's classes are looked up in {@code loader}.
         *
         * @throws dev.weft.internal.wire.WireVersionException if the parent writes another wire format
         */
        static Setup decode(byte[] payload, ObjectInputFilter filter, ClassLoader loader)
                throws IOException, ClassNotFoundException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            WireFormat.readHeader(in, "the setup its pool sent this worker");
            long idleSpinNanos = in.readLong();
            SerializableRunnable initializer = in.readBoolean()
                    ? (SerializableRunnable) Channel.deserialize(in.readAllBytes(), filter, loader) : null;
            return new Setup(initializer, idleSpinNanos);
        }
    }

    private static final Channel.Frame POISON = new Channel.Frame(Channel.STOP, 0, new byte[0]);
    /** How long a worker told to stop gives its shutdown hooks before it halts: {@link #haltIfExitHangs}. */
    static final long EXIT_GRACE_MILLIS = 5_000;
    /** How often the channel thread, standing by, checks whether the task thread's task runs long. */
    private static final long STANDBY_CHECK_NANOS = 2_000_000;
    /** After this many checks that saw no new task, the standby sleeps until the task thread wakes it. */
    private static final int STANDBY_IDLE_CHECKS = 50;

    private final Channel channel;
    private final ObjectInputFilter filter;
    /** Where the classes of what the parent sends come from: the class path, else the parent. */
    private final ParentClassLoader classes;
    private final Object runLock = new Object();
    /** Under runLock: the tasks the channel thread read and the task thread has not started, in arrival order. */
    private final ArrayDeque<Channel.Frame> tasks = new ArrayDeque<>();
    /** Under runLock: ids received and not finished; of those, cancelled before start; the running one or 0. */
    private final Set<Long> known = new HashSet<>();
    private final Set<Long> cancelled = new HashSet<>();
    /** Under runLock: queued tasks that {@link #cancel} dropped, whose CANCELLED the flusher has yet to write. */
    private final List<Long> dropped = new ArrayList<>();
    private long runningId;
    /** Under runLock: the thread that holds the channel, the task thread or the channel thread (see Threads). */
    private Thread reader;
    /**
     * Under runLock: whether the task thread holds the channel while it runs its task or writes the
     * task's outcome: nobody reads meanwhile.
     */
    private boolean runningWithChannel;
    /** Under runLock: how many tasks the task thread started holding the channel; the standby tells them apart by this. */
    private long startsWithChannel;
    /** Under runLock: whether the task thread waits for a task or the channel from the channel thread. */
    private boolean taskThreadIdle;
    /** Whether the task thread slept in {@link #nextQueued} since it last ran a task; the task thread only. */
    private boolean sleptForTask;
    /** Under runLock: whether the standby sleeps with no timeout, for the task thread to wake. */
    private boolean standbyAsleep;
    /** Written once by main before the task thread starts: the main thread. */
    private Thread channelThread;
    /** Whether the running task was cancelled with an interrupt; read by the task thread without the lock. */
    private volatile boolean runningCancelled;
    /** Written once by main before the task thread starts. */
    private Thread taskThread;
    /** Written once by the task thread before its first task: 0 on one core, where spinning would only delay. */
    private long idleSpinNanos;
    /** Flushes results written while more tasks were queued; daemon, so it never delays the exit. */
    private final Thread flusher = Thread.ofPlatform().daemon().unstarted(this::runFlusher);
    /**
     * Set by the task thread after it writes unflushed, cleared by the flusher before it flushes.
     * A write followed by reading it true happened before the flusher cleared it, so before its flush.
     */
    private volatile boolean flushPending;
    private static final long FLUSH_DELAY_NANOS = 200_000;
    /** A task shorter than this is tiny: its result may wait for the next ones, up to {@link #MAX_UNFLUSHED}. */
    private static final long TINY_TASK_NANOS = 50_000;
    private static final int MAX_UNFLUSHED = 32;
    /** The last task's run time, and the results written since the last flush; task thread only. */
    private long lastTaskNanos;
    private int unflushed;

    private ProcessWorkerMain(Channel channel, ObjectInputFilter filter) {
        this.channel = channel;
        this.filter = filter;
        this.classes = new ParentClassLoader(channel, this::freeChannelForAnswer);
    }

    static Optional<Pool.Worker> identity() {
        return Optional.ofNullable(identity);
    }

    /**
     * A worker JVM: {@code POOL THREAD-PREFIX INDEX PARENT-PID FILTER SOCKET}, its token in the
     * environment. Or the startup cache's training JVM: {@code --train TEMP PARENT-PID}, which
     * halts when its parent does.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals(StartupCache.TRAIN)) {
            long parent = Long.parseLong(args[2]);
            Runnable parentGone = () -> Runtime.getRuntime().halt(WorkerExit.EXIT_PARENT_GONE);
            ProcessHandle.of(parent).ifPresentOrElse(p -> p.onExit().thenRun(parentGone), parentGone);
            train(Path.of(args[1]), parent);
            return;
        }
        serve(args[0], args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), args[4], Path.of(args[5]),
                System.getenv(Rendezvous.TOKEN_VARIABLE));
    }

    /**
     * Serves as worker {@code index} of {@code pool} until the parent stops it, or dies: this method
     * ends the JVM. {@code token} proves the worker at {@code socket}.
     */
    private static void serve(String pool, String threadPrefix, int index, long parent, String filterPattern,
                              Path socket, String token) throws InterruptedException {
        Path rendezvous = socket.getParent();
        ObjectInputFilter filter = ProcessPool.Configuration.filter(filterPattern);
        Rendezvous.deleteArgumentFile(rendezvous);          // the launcher has read it
        Runnable parentGone = () -> {
            Rendezvous.delete(rendezvous);                  // in case the parent died while this worker started
            Runtime.getRuntime().halt(WorkerExit.EXIT_PARENT_GONE);
        };
        Optional<ProcessHandle> parentHandle = ProcessHandle.of(parent);
        // Watching the parent starts the JDK's process reaper; a thread of its own does that while
        // this one connects, which costs a cold JVM as much (the JDK's security providers start).
        Thread.ofPlatform().daemon().start(() -> parentHandle.ifPresentOrElse(p -> p.onExit().thenRun(parentGone),
                parentGone));
        Channel channel;
        try {
            // The parent listens once it has spawned this JVM: the socket may not be there yet.
            channel = new Channel(Rendezvous.connect(socket, token,
                    () -> parentHandle.map(ProcessHandle::isAlive).orElse(false)));
        } catch (IOException | RuntimeException e) {
            if (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                System.err.println("weft worker " + threadPrefix + index + ": cannot connect to the parent at "
                        + socket + ": " + e);
                Runtime.getRuntime().halt(WorkerExit.EXIT_CHANNEL_BROKEN);
            }
            parentGone.run();
            return;
        }
        Rendezvous.delete(rendezvous);                      // connected: the parent deletes it too, whoever is first
        String name = threadPrefix + index;
        identity = new Pool.Worker(pool, index, name, ProcessHandle.current().pid());
        Thread.currentThread().setName(name + "-channel");
        new ProcessWorkerMain(channel, filter).run(name);
    }

    /**
     * The training run of the automatic startup cache ({@link StartupCache}): this JVM plays a worker
     * and, on another thread, its parent, and sends it what a pool sends (a setup with an initializer,
     * tasks whole, a capturing lambda by shape, a stateless task called by id, a map chunk in compact
     * form, a task that throws), so that the classes a worker needs are loaded and linked when the
     * JVM records them. Ends the JVM, as a worker does when its parent stops it.
     *
     * @param temp      where to make the rendezvous of the worker and its parent
     * @param parentPid the pool's process, whose end ends this one
     */
    static void train(Path temp, long parentPid) throws Exception {
        Rendezvous rendezvous = Rendezvous.open(temp);
        Channel parent = new Channel();
        SharedFunctions functions = new SharedFunctions(c -> { });
        SerializableRunnable initializer = () -> Thread.currentThread().getName();
        long spin = ProcessPool.Configuration.DEFAULT_IDLE_SPIN.toNanos();
        parent.write(Channel.SETUP, 0, new Setup(initializer, spin).encode(c -> { }));
        int offset = 3;
        parent.write(Channel.TASK, 1, Channel.serialize((SerializableCallable<?>) () -> List.of(offset, "x")));
        parent.write(Channel.TASK, 2, Channel.serialize((SerializableCallable<?>) () -> {
            throw new IllegalStateException("trained " + offset);
        }));
        SharedFunctions.Captured captured = functions.captured((SerializableCallable<?>) () -> offset * 2L);
        parent.write(Channel.FUNCTION, captured.shape().id(), captured.shape().bytes());
        parent.write(Channel.LAMBDA, 5, captured.payload());
        SharedFunctions.Shared stateless = functions.shareStateless((SerializableCallable<?>) () -> 42L);
        parent.write(Channel.FUNCTION, stateless.id(), stateless.bytes());
        parent.write(Channel.CALL, 3, SharedFunctions.call(stateless));
        SerializableFunction<Integer, Integer> square = n -> n * n;
        SharedFunctions.Shared function = functions.share(square);
        parent.write(Channel.FUNCTION, function.id(), function.bytes());
        parent.write(Channel.CHUNK, 4, SharedFunctions.chunk(function, List.of(1, 2, 3)));
        String filter = ProcessPool.Configuration.DEFAULT.filterPattern();
        Thread worker = Thread.ofPlatform()
                .uncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(WorkerExit.EXIT_CHANNEL_BROKEN))
                .start(() -> {
                    try {
                        serve("training", "weft-process-training-", 1, parentPid, filter, rendezvous.socket(),
                                rendezvous.token());
                    } catch (InterruptedException e) {
                        Runtime.getRuntime().halt(WorkerExit.EXIT_CHANNEL_BROKEN);
                    }
                });
        SocketChannel socket = rendezvous.accept(worker::isAlive);
        rendezvous.close();
        if (socket == null) {
            Runtime.getRuntime().halt(WorkerExit.EXIT_CHANNEL_BROKEN);
        }
        parent.attach(socket);
        int outcomes = 0;
        for (Channel.Frame frame; outcomes < 5 && (frame = parent.read()) != null; ) {
            switch (frame.type()) {
                case Channel.READY -> { }
                case Channel.RESULT, Channel.ERROR -> {
                    Channel.deserialize(frame.payload(), ProcessPool.Configuration.filter(filter));
                    outcomes++;
                }
                default -> Runtime.getRuntime().halt(WorkerExit.EXIT_CHANNEL_BROKEN);
            }
        }
        parent.write(Channel.STOP, 0, new byte[0]);         // the worker exits with 0, and the JVM writes the cache
        worker.join();
    }

    /** The main thread: reads the setup, starts the task thread, then holds the channel or stands by. */
    private void run(String name) {
        try {
            Channel.Frame setup = channel.read();
            if (setup == null || setup.type() != Channel.SETUP) {
                throw new IOException("the parent sent no setup");
            }
            flusher.setName(name + "-flusher");
            flusher.start();
            // The task thread decodes the setup: its classes may have to be asked of the parent, whose
            // answer this thread reads.
            taskThread = Thread.ofPlatform().name(name).unstarted(() -> runTasks(setup.payload()));
            taskThread.setContextClassLoader(classes);
            channelThread = Thread.currentThread();
            synchronized (runLock) {
                reader = channelThread;
            }
            taskThread.start();
            for (;;) {
                standBy();
                onFrame(readOrHalt());
            }
        } catch (Throwable e) {           // whatever it is, a worker that cannot read its channel is done
            channelBroke(e);
        }
    }

    /** The next frame; at the end of the input the parent is gone, and the worker halts. */
    private Channel.Frame readOrHalt() throws IOException {
        Channel.Frame frame = channel.read();
        if (frame == null) {
            Runtime.getRuntime().halt(WorkerExit.EXIT_PARENT_GONE);
        }
        return frame;
    }

    private static void channelBroke(Throwable e) {
        System.err.println("weft worker " + Thread.currentThread().getName() + ": the channel to the parent broke: " + e);
        Runtime.getRuntime().halt(WorkerExit.EXIT_CHANNEL_BROKEN);
    }

    /**
     * The channel thread, until it holds the channel: while the task thread holds it, checks every
     * {@link #STANDBY_CHECK_NANOS} and takes it when the same task has run since the last check,
     * and sleeps once tasks stop coming. See Threads.
     */
    private void standBy() {
        long longRunning = -1;
        long startsSeen = -1;
        int idleChecks = 0;
        for (;;) {
            boolean sleep;
            synchronized (runLock) {
                if (reader == channelThread) {
                    return;
                }
                if (runningWithChannel && startsWithChannel == longRunning) {
                    reader = channelThread;             // the task has run for a check at least: read for it
                    return;
                }
                longRunning = runningWithChannel ? startsWithChannel : -1;
                idleChecks = startsWithChannel == startsSeen ? idleChecks + 1 : 0;
                startsSeen = startsWithChannel;
                sleep = standbyAsleep = !runningWithChannel && idleChecks >= STANDBY_IDLE_CHECKS;
            }
            if (sleep) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, STANDBY_CHECK_NANOS);
            }
        }
    }

    /**
     * Called before a class request waits for the parent's answer: if the task thread holds the
     * channel while it runs a task (whose decoding, or a thread of which, asks), the channel thread
     * takes it at once, to read the answer.
     */
    private void freeChannelForAnswer() {
        synchronized (runLock) {
            if (reader != taskThread || !runningWithChannel) {
                return;                                 // the holder reads, or will once its task ends
            }
            reader = channelThread;
        }
        LockSupport.unpark(channelThread);
    }

    /**
     * What the thread that holds the channel does with a frame; a task it reads, the task thread
     * runs at once. Returns whether it was a task.
     */
    private boolean onFrame(Channel.Frame frame) throws IOException, InterruptedException {
        switch (frame.type()) {
            case Channel.TASK, Channel.CALL, Channel.CHUNK, Channel.LAMBDA -> {
                boolean inline = Thread.currentThread() == taskThread;
                boolean handOver = false;
                synchronized (runLock) {
                    known.add(frame.id());
                    if (!inline) {
                        tasks.add(frame);
                        if (taskThreadIdle) {
                            reader = taskThread;        // it runs this task, then reads on
                            handOver = true;
                        }
                    }
                }
                if (inline) {
                    runTask(frame);
                } else if (handOver) {
                    LockSupport.unpark(taskThread);
                }
                return true;
            }
            case Channel.CANCEL -> cancel(frame.id(), frame.payload().length > 0 && frame.payload()[0] != 0);
            case Channel.FUNCTION -> ReceivedFunctions.register(frame.id(), frame.payload(), filter, classes);
            case Channel.CLASS_BYTES -> classes.answer(frame.id(), frame.payload());
            case Channel.FORGET -> ReceivedFunctions.forget(frame.id());
            case Channel.STOP -> {
                if (Thread.currentThread() != taskThread) {
                    synchronized (runLock) {
                        tasks.add(POISON);
                    }
                    LockSupport.unpark(taskThread);
                    taskThread.join();
                }
                haltIfExitHangs();
                System.exit(0);
            }
            default -> throw new IOException("unexpected frame type " + frame.type());
        }
        return false;
    }

    /**
     * Before the worker exits as told: halts it if the exit has not ended within
     * {@link #EXIT_GRACE_MILLIS}, as when a shutdown hook that a task registered waits for good.
     * Told to stop, a worker must end, or close() and the retirement of a worker past its task
     * limit would wait for it for good; Python's pool workers end with {@code os._exit}, which
     * runs no hooks at all.
     */
    private void haltIfExitHangs() {
        Thread.ofPlatform().daemon().name(identity.threadName() + "-exit-watch").start(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MILLIS);
            } catch (InterruptedException e) {
                // halt all the same
            }
            System.err.println("weft worker " + identity.threadName() + ": its shutdown hooks were still running "
                    + EXIT_GRACE_MILLIS + " ms after it was told to stop; it halts without them");
            Runtime.getRuntime().halt(0);
        });
    }

    /**
     * Cancels task {@code id}: dropped if it has not started, interrupted if it runs and
     * {@code interrupt}. A task still queued behind the one that runs is answered CANCELLED now,
     * by the flusher, and not once the running task ends: the parent takes back a task sent ahead
     * to this worker while its task runs long, for an idle worker to run (see ProcessPoolImpl's
     * recall), and a cancelled task's place is free at once. The flusher writes the answer because
     * this thread must not block on a write: it is the one that reads the channel.
     */
    private void cancel(long id, boolean interrupt) {
        synchronized (runLock) {
            if (!known.contains(id)) {
                return;                                         // finished already
            }
            if (runningId == id) {
                if (interrupt) {
                    runningCancelled = true;
                    taskThread.interrupt();
                }
                return;
            }
            if (!tasks.removeIf(frame -> frame.id() == id)) {
                cancelled.add(id);                              // the task thread has taken it: it answers
                return;
            }
            known.remove(id);
            dropped.add(id);
        }
        flushSoon();
    }

    private void runTasks(byte[] setup) {
        try {
            Setup s = Setup.decode(setup, filter, classes);
            idleSpinNanos = Runtime.getRuntime().availableProcessors() > 1 ? s.idleSpinNanos() : 0;
            if (s.initializer() != null) {
                s.initializer().run();
            }
        } catch (Throwable e) {
            // On stderr too: should the frame not arrive, the parent still breaks the pool with this tail.
            System.err.println("weft worker " + Thread.currentThread().getName() + ": the pool's initializer threw:");
            e.printStackTrace();
            System.err.flush();
            send(Channel.SETUP_FAILED, 0, e);               // flushed before the halt: see send
            Runtime.getRuntime().halt(WorkerExit.EXIT_SETUP_FAILED);
        }
        send(Channel.READY, 0, null);                       // flushed before the first task runs: see send
        try {
            boolean spin = false;       // whether it ran a task since it last blocked
            int burst = 0;              // the tasks it ran since the channel last ran dry or it slept, up to 2
            for (Channel.Frame next; (next = nextQueued()) != POISON; ) {
                if (next != null) {
                    if (sleptForTask) {
                        sleptForTask = false;
                        burst = 0;              // the channel thread held the channel: this one came alone
                    }
                    runTask(next);
                    spin = true;
                    burst = Math.min(burst + 1, 2);
                    continue;
                }
                // This thread holds the channel, and no task is queued: read the next frame. (Once it
                // has blocked, it spins again only after a task, so spin false means burst is 0.)
                if (spin && idleSpinNanos > 0 && !channel.hasInput()) {
                    // Out of tasks. After one task alone, its sender most likely waits for it, and the
                    // next comes one round trip later: spin for it. After a burst, the sender is
                    // busy making tasks, and a spin would take the core it needs: sleep at once.
                    spin = burst <= 1 && channel.awaitInput(idleSpinNanos);
                    burst = 0;
                }
                if (onFrame(readOrHalt())) {
                    spin = true;
                    burst = Math.min(burst + 1, 2);
                }
            }
        } catch (Throwable e) {
            channelBroke(e);
        }
    }

    /**
     * The task thread's next queued task, or null once it holds the channel and none is queued;
     * it sleeps until the channel thread gives it one or the other.
     */
    private Channel.Frame nextQueued() {
        for (;;) {
            synchronized (runLock) {
                Channel.Frame next = tasks.poll();
                if (next != null || reader == taskThread) {
                    taskThreadIdle = false;
                    return next;
                }
                taskThreadIdle = true;
            }
            sleptForTask = true;
            LockSupport.park(this);
        }
    }

    /** Runs a task and sends its outcome. */
    private void runTask(Channel.Frame frame) {
        long id = frame.id();
        boolean wasCancelled;
        boolean wakeStandby = false;
        synchronized (runLock) {
            wasCancelled = cancelled.remove(id);
            runningId = wasCancelled ? 0 : id;
            if (reader == taskThread) {                     // read by it, or given to it with the channel
                runningWithChannel = true;
                startsWithChannel++;
                wakeStandby = standbyAsleep;
                standbyAsleep = false;
            }
        }
        if (wakeStandby) {
            LockSupport.unpark(channelThread);
        }
        if (wasCancelled) {
            synchronized (runLock) {
                known.remove(id);
            }
            sendWhileRunning(Channel.CANCELLED, id, null);
            return;
        }
        Object outcome;
        boolean ok = false;
        {
            long start = System.nanoTime();
            try {
                Callable<?> task = switch (frame.type()) {
                    case Channel.CALL -> ReceivedFunctions.called(frame.payload());
                    case Channel.CHUNK -> ProcessJob.RemoteChunk.of(frame.payload(), filter);
                    case Channel.LAMBDA -> ReceivedFunctions.captured(frame.payload(), filter);
                    default -> (Callable<?>) Channel.deserialize(frame.payload(), filter, classes);
                };
                PoolMapping.CancelFlag.RUNNING.set(() -> runningCancelled);
                outcome = task.call();
                ok = true;
            } catch (Throwable e) {
                outcome = StandIn.portable(e);
            }
            lastTaskNanos = System.nanoTime() - start;
        }
        PoolMapping.CancelFlag.RUNNING.remove();
        synchronized (runLock) {
            runningId = 0;
            runningCancelled = false;
            known.remove(id);
            Thread.interrupted();                           // a late cancel must not reach the next task
        }
        sendWhileRunning(ok ? Channel.RESULT : Channel.ERROR, id, outcome);
    }

    /**
     * Sends a task's outcome as part of its run: the task thread stays "running with the channel"
     * until the write returns. A write waits while the socket's buffer is full, that is until the
     * parent reads, and the parent's reader may itself be waiting to write the next task to this
     * worker, which reads nothing while its one reader writes. Counted as running, the write is
     * seen by the standby, which takes the channel after a check, as for a long task, and reads
     * that task: neither side then waits for the other for good.
     */
    private void sendWhileRunning(byte type, long id, Object outcome) {
        send(type, id, outcome);
        synchronized (runLock) {
            runningWithChannel = false;
        }
    }

    /**
     * Sends an outcome; one that cannot be serialized is replaced by an exception that says so.
     * READY and SETUP_FAILED are always flushed at once: the halt that follows SETUP_FAILED would
     * drop an unflushed frame, and the parent takes a worker that died without sending READY for
     * one that started none of its tasks (see {@link WorkerExit}).
     */
    private void send(byte type, long id, Object outcome) {
        byte[] payload;
        try {
            payload = outcome == null && type == Channel.CANCELLED ? new byte[0] : Channel.serialize(outcome);
        } catch (IOException | RuntimeException e) {
            type = type == Channel.RESULT ? Channel.ERROR : type;
            payload = unserializable(outcome, e);
        }
        try {
            channel.writeUnflushed(type, id, payload);
            if (type == Channel.READY || type == Channel.SETUP_FAILED
                    || !moreToRun() || lastTaskNanos >= TINY_TASK_NANOS || ++unflushed >= MAX_UNFLUSHED) {
                channel.flush();                    // the parent is waiting for this, or for these
                unflushed = 0;
            } else {
                flushSoon();                        // batched with the next tiny tasks' results, never held up long
            }
        } catch (IOException e) {
            Runtime.getRuntime().halt(WorkerExit.EXIT_PARENT_GONE);
        }
    }

    /**
     * Whether another task is queued or, while this thread holds the channel, whether another frame
     * has arrived and waits in its buffer. Task thread only.
     */
    private boolean moreToRun() {
        synchronized (runLock) {
            if (!tasks.isEmpty()) {
                return true;
            }
            if (reader != taskThread) {
                return false;
            }
        }
        return channel.hasBufferedFrame();
    }

    /**
     * Has the flusher thread flush within about {@link #FLUSH_DELAY_NANOS}. Results of tiny tasks
     * written while more tasks are queued go out together; this is the safety net for a long task
     * that follows tiny ones, so that their results do not wait for it. See {@link #flushPending}
     * for why no write is missed.
     */
    private void flushSoon() {
        if (!flushPending) {
            flushPending = true;
            LockSupport.unpark(flusher);
        }
    }

    private void runFlusher() {
        for (;;) {
            while (!flushPending) {
                LockSupport.park(this);
            }
            LockSupport.parkNanos(FLUSH_DELAY_NANOS);
            flushPending = false;
            try {
                answerDropped();
                channel.flush();
            } catch (IOException e) {
                Runtime.getRuntime().halt(WorkerExit.EXIT_PARENT_GONE);
            }
        }
    }

    /** The flusher: writes CANCELLED for the queued tasks that {@link #cancel} dropped, for its flush to send. */
    private void answerDropped() throws IOException {
        long[] ids;
        synchronized (runLock) {
            if (dropped.isEmpty()) {
                return;
            }
            ids = dropped.stream().mapToLong(Long::longValue).toArray();
            dropped.clear();
        }
        for (long id : ids) {
            channel.writeUnflushed(Channel.CANCELLED, id, new byte[0]);
        }
    }

    private static byte[] unserializable(Object outcome, Exception why) {
        try {
            return Channel.serialize(RemoteTaskException.of(StandIn.of(outcome, why)));
        } catch (IOException e) {
            throw new AssertionError("a RemoteTaskException is serializable", e);
        }
    }
}
