package dev.weft;

import dev.weft.FutureState.Cancelled;
import dev.weft.FutureState.Failure;
import dev.weft.FutureState.Running;
import dev.weft.WaiterStack.Node;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static dev.weft.FutureState.isFinal;

/**
 * The pending result of a computation, as its caller sees it: Weft's twin of Python's
 * {@code concurrent.futures.Future}, and a {@link Future} that any Java code can wait on. This is
 * the <em>read side</em>: it lets its holder wait, look, listen and cancel, never complete. Pools
 * return it from {@code submit}; {@link SettableFuture} is the write side, for code that produces a
 * result itself (Guava splits {@code ListenableFuture} and {@code SettableFuture} the same way, and
 * the JDK {@code Future} and {@code CompletableFuture}).
 *
 * <pre>{@code
 * TaskFuture<String> page = pool.submit(() -> fetch("/index.html"));
 * page.onDone(f -> log.info("fetched: {}", f.state()));      // add_done_callback
 * String html = page.get(5, TimeUnit.SECONDS);               // result(timeout=5)
 * }</pre>
 *
 * <h2>States</h2>
 * A future starts <em>pending</em>; its producer marks it <em>running</em> when the task starts
 * ({@link SettableFuture#markRunning()}), and it ends in exactly one of three final states:
 * completed normally, completed exceptionally, or cancelled ({@link #cancel}). The first of these
 * to take effect wins; the others change nothing. {@link #state()} reports
 * {@link Future.State#RUNNING RUNNING} for both pending and running (the JDK has no pending state);
 * {@link #isRunning()} tells them apart.
 *
 * <h2>Cancellation: Java's contract, not Python's</h2>
 * {@link #cancel(boolean)} follows {@link java.util.concurrent.FutureTask}: it cancels a pending
 * future <em>and a running one</em>. The future is cancelled at once, its waiters are released and
 * its callbacks run; with {@code mayInterruptIfRunning} the runner thread is interrupted (a process
 * or cluster pool sends the cancellation to where the task runs instead), and it is up to the
 * computation to stop. Python's {@code Future.cancel()} instead returns {@code False} for a running
 * future and leaves it running, and returns {@code True} when asked to cancel a future that is
 * already cancelled; here a second {@code cancel} returns {@code false}, as in the JDK. A pool
 * skips a task whose future was cancelled before its turn came; its worker carries on with the
 * next task.
 *
 * <h2>Callbacks</h2>
 * {@link #onDone(Consumer)} adds a callback (Python's {@code add_done_callback}). Each callback
 * runs exactly once. Callbacks added before the future completes run in the order they were added,
 * in the thread that completed it (for a pool's future, normally the worker that ran the task),
 * after the blocked {@code get} callers have been released. A callback added once the future is
 * done runs at once, in the thread that adds it. A callback that throws is logged as a warning,
 * with the exception, through the SLF4J logger of this class; the others still run. A callback
 * that must not run in the completing thread, because it blocks or waits for the same pool, goes
 * to an executor of its own with {@link #onDone(Consumer, Executor)} (Guava's
 * {@code addListener}).
 *
 * <h2>Waiting from a pool's own thread</h2>
 * A {@code get()} without a timeout, called by a thread of the pool that runs this future's task
 * (a worker, or a callback running in one), throws {@link IllegalStateException} instead of
 * waiting for ever when no thread of that pool would be left to run the task; see {@link Pool}.
 *
 * <h2>Thread safety and memory consistency</h2>
 * Every method may be called from any thread. The implementation is lock-free: blocked callers of
 * {@code get} park without holding a monitor, so virtual threads never pin. Actions in a thread
 * before it completes or cancels the future happen-before another thread sees it done by any
 * means: {@code get} or {@link #resultNow()} returning, {@link #isDone()} returning {@code true},
 * or a callback running.
 *
 * <h2>Null policy</h2>
 * Every method throws {@link NullPointerException} for a null argument.
 *
 * @param <T> the result type
 * @since 0.1
 */
public abstract class TaskFuture<T> implements Future<T> {
    /*
     * Overview. The whole outcome lives in one volatile field, `state`, changed only by CAS; its
     * values, the state machine, are FutureState's: pending (null), running, and the final ones.
     * The first CAS from pending/running to a final value wins; final values never change.
     *
     * Everything that waits for completion sits on one Treiber stack, `stack`, of WaiterStack's
     * Nodes: blocked get() callers (WAITER), package-private listeners (LISTENER) and onDone
     * callbacks (CALLBACK). The winner of the CAS swaps the stack for the DONE sentinel, so no
     * node can be added afterwards (push fails, and the caller handles the completed future
     * itself), then walks the detached list: it unparks waiters and runs listeners, then runs the
     * callbacks in reverse stack order, which is registration order. How waiters and listeners
     * that give up leave the stack is WaiterStack's business.
     */

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TaskFuture.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The outcome, see the overview. Read by any thread; changed only by CAS, by any thread. */
    private volatile Object state;
    /**
     * Head of the stack of waiters, listeners and callbacks; DONE once completed. Any thread,
     * changed only by CAS, and only by {@link WaiterStack}, the one class that touches it.
     */
    volatile Node stack;

    /** Creates a pending future: only Weft makes them; {@link SettableFuture#create()} for users. */
    TaskFuture() {
    }

    // ---------------------------------------------------------------- completion

    /**
     * The producer's side (see {@link SettableFuture#complete}): completes the future with
     * {@code value}, which may be null, if it is not done yet.
     *
     * @return {@code true} if this call completed the future, {@code false} if it was already done
     */
    boolean complete(T value) {
        return settle(value == null ? FutureState.NIL : value);
    }

    /**
     * The producer's side (see {@link SettableFuture#completeExceptionally}): completes the future
     * with an exception if it is not done yet.
     *
     * @return {@code true} if this call completed the future, {@code false} if it was already done
     * @throws NullPointerException if {@code exception} is null
     */
    boolean completeExceptionally(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        return settle(new Failure(exception));
    }

    /**
     * Cancels the future if it is not done yet, whether it is pending or running (see the class
     * description for how this differs from Python). When this call wins, {@link #onCancel} runs
     * first, in this thread (by default it interrupts the runner if
     * {@code mayInterruptIfRunning} is true and the future was running), then the waiters are
     * released and the callbacks run.
     *
     * @param mayInterruptIfRunning whether the runner thread, if any, is interrupted
     * @return {@code true} if this call cancelled the future, {@code false} if it was already done
     *         (cancelled included)
     */
    @Override
    public final boolean cancel(boolean mayInterruptIfRunning) {
        for (;;) {
            Object s = state;
            if (isFinal(s)) {
                return false;
            }
            Cancelled cancelled = mayInterruptIfRunning && s instanceof Running running
                    ? new Cancelled(running.runner()) : FutureState.CANCELLED;
            onEnding(State.CANCELLED, s != null, 1);
            if (STATE.compareAndSet(this, s, cancelled)) {
                try {
                    onCancel(mayInterruptIfRunning);
                } catch (Throwable t) {
                    Logs.futures().warn("onCancel of {} threw", this, t);
                    restoreInterruptIf(t);
                } finally {
                    cancelled.delivered();
                }
                onEnded(s != null);
                finishCompletion();
                return true;
            }
            onEnding(State.CANCELLED, s != null, -1);
        }
    }

    /**
     * Called once, by the thread whose {@link #cancel} won, before waiters are released and
     * callbacks run. The default interrupts the runner when {@code mayInterruptIfRunning} is true
     * and the future was running; a pool whose tasks run elsewhere overrides it to send the
     * cancellation there. An override must be short and must not block for long: the runner's
     * final {@code complete} call waits for it to return. What it throws is logged.
     *
     * @param mayInterruptIfRunning the argument given to {@code cancel}
     */
    void onCancel(boolean mayInterruptIfRunning) {
        if (mayInterruptIfRunning && state instanceof Cancelled cancelled) {
            Thread runner = cancelled.runner();
            if (runner != null) {
                runner.interrupt();
            }
        }
    }

    /**
     * Marks a pending future running and records the calling thread as its runner; returns
     * {@code false}, changing nothing, if the future is not pending (cancelled, completed, or
     * already running). What a pool calls when a task's turn comes: {@code false} means skip it.
     */
    final boolean tryMarkRunning() {
        Running running = null;
        while (state == null) {
            if (running == null) {
                running = new Running(Thread.currentThread());
            }
            if (STATE.compareAndSet(this, null, running)) {
                onStarted();
                return true;
            }
        }
        return false;
    }

    /** Returns the runner of a running future, or null; for the message of a misused {@code markRunning}. */
    final Thread runner() {
        return state instanceof Running r ? r.runner() : null;
    }

    private boolean settle(Object outcome) {
        return settle(outcome, null);
    }

    /**
     * Completes the future with {@code outcome} if it is not done yet; the listeners and callbacks
     * run here, or, if {@code elsewhere} is not null, go to it (see {@link #completeHandingOff}).
     */
    private boolean settle(Object outcome, Executor elsewhere) {
        for (;;) {
            Object s = state;
            if (isFinal(s)) {
                if (elsewhere == null && s instanceof Cancelled cancelled) {
                    cancelled.awaitDelivery();
                }
                return false;
            }
            State ending = outcome instanceof Failure ? State.FAILED : State.SUCCESS;
            onEnding(ending, s != null, 1);
            if (STATE.compareAndSet(this, s, outcome)) {
                onEnded(s != null);
                finishCompletion(elsewhere);
                return true;
            }
            onEnding(ending, s != null, -1);
        }
    }

    /**
     * {@link #complete} for a thread that must not run a listener or callback, nor wait for another
     * thread (a cluster engine's thread, where a callback could call back into the engine; a
     * process pool's caller that reads its own answer): it releases the blocked {@code get()}
     * callers itself, and hands the listeners and callbacks, if any, to {@code elsewhere}, which
     * runs them in the order {@code complete} would. If the future is already done it returns
     * false at once, without waiting for a racing {@code cancel(true)} to deliver its interrupt,
     * since this thread is not the runner.
     *
     * @return {@code true} if this call completed the future, {@code false} if it was already done
     */
    boolean completeHandingOff(T value, Executor elsewhere) {
        Objects.requireNonNull(elsewhere, "elsewhere");
        return settle(value == null ? FutureState.NIL : value, elsewhere);
    }

    /** {@link #completeExceptionally} as {@link #completeHandingOff} completes. */
    boolean completeExceptionallyHandingOff(Throwable exception, Executor elsewhere) {
        Objects.requireNonNull(exception, "exception");
        Objects.requireNonNull(elsewhere, "elsewhere");
        return settle(new Failure(exception), elsewhere);
    }

    /**
     * Called once, by the thread whose {@link #tryMarkRunning()} won, right after: a pool counts
     * and records its task's start. It must be short and must not throw. The default does nothing.
     */
    void onStarted() {
    }

    /**
     * Called by a thread about to complete or cancel the future, just before the CAS that does it,
     * with the state it would end in and whether the future was running; called again with
     * {@code delta} -1 if that CAS lost, to undo it. So what it did happens-before anyone sees the
     * future done: a pool counts its task's end here. It must be short and must not throw. The
     * default does nothing.
     */
    void onEnding(State outcome, boolean wasRunning, int delta) {
    }

    /**
     * Called once, by the thread whose completion or cancellation won, before any waiter is released
     * or callback runs: a pool records its task's end. {@code wasRunning} says whether it had been
     * marked running. It must be short and must not throw. The default does nothing.
     */
    void onEnded(boolean wasRunning) {
    }

    /** Called once by the winner: takes the stack, releases waiters, runs listeners then callbacks. */
    private void finishCompletion() {
        finishCompletion(null);
    }

    /**
     * Called once by the winner: takes the stack and releases the waiters; runs the listeners (in
     * the stack's order) and then the callbacks (in the order they were added) here, or, if
     * {@code elsewhere} is not null, hands them to it in that order.
     */
    private void finishCompletion(Executor elsewhere) {
        Node head = WaiterStack.takeAll(this);
        List<Runnable> listeners = null;
        List<Object> callbacks = null;
        for (Node n = head; n != null; n = n.next) {
            Object item = n.item;
            if (item == null) {
                continue;
            }
            if (n.kind == Node.WAITER) {
                LockSupport.unpark((Thread) item);
            } else if (n.kind == Node.LISTENER && elsewhere == null) {
                runListener((Runnable) item);
            } else if (n.kind == Node.LISTENER) {
                if (listeners == null) {
                    listeners = new ArrayList<>(2);
                }
                listeners.add((Runnable) item);
            } else {
                if (callbacks == null) {
                    callbacks = new ArrayList<>();
                }
                callbacks.add(item);
            }
        }
        if (elsewhere == null) {
            runCallbacks(callbacks);
        } else if (listeners != null || callbacks != null) {
            List<Runnable> toRun = listeners;
            List<Object> toCall = callbacks;
            elsewhere.execute(() -> {
                if (toRun != null) {
                    toRun.forEach(this::runListener);
                }
                runCallbacks(toCall);
            });
        }
    }

    /** Runs {@code callbacks}, collected from the stack (newest first), in the order they were added. */
    private void runCallbacks(List<Object> callbacks) {
        if (callbacks != null) {
            for (int i = callbacks.size() - 1; i >= 0; i--) {
                runCallback(callbacks.get(i));
            }
        }
    }

    // ---------------------------------------------------------------- queries

    /** Returns whether the future has completed, normally, exceptionally or by cancellation. */
    @Override
    public final boolean isDone() {
        return isFinal(state);
    }

    /** Returns whether the future was cancelled. */
    @Override
    public final boolean isCancelled() {
        return state instanceof Cancelled;
    }

    /**
     * {@return whether the future is running: its task has started and it is not done} For a
     * process pool's task, started means sent to its worker, which may hold it a moment before it
     * runs it (see {@link ProcessPool}, "Cancellation").
     */
    public final boolean isRunning() {
        return state instanceof Running;
    }

    /**
     * Returns the state: {@code RUNNING} while pending or running, then {@code SUCCESS},
     * {@code FAILED} or {@code CANCELLED}.
     */
    @Override
    public final State state() {
        return switch (state) {
            case null -> State.RUNNING;
            case Running r -> State.RUNNING;
            case Cancelled c -> State.CANCELLED;
            case Failure f -> State.FAILED;
            default -> State.SUCCESS;
        };
    }

    /**
     * Waits until the future is done, then returns its result: Python's {@code result()}.
     *
     * @throws CancellationException if the future was cancelled
     * @throws ExecutionException    if it completed exceptionally; the cause is the exception
     * @throws InterruptedException  if the calling thread was interrupted while waiting
     * @throws IllegalStateException if the caller is a thread of the pool that runs this future's
     *                               task, and the wait could never end: every other thread of that
     *                               pool that could run the task already waits for the pool (see
     *                               {@link Pool}); the future is not changed
     */
    @Override
    public final T get() throws InterruptedException, ExecutionException {
        Object s = state;
        if (!isFinal(s)) {
            boolean counted = enterUntimedWait();
            try {
                helpBeforeWait();
                s = awaitDone(false, 0L);
            } finally {
                if (counted) {
                    exitUntimedWait();
                }
            }
        }
        return report(s);
    }

    /**
     * Called by a thread about to wait for this future without a timeout. A pool's future checks
     * that the caller is not one of the pool's own threads that would wait for ever, and throws
     * {@link IllegalStateException} if it is; returns whether {@link #exitUntimedWait()} must be
     * called when the wait ends. The default does nothing.
     */
    boolean enterUntimedWait() {
        return false;
    }

    /** Called by the same thread when a wait that {@link #enterUntimedWait()} counted ends. */
    void exitUntimedWait() {
    }

    /**
     * Called by a thread about to wait for this future without a timeout, once
     * {@link #enterUntimedWait()} let it: a pool may do some of the work that completes the
     * future in it, so that it need not be woken. The default does nothing.
     */
    void helpBeforeWait() {
    }

    /**
     * Waits at most {@code timeout} until the future is done, then returns its result: Python's
     * {@code result(timeout)}. A timeout of zero or less does not wait.
     *
     * @throws CancellationException if the future was cancelled
     * @throws ExecutionException    if it completed exceptionally; the cause is the exception
     * @throws InterruptedException  if the calling thread was interrupted while waiting
     * @throws TimeoutException      if the future was not done in time
     * @throws NullPointerException  if {@code unit} is null
     */
    @Override
    public final T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        Object s = state;
        if (!isFinal(s)) {
            s = awaitDone(true, unit.toNanos(timeout));
            if (!isFinal(s)) {
                throw new TimeoutException(this + " was not done within " + timeout + " " + unit);
            }
        }
        return report(s);
    }

    /**
     * Returns the result without waiting.
     *
     * @throws IllegalStateException if the future is not done, failed (the exception is the
     *                               cause) or was cancelled
     */
    @Override
    public final T resultNow() {
        return switch (state) {
            case null -> throw notCompleted();
            case Running r -> throw notCompleted();
            case Cancelled c -> throw new IllegalStateException("Task was cancelled");
            case Failure f -> throw new IllegalStateException("Task completed with exception", f.exception());
            case Object s -> value(s);
        };
    }

    /**
     * Returns the exception the future completed with, without waiting: Python's
     * {@code exception()}, except that a success is an error here, not {@code None}.
     *
     * @throws IllegalStateException if the future is not done, completed normally or was
     *                               cancelled
     */
    @Override
    public final Throwable exceptionNow() {
        return switch (state) {
            case null -> throw notCompleted();
            case Running r -> throw notCompleted();
            case Cancelled c -> throw new IllegalStateException("Task was cancelled");
            case Failure f -> f.exception();
            default -> throw new IllegalStateException("Task completed with a result");
        };
    }

    private static IllegalStateException notCompleted() {
        return new IllegalStateException("Task has not completed");
    }

    private T report(Object s) throws ExecutionException {
        if (s instanceof Failure failure) {
            throw new ExecutionException(failure.exception());
        }
        if (s instanceof Cancelled) {
            throw new CancellationException("Task was cancelled");
        }
        return value(s);
    }

    @SuppressWarnings("unchecked")
    private T value(Object s) {
        return s == FutureState.NIL ? null : (T) s;
    }

    /** Parks until done, interrupted or timed out; returns the state last seen. */
    private Object awaitDone(boolean timed, long nanos) throws InterruptedException {
        long start = timed ? System.nanoTime() : 0L;
        Node node = null;
        boolean queued = false;
        for (;;) {
            Object s = state;
            if (isFinal(s)) {
                if (node != null) {
                    node.item = null;   // spares this thread a late unpark from the completer
                }
                return s;
            }
            if (Thread.interrupted()) {
                if (queued) {
                    WaiterStack.remove(this, node);
                }
                throw new InterruptedException();
            }
            if (node == null) {
                if (timed && nanos <= 0L) {
                    return s;
                }
                node = new Node(Node.WAITER, Thread.currentThread());
            } else if (!queued) {
                queued = WaiterStack.push(this, node);    // false: completed meanwhile, seen on the next turn
            } else if (timed) {
                long left = nanos - (System.nanoTime() - start);
                if (left <= 0L) {
                    WaiterStack.remove(this, node);
                    return state;
                }
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this);
            }
        }
    }

    // ---------------------------------------------------------------- callbacks and listeners

    /**
     * Adds a callback that runs once the future is done, with this future as its argument:
     * Python's {@code add_done_callback}. See the class description for which thread runs it,
     * in what order, and what happens when it throws.
     *
     * @param callback called once, with this future, when it is done
     * @return this future
     * @throws NullPointerException if {@code callback} is null
     */
    public final TaskFuture<T> onDone(Consumer<? super TaskFuture<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        if (isDone() || !WaiterStack.push(this, new Node(Node.CALLBACK, callback))) {
            runCallback(callback);
        }
        return this;
    }

    /**
     * Adds a callback that {@code executor} runs once the future is done, with this future as its
     * argument: for a callback that must not run in the completing thread, because it blocks, takes
     * long, or waits for the pool that completed this future (Guava's {@code addListener}). The
     * thread that completes the future (or, if it is already done, the calling thread) hands the
     * callback to {@code executor.execute}; the callback then runs wherever the executor runs it,
     * and callbacks handed to executors are not ordered among themselves. If {@code execute} throws
     * (the executor is shut down, say), the exception is logged as for a callback that throws, and
     * the callback does not run. What the callback throws is the executor's business: a
     * {@link Pool} logs it.
     *
     * @param callback called once, with this future, in {@code executor}, when it is done
     * @param executor runs the callback
     * @return this future
     * @throws NullPointerException if {@code callback} or {@code executor} is null
     */
    public final TaskFuture<T> onDone(Consumer<? super TaskFuture<T>> callback, Executor executor) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(executor, "executor");
        return onDone(new Handoff<>(callback, executor));
    }

    /** A callback that runs another callback in an executor; its toString names both, for the log. */
    private record Handoff<T>(Consumer<? super TaskFuture<T>> callback, Executor executor)
            implements Consumer<TaskFuture<T>> {
        @Override
        public void accept(TaskFuture<T> future) {
            executor.execute(() -> callback.accept(future));
        }
    }

    /**
     * Adds a listener that runs once when the future is done, in the completing thread, before the
     * callbacks; if the future is already done it runs at once in this thread and null is
     * returned. Unlike a callback it can be removed again with {@link #removeListener(Object)}.
     * For {@link Futures}: a listener must be short and must not block.
     *
     * @return a handle for {@code removeListener}, or null if the listener has already run
     */
    final Object addListener(Runnable listener) {
        Node node = new Node(Node.LISTENER, Objects.requireNonNull(listener, "listener"));
        if (isDone() || !WaiterStack.push(this, node)) {
            runListener(listener);
            return null;
        }
        return node;
    }

    /**
     * Removes a listener added by {@link #addListener(Runnable)}, unlinking its node (and any other
     * removed node) from the future. A listener removed while the future completes may still run
     * once. Does nothing for a null handle.
     */
    final void removeListener(Object handle) {
        if (handle != null) {
            WaiterStack.remove(this, (Node) handle);
        }
    }

    /** Returns how many waiters, listeners and callbacks are registered; for tests. */
    final int registeredNodes() {
        return WaiterStack.size(this);
    }

    @SuppressWarnings("unchecked")
    private void runCallback(Object callback) {
        try {
            ((Consumer<? super TaskFuture<T>>) callback).accept(this);
        } catch (Throwable t) {
            Logs.futures().warn("exception calling callback {} for {}", callback, this, t);
            restoreInterruptIf(t);
        }
    }

    private void runListener(Runnable listener) {
        try {
            listener.run();
        } catch (Throwable t) {
            Logs.futures().warn("exception calling listener {} for {}", listener, this, t);
            restoreInterruptIf(t);
        }
    }

    private static void restoreInterruptIf(Throwable t) {
        if (t instanceof InterruptedException) {   // thrown sneakily; never swallow it
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- conversion

    /**
     * Returns a new {@link CompletableFuture} that completes when this future does: with its
     * value, with its exception, or cancelled. The returned future is a copy, not a view:
     * completing or cancelling it does not affect this future. The copy is completed by a
     * callback of this future, so in the thread and order that callbacks run. One difference in
     * what the two say: a {@link java.util.concurrent.CancellationException} given to
     * {@code completeExceptionally} leaves this future FAILED, but a {@code CompletableFuture}
     * calls any future with that exception cancelled, so the copy's {@code isCancelled()} is true
     * and its {@code state()} is CANCELLED.
     *
     * @return a new {@code CompletableFuture} that completes as this future does
     */
    public final CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> copy = new CompletableFuture<>();
        onDone(f -> {
            switch (state) {
                case Failure failure -> copy.completeExceptionally(failure.exception());
                case Cancelled c -> copy.cancel(false);
                case Object s -> copy.complete(value(s));
            }
        });
        return copy;
    }

    /**
     * Returns the class name, the identity hash and the state, like
     * {@code SettableFuture@1b6d3586[Completed normally]}; the state is one of {@code Pending},
     * {@code Running}, {@code Completed normally}, {@code Completed exceptionally: <exception>}
     * and {@code Cancelled}. Python's {@code repr} says the same in its own words.
     */
    @Override
    public String toString() {
        String status = switch (state) {
            case null -> "Pending";
            case Running r -> "Running";
            case Cancelled c -> "Cancelled";
            case Failure f -> "Completed exceptionally: " + f.exception();
            default -> "Completed normally";
        };
        String name = getClass().getSimpleName();
        return (name.isEmpty() ? getClass().getName() : name)
                + "@" + Integer.toHexString(System.identityHashCode(this)) + "[" + status + "]";
    }
}
