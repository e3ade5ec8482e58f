package dev.weft.internal.process;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a worker of a process pool ended, read from its exit code, whether it had said it was
 * ready, and whether its channel broke; and the words for it in the pool's
 * {@code BrokenProcessPoolException}, which the pool makes from them.
 *
 * <h2>Faults told apart</h2>
 * <ul>
 * <li><b>Killed from outside</b> ({@link #killed()}): a signal that only someone else sends, so it
 *     says nothing about the worker: {@code SIGKILL} ({@code kill -9}, the kernel's OOM killer),
 *     {@code SIGTERM}, {@code SIGINT}, {@code SIGHUP}. On Unix a process ended by signal N exits,
 *     as {@link Process#exitValue()} reports it, with 128 + N: 137, 143, 130, 129.</li>
 * <li><b>Cannot start</b> ({@link #startFault()}): it ended before it was ready, by its own doing:
 *     an exit code of its own (a bad JVM flag or a missing class exits with 1, a failing initializer
 *     with {@value #EXIT_SETUP_FAILED}), a crash ({@code SIGSEGV}, or
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
public final class WorkerExit {
    /**
     * The exit codes a worker JVM chooses: its initializer threw (after it sent the exception), its
     * parent is gone, its channel broke.
     */
    public static final int EXIT_SETUP_FAILED = 70, EXIT_PARENT_GONE = 71, EXIT_CHANNEL_BROKEN = 72;

    /** Signals that only come from outside the worker, by number. */
    private static final Map<Integer, String> KILLS = Map.of(1, "SIGHUP", 2, "SIGINT", 9, "SIGKILL", 15, "SIGTERM");
    /** Signals a JVM may end with by itself, by number: for the message only. */
    private static final Map<Integer, String> CRASHES = Map.of(4, "SIGILL", 6, "SIGABRT", 7, "SIGBUS", 8, "SIGFPE",
            11, "SIGSEGV");

    /**
     * How the JDK's {@link ProcessBuilder#start()} reports (in its own message or its cause's) a
     * launch whose helper process, the one that execs the new JVM ({@code jspawnhelper}), a signal
     * ended before the exec: "Failed to exec spawn helper: pid: N, signal: S".
     */
    private static final Pattern LAUNCH_KILLED = Pattern.compile("spawn helper: pid: \\d+, signal: (\\d+)");
    /** An error number in a launch's message: "error=24" (JDK 17 to 24) or "error: 24" (JDK 25). */
    private static final Pattern ERROR_NUMBER = Pattern.compile("error(?:=|: )(\\d{1,4})\\b");
    /** The error numbers of a resource the machine may give back: EAGAIN, ENOMEM, ENFILE, EMFILE (Linux, macOS). */
    private static final Set<Integer> PASSING_ERRORS = Set.of(11, 12, 23, 24, 35);

    private final String worker;
    private final int exitCode;
    private final List<String> stderrTail;
    private final Throwable channelError;
    private final Throwable closedHere;
    private final boolean ready;

    /**
     * @param worker       the worker, as {@code WorkerProcess.toString()} names it
     * @param exitCode     its process's exit code
     * @param stderrTail   its last lines of standard error
     * @param channelError what was wrong with its channel (the parent then killed it), or null
     * @param closedHere   why the parent closed its channel for a reason of its own
     *                     ({@code Channel.closedHere()}), or null: the worker then saw no more than
     *                     its channel break, and the message gives the parent's reason
     * @param ready        whether it had sent READY
     */
    public WorkerExit(String worker, int exitCode, List<String> stderrTail, Throwable channelError,
                      Throwable closedHere, boolean ready) {
        this.worker = worker;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
        this.channelError = channelError;
        this.closedHere = closedHere;
        this.ready = ready;
    }

    /**
     * Whether {@code e}, from launching a worker, says that a kill from outside took the launch:
     * its helper process ended by one of the signals of {@link #killed()}, before it became the
     * worker's JVM. Like a kill of a worker that is still starting, that says nothing about the
     * worker, and another launch may succeed.
     */
    public static boolean launchKilled(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = t.getMessage() == null ? null : LAUNCH_KILLED.matcher(t.getMessage());
            if (m != null && m.find()) {
                return KILLS.containsKey(Integer.parseInt(m.group(1)));
            }
        }
        return false;
    }

    /**
     * Whether {@code e}, from launching a worker, says that the machine lacked a resource it may
     * give back soon: no descriptor left in this process or the system (EMFILE, ENFILE), no
     * process or thread left for this user (EAGAIN), no memory (ENOMEM). The JDK names the error
     * number in {@link ProcessBuilder#start()}'s message ("error=24, Too many open files", or
     * "error: 24 (Too many open files)"); a socket that cannot open says "Too many open files";
     * a thread that cannot start is {@link #noThread}'s. Any other failure (no such program, no
     * permission) will not pass by itself.
     */
    public static boolean launchMayPass(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            if (isNoThread(t)) {
                return true;
            }
            Matcher m = ERROR_NUMBER.matcher(message);
            while (m.find()) {
                if (PASSING_ERRORS.contains(Integer.parseInt(m.group(1)))) {
                    return true;
                }
            }
            if (message.contains("Too many open files")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code error} as a failed launch, if it is the JVM's failure to start a thread for want of
     * threads or memory ("unable to create native thread", under a limit such as
     * {@code ulimit -u}): an {@link IOException} that {@link #launchMayPass}, as the same want
     * met by {@code fork} is; otherwise null. The JDK throws it from
     * {@link ProcessBuilder#start()} too, when its process reaper cannot start after the spawn.
     */
    public static IOException noThread(Throwable error, String what) {
        return isNoThread(error) ? new IOException(what + ": " + error.getMessage(), error) : null;
    }

    private static boolean isNoThread(Throwable t) {
        return t instanceof OutOfMemoryError && t.getMessage() != null
                && t.getMessage().contains("unable to create native thread");
    }

    /**
     * Whether {@code e}, from launching a worker, says that the JDK's spawn helper
     * ({@code jspawnhelper}), the process that execs the worker's JVM, ended before the exec,
     * whatever ended it: "Failed to exec spawn helper: pid: N, exit code: 127". When the launch
     * before failed for want of descriptors, this is most likely the same want, met by the
     * helper: its dynamic loader could not open {@code libc}.
     */
    public static boolean spawnHelperFailed(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Failed to exec spawn helper")) {
                return true;
            }
        }
        return false;
    }

    /** Whether it was killed from outside: a signal that says nothing about the worker itself. */
    public boolean killed() {
        return channelError == null && KILLS.containsKey(signal());
    }

    /** Whether it could not start: it ended before it was ready, and not because it was killed. */
    public boolean startFault() {
        return !ready && !killed();
    }

    /** Whether it exited with the code of a failing initializer before it was ready. */
    public boolean initializerFailed() {
        return !ready && channelError == null && exitCode == EXIT_SETUP_FAILED;
    }

    /** Whether it certainly started none of the tasks it was sent: see the class comment. */
    public boolean startedNoTask() {
        return !ready && channelError == null;
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> stderrTail() {
        return stderrTail;
    }

    public Throwable channelError() {
        return channelError;
    }

    /** The signal that ended it, or 0: on Unix, an exit code of 128 + N is signal N. */
    private int signal() {
        return exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : 0;
    }

    /**
     * What happened, as the rest of a sentence that begins with the worker's name: "exited with
     * code 137 (killed by signal 9, SIGKILL) before it was ready".
     */
    public String how() {
        int signal = signal();
        String how;
        if (channelError != null) {
            how = "broke its channel (" + channelError.getMessage() + ") and was killed";
        } else if (closedHere != null && (exitCode == EXIT_CHANNEL_BROKEN || exitCode == EXIT_PARENT_GONE)) {
            how = "exited with code " + exitCode + " (this JVM closed its channel: " + closedHere + ")";
        } else if (closedHere != null) {
            how = "was killed by this JVM, which could not take its connection (" + closedHere + "), and exited with code "
                    + exitCode;
        } else if (KILLS.containsKey(signal)) {
            how = "exited with code " + exitCode + " (killed by signal " + signal + ", " + KILLS.get(signal) + ")";
        } else if (CRASHES.containsKey(signal)) {
            how = "exited with code " + exitCode + " (crashed: signal " + signal + ", " + CRASHES.get(signal) + ")";
        } else if (exitCode == EXIT_PARENT_GONE) {
            // The parent is the one reading this: the worker saw its end of the channel close.
            how = "exited with code " + exitCode + " (its end of the channel to this JVM closed: a task that "
                    + "interrupts the worker's own threads does that, since an interrupted socket read closes the socket)";
        } else if (exitCode == EXIT_CHANNEL_BROKEN) {
            how = "exited with code " + exitCode + " (its channel to this JVM broke)";
        } else {
            how = "exited with code " + exitCode;
        }
        return how + (ready ? "" : " before it was ready");
    }

    /** The message of a task it held: it names the worker, how it ended, and its stderr. */
    public String heldTask(String pool) {
        return worker + " of pool '" + pool + "' " + how() + " while it held this task" + lastLines();
    }

    /** The message of a task it held when the pool broke for {@code reason}: it names this worker. */
    public String heldWhenBroken(String pool, String reason) {
        return worker + " of pool '" + pool + "' held this task when the pool broke: " + reason;
    }

    /** Its last lines of standard error, as the end of a message. */
    public String lastLines() {
        return stderrTail.isEmpty() ? "; it wrote nothing to stderr"
                : "; its last lines of stderr:\n  " + String.join("\n  ", stderrTail);
    }

    @Override
    public String toString() {
        return worker;
    }
}
