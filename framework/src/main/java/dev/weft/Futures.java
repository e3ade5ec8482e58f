package dev.weft;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Waiting on several futures at once: Python's {@code concurrent.futures.wait} and
 * {@code as_completed}, over any {@link Future}: {@link TaskFuture}, {@link CompletableFuture},
 * {@link FutureTask} and the rest.
 *
 * <pre>{@code
 * List<Future<Page>> pages = urls.stream().<Future<Page>>map(u -> executor.submit(() -> fetch(u))).toList();
 *
 * // done, not_done = wait(fs, timeout=2, return_when=FIRST_EXCEPTION)
 * Futures.Waited<Future<Page>> w = Futures.wait(pages, ReturnWhen.FIRST_EXCEPTION, Duration.ofSeconds(2));
 * w.notDone().forEach(f -> f.cancel(true));
 *
 * // for f in as_completed(fs, timeout=10): ...
 * for (Future<Page> f : Futures.asCompleted(pages, Duration.ofSeconds(10))) {
 *     if (f.state() == Future.State.SUCCESS) render(f.resultNow());
 * }
 * }</pre>
 *
 * <h2>Common rules</h2>
 * <ul>
 * <li>A future given twice (the same object) counts once, as in Python.</li>
 * <li>A cancelled future is done. (Python has a private "cancelled but not yet noticed" state in
 *     which {@code wait} still counts a cancelled future as not done; Java futures have no such
 *     state, so here it is done as soon as {@code isDone()} says so.)</li>
 * <li>How completion is noticed: a {@link TaskFuture} gets a listener that is removed before the
 *     call returns (or the iteration ends); a {@link CompletableFuture} gets a {@code whenComplete}
 *     action, which cannot be removed, so each call leaves on a CompletableFuture that is still
 *     pending a small completion node (about a hundred bytes, holding none of the caller's data)
 *     until it completes; any other future gets a watcher: a virtual thread named
 *     {@code weft-futures-watcher} that blocks in its {@code get()}. The watchers are interrupted
 *     when the call returns or the iteration ends, and for a {@link FutureTask} or a
 *     {@link java.util.concurrent.ForkJoinTask} the call waits until they have ended. A foreign
 *     future whose {@code get()} ignores interrupts keeps its watcher until it completes.</li>
 * <li>The futures' own {@code isDone()} and {@code state()} decide what is done and what failed;
 *     futures are compared by identity to drop duplicates, and the result sets hold them in
 *     {@link LinkedHashSet}s (so a future class that overrides {@code equals} should keep it
 *     identity-like, as every JDK future does).</li>
 * </ul>
 *
 * <h2>Memory consistency</h2>
 * The actions of a thread before it completes a future happen-before {@code wait} returns with that
 * future in {@link Waited#done()}, and before {@code asCompleted}'s iterator returns it, provided
 * the future's own {@code isDone()} and {@code get()} give that guarantee (every JDK future and
 * {@code TaskFuture} does).
 *
 * <h2>Null policy</h2>
 * Every method throws {@link NullPointerException} for a null argument or a null element of the
 * collection.
 *
 * @since 0.1
 */
public final class Futures {
    private Futures() {
    }

    /**
     * What {@link Futures#wait} returns: the futures that were done when it returned, and those
     * that were not. Python's {@code DoneAndNotDoneFutures(done, not_done)}. Both sets are
     * unmodifiable and keep an order: {@code done} has the futures that were done at the call, in
     * the order given, then those that completed while it waited, in the order their completion
     * was noticed, then those it found done as it returned; {@code notDone} has the rest in the
     * order given. Two are equal when their sets are.
     *
     * @param <F> the future type
     * @since 0.1
     */
    public static final class Waited<F> {
        private static final List<String> NAMES = List.of("done", "notDone");

        private final Set<F> done;
        private final Set<F> notDone;

        /** Copies both sets, keeping their iteration order. */
        private Waited(Set<F> done, Set<F> notDone) {
            this.done = Collections.unmodifiableSet(new LinkedHashSet<>(done));
            this.notDone = Collections.unmodifiableSet(new LinkedHashSet<>(notDone));
        }

        /** {@return the futures that were done: an unmodifiable set} */
        public Set<F> done() {
            return done;
        }

        /** {@return the futures that were not: an unmodifiable set} */
        public Set<F> notDone() {
            return notDone;
        }

        private List<Object> components() {
            return Arrays.asList(done, notDone);
        }

        /** Whether {@code o} is a {@code Waited} with equal sets. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Waited<?> w && components().equals(w.components());
        }

        @Override
        public int hashCode() {
            return components().hashCode();
        }

        /** {@code Waited[done=[...], notDone=[...]]}, as a record shows it. */
        @Override
        public String toString() {
            return Components.text("Waited", NAMES, components());
        }
    }

    /**
     * Waits without a deadline until {@code returnWhen} is met; see
     * {@link #wait(Collection, ReturnWhen, Duration)}.
     *
     * @param <F> the type of the futures
     * @param futures the futures; duplicates count once
     * @param returnWhen when to return
     * @return the done and not-done futures, in the orders {@link Waited} describes
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public static <F extends Future<?>> Waited<F> wait(Collection<? extends F> futures, ReturnWhen returnWhen)
            throws InterruptedException {
        List<F> distinct = distinct(futures);
        Objects.requireNonNull(returnWhen, "returnWhen");
        return await(distinct, returnWhen, false, 0L);
    }

    /**
     * Waits until {@code returnWhen} is met or {@code timeout} has passed, then returns which
     * futures are done: Python's {@code wait(fs, timeout, return_when)}. A timeout does not throw:
     * the call returns what it has. {@link Duration#ZERO} only looks, without waiting.
     *
     * <ul>
     * <li>{@link ReturnWhen#FIRST_COMPLETED FIRST_COMPLETED}: returns when at least one future is
     *     done (at once if one already is).</li>
     * <li>{@link ReturnWhen#FIRST_EXCEPTION FIRST_EXCEPTION}: returns when a future has
     *     {@linkplain Future.State#FAILED failed}, or when all are done. Cancelled is not
     *     failed.</li>
     * <li>{@link ReturnWhen#ALL_COMPLETED ALL_COMPLETED}: returns when all are done.</li>
     * </ul>
     * The call looks at every future once more before it returns, so {@code done} also holds those
     * that completed after the condition was met. An empty collection returns at once. The futures
     * are neither cancelled nor otherwise changed.
     *
     * @param <F>        the type of the futures
     * @param futures    the futures; duplicates count once
     * @param returnWhen when to return
     * @param timeout    how long to wait at most
     * @return the done and not-done futures, in the orders {@link Waited} describes
     * @throws InterruptedException     if the calling thread is interrupted while it waits
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <F extends Future<?>> Waited<F> wait(Collection<? extends F> futures, ReturnWhen returnWhen,
                                                       Duration timeout) throws InterruptedException {
        List<F> distinct = distinct(futures);
        Objects.requireNonNull(returnWhen, "returnWhen");
        checkTimeout(timeout, "wait(futures, returnWhen)");
        if (timeout.isZero()) {
            return split(distinct, new LinkedHashSet<>());
        }
        return await(distinct, returnWhen, true, Deadlines.toNanoTime(timeout));
    }

    private static <F extends Future<?>> Waited<F> await(List<F> futures, ReturnWhen returnWhen,
                                                         boolean timed, long deadline)
            throws InterruptedException {
        Set<F> done = new LinkedHashSet<>();
        List<F> pending = new ArrayList<>();
        boolean failed = false;
        for (F future : futures) {
            if (future.isDone()) {
                done.add(future);
                failed |= isFailed(future);
            } else {
                pending.add(future);
            }
        }
        boolean met = pending.isEmpty()
                || returnWhen == ReturnWhen.FIRST_COMPLETED && !done.isEmpty()
                || returnWhen == ReturnWhen.FIRST_EXCEPTION && failed;
        if (!met) {
            try (CompletionQueue<F> queue = new CompletionQueue<>(pending)) {
                for (int left = pending.size(); left > 0; left--) {
                    F future = queue.poll(timed, deadline);
                    if (future == null) {
                        break;      // timed out
                    }
                    done.add(future);
                    if (returnWhen == ReturnWhen.FIRST_COMPLETED
                            || returnWhen == ReturnWhen.FIRST_EXCEPTION && isFailed(future)) {
                        break;
                    }
                }
            }
        }
        return split(futures, done);
    }

    /** Adds to {@code done} the futures done by now, in the order given; the rest are not done. */
    private static <F extends Future<?>> Waited<F> split(List<F> futures, Set<F> done) {
        Set<F> notDone = new LinkedHashSet<>();
        for (F future : futures) {
            if (!done.contains(future)) {
                (future.isDone() ? done : notDone).add(future);
            }
        }
        return new Waited<>(done, notDone);
    }

    /**
     * Iterates without a deadline over the futures as they complete; see
     * {@link #asCompleted(Collection, Duration)}.
     *
     * @param <F> the type of the futures
     * @param futures the futures; duplicates count once
     * @return a one-shot iterable over the futures in completion order
     */
    public static <F extends Future<?>> Iterable<F> asCompleted(Collection<? extends F> futures) {
        return new AsCompleted<>(distinct(futures), false, 0L, false);
    }

    /**
     * Returns the futures as they complete: Python's {@code as_completed(fs, timeout)}. The
     * iterator returns first the futures already done when it was created, in the order given,
     * then each of the others as soon as it completes, in completion order; each future exactly
     * once (duplicates count once), in whatever state it ended: successful, failed or cancelled.
     *
     * <pre>{@code
     * for (Future<Page> f : Futures.asCompleted(pages, Duration.ofSeconds(10))) { ... }
     * }</pre>
     *
     * <ul>
     * <li>{@code timeout} is one deadline for the whole iteration, counted from this call, not a
     *     limit per future. When it passes with futures still unfinished, {@code next()} throws
     *     {@link UncheckedTimeoutException} with Python's message, {@code "2 (of 4) futures
     *     unfinished"} (unfinished ones of the distinct futures given), and the iteration is
     *     over. Futures that had completed by then are still returned first.
     *     {@link Duration#ZERO} returns the futures already done, then times out.</li>
     * <li>If the iterating thread is interrupted while {@code next()} waits, {@code next()} sets
     *     the interrupt status again, throws {@link UncheckedInterruptedException}, and the
     *     iteration is over.</li>
     * <li>{@code hasNext()} never blocks: it is true while some futures have not been returned,
     *     and the iteration is not over; {@code next()} is what waits.</li>
     * <li>The iterable can be iterated once; the iteration watches the futures (see the class
     *     description) from {@code iterator()} until it ends. An iteration abandoned half-way
     *     releases its listeners and watchers when its iterator is garbage-collected, or as each
     *     future completes.</li>
     * <li>The iterator is not thread-safe: one thread iterates.</li>
     * </ul>
     *
     * @param <F>     the type of the futures
     * @param futures the futures; duplicates count once
     * @param timeout the deadline for the whole iteration, from now
     * @return a one-shot iterable over the futures in completion order
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <F extends Future<?>> Iterable<F> asCompleted(Collection<? extends F> futures,
                                                                Duration timeout) {
        List<F> distinct = distinct(futures);
        checkTimeout(timeout, "asCompleted(futures)");
        return new AsCompleted<>(distinct, true, Deadlines.toNanoTime(timeout), timeout.isZero());
    }

    /** The one-shot iterable of {@link #asCompleted}. */
    private static final class AsCompleted<F extends Future<?>> implements Iterable<F> {
        private final List<F> futures;
        private final boolean timed;
        private final long deadline;
        private final boolean poll;
        /** Set by the one call of iterator(); any thread. */
        private final AtomicBoolean iterated = new AtomicBoolean();

        AsCompleted(List<F> futures, boolean timed, long deadline, boolean poll) {
            this.futures = futures;
            this.timed = timed;
            this.deadline = deadline;
            this.poll = poll;
        }

        @Override
        public Iterator<F> iterator() {
            if (!iterated.compareAndSet(false, true)) {
                throw new IllegalStateException(
                        "Futures.asCompleted can be iterated once; call it again for a new iteration");
            }
            return new CompletionIterator<>(futures, timed, deadline, poll);
        }
    }

    /**
     * The iterator of {@link #asCompleted}: first the futures already done, from {@code ready},
     * then the others from a {@link CompletionQueue}, which is closed when the iteration ends
     * (all returned, timed out or interrupted), or released by a cleaner if the iterator is
     * abandoned. Confined to the iterating thread, but for the cleaner.
     */
    private static final class CompletionIterator<F extends Future<?>> implements Iterator<F> {
        private final ArrayDeque<F> ready = new ArrayDeque<>();
        private final CompletionQueue<F> queue;
        private final Cleaner.Cleanable cleanable;
        private final boolean timed;
        private final long deadline;
        private final int total;
        /** Futures not yet returned. */
        private int left;
        /** Whether the iteration ended early, by a timeout or an interrupt. */
        private boolean over;

        CompletionIterator(List<F> futures, boolean timed, long deadline, boolean poll) {
            this.timed = timed;
            this.deadline = deadline;
            this.total = futures.size();
            this.left = total;
            List<F> pending = new ArrayList<>();
            for (F future : futures) {
                (future.isDone() ? ready : pending).add(future);
            }
            if (pending.isEmpty() || poll) {
                queue = null;
                cleanable = null;
            } else {
                CompletionQueue<F> q = new CompletionQueue<>(pending);
                queue = q;
                cleanable = CleanerHolder.CLEANER.register(this, q::release);  // must not capture this
            }
        }

        @Override
        public boolean hasNext() {
            return left > 0 && !over;
        }

        @Override
        public F next() {
            try {
                return nextFuture();
            } finally {
                Reference.reachabilityFence(this);  // the cleaner must not release a live iteration
            }
        }

        private F nextFuture() {
            if (!hasNext()) {
                throw new NoSuchElementException(
                        over ? "the iteration has ended early" : "every future has been returned");
            }
            F future = ready.poll();
            if (future == null) {
                try {
                    future = queue == null ? null : queue.poll(timed, deadline);
                } catch (InterruptedException e) {
                    end();
                    Thread.currentThread().interrupt();
                    throw new UncheckedInterruptedException(
                            "interrupted while waiting for " + left + " (of " + total + ") futures", e);
                }
                if (future == null) {
                    end();
                    throw new UncheckedTimeoutException(left + " (of " + total + ") futures unfinished");
                }
            }
            if (--left == 0) {
                end();
            }
            return future;
        }

        private void end() {
            over = left > 0;
            if (queue != null) {
                queue.close();
                cleanable.clean();
            }
        }
    }

    /** The cleaner of abandoned iterations, created on first use. */
    private static final class CleanerHolder {
        static final Cleaner CLEANER = Cleaner.create(
                Thread.ofPlatform().name("weft-futures-cleaner").daemon().factory());
    }

    // ---------------------------------------------------------------- arguments

    /** Returns the futures without duplicates (by identity), in the order first given. */
    private static <F extends Future<?>> List<F> distinct(Collection<? extends F> futures) {
        Objects.requireNonNull(futures, "futures");
        Set<F> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<F> distinct = new ArrayList<>(futures.size());
        int index = 0;
        for (F future : futures) {
            if (future == null) {
                throw new NullPointerException("futures contains null (at position " + index + ")");
            }
            if (seen.add(future)) {
                distinct.add(future);
            }
            index++;
        }
        return distinct;
    }

    private static void checkTimeout(Duration timeout, String withoutDeadline) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, but was " + timeout
                    + "; use Duration.ZERO to look without waiting, or " + withoutDeadline
                    + " to wait without a deadline");
        }
    }

    /**
     * Returns whether a done future completed exceptionally (cancelled does not count). A foreign
     * future whose {@code state()} throws, as the default one does when {@code get()} throws what
     * it should have wrapped in an {@code ExecutionException}, failed.
     */
    private static boolean isFailed(Future<?> future) {
        try {
            return future.state() == Future.State.FAILED;
        } catch (RuntimeException | Error e) {
            return true;
        }
    }
}
