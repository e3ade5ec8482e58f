package dev.weft.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The events of a task scope: {@code dev.weft.ScopeOpened}, {@code dev.weft.ScopeClosed},
 * {@code dev.weft.SubtaskForked} and {@code dev.weft.SubtaskEnded}; call only where {@link Jfr#started}.
 *
 * <h2>How a scope uses them</h2>
 * At open, the owner asks {@link #enabled()}; only if a recording wants one of the four does it make
 * the arguments of {@link #opened}, which commits {@code ScopeOpened} if that is enabled and returns
 * the scope's token: a {@code ScopeClosed} event, begun, that carries the scope's name, id, enclosing
 * id and policy to the other three. A scope opened while no recording wanted them has no token, and
 * its fork, subtasks and close only test that it is null: they record nothing, even if a recording
 * starts meanwhile. The owner commits {@code SubtaskForked} at each fork ({@link #forked}); each
 * subtask's thread begins a {@code SubtaskEnded} before its task ({@link #subtaskStarted}) and
 * commits it once the subtask is finished ({@link #subtaskEnded}); the owner ends the
 * {@code ScopeClosed} at close ({@link #closing}) and, if it passes the threshold, fills in the
 * counts and commits it ({@link #closed}).
 *
 * <h2>Defaults</h2>
 * {@code ScopeClosed} (open to close) is enabled with a 20 ms threshold, as the JDK's own
 * {@code jdk.ThreadSleep} and {@code jdk.SocketRead} are: a recording with the JDK's default
 * settings shows the slow scopes. The three events per subtask or per scope's open are off unless a
 * recording enables them, as the JDK's {@code jdk.VirtualThreadStart} is: {@code SubtaskEnded} costs
 * each subtask two clock reads and an object even below its threshold (20 ms, once enabled).
 *
 * <p>Thread safety: the facade's methods are called by the threads named above; an event object is
 * touched by one thread at a time, handed over through the scope's own happens-before edges (open
 * before fork, fork before the subtask runs).
 */
public final class ScopeEvents {
    /** What every scope event says: which scope. */
    abstract static class InScope extends Event {
        @Label("Scope")
        @Description("The scope's name: the configured one, or scope-ID")
        String scope;
        @Label("Scope Id")
        @Description("A number for this scope, unique in this JVM")
        long scopeId;
    }

    /** What the scope's own two events say besides: where it sits in the tree, and how it runs. */
    abstract static class OfScope extends InScope {
        @Label("Enclosing Scope Id")
        @Description("The id of the scope it was opened in (by its owner, or in one of its subtasks); 0 for none")
        long enclosingId;
        @Label("Join Policy")
        String policy;
        @Label("Engine")
        @Description("The engine its subtask threads run on: core or sts")
        String engine;
        @Label("Owner")
        @Description("The name of the owner's thread (JFR may not show the names that virtual threads give themselves)")
        String owner;
    }

    /** A scope opened: committed by its owner, the event's thread. */
    @Name("dev.weft.ScopeOpened")
    @Label("Scope Opened")
    @Category({"Weft", "Scopes"})
    @Description("A task scope was opened; the event's thread is its owner")
    @Enabled(false)
    static final class Opened extends OfScope {
    }

    /** A scope closed: its duration runs from open to close; committed by its owner. */
    @Name("dev.weft.ScopeClosed")
    @Label("Scope Closed")
    @Category({"Weft", "Scopes"})
    @Description("A task scope was closed; the duration is from its open to its close, the event's thread its owner")
    @Threshold("20 ms")
    static final class Closed extends OfScope {
        @Label("Outcome")
        @Description("How join ended: succeeded, failed, timed out, interrupted, or not joined")
        String outcome;
        @Label("Cancelled")
        @Description("Whether the scope was cancelled: by its policy, its deadline, an interrupt or its close")
        boolean cancelled;
        @Label("Forked")
        int forked;
        @Label("Succeeded")
        int succeeded;
        @Label("Failed")
        int failed;
        @Label("Cancelled Subtasks")
        int cancelledSubtasks;
    }

    /** A subtask forked: committed by the owner. */
    @Name("dev.weft.SubtaskForked")
    @Label("Subtask Forked")
    @Category({"Weft", "Scopes"})
    @Description("A subtask was forked; the event's thread is the scope's owner")
    @Enabled(false)
    @StackTrace(false)
    static final class Forked extends InScope {
        @Label("Thread Name")
        @Description("The name its thread takes when it starts (weft-scope-NAME-N, or weft-scope-N if the scope is unnamed), if already known; else empty")
        String threadName;
        @Label("Queued")
        @Description("Whether it waits for a slot of the scope's concurrency limit")
        boolean queued;
    }

    /** A subtask ended: its duration is the subtask's run; committed by its thread. */
    @Name("dev.weft.SubtaskEnded")
    @Label("Subtask Ended")
    @Category({"Weft", "Scopes"})
    @Description("A subtask finished; the duration is its run, the event's thread the subtask's thread")
    @Enabled(false)
    @Threshold("20 ms")
    @StackTrace(false)
    static final class Ended extends InScope {
        @Label("Thread Name")
        @Description("The name of the subtask's thread, weft-scope-NAME-N or weft-scope-N (JFR may not show the names that virtual "
                + "threads give themselves)")
        String threadName;
        @Label("State")
        @Description("SUCCESS, FAILED or CANCELLED")
        String state;
        @Label("Exception")
        @Description("The class of the exception it ended with, if any")
        Class<?> exception;
        @Label("Message")
        String message;
    }

    private static final Opened OPENED = new Opened();
    private static final Closed CLOSED = new Closed();
    private static final Forked FORKED = new Forked();
    private static final Ended ENDED = new Ended();

    private ScopeEvents() {
    }

    /** Whether a recording wants any of the four events now: the owner asks at open. */
    public static boolean enabled() {
        return CLOSED.isEnabled() || ENDED.isEnabled() || OPENED.isEnabled() || FORKED.isEnabled();
    }

    /**
     * The owner, at open, after {@link #enabled()} said yes: commits {@code ScopeOpened} if it is
     * enabled, and returns the scope's token, never null.
     */
    public static Object opened(String scope, long scopeId, long enclosingId, String policy, String engine) {
        if (OPENED.isEnabled()) {
            describe(new Opened(), scope, scopeId, enclosingId, policy, engine).commit();
        }
        Closed token = describe(new Closed(), scope, scopeId, enclosingId, policy, engine);
        token.begin();
        return token;
    }

    /** Fills in what {@code event} says of its scope, and its owner, the calling thread. */
    private static <E extends OfScope> E describe(E event, String scope, long scopeId, long enclosingId, String policy,
                                                  String engine) {
        event.scope = scope;
        event.scopeId = scopeId;
        event.enclosingId = enclosingId;
        event.policy = policy;
        event.engine = engine;
        event.owner = Thread.currentThread().getName();
        return event;
    }

    /** Copies which scope {@code from} is of into {@code to}. */
    private static void copy(InScope from, InScope to) {
        to.scope = from.scope;
        to.scopeId = from.scopeId;
    }

    /** The owner, at a fork in the scope of {@code token}: commits {@code SubtaskForked} if it is enabled. */
    public static void forked(Object token, String threadName, boolean queued) {
        if (FORKED.isEnabled()) {
            Forked forked = new Forked();
            copy((Closed) token, forked);
            forked.threadName = threadName;
            forked.queued = queued;
            forked.commit();
        }
    }

    /**
     * A subtask's thread, before its task, in the scope of {@code token}: a begun
     * {@code SubtaskEnded} to hand to {@link #subtaskEnded}, or null if that is not enabled.
     */
    public static Object subtaskStarted(Object token) {
        if (!ENDED.isEnabled()) {
            return null;
        }
        Ended ended = new Ended();
        copy((Closed) token, ended);
        ended.begin();
        return ended;
    }

    /**
     * The same thread, once the subtask is finished: commits the {@code SubtaskEnded} that
     * {@link #subtaskStarted} returned, if it lasted past the threshold. {@code failure} may be null.
     */
    public static void subtaskEnded(Object subtaskToken, String state, Throwable failure) {
        Ended ended = (Ended) subtaskToken;
        ended.end();
        if (ended.shouldCommit()) {
            ended.threadName = Thread.currentThread().getName();
            ended.state = state;
            if (failure != null) {
                ended.exception = failure.getClass();
                ended.message = failure.getMessage();
            }
            ended.commit();
        }
    }

    /**
     * The owner, at close: ends the scope's {@code ScopeClosed} and returns whether it will be
     * committed (enabled, and past its threshold); only then does the owner count its subtasks for
     * {@link #closed}.
     */
    public static boolean closing(Object token) {
        Closed closed = (Closed) token;
        closed.end();
        return closed.shouldCommit();
    }

    /** The owner, after {@link #closing} returned true: commits the {@code ScopeClosed}. */
    public static void closed(Object token, String outcome, boolean cancelled, int forked, int succeeded, int failed,
                              int cancelledSubtasks) {
        Closed closed = (Closed) token;
        closed.owner = Thread.currentThread().getName();       // at close: it may have renamed itself since
        closed.outcome = outcome;
        closed.cancelled = cancelled;
        closed.forked = forked;
        closed.succeeded = succeeded;
        closed.failed = failed;
        closed.cancelledSubtasks = cancelledSubtasks;
        closed.commit();
    }
}
