package dev.weft;

import dev.weft.internal.jfr.Jfr;
import dev.weft.internal.jfr.ScopeEvents;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one implementation of {@link TaskScope}, on plain threads from a
 * {@link java.util.concurrent.ThreadFactory}.
 *
 * <h2>Algorithm</h2>
 * The owner counts the subtasks it forked ({@code forked}, queued ones included) in a plain field;
 * finishing subtasks count themselves in {@code done}, so fork does no atomic read-modify-write
 * on a field that finishing threads write. A finishing subtask records its outcome, tells the
 * join policy, puts itself on the completion queue (for {@link #asCompleted()}), starts the next
 * queued subtask if there is a concurrency limit, and only then increments {@code done}; so when
 * the owner sees {@code done == forked}, every {@code onComplete} has returned and happens-before
 * what the owner does next. The owner waits by parking; a finishing subtask unparks it when the
 * owner said (in {@code ownerWait}) that it waits for that event: the next completion, or all of
 * them, in which case only the subtask that makes {@code done} reach {@code forked} unparks it. To
 * wait for all, the owner first joins the newest subtask's thread ({@code WAIT_END}, when no
 * subtask wakes it; see {@link #awaitAll}).
 * Both sides write their own volatile and then read the other's, so no wake-up is lost. A subtask
 * reads {@code forked} only after reading {@code WAIT_ALL}, which the owner writes after its last
 * fork (it waits for all only in join and close, after which nothing is forked).
 *
 * <p>Subtasks form two intrusive lists, so that fork and finish allocate no queue nodes: every
 * subtask, newest first ({@code newest}, then {@link SubtaskImpl#older}), which the owner
 * prepends to; and the completion queue ({@link CompletedSubtasks}, through
 * {@link SubtaskImpl#nextCompleted}), which finishing threads append to with one atomic swap and
 * the owner consumes.
 *
 * <p>Cancellation moves {@code cancelState} from OPEN to CANCELLED or TIMED_OUT once, then
 * interrupts every running subtask it can see from {@code newest} and cancels the queued ones. A
 * subtask published after that sweep checks {@code cancelState} when its thread starts, and never
 * runs its task.
 *
 * <h2>Engines and parts</h2>
 * Where the threads run is the {@linkplain Engines selected engine}'s business, through
 * {@link ScopeThreads}, which makes and starts them. Everything above happens here, whatever the
 * engine. The concurrency limit, if any, is a {@link ConcurrencyLimit}; the deadline, if any, a
 * {@link ScopeDeadline} that cancels the scope as TIMED_OUT; the nesting of scopes and the owner
 * check are {@link ScopeStructure}'s.
 *
 * <h2>Flight Recorder</h2>
 * A scope opened while a recording wants its events ({@link ScopeEvents}) keeps a token in
 * {@code flight}; its fork, its subtasks' threads and its close record events only if that token is
 * there, so a scope opened without one pays a null check at each. Only then does it need an id,
 * which a named scope takes on first use ({@link #id()}).
 */
final class ScopeImpl<T, R> implements TaskScope<T, R> {
    private static final AtomicLong IDS = new AtomicLong();

    private static final int OPEN = 0, CANCELLED = 1, TIMED_OUT = 2;
    private static final int WAIT_NONE = 0, WAIT_NEXT = 1, WAIT_ALL = 2, WAIT_END = 3;
    /**
     * How long the owner parks at a time in a scope whose threads come from the user's factory,
     * before it looks for a thread that ended without running its subtask ({@link #finishAbandoned}).
     */
    private static final long ABANDONED_CHECK_NANOS = 50_000_000L;

    private final Thread owner;
    /** The configured name, or null: then the scope is {@code scope-ID}. */
    private final String configuredName;
    /**
     * A number unique in this JVM: made at construction for an unnamed scope (whose name it is),
     * on first use for a named one ({@link #id()}, any thread, by CAS).
     */
    private long id;
    /**
     * The name, made on first use (fork does not need it); any thread may make it, and a race only
     * makes the same string twice.
     */
    private String name;
    /**
     * {@code weft-scope-NAME-} ({@code weft-scope-} if unnamed), the start of its threads' names,
     * made on first use by whichever thread needs it first; a race only makes the same string twice.
     */
    private String threadPrefix;
    /** Typed for any subtask: the policy only reads subtasks, whose results are all of type T. */
    private final Joiner<Object, ? extends R> joiner;
    /** The concurrency limit, or null for a scope without one. */
    private final ConcurrencyLimit limit;
    /** The deadline's watch, or null for a scope without a deadline. */
    private final ScopeDeadline deadline;
    private final ScopeImpl<?, ?> enclosing;
    private final ContextKey.Bindings bindings;
    /** Where the subtask threads come from; opened in open, closed by the owner in close. */
    private final ScopeThreads threads;
    /**
     * The Flight Recorder token ({@link ScopeEvents}), or null if no recording wanted the scope's
     * events when it opened; written by the owner in open, before any fork, read by the owner and
     * by subtask threads.
     */
    private Object flight;

    /** Any thread: subtasks finished, by {@link #DONE}; the owner waits until it equals {@code forked}. */
    private volatile int done;
    /**
     * The newest subtask forked; each links to the one forked before it. The owner prepends in
     * fork (a volatile write that publishes the link); cancel (any thread) and close walk it.
     */
    private volatile SubtaskImpl<?> newest;
    /**
     * The two ends of the completion queue for asCompleted, touched only by
     * {@link CompletedSubtasks}: finishing threads swap themselves in as the tail (any thread,
     * by atomic swap); the owner alone reads and moves the head, the last subtask it consumed.
     */
    volatile SubtaskImpl<?> completedTail;
    SubtaskImpl<?> completedHead;

    /** OPEN until the first cancel; written by whichever thread cancels, read by all. */
    private volatile int cancelState = OPEN;
    /** Written by the owner before it parks; read by finishing threads to decide whether to unpark it. */
    private volatile int ownerWait = WAIT_NONE;
    /** The first exception thrown by the policy's onComplete; written once by any thread. */
    private volatile Throwable policyFailure;
    /**
     * Owner only: set while the owner itself tells the policy of a completion (a subtask that could
     * not start, or was forked after cancellation), so that the policy may read the subtask's outcome.
     */
    private boolean ownerInPolicy;
    /** Owner only: subtasks forked; read by a finishing subtask that saw {@code ownerWait == WAIT_ALL}. */
    private int forked;
    /** Owner only. */
    private int taken;
    private boolean joined;
    private boolean closed;
    /** Owner only: how join ended, if it threw (for the ScopeClosed event); null if it returned or was never called. */
    private String joinFailure;

    private ScopeImpl(Joiner<? super T, ? extends R> joiner, TaskScope.Configuration config) {
        this.owner = Thread.currentThread();
        @SuppressWarnings("unchecked")
        Joiner<Object, ? extends R> policy = (Joiner<Object, ? extends R>) joiner;
        this.joiner = policy;
        this.enclosing = ScopeStructure.current();
        this.bindings = config.bindings().over(
                enclosing == null ? ContextKey.Bindings.EMPTY : enclosing.bindings);
        this.configuredName = config.name();
        this.id = configuredName == null ? IDS.incrementAndGet() : 0;
        int maxConcurrent = config.concurrencyLimit();
        this.limit = maxConcurrent == 0 ? null : new ConcurrencyLimit(this, maxConcurrent);
        CompletedSubtasks.init(this);
        this.deadline = config.deadline() == null ? null
                : new ScopeDeadline(this, config.deadline(), threadName("deadline"));
        this.threads = new ScopeThreads(this, config.threadFactory(), limit != null);
    }

    static <T, R> TaskScope<T, R> open(Joiner<? super T, ? extends R> joiner, TaskScope.Configuration config) {
        if (joiner instanceof Joiners.SingleUse policy) {
            policy.bind();     // before the scope exists: a refused open leaves nothing to close
        }
        ScopeImpl<T, R> scope = new ScopeImpl<>(joiner, config);
        if (Jfr.started() && ScopeEvents.enabled()) {
            scope.flight = ScopeEvents.opened(scope.name(), scope.id(),
                    scope.enclosing == null ? 0 : scope.enclosing.id(), Joiners.nameOf(joiner), Engines.selected().name());
        }
        ScopeStructure.enter(scope);
        if (scope.deadline != null && !scope.deadline.start()) {
            scope.timeOut();   // already past: cancelled before anything can be forked
        }
        return scope;
    }

    // ---- forking ----------------------------------------------------------------------------

    @Override
    public <U extends T> Subtask<U> fork(Callable<? extends U> task) {
        Objects.requireNonNull(task, "task");
        checkOwner("fork");
        checkNotInPolicy("fork");
        if (joined || closed) {
            throw new IllegalStateException("scope '" + name() + "' is already " + (closed ? "closed" : "joined")
                    + "; a scope forks, joins once, then closes: open a new scope for more work");
        }
        SubtaskImpl<U> subtask = new SubtaskImpl<>(this, task);
        // Without a limit the thread is made first, so that a rejection leaves no trace of the fork.
        Thread thread = limit == null && cancelState == OPEN ? threads.newThread(subtask) : null;
        joiner.onFork(subtask);
        forked++;
        subtask.older = newest;
        newest = subtask;
        int slot = cancelState != OPEN ? ConcurrencyLimit.REFUSED
                : limit == null ? ConcurrencyLimit.STARTS : limit.acquire(subtask);
        if (flight != null) {
            ScopeEvents.forked(flight, subtask.threadIndex > 0 ? threadName(subtask.threadIndex)
                    : thread != null ? thread.getName() : "", slot == ConcurrencyLimit.WAITS);
        }
        // A thread already made for a scope cancelled since still runs: it sees the cancellation
        // and ends the subtask CANCELLED without calling the task, and no made thread is dropped.
        if (slot == ConcurrencyLimit.STARTS || thread != null) {
            if (!start(subtask, thread) && subtask.holdsSlot) {
                startNextQueued();
            }
        } else if (slot == ConcurrencyLimit.REFUSED) {
            finish(subtask, false, null, null);
        }
        return subtask;
    }

    @Override
    public <U extends T> Subtask<U> fork(Runnable task) {
        Objects.requireNonNull(task, "task");
        return fork(Executors.callable(task, null));
    }

    /**
     * Starts {@code subtask} on {@code thread}, or on a new one if that is null. If no thread can be
     * had or started (the factory refuses or throws, or the JVM is out of native threads), the
     * subtask fails with that exception, without passing its slot on, and this returns false. If the
     * engine handed the start to another thread, a later failure there fails the subtask and passes
     * its slot on from that thread.
     */
    private boolean start(SubtaskImpl<?> subtask, Thread thread) {
        try {
            Thread t = thread != null ? thread : threads.newThread(subtask);
            subtask.thread = t;
            threads.start(t, subtask);
            return true;
        } catch (RuntimeException | Error e) {
            subtask.thread = null;
            finish(subtask, true, null, e, false);
            return false;
        }
    }

    /** The engine's thread that was handed the start of {@code subtask}'s thread could not start it. */
    void startFailed(SubtaskImpl<?> subtask, Throwable failure) {
        subtask.thread = null;
        finish(subtask, true, null, failure, true);
    }

    // ---- finishing and cancelling -----------------------------------------------------------

    /**
     * Finishes {@code subtask}, once, in the thread that ran it (or that cancelled or rejected it).
     * {@code started} says whether its task ran.
     */
    <U> void finish(SubtaskImpl<U> subtask, boolean started, U result, Throwable failure) {
        finish(subtask, started, result, failure, true);
    }

    /** As above; {@code passSlotOn} false leaves a held slot to the caller, which passes it on in a loop. */
    @SuppressWarnings("unchecked")
    private <U> void finish(SubtaskImpl<U> subtask, boolean started, U result, Throwable failure, boolean passSlotOn) {
        subtask.setOutcome(started, result, failure);
        boolean byOwner = Thread.currentThread() == owner;
        boolean cancel;
        try {
            if (byOwner) {
                ownerInPolicy = true;       // never written by another thread: see the field
            }
            cancel = joiner.onComplete(subtask);
        } catch (Throwable t) {
            if (policyFailure == null) {
                policyFailure = t;
            }
            cancel = true;
        } finally {
            if (byOwner) {
                ownerInPolicy = false;
            }
        }
        subtask.afterDeadline = cancelState == TIMED_OUT;     // published by the push
        CompletedSubtasks.push(this, subtask);   // before cancelling, so it comes back before those it cancels
        if (cancel) {
            cancel(CANCELLED);
        }
        if (subtask.holdsSlot && passSlotOn) {
            startNextQueued();
        }
        int finished = (int) DONE.getAndAdd(this, 1) + 1;
        int wait = ownerWait;
        if (wait == WAIT_NEXT || (wait == WAIT_ALL && finished == forked)) {
            LockSupport.unpark(owner);
        }
    }

    /** Passes a freed slot to the next queued subtask, and on past any that cannot start. */
    private void startNextQueued() {
        while (true) {
            SubtaskImpl<?> next = limit.passOn();
            if (next == null || start(next, null)) {
                return;
            }
        }
    }

    /** Cancels the scope once: interrupts what runs, cancels what waits, wakes the owner. */
    private void cancel(int reason) {
        if (cancelState != OPEN || !CANCEL_STATE.compareAndSet(this, OPEN, reason)) {
            return;
        }
        for (SubtaskImpl<?> subtask = newest; subtask != null; subtask = subtask.older) {
            Thread thread = subtask.thread;
            if (thread != null && subtask.state() == Future.State.RUNNING) {
                thread.interrupt();
            }
        }
        if (limit != null) {
            for (SubtaskImpl<?> subtask : limit.drain()) {
                finish(subtask, false, null, null);
            }
        }
        LockSupport.unpark(owner);
    }

    /** The deadline's thread: the scope reached its deadline. */
    void timeOut() {
        cancel(TIMED_OUT);
    }

    // ---- joining ----------------------------------------------------------------------------

    @Override
    public R join() throws InterruptedException {
        checkOwner("join");
        checkNotInPolicy("join");
        checkNotJoinedOrClosed("join");
        joined = true;
        try {
            awaitAll(true);
        } catch (InterruptedException e) {
            joinFailure = "interrupted";
            cancel(CANCELLED);
            throw e;
        }
        // Every subtask has finished: the deadline is the join's, and a later one cancels nothing.
        if (deadline != null && deadline.stop()) {
            Thread.currentThread().interrupt();
        }
        if (cancelState == TIMED_OUT) {
            joinFailure = "timed out";
            throw deadline.timedOut(count(Future.State.CANCELLED), forked);
        }
        Throwable policyError = policyFailure;
        if (policyError != null) {
            joinFailure = "failed";
            throw FailedException.of("the join policy of scope '" + name() + "' threw in onComplete",
                    List.of(policyError));
        }
        try {
            return joiner.result();
        } catch (FailedException e) {
            joinFailure = "failed";
            throw e;
        } catch (Throwable t) {
            joinFailure = "failed";
            throw new FailedException("the join policy of scope '" + name() + "' failed", t);
        }
    }

    /**
     * Parks the owner until every subtask forked has finished; interruptibly, or else keeping the
     * interrupt for later (and returning whether there was one).
     *
     * <p>It first waits for the thread of the newest subtask to end, if that subtask is still out:
     * forked last, it is most often the last to finish, and a thread's end, unlike its subtask's,
     * wakes the owner only once the thread has terminated. Woken by the subtask instead, the owner
     * could run on that subtask's processor before its thread had ended, and then find the thread
     * alive in close and park a second time (issue 17: 6-20% of scopes at n = 100 on 2 cores, at
     * 23-31 µs each). While the owner waits there ({@code WAIT_END}), finishing subtasks do not wake
     * it; once it has, it waits for the others as before ({@code WAIT_ALL}), writing that and then
     * reading {@code done}, so that none is missed.
     */
    private boolean awaitAll(boolean interruptible) throws InterruptedException {
        boolean interrupted = false;
        SubtaskImpl<?> last = newest;
        Thread lastThread = last == null ? null : last.thread;
        if (lastThread != null && last.state() == Future.State.RUNNING) {     // so done != forked
            ownerWait = WAIT_END;
            try {
                lastThread.join();
            } catch (InterruptedException e) {
                if (interruptible) {
                    ownerWait = WAIT_NONE;
                    throw e;
                }
                interrupted = true;
            }
        }
        ownerWait = WAIT_ALL;
        try {
            while (done != forked) {
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                parkOwner();
            }
        } finally {
            ownerWait = WAIT_NONE;
        }
        return interrupted;
    }

    /**
     * Parks the owner until a subtask wakes it. Where the threads are the user's factory's, it
     * wakes by itself now and then to finish the subtasks whose thread ended without running them:
     * a thread that fails before it calls the {@code Runnable} it was given, or that hands it to
     * another thread (where it does nothing: see {@link SubtaskImpl#run()}), would otherwise leave
     * its subtask RUNNING for good, and the owner waiting for it, deadline or not.
     */
    private void parkOwner() {
        if (threads.fromUsersFactory()) {
            LockSupport.parkNanos(this, ABANDONED_CHECK_NANOS);
            finishAbandoned();
        } else {
            LockSupport.park(this);
        }
    }

    /**
     * Owner: fails each subtask whose thread has terminated while the subtask is still RUNNING. Only
     * that thread runs or finishes a started subtask, and it finishes it before it ends; so such a
     * subtask never ran, and never will. The thread's end is read first: seeing it dead
     * ({@code isAlive}) happens-after everything the thread did, so a subtask still RUNNING then
     * was not finished by it (read the other way round, the thread could finish the subtask and
     * end between the two reads).
     */
    private void finishAbandoned() {
        for (SubtaskImpl<?> subtask = newest; subtask != null; subtask = subtask.older) {
            Thread thread = subtask.thread;
            if (thread != null && thread.getState() == Thread.State.TERMINATED && !thread.isAlive()
                    && subtask.state() == Future.State.RUNNING) {
                finish(subtask, true, null, new IllegalStateException("the thread factory of scope '" + name()
                        + "' made " + thread + ", which ended without running its subtask; a ThreadFactory's thread must "
                        + "run the Runnable it is given, in that thread"));
            }
        }
    }

    @Override
    public Iterable<Subtask<T>> asCompleted() {
        checkOwner("asCompleted");
        checkNotInPolicy("asCompleted");
        checkNotJoinedOrClosed("asCompleted");
        return CompletionIterator::new;
    }

    /** The owner's view of the completion queue; ends when every subtask forked so far was returned. */
    private final class CompletionIterator implements Iterator<Subtask<T>> {
        private SubtaskImpl<T> next;

        @Override
        public boolean hasNext() {
            checkOwner("asCompleted");
            if (next != null) {
                return true;
            }
            while (true) {
                SubtaskImpl<T> subtask = CompletedSubtasks.poll(ScopeImpl.this);
                if (subtask != null) {
                    taken++;
                    if (subtask.afterDeadline) {    // ended by the deadline's cancellation, or late
                        throw deadline.timedOutWhileIterating();
                    }
                    subtask.delivered = true;
                    next = subtask;
                    return true;
                }
                if (taken == forked) {
                    return false;
                }
                if (cancelState == TIMED_OUT) {
                    throw deadline.timedOutWhileIterating();
                }
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedInterruptedException("interrupted while waiting for the next subtask of scope '"
                            + name() + "' to complete", new InterruptedException());
                }
                ownerWait = WAIT_NEXT;
                try {
                    if (CompletedSubtasks.isEmpty(ScopeImpl.this) && cancelState != TIMED_OUT) {
                        parkOwner();
                    }
                } finally {
                    ownerWait = WAIT_NONE;
                }
            }
        }

        @Override
        public Subtask<T> next() {
            if (!hasNext()) {
                throw new NoSuchElementException("every subtask forked in scope '" + name() + "' was already returned");
            }
            Subtask<T> result = next;
            next = null;
            return result;
        }
    }

    // ---- closing and structure --------------------------------------------------------------

    @Override
    public void close() {
        checkOwner("close");
        if (closed) {
            return;
        }
        checkNotInPolicy("close");
        StructureViolationException violation = ScopeStructure.closeInner(this);
        boolean interrupted = shutdown();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (violation != null) {
            throw violation;
        }
        if (forked > 0 && !joined) {
            throw new IllegalStateException("scope '" + name() + "' was closed without join(): "
                    + lost(count(Future.State.CANCELLED)) + "; call join() before close()");
        }
    }

    /** Owner: how many of the subtasks forked are in {@code state}. */
    private int count(Future.State state) {
        int count = 0;
        for (SubtaskImpl<?> subtask = newest; subtask != null; subtask = subtask.older) {
            if (subtask.state() == state) {
                count++;
            }
        }
        return count;
    }

    /** What a close without join lost, once every subtask has ended, {@code cancelled} of them CANCELLED. */
    private String lost(int cancelled) {
        if (cancelled == 0) {
            return forked == 1 ? "its subtask finished, but its outcome was never joined"
                    : "its " + forked + " subtasks finished, but their outcomes were never joined";
        }
        String which = cancelled < forked ? cancelled + " of its " + forked + " subtasks"
                : forked == 1 ? "its subtask" : "its " + forked + " subtasks";
        return which + " " + (cancelled == 1 ? "was" : "were") + " cancelled, and no outcome was joined";
    }

    /** Closes without the join check, for a scope closed out of order or left open by a subtask. */
    void closeQuietly() {
        if (!closed && shutdown()) {
            Thread.currentThread().interrupt();
        }
    }

    /** Cancels, waits for every thread, stops the deadline watch; returns whether the owner was interrupted. */
    private boolean shutdown() {
        closed = true;
        if (done != forked) {
            cancel(CANCELLED);
        }
        boolean interrupted = false;
        try {
            interrupted = awaitAll(false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
        interrupted |= threads.joinAll(newest);
        if (deadline != null) {
            interrupted |= deadline.stop();
        }
        try {
            threads.close();
        } finally {
            ScopeStructure.leave(this);
        }
        if (flight != null && ScopeEvents.closing(flight)) {
            recordClosed();
        }
        return interrupted;
    }

    /** Owner, at close, for a ScopeClosed event that will be committed: counts the subtasks by state. */
    private void recordClosed() {
        int succeeded = 0, failed = 0, cancelled = 0;
        for (SubtaskImpl<?> subtask = newest; subtask != null; subtask = subtask.older) {
            switch (subtask.state()) {
                case SUCCESS -> succeeded++;
                case FAILED -> failed++;
                default -> cancelled++;
            }
        }
        String outcome = !joined ? "not joined" : joinFailure != null ? joinFailure : "succeeded";
        ScopeEvents.closed(flight, outcome, isCancelled(), forked, succeeded, failed, cancelled);
    }

    // ---- small things -----------------------------------------------------------------------

    /**
     * True for the owner before it joined, unless it is the one calling the policy: the time when
     * Subtask.get() would be a mistake.
     */
    boolean ownerMustJoinFirst() {
        return Thread.currentThread() == owner && !joined && !ownerInPolicy;
    }

    private void checkOwner(String method) {
        ScopeStructure.checkOwner(this, method);
    }

    /**
     * Refuses {@code method} while the owner itself runs the policy's {@code onComplete} (for a
     * subtask forked after cancellation, or that could not start): the subtask the policy is told
     * about counts as done only once it returns, so a join or close waiting for it there would wait
     * for good.
     */
    private void checkNotInPolicy(String method) {
        if (ownerInPolicy) {
            throw new IllegalStateException(method + "() called from the join policy of scope '" + name()
                    + "', in its onComplete: a policy only decides whether to cancel; the owner calls " + method
                    + "() after fork returns");
        }
    }

    private void checkNotJoinedOrClosed(String method) {
        if (closed) {
            throw new IllegalStateException(method + "() on scope '" + name() + "', which is closed");
        }
        if (joined) {
            throw new IllegalStateException(method + "() on scope '" + name() + "', which was already joined; "
                    + "a scope is joined once");
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelState != OPEN;
    }

    @Override
    public String name() {
        String n = name;
        if (n == null) {
            n = configuredName != null ? configuredName : "scope-" + id;
            name = n;
        }
        return n;
    }

    /**
     * The name of the scope's thread {@code weft-scope-NAME-index} ({@code weft-scope-index} if
     * the scope is unnamed), for a thread of the default factory; each subtask thread asks for its
     * own. An unnamed scope's names are shared by every unnamed scope ({@link ScopeThreads#unnamed}),
     * so they cost no string per thread; a named one's are one append to a prefix made once.
     */
    String threadName(int index) {
        return configuredName == null ? ScopeThreads.unnamed(index) : threadPrefix() + index;
    }

    /** The name of the scope's thread {@code weft-scope-NAME-what} ({@code weft-scope-what} if unnamed). */
    String threadName(String what) {
        return threadPrefix() + what;
    }

    private String threadPrefix() {
        String p = threadPrefix;
        if (p == null) {
            p = configuredName != null ? "weft-scope-" + configuredName + "-" : ScopeThreads.UNNAMED_PREFIX;
            threadPrefix = p;
        }
        return p;
    }

    Thread owner() {
        return owner;
    }

    /** A number for this scope, unique in this JVM: its own for an unnamed scope, drawn on first use for a named one. */
    long id() {
        long i = id;
        if (i == 0) {
            long drawn = IDS.incrementAndGet();
            i = (long) ID.compareAndExchange(this, 0L, drawn);
            if (i == 0) {
                i = drawn;
            }
        }
        return i;
    }

    /** The Flight Recorder token, or null: see the class comment. */
    Object flight() {
        return flight;
    }

    /** The scope that was current when this one opened, or null. */
    ScopeImpl<?, ?> enclosing() {
        return enclosing;
    }

    ContextKey.Bindings bindings() {
        return bindings;
    }

    @Override
    public String toString() {
        return "TaskScope[" + name() + (isCancelled() ? ", cancelled" : "") + (closed ? ", closed" : "") + "]";
    }

    private static final java.lang.invoke.VarHandle CANCEL_STATE;
    private static final java.lang.invoke.VarHandle DONE;
    private static final java.lang.invoke.VarHandle ID;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.lookup();
            CANCEL_STATE = lookup.findVarHandle(ScopeImpl.class, "cancelState", int.class);
            DONE = lookup.findVarHandle(ScopeImpl.class, "done", int.class);
            ID = lookup.findVarHandle(ScopeImpl.class, "id", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
