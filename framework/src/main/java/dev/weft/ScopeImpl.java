package dev.weft;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import dev.weft.spi.Engine;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one implementation of {@link TaskScope}, on plain threads from a {@link ThreadFactory}.
 *
 * <h2>Algorithm</h2>
 * {@code pending} counts subtasks forked and not yet finished (queued ones included). A finishing
 * subtask records its outcome, tells the join policy, puts itself on the completion queue
 * (for {@link #asCompleted()}), starts the next queued subtask if there is a concurrency limit, and
 * only then decrements {@code pending}; so when the owner sees {@code pending == 0}, every
 * {@code onComplete} has returned and happens-before what the owner does next. The owner waits by
 * parking; a finishing subtask unparks it when the owner said (in {@code ownerWait}) that it waits
 * for that event. Both sides write their own volatile and then read the other's, so no wake-up
 * is lost.
 *
 * <p>Subtasks form two intrusive lists, so that fork and finish allocate no queue nodes: every
 * subtask, newest first ({@code newest}, then {@link SubtaskImpl#older}), which the owner
 * prepends to; and the completion queue ({@link SubtaskImpl#nextCompleted}), which finishing
 * threads append to with one atomic swap and the owner consumes.
 *
 * <p>Cancellation moves {@code cancelState} from OPEN to CANCELLED or TIMED_OUT once, then
 * interrupts every running subtask it can see from {@code newest} and cancels the queued ones. A
 * subtask published after that sweep checks {@code cancelState} when its thread starts, and never
 * runs its task.
 *
 * <h2>Engines</h2>
 * Where the threads run is the {@linkplain Engines selected engine}'s business: a
 * {@link Engine.Container}, opened with the scope and closed after every thread has ended, makes
 * each thread from the factory and starts it. Everything above happens here, whatever the engine.
 *
 * <h2>Structure</h2>
 * {@link #CURRENT} is the innermost scope a thread belongs to: the scope it owns and opened last,
 * or, in a subtask thread, the scope that forked it. Each scope remembers the one that was
 * current when it opened ({@code enclosing}); closing restores it.
 */
final class ScopeImpl<T, R> implements TaskScope<T, R> {
    private static final ThreadLocal<ScopeImpl<?, ?>> CURRENT = new ThreadLocal<>();
    private static final AtomicLong IDS = new AtomicLong();

    private static final int OPEN = 0, CANCELLED = 1, TIMED_OUT = 2;
    private static final int WAIT_NONE = 0, WAIT_NEXT = 1, WAIT_ALL = 2;
    private static final int STARTS = 0, WAITS = 1, REFUSED = 2;

    private final Thread owner;
    private final String name;
    /** Typed for any subtask: the policy only reads subtasks, whose results are all of type T. */
    private final Joiner<Object, ? extends R> joiner;
    private final ThreadFactory factory;
    private final int limit;
    private final Instant deadline;
    private final ScopeImpl<?, ?> enclosing;
    private final ContextKey.Bindings bindings;
    /** Where the subtask threads run; opened by the owner in open, closed by it in close. */
    private final Engine.Container threads;

    /** Any thread: forked and not yet finished. */
    private final AtomicInteger pending = new AtomicInteger();
    /**
     * The newest subtask forked; each links to the one forked before it. The owner prepends in
     * fork (a volatile write that publishes the link); cancel (any thread) and close walk it.
     */
    private volatile SubtaskImpl<?> newest;
    /**
     * The completion queue for asCompleted: an intrusive multi-producer, single-consumer queue
     * (Vyukov's) linked through {@link SubtaskImpl#nextCompleted}. Finishing threads swap
     * themselves in as {@code completedTail} and then link the previous tail to themselves; only
     * the owner reads from {@code completedHead}, a consumed node (at first a stub).
     */
    private volatile SubtaskImpl<?> completedTail;
    private SubtaskImpl<?> completedHead;
    /**
     * Only with a limit (else null): guards {@code queued} and {@code active}, which the owner and
     * finishing threads touch.
     */
    private final ReentrantLock queueLock;
    private final ArrayDeque<SubtaskImpl<?>> queued;
    private int active;

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
    /** Owner only. */
    private int forked;
    private int taken;
    private boolean joined;
    private boolean closed;
    /** Started in open, stopped in close; {@code closing} is written by the owner, read by it. */
    private final Thread deadlineThread;
    private volatile boolean closing;

    private ScopeImpl(Joiner<? super T, ? extends R> joiner, TaskScope.Configuration config) {
        this.owner = Thread.currentThread();
        @SuppressWarnings("unchecked")
        Joiner<Object, ? extends R> policy = (Joiner<Object, ? extends R>) joiner;
        this.joiner = policy;
        this.enclosing = CURRENT.get();
        this.bindings = config.bindings().over(
                enclosing == null ? ContextKey.Bindings.EMPTY : enclosing.bindings);
        String threadPrefix;
        if (config.name() != null) {
            this.name = config.name();
            threadPrefix = "weft-scope-" + name + "-";
        } else {
            long id = IDS.incrementAndGet();
            this.name = "scope-" + id;
            threadPrefix = "weft-scope-" + id + "-";
        }
        this.factory = config.threadFactory() != null
                ? config.threadFactory()
                : Thread.ofVirtual().name(threadPrefix, 1).factory();
        this.limit = config.concurrencyLimit();
        this.completedHead = SubtaskImpl.stub(this);
        this.completedTail = completedHead;
        this.queueLock = limit == 0 ? null : new ReentrantLock();
        this.queued = limit == 0 ? null : new ArrayDeque<>();
        this.deadline = config.deadline();
        this.deadlineThread = deadline == null ? null
                : Thread.ofVirtual().name(threadPrefix + "deadline").unstarted(this::watchDeadline);
        this.threads = Engines.selected().open(name, limit != 0);
    }

    static <T, R> TaskScope<T, R> open(Joiner<? super T, ? extends R> joiner, TaskScope.Configuration config) {
        ScopeImpl<T, R> scope = new ScopeImpl<>(joiner, config);
        CURRENT.set(scope);
        if (scope.deadlineThread != null) {
            if (!scope.deadline.isAfter(Instant.now())) {
                scope.cancel(TIMED_OUT);   // already past: cancelled before anything can be forked
            } else {
                scope.deadlineThread.start();
            }
        }
        return scope;
    }

    // ---- forking ----------------------------------------------------------------------------

    @Override
    public <U extends T> Subtask<U> fork(Callable<? extends U> task) {
        Objects.requireNonNull(task, "task");
        checkOwner("fork");
        if (joined || closed) {
            throw new IllegalStateException("scope '" + name + "' is already " + (closed ? "closed" : "joined")
                    + "; a scope forks, joins once, then closes: open a new scope for more work");
        }
        SubtaskImpl<U> subtask = new SubtaskImpl<>(this, task);
        // Without a limit the thread is made first, so that a rejection leaves no trace of the fork.
        Thread thread = limit == 0 && cancelState == OPEN ? newThread(subtask) : null;
        joiner.onFork(subtask);
        forked++;
        pending.incrementAndGet();
        subtask.older = newest;
        newest = subtask;
        int slot = cancelState != OPEN ? REFUSED : limit == 0 ? STARTS : acquireSlot(subtask);
        // A thread already made for a scope cancelled since still runs: it sees the cancellation
        // and ends the subtask CANCELLED without calling the task, and no made thread is dropped.
        if (slot == STARTS || thread != null) {
            if (!start(subtask, thread) && subtask.holdsSlot) {
                startNextQueued();
            }
        } else if (slot == REFUSED) {
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
     * Takes a slot for {@code subtask} ({@code STARTS}) or queues it ({@code WAITS}); {@code REFUSED} if
     * the scope is cancelled. The cancellation is checked under the lock: a cancel drains the queue under
     * the same lock after setting {@code cancelState}, so a subtask is either refused here or drained.
     */
    private int acquireSlot(SubtaskImpl<?> subtask) {
        queueLock.lock();
        try {
            if (cancelState != OPEN) {
                return REFUSED;
            }
            if (active < limit) {
                active++;
                subtask.holdsSlot = true;
                return STARTS;
            }
            queued.add(subtask);
            return WAITS;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Returns a new thread to run {@code subtask}, or throws if the factory gives none or gives one
     * that is already started. The body runs the subtask only in the thread that {@link #start}
     * starts for it: a thread the factory started itself, which this rejects, does nothing with it.
     */
    private Thread newThread(SubtaskImpl<?> subtask) {
        Thread thread = threads.newThread(factory, () -> {
            if (subtask.thread == Thread.currentThread()) {
                subtask.run();
            }
        });
        if (thread == null) {
            throw new RejectedExecutionException("the thread factory of scope '" + name
                    + "' returned null instead of a thread");
        }
        Thread.State state = thread.getState();
        if (state != Thread.State.NEW) {
            throw new IllegalStateException("the thread factory of scope '" + name + "' returned " + thread
                    + ", which was already started (state " + state + "); a ThreadFactory must return a new, "
                    + "unstarted thread, as Thread.ofVirtual().factory() does, and leave starting it to the scope");
        }
        return thread;
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
            Thread t = thread != null ? thread : newThread(subtask);
            subtask.thread = t;
            threads.start(t, failure -> {
                subtask.thread = null;
                finish(subtask, true, null, failure, true);
            });
            return true;
        } catch (RuntimeException | Error e) {
            subtask.thread = null;
            finish(subtask, true, null, e, false);
            return false;
        }
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
        Future.State state;
        if (!started) {
            state = Future.State.CANCELLED;
        } else if (failure == null) {
            state = Future.State.SUCCESS;
        } else if (cancelState != OPEN && causedByInterrupt(failure)) {
            state = Future.State.CANCELLED;
        } else {
            state = Future.State.FAILED;
        }
        subtask.setOutcome(state, result, failure);
        boolean byOwner = Thread.currentThread() == owner;
        boolean cancel;
        try {
            ownerInPolicy |= byOwner;
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
        pushCompleted(subtask);   // before cancelling, so it comes back before those it cancels
        if (cancel) {
            cancel(CANCELLED);
        }
        if (subtask.holdsSlot && passSlotOn) {
            startNextQueued();
        }
        int remaining = pending.decrementAndGet();
        int wait = ownerWait;
        if (wait == WAIT_NEXT || (wait == WAIT_ALL && remaining == 0)) {
            LockSupport.unpark(owner);
        }
    }

    private void pushCompleted(SubtaskImpl<?> subtask) {
        SubtaskImpl<?> previous = (SubtaskImpl<?>) COMPLETED_TAIL.getAndSet(this, subtask);
        previous.nextCompleted = subtask;
    }

    /** Owner only: the next completed subtask, or null if none is (fully) queued yet. */
    @SuppressWarnings("unchecked")
    private SubtaskImpl<T> pollCompleted() {
        SubtaskImpl<?> next = completedHead.nextCompleted;
        if (next == null) {
            return null;
        }
        completedHead = next;
        return (SubtaskImpl<T>) next;
    }

    /** Passes a freed slot to the next queued subtask, and on past any that cannot start. */
    private void startNextQueued() {
        while (true) {
            SubtaskImpl<?> next;
            queueLock.lock();
            try {
                next = cancelState == OPEN ? queued.poll() : null;
                if (next == null) {
                    active--;
                    return;
                }
                next.holdsSlot = true;
            } finally {
                queueLock.unlock();
            }
            if (start(next, null)) {
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
        if (limit != 0) {
            List<SubtaskImpl<?>> drained;
            queueLock.lock();
            try {
                drained = new ArrayList<>(queued);
                queued.clear();
            } finally {
                queueLock.unlock();
            }
            for (SubtaskImpl<?> subtask : drained) {
                finish(subtask, false, null, null);
            }
        }
        LockSupport.unpark(owner);
    }

    private void watchDeadline() {
        long deadlineNanos = Deadlines.toNanoTime(deadline);
        while (!closing) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                cancel(TIMED_OUT);
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** Returns whether {@code failure} is how a task reacts to being interrupted. */
    static boolean causedByInterrupt(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    // ---- joining ----------------------------------------------------------------------------

    @Override
    public R join() throws InterruptedException {
        checkOwner("join");
        checkNotJoinedOrClosed("join");
        joined = true;
        try {
            awaitAll(true);
        } catch (InterruptedException e) {
            cancel(CANCELLED);
            throw e;
        }
        if (cancelState == TIMED_OUT) {
            throw timeout();
        }
        Throwable policyError = policyFailure;
        if (policyError != null) {
            throw new FailedException("the join policy of scope '" + name + "' threw in onComplete", policyError);
        }
        try {
            return joiner.result();
        } catch (FailedException e) {
            throw e;
        } catch (Throwable t) {
            throw new FailedException("the join policy of scope '" + name + "' failed", t);
        }
    }

    /** Parks the owner until no subtask is pending; interruptibly, or else keeping the interrupt for later. */
    private boolean awaitAll(boolean interruptible) throws InterruptedException {
        boolean interrupted = false;
        ownerWait = WAIT_ALL;
        try {
            while (pending.get() != 0) {
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                LockSupport.park(this);
            }
        } finally {
            ownerWait = WAIT_NONE;
        }
        return interrupted;
    }

    private UncheckedTimeoutException timeout() {
        return new UncheckedTimeoutException("scope '" + name + "' reached its deadline " + deadline
                + " before its subtasks finished; the unfinished ones were cancelled");
    }

    @Override
    public Iterable<Subtask<T>> asCompleted() {
        checkOwner("asCompleted");
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
                if (cancelState == TIMED_OUT) {
                    throw timeout();
                }
                SubtaskImpl<T> subtask = pollCompleted();
                if (subtask != null) {
                    subtask.delivered = true;
                    taken++;
                    next = subtask;
                    return true;
                }
                if (taken == forked) {
                    return false;
                }
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedInterruptedException("interrupted while waiting for the next subtask of scope '"
                            + name + "' to complete", new InterruptedException());
                }
                ownerWait = WAIT_NEXT;
                try {
                    if (completedHead.nextCompleted == null && cancelState != TIMED_OUT) {
                        LockSupport.park(ScopeImpl.this);
                    }
                } finally {
                    ownerWait = WAIT_NONE;
                }
            }
        }

        @Override
        public Subtask<T> next() {
            if (!hasNext()) {
                throw new NoSuchElementException("every subtask forked in scope '" + name + "' was already returned");
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
        StructureViolationException violation = null;
        ScopeImpl<?, ?> inner = CURRENT.get();
        if (inner != this) {
            List<String> names = new ArrayList<>();
            for (; inner != null && inner != this && inner.owner == owner; inner = inner.enclosing) {
                names.add(inner.name);
                inner.closeQuietly();
            }
            violation = new StructureViolationException("scope '" + name + "' was closed while scopes opened inside it "
                    + names + " were still open; they were closed first. Close scopes in the reverse order of opening, "
                    + "with nested try-with-resources blocks");
        }
        boolean interrupted = shutdown();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (violation != null) {
            throw violation;
        }
        if (forked > 0 && !joined) {
            throw new IllegalStateException("scope '" + name + "' was closed without join(): its " + forked
                    + " subtasks were cancelled and their outcomes lost; call join() before close()");
        }
    }

    /** Closes without the join check, for a scope closed out of order or left open by a subtask. */
    private void closeQuietly() {
        if (!closed && shutdown()) {
            Thread.currentThread().interrupt();
        }
    }

    /** Cancels, waits for every thread, stops the deadline watch; returns whether the owner was interrupted. */
    private boolean shutdown() {
        closed = true;
        if (pending.get() != 0) {
            cancel(CANCELLED);
        }
        boolean interrupted = false;
        try {
            interrupted = awaitAll(false);
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
        for (SubtaskImpl<?> subtask = newest; subtask != null; subtask = subtask.older) {
            interrupted |= joinUninterruptibly(subtask.thread);
        }
        if (deadlineThread != null) {
            closing = true;
            LockSupport.unpark(deadlineThread);
            interrupted |= joinUninterruptibly(deadlineThread);
        }
        try {
            threads.close();
        } finally {
            CURRENT.set(enclosing);
        }
        return interrupted;
    }

    /**
     * Joins {@code thread}, keeping an interrupt for later. By the time close gets here the
     * thread has finished its subtask and is in the JVM's exit path, which takes a few
     * microseconds; spinning that long first saves allocating its termination latch and parking
     * the owner a second time, which costs more on most scopes.
     */
    private static boolean joinUninterruptibly(Thread thread) {
        if (thread == null) {
            return false;
        }
        for (int spins = 0; spins < 256 && thread.isAlive(); spins++) {
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    /** Marks the current thread as running a subtask of {@code scope}. */
    static void enter(ScopeImpl<?, ?> scope) {
        CURRENT.set(scope);
    }

    /**
     * Ends a subtask's membership in {@code scope}; if the subtask left scopes of its own open,
     * closes them and returns the violation to report as its failure.
     */
    static StructureViolationException exitSubtask(ScopeImpl<?, ?> scope) {
        ScopeImpl<?, ?> inner = CURRENT.get();
        StructureViolationException violation = null;
        if (inner != scope) {
            List<String> names = new ArrayList<>();
            Thread self = Thread.currentThread();
            for (; inner != null && inner != scope && inner.owner == self; inner = inner.enclosing) {
                names.add(inner.name);
                inner.closeQuietly();
            }
            violation = new StructureViolationException("a subtask of scope '" + scope.name
                    + "' ended with scopes " + names + " still open; they were closed. Close every scope a subtask "
                    + "opens before it returns, with try-with-resources");
        }
        CURRENT.remove();
        return violation;
    }

    static ContextKey.Bindings currentBindings() {
        ScopeImpl<?, ?> scope = CURRENT.get();
        return scope == null ? ContextKey.Bindings.EMPTY : scope.bindings;
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
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException(method + "() on scope '" + name + "' called by " + Thread.currentThread()
                    + ", but only its owner " + owner + " may call it");
        }
    }

    private void checkNotJoinedOrClosed(String method) {
        if (closed) {
            throw new IllegalStateException(method + "() on scope '" + name + "', which is closed");
        }
        if (joined) {
            throw new IllegalStateException(method + "() on scope '" + name + "', which was already joined; "
                    + "a scope is joined once");
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelState != OPEN;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "TaskScope[" + name + (isCancelled() ? ", cancelled" : "") + (closed ? ", closed" : "") + "]";
    }

    private static final java.lang.invoke.VarHandle CANCEL_STATE;
    private static final java.lang.invoke.VarHandle COMPLETED_TAIL;

    static {
        try {
            CANCEL_STATE = java.lang.invoke.MethodHandles.lookup()
                    .findVarHandle(ScopeImpl.class, "cancelState", int.class);
            COMPLETED_TAIL = java.lang.invoke.MethodHandles.lookup()
                    .findVarHandle(ScopeImpl.class, "completedTail", SubtaskImpl.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
