package dev.weft;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A structured group of concurrent subtasks for IO work: each subtask runs in its own (by default
 * virtual) thread, the owner waits for all of them in {@link #join()}, and no subtask outlives the
 * scope. This is Weft's counterpart of the JDK's {@code StructuredTaskScope} (JEP 505), Trio's
 * nursery and Python's {@code asyncio.TaskGroup}; it is built only on final APIs, so it runs on
 * any JDK 21 or newer.
 *
 * <pre>{@code
 * try (var scope = TaskScope.<String>open()) {             // all must succeed
 *     Subtask<String> user  = scope.fork(() -> fetch("/user"));
 *     Subtask<String> order = scope.fork(() -> fetch("/order"));
 *     List<String> both = scope.join();                    // the first failure cancels the other
 *     render(user.get(), order.get());
 * }
 * }</pre>
 *
 * <h2>Life cycle</h2>
 * <ol>
 * <li>{@link #open(Joiner, UnaryOperator) open} creates the scope; the calling thread becomes its
 *     <em>owner</em>. The {@link Joiner join policy} decides when to cancel and what
 *     {@code join} returns; the {@link Configuration} gives a name, a deadline, a thread factory
 *     and a concurrency limit.</li>
 * <li>{@link #fork(Callable) fork} starts subtasks. Only the owner may fork.</li>
 * <li>{@link #join() join} waits until every subtask has completed (or the scope is cancelled and
 *     they have all stopped), then returns the policy's result or throws its failure. The owner
 *     may first take subtasks in completion order from {@link #asCompleted()}.</li>
 * <li>{@link #close() close} cancels what is still running, waits for it, and ends the scope.
 *     Use try-with-resources.</li>
 * </ol>
 *
 * <h2>Cancellation</h2>
 * The scope is cancelled when the policy asks for it, when its deadline passes, or when it is
 * closed. Cancelling interrupts every subtask still running and stops queued subtasks from ever
 * starting; it is up to each subtask to respond to the interrupt. A subtask that fails after the
 * scope was cancelled with an {@link InterruptedException} (or an exception caused by one) ends
 * {@link Future.State#CANCELLED CANCELLED}, not {@code FAILED}: it did what it was asked.
 *
 * <h2>Structure</h2>
 * Scopes nest: a scope opened by a thread while another of its scopes is open, or opened inside a
 * subtask, is a child of that scope. Scopes must be closed in the reverse order of opening; closing
 * an outer scope first closes the inner ones, then throws {@link StructureViolationException}. A
 * subtask that ends while a scope it opened is still open has that scope closed for it and fails
 * with {@code StructureViolationException}.
 *
 * <h2>Threads and context</h2>
 * Subtask threads are named after their scope ({@code weft-scope-fetch-3} for the third subtask
 * of a scope named {@code fetch}; {@code weft-scope-3} in an unnamed scope), so a thread dump or a
 * log line says whose work it is, and concurrent subtasks tell apart by their number; a thread takes
 * its name as it starts, before it calls the task (so {@code fork} builds no string). Name a scope
 * to tell its threads from those of other scopes. A subtask sees the SLF4J
 * {@link org.slf4j.MDC MDC} that its owner had when it forked, and the values the owner bound with
 * {@link Configuration#with(ContextKey, Object)} (read with {@link ContextKey#get()}), in nested
 * scopes too. Lambda captures remain the plainest way to pass a value. On the opt-in {@code sts}
 * {@linkplain #engine() engine}, subtasks also inherit the owner's {@code ScopedValue} bindings.
 *
 * <h2>Memory consistency</h2>
 * Actions in the owner before {@code fork} happen-before the subtask's actions; a subtask's actions
 * happen-before its completion is observed, by {@link #join()}, by {@link #asCompleted()}, or by
 * reading {@link Subtask#state()}; and they happen-before the policy's
 * {@link Joiner#onComplete(Subtask) onComplete} for that subtask.
 *
 * <h2>Null policy</h2>
 * Every method throws {@link NullPointerException} for a null argument.
 *
 * @param <T> the result type of the subtasks
 * @param <R> the result type of {@link #join()}
 * @since 0.1
 */
public sealed interface TaskScope<T, R> extends AutoCloseable permits ScopeImpl {

    /**
     * Opens a scope in which all subtasks must succeed: the policy of
     * {@link Joiner#allSuccessful()}, with the default configuration. {@code join} returns the
     * results in fork order.
     *
     * @param <T> the result type of the subtasks
     * @return a new scope, open, whose owner is the calling thread
     * @throws IllegalStateException if {@code -Ddev.weft.engine} demands an engine that cannot run
     *         here (see {@link #engine()})
     */
    static <T> TaskScope<T, List<T>> open() {
        return open(Joiner.allSuccessful());
    }

    /**
     * Opens a scope with the given join policy and the default configuration.
     *
     * @param <T> the result type of the subtasks
     * @param <R> the result type of {@code join}
     * @param joiner the join policy; a policy object serves one scope only
     * @return a new scope, open, whose owner is the calling thread
     * @throws IllegalStateException if {@code joiner} is one of the built-in policies and already
     *         serves a scope, or if {@code -Ddev.weft.engine} demands an engine that cannot run
     *         here (see {@link #engine()})
     */
    static <T, R> TaskScope<T, R> open(Joiner<? super T, ? extends R> joiner) {
        return open(joiner, UnaryOperator.identity());
    }

    /**
     * Opens a scope with the given join policy and configuration; the calling thread becomes its
     * owner.
     *
     * <pre>{@code
     * TaskScope.open(Joiner.anySuccessful(),
     *         c -> c.withName("mirrors").withTimeout(Duration.ofSeconds(2)).withConcurrencyLimit(4))
     * }</pre>
     *
     * @param <T>       the result type of the subtasks
     * @param <R>       the result type of {@code join}
     * @param joiner    the join policy; a policy object serves one scope only
     * @param configure a function from the default configuration to the one wanted
     * @return a new scope, open, whose owner is the calling thread
     * @throws NullPointerException if an argument is null or {@code configure} returns null
     * @throws IllegalStateException if {@code joiner} is one of the built-in policies and already
     *         serves a scope, or if {@code -Ddev.weft.engine} demands an engine that cannot run
     *         here (see {@link #engine()})
     */
    static <T, R> TaskScope<T, R> open(Joiner<? super T, ? extends R> joiner,
                                       UnaryOperator<Configuration> configure) {
        Objects.requireNonNull(joiner, "joiner");
        Objects.requireNonNull(configure, "configure");
        Configuration config = Objects.requireNonNull(
                configure.apply(Configuration.DEFAULT), "configure returned null");
        return ScopeImpl.open(joiner, config);
    }

    /**
     * Returns the name of the engine that runs the subtask threads of every scope in this JVM:
     * {@code "core"}, Weft's own engine on final APIs, or {@code "sts"}, the opt-in engine on the
     * JDK's {@code StructuredTaskScope} (module {@code dev.weft.sts}, JDK 25 with
     * {@code --enable-preview}; see the guide's page "The sts engine"). Both keep every rule of this
     * interface; {@code sts} adds {@code ScopedValue} inheritance by subtasks and the scope tree in
     * thread dumps. The system property {@code dev.weft.engine} ({@code core}, {@code sts}, or unset
     * for automatic) is read once, on first use, and the choice never changes.
     *
     * @return {@code "core"} or {@code "sts"}, the same at every call
     * @throws IllegalStateException if {@code -Ddev.weft.engine} demands an engine that cannot run
     *         here; the message says why. {@link #open(Joiner, UnaryOperator) open} throws it too.
     */
    static String engine() {
        return Engines.selected().name();
    }

    /**
     * Starts a subtask that runs {@code task} and returns its handle.
     *
     * <p>The policy's {@link Joiner#onFork(Subtask) onFork} sees the subtask first. Then, if the
     * scope has no {@linkplain Configuration#withConcurrencyLimit(int) concurrency limit} or fewer
     * than the limit are running, a new thread starts running it at once. Otherwise the subtask is
     * queued and this method returns at once without blocking: queued subtasks start in fork order,
     * each as soon as a running one completes, and no thread exists for a subtask until it starts.
     * If the scope is already cancelled, the subtask does not run and ends
     * {@link Future.State#CANCELLED CANCELLED}.
     *
     * <p>If the thread factory gives no thread (it returns null or throws) for a subtask that
     * would start at once in a scope without a concurrency limit, {@code fork} throws and the
     * subtask never exists: the policy never sees it. Under a concurrency limit the thread is made
     * when the subtask's turn comes, possibly in another subtask's thread; a refusal then fails
     * that subtask with the factory's exception (a {@code RejectedExecutionException} for null).
     * A thread that cannot be started (the JVM is out of native threads) fails its subtask too.
     *
     * <p>A factory that returns a thread it has already started breaks its contract: the same rule
     * applies, with an {@link IllegalStateException} that says so, and the subtask never runs in
     * that thread.
     *
     * @param <U> the result type of this subtask
     * @param task the subtask's work, run once in the subtask's thread
     * @return the subtask's handle, {@code RUNNING} until it completes
     * @throws WrongThreadException       if the caller is not the owner
     * @throws IllegalStateException      if the owner has already joined or the scope is closed; or
     *         if the scope has no concurrency limit and the thread factory returned a thread that
     *         was already started
     * @throws java.util.concurrent.RejectedExecutionException if the scope has no concurrency limit
     *         and the thread factory returned null; anything the factory throws is thrown as is
     */
    <U extends T> Subtask<U> fork(Callable<? extends U> task);

    /**
     * Starts a subtask that runs {@code task} and whose result is {@code null}; otherwise as
     * {@link #fork(Callable)}.
     *
     * @param <U> the result type of this subtask, whose result is {@code null}
     * @param task the subtask's work, run once in the subtask's thread
     * @return the subtask's handle, {@code RUNNING} until it completes
     * @throws WrongThreadException if the caller is not the owner
     * @throws IllegalStateException if the owner has already joined or the scope is closed; or if
     *         the scope has no concurrency limit and the thread factory returned a thread that was
     *         already started
     * @throws java.util.concurrent.RejectedExecutionException if the scope has no concurrency limit
     *         and the thread factory returned null; anything the factory throws is thrown as is
     */
    <U extends T> Subtask<U> fork(Runnable task);

    /**
     * Waits for every subtask to complete, or for the scope to be cancelled and every subtask to
     * stop, then returns the result of the join policy. A scope is joined once.
     *
     * @return the policy's {@linkplain Joiner#result() result}
     * @throws FailedException            if the policy's result failed; its cause says why
     * @throws UncheckedTimeoutException  if the scope's deadline passed first; the scope is then
     *                                    cancelled and every subtask has stopped
     * @throws InterruptedException       if the owner was interrupted while waiting; the scope is
     *                                    then cancelled (close still waits for the subtasks)
     * @throws WrongThreadException       if the caller is not the owner
     * @throws IllegalStateException      if the scope was already joined or is closed, or if called
     *                                    from the policy's {@code onComplete} in the owner's thread
     */
    R join() throws InterruptedException;

    /**
     * Returns the subtasks in the order they complete, each exactly once: Python's
     * {@code as_completed}, for the whole group. Iteration blocks until the next subtask completes,
     * and ends when every subtask forked so far has been returned, so the owner may fork more
     * while it iterates (fork the next piece of work as each completes). Subtasks come back in
     * every state: successful, failed, and, after cancellation, cancelled. {@link Subtask#get()} is
     * allowed on a subtask once it has been returned here.
     *
     * <p>When the scope's deadline passes, the iterator still returns the subtasks that completed
     * before it, then throws {@link UncheckedTimeoutException} (as Python's {@code as_completed}
     * does), unless every subtask forked had been returned by then: a subtask that ends after the
     * deadline, cancelled by it or late, is not returned. It throws
     * {@link UncheckedInterruptedException} (with the interrupt status set again) when the owner is
     * interrupted. Only the owner may iterate; {@link #join()} is still required.
     *
     * @return the subtasks, in the order they complete; its iterator belongs to the owner
     * @throws WrongThreadException  if the caller is not the owner
     * @throws IllegalStateException if the scope was already joined or is closed
     */
    Iterable<Subtask<T>> asCompleted();

    /** {@return whether the scope has been cancelled, by its policy, its deadline or close} */
    boolean isCancelled();

    /**
     * Returns the scope's name: the configured one, or {@code scope-N} for a unique N. Subtask
     * threads of the default factory are named {@code weft-scope-NAME-M} for a configured name and
     * {@code weft-scope-M} otherwise, M counting from 1 in the order they start. (An unnamed
     * scope's number is left out of its threads' names, so that every unnamed scope shares the
     * same name strings and a thread costs no string of its own.)
     *
     * @return the scope's name
     */
    String name();

    /**
     * Closes the scope: cancels it if any subtask is unfinished, waits for every subtask thread to
     * end, then closes it. The wait is not cut short by an interrupt: {@code close} keeps waiting,
     * then sets the owner's interrupt status again before it returns. Closing a closed scope does
     * nothing.
     *
     * @throws IllegalStateException       if subtasks were forked but the owner never called
     *                                     {@link #join()}, in which case the scope is closed all the
     *                                     same; or if called from the policy's {@code onComplete}
     *                                     in the owner's thread, in which case it is not
     * @throws StructureViolationException if a scope opened inside this one was still open; it
     *                                     is closed first
     * @throws WrongThreadException        if the caller is not the owner
     */
    @Override
    void close();

    /**
     * The handle of a forked subtask: its {@link #state()}, and once it is done its result or its
     * exception. Like {@link Future#resultNow()}, the accessors never block.
     *
     * @param <T> the result type
     * @since 0.1
     */
    sealed interface Subtask<T> extends Supplier<T> permits SubtaskImpl {

        /**
         * Returns the state: {@code RUNNING} until it completes (also while it waits its turn under
         * a concurrency limit), then {@code SUCCESS}, {@code FAILED} or {@code CANCELLED}.
         *
         * @return the subtask's state now; never blocks
         */
        Future.State state();

        /**
         * Returns the result of a subtask that completed successfully.
         *
         * @return the value its task returned, which may be null
         * @throws IllegalStateException if the owner calls it before {@link TaskScope#join()}
         *         (or before {@link TaskScope#asCompleted()} returned this subtask), or if the
         *         subtask has not completed successfully; the message names the fix
         */
        @Override
        T get();

        /**
         * Returns the exception of a subtask that failed, or was cancelled after it had started
         * and ended with an exception.
         *
         * @return the exception its task threw
         * @throws IllegalStateException if the owner calls it before {@link TaskScope#join()}
         *         (or before {@link TaskScope#asCompleted()} returned this subtask), or if the
         *         subtask did not end with an exception
         */
        Throwable exception();
    }

    /**
     * A join policy: it sees each subtask forked and completed, decides when the scope is
     * cancelled, and produces the result (or the failure) of {@link TaskScope#join()}. The JDK
     * calls this a {@code Joiner}; the four built-in ones cover the usual cases, and users may
     * write their own.
     *
     * <h2>What Weft guarantees to an implementation</h2>
     * <ul>
     * <li>{@link #onFork} is called by the owner, in {@code fork}, before the subtask can start.
     *     If it throws, {@code fork} throws that exception and the subtask never exists.</li>
     * <li>{@link #onComplete} is called exactly once for every subtask whose {@code onFork}
     *     returned, with the subtask in its final state ({@code SUCCESS}, {@code FAILED} or
     *     {@code CANCELLED}). It runs in the subtask's thread; for a subtask that never started, in
     *     the thread that cancelled the scope (a queued subtask) or in the owner's {@code fork} (a
     *     subtask forked after cancellation). Calls for different subtasks may run at the same
     *     time. Returning {@code true} cancels the scope. If it throws, the scope is
     *     cancelled and {@code join} throws {@link FailedException} with that exception as cause.</li>
     * <li>{@link #result} is called at most once, by the owner in {@code join}, after every
     *     {@code onComplete} call has returned; all their effects are visible to it. It is not
     *     called when the deadline passed or the owner was interrupted.</li>
     * </ul>
     *
     * <h2>What an implementation must guarantee</h2>
     * <ul>
     * <li>{@code onComplete} is thread-safe, short and does not block: it runs on the completing
     *     subtask's thread, and the scope waits for it.</li>
     * <li>The object serves one scope; it may keep state for that scope only. (The built-in
     *     policies check it: opening a second scope with one throws
     *     {@link IllegalStateException}.)</li>
     * <li>{@code result} returns or throws; whatever it throws, other than a
     *     {@link FailedException}, {@code join} wraps once in a {@code FailedException}.</li>
     * </ul>
     *
     * @param <T> the result type of the subtasks
     * @param <R> the result type of {@code join}
     * @since 0.1
     */
    interface Joiner<T, R> {

        /**
         * Called by the owner when a subtask is forked, before it can start. Does nothing by default.
         *
         * @param subtask the subtask forked, {@code RUNNING}
         */
        default void onFork(Subtask<? extends T> subtask) {
        }

        /**
         * Called once when a subtask completes; returns whether to cancel the scope. Returns
         * {@code false} by default.
         *
         * @param subtask the subtask, in its final state: {@code SUCCESS}, {@code FAILED} or
         *         {@code CANCELLED}
         * @return {@code true} to cancel the scope
         */
        default boolean onComplete(Subtask<? extends T> subtask) {
            return false;
        }

        /**
         * {@return the result of {@code join}, or throws its failure}
         *
         * @throws Throwable the failure of {@code join}, which {@code join} throws wrapped once in
         *         a {@link FailedException} unless it is one
         */
        R result() throws Throwable;

        /**
         * All must succeed (the default): the first failure cancels the rest; {@code join} returns
         * the results in fork order, or throws a {@link FailedException} whose cause is the first
         * failure and whose suppressed exceptions are the later failures, in the order they
         * happened. Cancelled subtasks are not failures. Python: {@code asyncio.TaskGroup}.
         *
         * @param <T> the result type of the subtasks
         * @return a new policy, for one scope, whose {@code join} returns the results in fork order
         */
        static <T> Joiner<T, List<T>> allSuccessful() {
            return new Joiners.AllSuccessful<>();
        }

        /**
         * The first success wins: it cancels the rest and {@code join} returns its result. If every
         * subtask fails, {@code join} throws a {@link FailedException} carrying all the failures
         * (the first as cause, the rest suppressed); if none was forked, its cause is a
         * {@link java.util.NoSuchElementException}. Python: {@code wait(FIRST_COMPLETED)} on
         * successes only, with the losers cancelled.
         *
         * @param <T> the result type of the subtasks
         * @return a new policy, for one scope, whose {@code join} returns the first result
         */
        static <T> Joiner<T, T> anySuccessful() {
            return new Joiners.AnySuccessful<>();
        }

        /**
         * Await all: nothing is cancelled by the policy, and {@code join} returns every subtask in
         * fork order, to be inspected one by one. Python: {@code wait(ALL_COMPLETED)}.
         *
         * @param <T> the result type of the subtasks
         * @return a new policy, for one scope, whose {@code join} returns every subtask in fork
         *         order
         */
        static <T> Joiner<T, List<Subtask<T>>> awaitAll() {
            return new Joiners.AwaitAll<>(Joiners.NEVER);
        }

        /**
         * Like {@link #awaitAll()}, but the scope is cancelled as soon as a completed subtask
         * matches {@code cancelWhen} (called as {@code onComplete} is: concurrently, once per
         * subtask). Python: {@code wait(FIRST_EXCEPTION)} is
         * {@code allUntil(s -> s.state() == Future.State.FAILED)}.
         *
         * @param <T> the result type of the subtasks
         * @param cancelWhen tells, for a completed subtask, whether to cancel the scope
         * @return a new policy, for one scope, whose {@code join} returns every subtask in fork
         *         order
         * @throws NullPointerException if {@code cancelWhen} is null
         */
        static <T> Joiner<T, List<Subtask<T>>> allUntil(Predicate<? super Subtask<? extends T>> cancelWhen) {
            return new Joiners.AwaitAll<>(Objects.requireNonNull(cancelWhen, "cancelWhen"));
        }
    }

    /**
     * A scope's configuration: immutable; each {@code with} method returns a changed copy. The
     * default has no name (the scope gets {@code scope-N}), no deadline, a factory of virtual
     * threads named after the scope, and no concurrency limit.
     *
     * @since 0.1
     */
    final class Configuration {
        static final Configuration DEFAULT = new Configuration(null, null, null, 0, ContextKey.Bindings.EMPTY);

        private final String name;
        private final Instant deadline;
        private final ThreadFactory threadFactory;
        private final int concurrencyLimit;
        private final ContextKey.Bindings bindings;

        private Configuration(String name, Instant deadline, ThreadFactory threadFactory,
                              int concurrencyLimit, ContextKey.Bindings bindings) {
            this.name = name;
            this.deadline = deadline;
            this.threadFactory = threadFactory;
            this.concurrencyLimit = concurrencyLimit;
            this.bindings = bindings;
        }

        /**
         * Names the scope; its threads are then named {@code weft-scope-NAME-N}.
         *
         * @param name the scope's name, not blank
         * @return a copy of this configuration with that name
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Configuration withName(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("a scope's name must not be blank");
            }
            return new Configuration(name, deadline, threadFactory, concurrencyLimit, bindings);
        }

        /**
         * Sets a deadline {@code timeout} from when the scope is opened; see
         * {@link #withDeadline(Instant)}.
         *
         * @param timeout how long after it opens the scope may run; zero cancels it as it opens
         * @return a copy of this configuration with a deadline that far from when the scope is
         *         opened
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Configuration withTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative, but was " + timeout);
            }
            return withDeadline(Deadlines.fromNow(timeout));
        }

        /**
         * Sets a deadline: when it passes before the scope is joined, the scope is cancelled and
         * {@link TaskScope#join()} throws {@link UncheckedTimeoutException}. A deadline already
         * past cancels the scope as soon as it opens. The deadline reaches the scope's subtasks,
         * and through their interrupts the scopes they open; not a scope that the owner opens
         * inside this one in its own thread, which needs a deadline of its own.
         *
         * @param deadline the instant at which the scope is cancelled if not joined
         * @return a copy of this configuration with that deadline
         */
        public Configuration withDeadline(Instant deadline) {
            Objects.requireNonNull(deadline, "deadline");
            return new Configuration(name, deadline, threadFactory, concurrencyLimit, bindings);
        }

        /**
         * Sets the factory that creates the subtask threads. It must return a new, unstarted
         * thread, or null to reject (then {@code fork} throws
         * {@link java.util.concurrent.RejectedExecutionException}); a thread it has already started
         * is refused with an {@link IllegalStateException} (see {@link TaskScope#fork(Callable)}).
         * Weft does not rename the threads it returns. Each thread is to end once the subtask's
         * body, the {@link Runnable} given to the factory, returns: {@code close} waits for every
         * thread to end, and {@code join} for some of them, not only for their subtasks to finish.
         * A thread that ends without running the {@code Runnable} it was given (it failed before
         * calling it, or handed it to another thread, where it does nothing) fails its subtask
         * with an {@link IllegalStateException} that names the thread, within about 50 ms of
         * ending, so {@code join} and {@code close} never wait for it for good.
         *
         * @param threadFactory makes one thread per subtask
         * @return a copy of this configuration with that factory
         */
        public Configuration withThreadFactory(ThreadFactory threadFactory) {
            Objects.requireNonNull(threadFactory, "threadFactory");
            return new Configuration(name, deadline, threadFactory, concurrencyLimit, bindings);
        }

        /**
         * Lets at most {@code limit} subtasks run at once; later forks wait in a queue, in fork
         * order, without blocking the owner (see {@link TaskScope#fork(Callable)}).
         *
         * @param limit how many subtasks may run at once, at least 1
         * @return a copy of this configuration with that limit
         * @throws IllegalArgumentException if {@code limit} is below 1
         */
        public Configuration withConcurrencyLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("concurrency limit must be at least 1, but was " + limit);
            }
            return new Configuration(name, deadline, threadFactory, limit, bindings);
        }

        /**
         * Binds {@code key} to {@code value} for the subtasks of this scope and of every scope
         * nested in it, where {@link ContextKey#get()} reads it. A binding here hides one of the
         * same key in an enclosing scope.
         *
         * @param <V> the type of the key's values
         * @param key the key, which the subtasks read with {@link ContextKey#get()}
         * @param value its value for the scope's subtasks, not null
         * @return a copy of this configuration with that binding added, replacing one of the same
         *         key
         */
        public <V> Configuration with(ContextKey<V> key, V value) {
            Objects.requireNonNull(value, "value");
            return new Configuration(name, deadline, threadFactory, concurrencyLimit,
                    bindings.with(key, value));
        }

        /** {@return the name, or null if none was set} */
        public String name() {
            return name;
        }

        /** {@return the deadline, or null if none was set} */
        public Instant deadline() {
            return deadline;
        }

        /** {@return the thread factory, or null for the default one} */
        public ThreadFactory threadFactory() {
            return threadFactory;
        }

        /** {@return the concurrency limit, or 0 when there is none} */
        public int concurrencyLimit() {
            return concurrencyLimit;
        }

        ContextKey.Bindings bindings() {
            return bindings;
        }

        @Override
        public String toString() {
            return "Configuration[name=" + name + ", deadline=" + deadline + ", threadFactory="
                    + threadFactory + ", concurrencyLimit=" + concurrencyLimit + "]";
        }
    }
}
