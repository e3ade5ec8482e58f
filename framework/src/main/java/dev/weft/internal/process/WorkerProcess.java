package dev.weft.internal.process;

import dev.weft.internal.threads.Threads;
import dev.weft.internal.wire.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The parent's side of one worker JVM of a process pool: the process, its channel, and its three
 * helper threads. It does the I/O and reports to its {@link Listener}; what the pool knows of
 * the worker (the tasks it holds, whether it is ready) is the pool's.
 *
 * <ul>
 * <li>The reader, {@code weft-process-POOL-N-reader}, waits for the worker to connect to its
 *     {@link Rendezvous} (while the process lives), attaches the connection to the channel, then
 *     reads the worker's frames and hands them to the listener; after a frame that came alone it
 *     may lend its turn to a thread that waits for an answer ({@link #readWhileWaiting}), and it
 *     runs the callbacks that thread hands back. When the stream ends (or turns out
 *     corrupt, in which case it kills the worker), it waits for the process to exit, waits for the
 *     two copying threads, and reports the exit to the listener ({@link Listener#onExit}); that
 *     is its last act, so a thread that joins it knows the worker is fully gone.</li>
 * <li>The stdout thread, {@code weft-process-POOL-N-stdout}, copies the worker's standard output
 *     to the parent's {@code System.out}: what tasks print, JVM logging such as {@code -Xlog:gc},
 *     subprocesses that inherit it, native code.</li>
 * <li>The stderr thread, {@code weft-process-POOL-N-stderr}, copies the worker's standard error
 *     to the parent's {@code System.err} and keeps its last {@value #TAIL_LINES} lines, which the
 *     listener is given with the worker's exit.</li>
 * </ul>
 * The worker's standard input is closed at once: it reads an end of stream.
 */
public final class WorkerProcess {
    /** What a worker's reader thread reports, in this order: started, frames, exit. */
    public interface Listener {
        /** Called by the reader thread first. */
        void readerStarted();

        /** Called by the reader thread for each frame the worker sends. */
        void onFrame(WorkerProcess worker, Channel.Frame frame);

        /**
         * Called by the reader thread as its last act, once the process has exited and its output
         * is copied: the exit code, the last lines of its stderr, and what broke the channel, if
         * anything did.
         */
        void onExit(WorkerProcess worker, int exitCode, List<String> stderrTail, Throwable channelError);
    }

    public static final int TAIL_LINES = 20;
    /** How long a worker whose stream has ended may take to exit before it is killed. */
    private static final long EXIT_GRACE_SECONDS = 10;

    public final int index;
    public final Process process;
    public final Channel channel;
    private final Listener listener;
    /** Where the worker connects; the reader closes it once it has (or once the worker is gone). */
    private final Rendezvous rendezvous;
    private final Thread reader;
    private final Thread stdout;
    private final Thread stderr;
    /** How many functions a worker may keep that no chunk in flight uses. */
    private static final int IDLE_FUNCTIONS = 16;
    /** A CANCEL frame's payload that asks for no interrupt; never written to. */
    private static final byte[] NO_INTERRUPT = {0};
    /**
     * The map functions this worker was sent, oldest first, with the number of its chunks in
     * flight that use each; guarded by itself, which is held for no write. A worker keeps every
     * function it was sent until a {@code FORGET} frame, which goes only for a function no chunk in
     * flight uses, in the same stream: so a chunk always finds its function, and the worker's table
     * stays small. A count rises only under the channel's lock, as a chunk is written, so a
     * function at 0 stays at 0 while {@link #forgetIdleFunctions} writes its {@code FORGET}. The
     * reader lowers it ({@link #answered}) without the channel's lock: a writer may hold that lock
     * while it waits for the worker to read, and the worker may be waiting for the reader.
     */
    private final Map<Long, Integer> functions = new LinkedHashMap<>();
    /** The last lines of standard error: written by the stderr thread, read by the reader; guarded by itself. */
    private final LineTail tail = new LineTail(TAIL_LINES, Charset.defaultCharset());
    /** How long the reader offers its turn, polling, after a frame that came alone; 0 for never. */
    private final long answerSpinNanos;
    /** Whose turn it is to read the channel: see {@link #offerTurn} and {@link #readWhileWaiting}. */
    private final ReadTurn turn = new ReadTurn();
    /** What broke the channel under a thread that read it while it waited; the reader then ends. */
    private volatile Throwable waiterFailure;
    /**
     * Why the reader could not take the worker's connection, if for want of a resource the machine
     * may give back ({@link WorkerExit#launchMayPass}), or null: see {@link #closedHere}. Reader only.
     */
    private IOException acceptFailure;
    /** The callbacks of futures that a waiter completed, for the reader to run: see {@link #handOff}. */
    private final ConcurrentLinkedQueue<Runnable> handedOff = new ConcurrentLinkedQueue<>();
    /**
     * How often a reader whose turn is lent checks whether it came back. A waiter that leaves
     * answers to read, or an end, wakes it at once; one that leaves nothing behind does not, as its
     * next wait most likely takes the turn again.
     */
    private static final long LENT_CHECK_NANOS = 1_000_000;
    /** What {@link #toString} returns: made once, since each outcome names its worker in case it fails to decode. */
    private final String name;

    private WorkerProcess(Listener listener, String threadPrefix, int index, Process process, Rendezvous rendezvous,
                          long answerSpinNanos) {
        this.listener = listener;
        this.answerSpinNanos = answerSpinNanos;
        this.index = index;
        this.process = process;
        this.rendezvous = rendezvous;
        this.channel = new Channel();
        this.name = "worker " + index + " (pid " + process.pid() + ")";
        String prefix = threadPrefix + index;
        this.stdout = Thread.ofPlatform().name(prefix + "-stdout").unstarted(this::copyStdout);
        this.stderr = Thread.ofPlatform().name(prefix + "-stderr").unstarted(this::copyStderr);
        this.reader = Thread.ofPlatform().name(prefix + "-reader").unstarted(this::read);
    }

    /**
     * A worker JVM spawned and not yet {@linkplain #start started}: its process, booting, and the
     * rendezvous where it will connect. A pool spawns its first workers before it builds the rest
     * of itself, so that their JVMs boot meanwhile.
     *
     * @param index the worker's number in its pool
     * @param process the worker's JVM
     * @param rendezvous where it connects, not yet listening
     */
    public record Spawned(int index, Process process, Rendezvous rendezvous) {
        /** Kills the worker and closes its rendezvous: no pool will start it. */
        public void abandon() {
            process.destroyForcibly();
            rendezvous.close();
        }
    }

    /**
     * Spawns worker {@code index}: the first half of a worker's start, which {@link #start} completes.
     * A launch that fails closes its rendezvous: a JVM the JDK spawned before it failed (its process
     * reaper could not start, say) finds neither its argument file nor its parent's socket, and exits.
     *
     * @throws IOException if the launch failed, the JVM's want of a thread among the reasons
     *                     ({@link WorkerExit#noThread})
     */
    public static Spawned spawn(String pool, String threadPrefix, int index, WorkerCommand command, String filter,
                                Map<String, String> environment) throws IOException {
        Rendezvous rendezvous = command.rendezvous();
        try {
            ProcessBuilder builder = new ProcessBuilder(command.command(pool, threadPrefix, index,
                    filter, rendezvous));
            builder.environment().putAll(environment);
            builder.environment().put(Rendezvous.TOKEN_VARIABLE, rendezvous.token());
            return new Spawned(index, builder.start(), rendezvous);
        } catch (Throwable e) {
            rendezvous.close();
            IOException noThread = WorkerExit.noThread(e, "cannot launch worker " + index);
            if (noThread != null) {
                throw noThread;
            }
            throw e;
        }
    }

    /**
     * Starts the worker {@code spawned} and sends it {@code setup}: the channel holds it, and the
     * tasks sent after it, until the worker connects. Kills the worker if it cannot listen for it.
     *
     * @param answerSpinNanos how long the reader offers its turn, polling, after a frame that came
     *     alone, before it reads again itself (see {@link #offerTurn}); 0 for never
     */
    public static WorkerProcess start(Listener listener, String threadPrefix, Spawned spawned, WorkerCommand command,
                                      byte[] setup, long answerSpinNanos) throws IOException {
        Process process = spawned.process();
        Rendezvous rendezvous = spawned.rendezvous();
        try {
            rendezvous.listen();                    // while the worker's JVM boots: see Rendezvous
        } catch (IOException | RuntimeException e) {
            spawned.abandon();                      // it would wait for a socket that will not come
            throw e;
        }
        try {
            process.getOutputStream().close();      // the worker's stdin: an end of stream
        } catch (IOException e) {
            // it died at once: the reader finds out and reports it
        }
        command.sweepOnce();                        // while the worker's JVM boots
        WorkerProcess worker = new WorkerProcess(listener, threadPrefix, spawned.index(), process, rendezvous,
                answerSpinNanos);
        worker.channel.write(Channel.SETUP, 0, setup);
        try {
            worker.stdout.start();
            worker.stderr.start();
            worker.reader.start();
        } catch (Throwable e) {
            // No reader will watch the worker: it ends here. Its copiers, if they started, end at its end of stream.
            spawned.abandon();
            IOException noThread = WorkerExit.noThread(e, "cannot start the threads of worker " + spawned.index());
            if (noThread != null) {
                throw noThread;
            }
            throw e;
        }
        return worker;
    }

    /**
     * Writes {@code job} (unflushed: see {@link #flush}), after the function it names if this worker
     * was not sent that yet, unless its task has ended (was cancelled): checked under the channel's
     * lock, so a CANCEL never overtakes it. False if it was not written for that reason. If the
     * pool took it back from this worker before this write ({@link #recall}), a CANCEL follows it.
     */
    public boolean send(WorkerJob job) {
        channel.lock();
        try {
            if (job.ticket.isDone()) {
                return false;
            }
            if (job.functionBytes != null) {
                Integer uses;
                synchronized (functions) {
                    uses = functions.get(job.function);
                }
                if (uses == null) {
                    channel.writeUnflushed(Channel.FUNCTION, job.function, job.functionBytes);
                    forgetIdleFunctions();
                }
                synchronized (functions) {
                    functions.merge(job.function, 1, Integer::sum);
                }
            }
            channel.writeUnflushed(job.frameType, job.id, job.payload);
            job.writtenTo = this;
            if (job.recallOnWrite == this) {
                job.recallOnWrite = null;
                channel.writeUnflushed(Channel.CANCEL, job.id, NO_INTERRUPT);
            }
            return true;
        } catch (IOException e) {
            return true;        // the worker is dying: the reader fails its tasks, this one included
        } finally {
            channel.unlock();
        }
    }

    /** Under the channel's lock: past {@link #IDLE_FUNCTIONS}, forgets the oldest functions no chunk in flight uses. */
    private void forgetIdleFunctions() throws IOException {
        List<Long> idle = new ArrayList<>();
        synchronized (functions) {
            var entries = functions.entrySet().iterator();
            while (functions.size() > IDLE_FUNCTIONS && entries.hasNext()) {
                var entry = entries.next();
                if (entry.getValue() == 0) {
                    idle.add(entry.getKey());
                    entries.remove();
                }
            }
        }
        for (long id : idle) {
            channel.writeUnflushed(Channel.FORGET, id, new byte[0]);
        }
    }

    /** The worker answered {@code job}, which was sent: its function has one use fewer. */
    public void answered(WorkerJob job) {
        if (job.functionBytes == null) {
            return;
        }
        synchronized (functions) {
            functions.computeIfPresent(job.function, (id, uses) -> uses - 1);
        }
    }

    /** Sends the jobs written by {@link #send}. */
    public void flush() {
        try {
            channel.flush();
        } catch (IOException e) {
            // the worker is dying: the reader will report it
        }
    }

    /**
     * Asks the worker to drop task {@code id} if it has not started (it answers CANCELLED), or to
     * interrupt it if it runs and {@code interrupt}.
     */
    public void cancel(long id, boolean interrupt) {
        quietly(Channel.CANCEL, id, interrupt ? new byte[] {1} : NO_INTERRUPT);
    }

    /**
     * Asks the worker to drop {@code job}, sent ahead to it and not started, and answer CANCELLED
     * (the pool takes it back for an idle worker); one it runs goes on. The job may be placed here
     * and not yet written, its writer behind this call: the CANCEL then follows its frame, in
     * {@link #send}, never overtakes it (the worker would ignore it as a task it does not know, and
     * then run the task).
     */
    public void recall(WorkerJob job) {
        channel.lock();
        try {
            if (job.writtenTo == this) {
                cancel(job.id, false);
            } else {
                job.recallOnWrite = this;
            }
        } finally {
            channel.unlock();
        }
    }

    /** Answers the worker's request {@code id} for a class with its class file, empty if the parent has none. */
    public void sendClass(long id, byte[] classFile) {
        quietly(Channel.CLASS_BYTES, id, classFile);
    }

    /** Asks the worker to exit; it holds no task. */
    public void stop() {
        quietly(Channel.STOP, 0, new byte[0]);
    }

    private void quietly(byte type, long id, byte[] payload) {
        try {
            channel.write(type, id, payload);
        } catch (IOException e) {
            // the worker is dying: the reader will report it
        }
    }

    /** Kills the worker; the reader then reports its exit. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * What made this JVM drop the worker's channel for a reason of its own, or null: it could not
     * take the worker's connection ({@link Rendezvous#accept} failed: the worker, which had then
     * started no task, was killed), or it closed the channel ({@link Channel#closedHere}). The
     * reader's, once it has reported the exit.
     */
    public Throwable closedHere() {
        return acceptFailure != null ? acceptFailure : channel.closedHere();
    }

    /** Why the reader could not take the worker's connection, or null: see {@link #closedHere}. */
    public IOException acceptFailure() {
        return acceptFailure;
    }

    public Thread reader() {
        return reader;
    }

    public long pid() {
        return process.pid();
    }

    private void read() {
        listener.readerStarted();
        Throwable broken = null;
        try {
            SocketChannel socket;
            try {
                socket = rendezvous.accept(process::isAlive);       // null: it died before it connected
            } catch (IOException e) {
                if (WorkerExit.launchMayPass(e)) {
                    acceptFailure = e;  // this JVM's own want (no descriptor for the connection): the worker is killed
                }
                throw e;
            } finally {
                rendezvous.close();
            }
            if (socket != null) {
                channel.attach(socket);
                int burst = 0;          // the frames read since the channel last ran dry, up to 2
                for (Channel.Frame frame; (frame = channel.read()) != null; ) {
                    listener.onFrame(this, frame);
                    burst = Math.min(burst + 1, 2);
                    if (answerSpinNanos > 0 && !channel.hasInput()) {
                        if (burst == 1) {
                            offerTurn();
                        }
                        burst = 0;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            broken = e == acceptFailure ? null : e;
            process.destroyForcibly();
        } finally {
            turn.close();                       // no waiter reads from here on
            runHandedOff();
            channel.close();
        }
        int exitCode = awaitExit();
        Threads.joinUninterruptibly(stdout);
        Threads.joinUninterruptibly(stderr);
        listener.onExit(this, exitCode, tail.lines(), broken);
    }

    /**
     * Dry after a frame that came alone: most likely an answer that woke a caller who waited for
     * it, and who sends the next task at once and may wait for its answer too. Offers that caller
     * the turn to read ({@link #readWhileWaiting}), so that nobody has to wake it; meanwhile polls
     * for input, yielding (the caller this thread has just woken may need this core), until
     * {@code answerSpinNanos} pass with the turn neither lent nor given back. Returns with the
     * turn taken back; throws what broke a waiter's reading.
     */
    private void offerTurn() throws IOException {
        turn.offer();
        long since = System.nanoTime();
        boolean lent = false;
        for (;;) {
            runHandedOff();
            if (turn.state() == ReadTurn.LENT) {
                lent = true;
                LockSupport.parkNanos(this, LENT_CHECK_NANOS);
                continue;
            }
            if (lent) {
                lent = false;
                since = System.nanoTime();      // given back: its waiter may be about to wait again
            }
            if (waiterFailure != null || channel.inputAvailable() || System.nanoTime() - since >= answerSpinNanos
                    || !process.isAlive()) {            // its end shows as no input: read it now
                if (turn.retake()) {
                    break;
                }
                continue;
            }
            Thread.yield();
        }
        runHandedOff();
        Throwable failure = waiterFailure;
        if (failure != null) {
            throw new IOException("the channel failed under a thread that read it while it waited: " + failure, failure);
        }
    }

    /**
     * Reads this worker's frames in the calling thread, as the reader would, if the reader has
     * offered its turn ({@link #offerTurn}): for a thread about to wait for an answer, which then
     * reads it instead of being woken for it. Hands each frame to the listener until {@code done}
     * says so, until nothing has come for {@code patienceNanos}, until the worker's process ends,
     * or until the thread is interrupted; returns at once if the turn is not offered. It gives the
     * turn back, and wakes the reader if the stream ended or failed (the reader reports both) or
     * if {@code answersExpected} says so once the turn is back. The callbacks of the futures it
     * completes go to the reader ({@link #handOff}).
     *
     * @return whether it held the turn until {@code done}
     * @throws Error what a frame's handling threw, if an error, once the reader knows of it
     */
    public boolean readWhileWaiting(BooleanSupplier done, long patienceNanos, BooleanSupplier answersExpected) {
        if (!turn.lend()) {
            return false;
        }
        boolean ended = true;                   // or failed: the reader must read or report it now
        try {
            long last = System.nanoTime();
            while (!done.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                // Only frames here whole: no socket call waits here, and the end or a failure is the reader's to report.
                if (channel.hasWholeFrame()) {
                    listener.onFrame(this, channel.read());
                    last = System.nanoTime();
                } else if (!process.isAlive()) {
                    return false;               // its end shows as no input: the reader reads it and reports it
                } else if (System.nanoTime() - last >= patienceNanos) {
                    break;
                } else {
                    Thread.yield();             // the worker may share this core
                }
            }
            ended = false;
            return done.getAsBoolean();
        } catch (IOException | RuntimeException e) {
            waiterFailure = e;                  // the reader kills the worker and reports it
            return false;
        } catch (Error e) {
            waiterFailure = e;
            throw e;
        } finally {
            turn.giveBack();
            if (ended || answersExpected.getAsBoolean()) {
                LockSupport.unpark(reader);
            }
        }
    }

    /** The state of this worker's {@link ReadTurn}. */
    public int turnState() {
        return turn.state();
    }

    /**
     * Where the thread that handles this worker's frames sends the callbacks of the futures it
     * completes: null for the reader, which runs them itself; for a waiter that reads its own
     * answer, the reader, as if it had read the frame. So a caller's {@code get()} never runs
     * callbacks (another thread's, which may wait for what the caller does next), and they run in
     * the thread they always run in. Only the thread that handles a frame asks.
     */
    public Executor handOff() {
        return turn.state() == ReadTurn.LENT ? this::handOff : null;
    }

    private void handOff(Runnable callbacks) {
        handedOff.add(callbacks);
        LockSupport.unpark(reader);
    }

    /** Runs the callbacks handed to the reader, in order; reader only. */
    private void runHandedOff() {
        for (Runnable callbacks; (callbacks = handedOff.poll()) != null; ) {
            callbacks.run();
        }
    }

    private int awaitExit() {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    if (!process.waitFor(EXIT_GRACE_SECONDS, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        continue;
                    }
                    return process.exitValue();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void copyStdout() {
        VirtualTimer.start();                       // while the worker's JVM boots
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                PrintStream out = System.out;
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /**
     * Starts the JDK's timer for virtual threads, once per JVM, while threads are plentiful: the
     * first worker's stdout thread does, while the worker's JVM boots, so that no caller waits for
     * it. The pool's watch ({@code recallWatch}, which launches again after a launch that failed)
     * is a virtual thread that waits with a timeout, and a JVM whose first timed wait of a virtual
     * thread comes when it has no thread left ({@code ulimit -u}) cannot start the timer: the
     * waiting thread stays parked for ever (JDK 25) or the wait throws (JDK 21). A virtual thread
     * that parks for a nanosecond starts the timer; its thread then lives as long as the JVM, as it
     * would after any virtual thread's first timed wait, and so, on JDK 25, does the
     * {@code VirtualThread-unblocker} that the first virtual thread starts.
     */
    private static final class VirtualTimer {
        static {
            try {
                Thread.ofVirtual().start(() -> LockSupport.parkNanos(1));
            } catch (Throwable e) {
                // no thread left even now: a watch that cannot start breaks its pool
            }
        }

        static void start() {
            // the class's initialization does it
        }
    }

    private void copyStderr() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getErrorStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                PrintStream err = System.err;
                err.write(buffer, 0, n);
                err.flush();
                tail.accept(buffer, 0, n);
            }
        } catch (IOException e) {
            // the process is gone
        }
        tail.end();
    }

    @Override
    public String toString() {
        return name;
    }
}
