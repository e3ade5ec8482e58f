package dev.weft;

import java.util.List;
import java.util.Map;

/**
 * How a worker of a {@link ProcessPool} ended, read from its exit code, whether it had said it
 * was ready, and whether its channel broke; and the words for it in a
 * {@link BrokenProcessPoolException}.
 *
 * <h2>Faults told apart</h2>
 * <ul>
 * <li><b>Killed from outside</b> ({@link #killed()}): a signal that only someone else sends, so it
 *     says nothing about the worker: {@code SIGKILL} ({@code kill -9}, the kernel's OOM killer),
 *     {@code SIGTERM}, {@code SIGINT}, {@code SIGHUP}. On Unix a process ended by signal N exits,
 *     as {@link Process#exitValue()} reports it, with 128 + N: 137, 143, 130, 129.</li>
 * <li><b>Cannot start</b> ({@link #startFault()}): it ended before it was ready, by its own doing:
 *     an exit code of its own (a bad JVM flag or a missing class exits with 1, a failing initializer
 *     with {@value ProcessWorkerMain#EXIT_SETUP_FAILED}), a crash ({@code SIGSEGV}, or
 *     {@code SIGABRT} after the JVM's fatal error report), or a channel that carried something
 *     other than frames. Repeated on fresh workers, this breaks the pool.</li>
 * <li><b>Died</b>: after it was ready, by its own doing ({@code System.exit} or a crash in a task,
 *     out of memory). The tasks it held fail; the pool replaces it.</li>
 * </ul>
 *
 * <p>A worker sends READY, flushed, before it starts its first task, and the parent reads every
 * frame a dead worker wrote before it sees the end of its stream. So a worker that ended with an
 * intact channel and without READY started none of the tasks it was sent
 * ({@link #startedNoTask()}): they can go to another worker.
 *
 * <p>Immutable; made by the dead worker's reader thread under the pool's lock.
 */
final class WorkerExit {
    /** Signals that only come from outside the worker, by number. */
    private static final Map<Integer, String> KILLS = Map.of(1, "SIGHUP", 2, "SIGINT", 9, "SIGKILL", 15, "SIGTERM");
    /** Signals a JVM may end with by itself, by number: for the message only. */
    private static final Map<Integer, String> CRASHES = Map.of(4, "SIGILL", 6, "SIGABRT", 7, "SIGBUS", 8, "SIGFPE",
            11, "SIGSEGV");

    private final String worker;
    private final Pool.Worker identity;
    private final int exitCode;
    private final List<String> stderrTail;
    private final Throwable channelError;
    private final boolean ready;

    /**
     * @param worker       the worker, as {@code WorkerProcess.toString()} names it
     * @param identity     the worker, as {@link BrokenProcessPoolException#worker()} names it
     * @param exitCode     its process's exit code
     * @param stderrTail   its last lines of standard error
     * @param channelError what was wrong with its channel (the parent then killed it), or null
     * @param ready        whether it had sent READY
     */
    WorkerExit(String worker, Pool.Worker identity, int exitCode, List<String> stderrTail, Throwable channelError,
               boolean ready) {
        this.worker = worker;
        this.identity = identity;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
        this.channelError = channelError;
        this.ready = ready;
    }

    /** Whether it was killed from outside: a signal that says nothing about the worker itself. */
    boolean killed() {
        return channelError == null && KILLS.containsKey(signal());
    }

    /** Whether it could not start: it ended before it was ready, and not because it was killed. */
    boolean startFault() {
        return !ready && !killed();
    }

    /** Whether it exited with the code of a failing initializer before it was ready. */
    boolean initializerFailed() {
        return !ready && channelError == null && exitCode == ProcessWorkerMain.EXIT_SETUP_FAILED;
    }

    /** Whether it certainly started none of the tasks it was sent: see the class comment. */
    boolean startedNoTask() {
        return !ready && channelError == null;
    }

    int exitCode() {
        return exitCode;
    }

    List<String> stderrTail() {
        return stderrTail;
    }

    Throwable channelError() {
        return channelError;
    }

    Pool.Worker identity() {
        return identity;
    }

    /** The signal that ended it, or 0: on Unix, an exit code of 128 + N is signal N. */
    private int signal() {
        return exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : 0;
    }

    /**
     * What happened, as the rest of a sentence that begins with the worker's name: "exited with
     * code 137 (killed by signal 9, SIGKILL) before it was ready".
     */
    String how() {
        int signal = signal();
        String how;
        if (channelError != null) {
            how = "broke its channel (" + channelError.getMessage() + ") and was killed";
        } else if (KILLS.containsKey(signal)) {
            how = "exited with code " + exitCode + " (killed by signal " + signal + ", " + KILLS.get(signal) + ")";
        } else if (CRASHES.containsKey(signal)) {
            how = "exited with code " + exitCode + " (crashed: signal " + signal + ", " + CRASHES.get(signal) + ")";
        } else {
            how = "exited with code " + exitCode;
        }
        return how + (ready ? "" : " before it was ready");
    }

    /** The exception of a task it held: it names the worker, how it ended, and its stderr. */
    BrokenProcessPoolException heldTask(String pool) {
        return new BrokenProcessPoolException(worker + " of pool '" + pool + "' " + how() + " while it held this task"
                + lastLines(), channelError, exitCode, stderrTail, identity);
    }

    /**
     * The exception of a task it held when the pool broke for {@code reason}, as {@code broken}
     * says: it names this worker, and carries the pool's cause, exit code and stderr.
     */
    BrokenProcessPoolException heldWhenBroken(String pool, String reason, BrokenProcessPoolException broken) {
        return new BrokenProcessPoolException(worker + " of pool '" + pool + "' held this task when the pool broke: "
                + reason, broken.getCause(), broken.exitCode(), broken.stderrTail(), identity);
    }

    /** Its last lines of standard error, as the end of a message. */
    String lastLines() {
        return stderrTail.isEmpty() ? "; it wrote nothing to stderr"
                : "; its last lines of stderr:\n  " + String.join("\n  ", stderrTail);
    }

    @Override
    public String toString() {
        return worker;
    }
}
