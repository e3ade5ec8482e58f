package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.process.ReadTurn;
import dev.weft.internal.process.WorkerCommand;
import dev.weft.internal.process.WorkerProcess;
import dev.weft.internal.wire.Channel;
import dev.weft.internal.wire.ClassSource;
import dev.weft.internal.wire.SharedFunctions;
import dev.weft.testing.Await;
import dev.weft.testing.Gate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread that waits for an answer reads it itself while the worker's reader offers its turn
 * ({@link WorkerProcess#readWhileWaiting}), and whatever happens to the channel under it still
 * reaches the reader, which reports the worker's end. One worker, driven through its channel
 * alone; its reader offers its turn for a long time after a frame that came alone, as after the
 * worker's READY, so that each test knows the turn is offered when it asks.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerReadTurnTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String POOL = "read-turn-test";
    private static final long LONG_OFFER = Duration.ofSeconds(50).toNanos();

    /** A frame and the thread that handled it. */
    private record Handled(Channel.Frame frame, Thread thread) {
    }

    /** A worker's end as its reader reported it. */
    private record Exit(int code, Throwable channelError) {
    }

    private final BlockingQueue<Handled> frames = new LinkedBlockingQueue<>();
    private final BlockingQueue<Exit> exits = new LinkedBlockingQueue<>();
    private final ClassSource classes = new ClassSource();
    private final SharedFunctions functions = new SharedFunctions(classes::written);
    private WorkerCommand command;
    private WorkerProcess worker;
    /** Whether the reader reported the worker's end; set by the reader. */
    private volatile boolean exited;
    /** Whether the worker's READY came; set by the reader. */
    private volatile boolean ready;
    /** The threads that ran what a waiter handed off. */
    private final BlockingQueue<Thread> handedOffTo = new LinkedBlockingQueue<>();

    @AfterEach
    void end() throws InterruptedException {
        if (worker != null && !exited) {
            worker.kill();
            exits.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        if (command != null) {
            command.end();
        }
    }

    @Test
    void aWaiterReadsTheAnswerItWaitsForInItsOwnThreadAndHandsItsCallbacksToTheReader() throws Exception {
        start(LONG_OFFER, false);
        awaitOffered();
        AtomicBoolean readUntilDone = new AtomicBoolean();
        Thread waiter = Thread.ofPlatform().name("waiter").start(() -> readUntilDone.set(
                worker.readWhileWaiting(() -> !frames.isEmpty(), WAIT.toNanos(), () -> false)));
        Await.until("the waiter holds the turn", () -> worker.turnState() == ReadTurn.LENT, WAIT);
        send(1, () -> "read by the waiter");
        waiter.join(WAIT);
        assertThat(waiter.isAlive()).isFalse();

        Handled result = next();
        assertThat(result.frame().type()).isEqualTo(Channel.RESULT);
        assertThat(result.frame().id()).isEqualTo(1);
        assertThat(result.thread()).as("the thread that handled the answer").isSameAs(waiter);
        assertThat(readUntilDone).isTrue();
        Thread ranCallbacks = handedOffTo.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(ranCallbacks).as("the thread that ran what the waiter handed off").isNotNull();
        assertThat(ranCallbacks.getName()).endsWith("-reader");
        assertThat(worker.turnState()).as("the turn, given back").isNotEqualTo(ReadTurn.LENT);

        send(2, () -> "read by the reader");         // nobody waits: the reader takes its turn back
        Handled second = next();
        assertThat(second.frame().id()).isEqualTo(2);
        assertThat(second.thread().getName()).endsWith("-reader");
    }

    @Test
    void aFrameLargerThanTheBufferIsLeftToTheReader() throws Exception {
        start(LONG_OFFER, false);
        awaitOffered();
        AtomicBoolean readUntilDone = new AtomicBoolean(true);
        Thread waiter = Thread.ofPlatform().name("waiter").start(() -> readUntilDone.set(
                worker.readWhileWaiting(() -> !frames.isEmpty(), Duration.ofMillis(200).toNanos(), () -> true)));
        Await.until("the waiter holds the turn", () -> worker.turnState() == ReadTurn.LENT, WAIT);
        send(1, () -> "x".repeat(300_000));        // never whole in the buffer
        Handled result = next();
        assertThat(result.frame().id()).isEqualTo(1);
        assertThat(result.thread().getName()).as("the thread that read the large answer").endsWith("-reader");
        waiter.join(WAIT);
        assertThat(readUntilDone).isFalse();
    }

    @Test
    void aTurnNotOfferedIsNotTaken() throws Exception {
        start(0, false);                             // a reader that never offers
        Await.until("the worker is ready", () -> ready, WAIT);
        assertThat(worker.turnState()).isEqualTo(ReadTurn.READER);
        assertThat(worker.readWhileWaiting(() -> false, WAIT.toNanos(), () -> false)).isFalse();     // at once
        send(1, () -> "read by the reader");

        Handled result = next();
        assertThat(result.frame().id()).isEqualTo(1);
        assertThat(result.thread()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void anInterruptedWaiterGivesTheTurnBackAndKeepsItsInterrupt() throws Exception {
        start(LONG_OFFER, false);
        awaitOffered();
        Thread.currentThread().interrupt();
        try {
            worker.readWhileWaiting(() -> false, WAIT.toNanos(), () -> false);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(worker.turnState()).isEqualTo(ReadTurn.OFFERED);
        send(1, () -> "read by the reader");
        assertThat(next().thread()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void aWorkerThatDiesUnderAWaiterIsReportedByTheReader() throws Exception {
        start(LONG_OFFER, false);
        awaitOffered();
        try (Gate stall = Gate.closed()) {
            send(1, () -> {
                stall.pass();
                return "never";
            });
            Thread waiter = Thread.ofPlatform().name("waiter").start(
                    () -> worker.readWhileWaiting(() -> false, WAIT.toNanos(), () -> false));
            Await.until("the task runs", () -> stall.arrivals() == 1, WAIT);
            Await.until("the waiter reads", () -> worker.turnState() == ReadTurn.LENT, WAIT);
            worker.process.destroyForcibly();

            Exit exit = exits.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(exit).as("the worker's end, reported by its reader").isNotNull();
            assertThat(exit.code()).isNotZero();
            waiter.join(WAIT);
            assertThat(waiter.isAlive()).as("the waiter, returned").isFalse();
            assertThat(frames).as("no answer came").isEmpty();
        }
    }

    @Test
    void whatBreaksAFrameUnderAWaiterBreaksTheChannel() throws Exception {
        start(LONG_OFFER, true);                     // the listener throws for a RESULT
        awaitOffered();
        Thread waiter = Thread.ofPlatform().name("waiter").start(
                () -> worker.readWhileWaiting(() -> false, WAIT.toNanos(), () -> false));
        Await.until("the waiter holds the turn", () -> worker.turnState() == ReadTurn.LENT, WAIT);
        send(1, () -> "its handling throws");

        assertThat(next().thread()).as("the thread whose handling threw").isSameAs(waiter);
        Exit exit = exits.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(exit).as("the worker's end, reported by its reader").isNotNull();
        assertThat(exit.channelError()).hasRootCauseMessage("the listener failed on a RESULT");
        waiter.join(WAIT);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(worker.turnState()).as("the turn, once the reader ended").isEqualTo(ReadTurn.CLOSED);
    }

    private void start(long answerSpinNanos, boolean failOnResult) throws Exception {
        ProcessPool.Configuration config = ProcessPool.Configuration.DEFAULT;
        command = ProcessPoolImpl.workerCommand(config);
        byte[] setup = new ProcessWorkerMain.Setup(null, config.idleSpin().toNanos()).encode(classes::written);
        worker = WorkerProcess.start(new WorkerProcess.Listener() {
            @Override
            public void readerStarted() {
            }

            @Override
            public void onFrame(WorkerProcess from, Channel.Frame frame) {
                if (frame.type() == Channel.READY) {
                    ready = true;
                    return;
                }
                frames.add(new Handled(frame, Thread.currentThread()));
                Executor elsewhere = from.handOff();
                if (elsewhere != null) {
                    elsewhere.execute(() -> handedOffTo.add(Thread.currentThread()));
                }
                if (failOnResult && frame.type() == Channel.RESULT) {
                    throw new IllegalStateException("the listener failed on a RESULT");
                }
            }

            @Override
            public void onExit(WorkerProcess from, int exitCode, List<String> stderrTail, Throwable channelError) {
                exited = true;
                exits.add(new Exit(exitCode, channelError));
            }
        }, "weft-process-read-turn-test-", WorkerProcess.spawn(POOL, "weft-process-read-turn-test-", 1, command,
                config.filterPattern(), config.environment()), command, setup, answerSpinNanos);
    }

    /** Waits until the reader, having read the worker's READY alone, offers its turn. */
    private void awaitOffered() {
        Await.until("the reader offers its turn", () -> worker.turnState() == ReadTurn.OFFERED, WAIT);
    }

    private void send(long id, SerializableCallable<Object> task) {
        ProcessJob job = ProcessJob.encode(new PoolTask<>(null, task, false), id, functions, classes, POOL);
        assertThat(worker.send(job)).isTrue();
        worker.flush();
    }

    private Handled next() throws InterruptedException {
        Handled frame = frames.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(frame).as("an answer within %s", WAIT).isNotNull();
        return frame;
    }
}
