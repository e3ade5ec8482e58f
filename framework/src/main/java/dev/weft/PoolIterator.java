package dev.weft;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The iterator behind {@code imap}, {@code imapUnordered} and the {@code concurrent.futures}-style
 * {@code imap} with a timeout: lazy, with a bounded window, or eager.
 *
 * <h2>Algorithm</h2>
 * The input is read only by the iterating thread, in {@link #refill()}: it keeps at most
 * {@code window} chunks in flight (submitted and not yet yielded), taking items from the input
 * only to replace a chunk that has been yielded. So an unbounded input works, and memory stays
 * bounded even when the consumer is slow. An eager iterator has an unbounded window over a copy of
 * the input taken at the call, so its constructor submits every chunk, as Python's
 * {@code Executor.map} does. Each chunk, when its task completes, puts itself on
 * {@code completions} (in the completing thread). The consumer waits on that queue: in
 * completion order it takes chunks from it; in input order it uses it only as a wake-up signal
 * (cleared before the head chunk is checked, so no completion is missed and no stale signal
 * accumulates) and yields the head of {@code inFlight} once it has arrived. After each wake-up it refills,
 * so items are taken as workers free up.
 *
 * <h2>When the pool stops taking chunks</h2>
 * A lazy iterator whose next chunk the pool rejects (shut down or broken) stops reading its input,
 * yields the results of the chunks already in flight, then throws one
 * {@link RejectedExecutionException} that says which items were never submitted (the pool's own
 * exception is its cause), and ends. A rejection at the call (the first chunks, or any chunk of
 * an eager iterator) is thrown there, after the chunks already submitted are cancelled, as
 * {@code map} does.
 *
 * <h2>Progress</h2>
 * With a {@link MapProgress}, a chunk is counted before it is submitted, and its task's first
 * callback reports its end, before the callback that marks it {@code arrived} and signals the
 * iterator: so the iterator never yields a chunk its progress has not counted, and the final
 * report has returned before the last result is yielded. The end of the input (exhausted, failed,
 * refused by the pool, or cut by the overall deadline) is reported once, after its last chunk is
 * counted ({@link #endInput(boolean)}).
 *
 * <p>Everything but {@code completions} and each chunk's {@code arrived} is confined to the
 * iterating thread.
 */
final class PoolIterator<A, R> implements ResultIterator<R> {
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final AbstractPool pool;
    private final Function<? super A, ? extends R> fn;
    private final Iterator<? extends A> input;
    private final int chunksize;
    private final boolean ordered;
    private final int window;
    /** System.nanoTime() of the overall deadline, or NO_DEADLINE. */
    private final long deadline;
    /** Where the chunks' ends and the input's end are reported, or null. */
    private final MapProgress progress;

    /** Chunks submitted and not yet taken for yielding, in input order. */
    private final ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
    /** Completing threads add; the iterating thread takes. */
    private final LinkedBlockingQueue<Chunk> completions = new LinkedBlockingQueue<>();
    /** The outcomes being yielded, and the index of the next one. */
    private Object[] current;
    private int index;
    /** The input's exception, or the pool's rejection, thrown once the results before it are yielded. */
    private Throwable inputFailure;
    private boolean inputDone;
    /** How many items have been taken from the input. */
    private long read;
    /** Set when the overall deadline passed: the iteration is over. */
    private boolean over;
    /** True while the constructor submits the first chunks: a rejection then is thrown at the call. */
    private boolean constructing;

    /**
     * A chunk of items and its task. {@code arrived} is set by the task's last callback, after the
     * progress's, so that an iterator in input order yields a chunk only once its progress is counted.
     */
    private static final class Chunk {
        final PoolTask<Object[]> task;
        final int size;
        /** Written by the thread that ended the task, read by the iterating thread. */
        volatile boolean arrived;

        Chunk(PoolTask<Object[]> task, int size) {
            this.task = task;
            this.size = size;
        }
    }

    /** A lazy iterator whose window is {@code 2 × workers} chunks, 256 for an unbounded pool. */
    static <A, R> PoolIterator<A, R> lazy(AbstractPool pool, Function<? super A, ? extends R> fn,
                                          Iterable<? extends A> items, int chunksize, boolean ordered,
                                          MapProgress.Settings reporting) {
        return start(pool, fn, items, chunksize, ordered, null, pool.workers() == 0 ? 256 : 2 * pool.workers(),
                reporting);
    }

    /** A lazy iterator in input order with one overall deadline, and at most {@code buffersize} chunks in flight. */
    static <A, R> PoolIterator<A, R> buffered(AbstractPool pool, Function<? super A, ? extends R> fn,
                                              Iterable<? extends A> items, int chunksize, Duration timeout,
                                              int buffersize, MapProgress.Settings reporting) {
        if (buffersize < 1) {
            throw new IllegalArgumentException("buffersize must be at least 1, but was " + buffersize);
        }
        return start(pool, fn, items, chunksize, true, timeout, buffersize, reporting);
    }

    /**
     * An eager iterator in input order with one overall deadline: reads the whole input (whose
     * exception is thrown here, before any task runs) and submits every chunk before it returns.
     */
    static <A, R> PoolIterator<A, R> eager(AbstractPool pool, Function<? super A, ? extends R> fn,
                                           Iterable<? extends A> items, int chunksize, Duration timeout,
                                           MapProgress.Settings reporting) {
        Objects.requireNonNull(fn, "fn");
        PoolMapping.checkChunksize(chunksize);
        return start(pool, fn, PoolMapping.copy(items), chunksize, true, timeout, Integer.MAX_VALUE, reporting);
    }

    /**
     * Creates the iterator, which submits its first chunks. A rejection at this point (the pool is
     * shut down or broken at the call) is thrown here, as by every submitting method, after the
     * chunks already submitted are cancelled.
     */
    private static <A, R> PoolIterator<A, R> start(AbstractPool pool, Function<? super A, ? extends R> fn,
                                                   Iterable<? extends A> items, int chunksize, boolean ordered,
                                                   Duration timeout, int window, MapProgress.Settings reporting) {
        try {
            PoolIterator<A, R> iterator = new PoolIterator<>(pool, fn, items, chunksize, ordered, timeout, window,
                    reporting);
            if (iterator.inFlight.isEmpty() && iterator.inputFailure == null) {
                pool.checkOpen();       // an empty input submitted nothing, and a shut-down pool refuses it all the same
            }
            return iterator;
        } catch (RejectedAtCall e) {
            e.submitted.forEach(chunk -> chunk.task.cancel(true));
            throw e.rejection;
        }
    }

    /** How the constructor hands a rejection, and the chunks it had submitted, to {@link #start}. */
    private static final class RejectedAtCall extends RuntimeException {
        final transient List<Chunk> submitted;
        final RuntimeException rejection;

        RejectedAtCall(List<Chunk> submitted, RuntimeException rejection) {
            super(null, null, false, false);
            this.submitted = submitted;
            this.rejection = rejection;
        }
    }

    private PoolIterator(AbstractPool pool, Function<? super A, ? extends R> fn, Iterable<? extends A> items,
                         int chunksize, boolean ordered, Duration timeout, int window, MapProgress.Settings reporting) {
        this.pool = pool;
        this.fn = Objects.requireNonNull(fn, "fn");
        this.input = Objects.requireNonNull(items, "items").iterator();
        this.chunksize = PoolMapping.checkChunksize(chunksize);
        this.ordered = ordered;
        this.window = window;
        this.deadline = timeout == null ? NO_DEADLINE : Deadlines.toNanoTime(timeout);
        this.progress = MapProgress.start(reporting, items instanceof Collection<?> c ? c.size() : -1);
        constructing = true;
        refill();
        constructing = false;
    }

    @Override
    public boolean hasNext() {
        if (over) {
            return false;
        }
        if (current != null && index < current.length) {
            return true;
        }
        refill();
        return !inFlight.isEmpty() || inputFailure != null;
    }

    @Override
    public R next() {
        return next(NO_DEADLINE);
    }

    @Override
    public R next(Duration timeout) {
        long nanos = AsyncResult.nanos(timeout);
        long now = System.nanoTime();
        return next(nanos >= Long.MAX_VALUE / 4 ? NO_DEADLINE : now + nanos);
    }

    private R next(long callDeadline) {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        if (current == null || index >= current.length) {
            if (inFlight.isEmpty()) {
                Throwable failure = inputFailure;
                inputFailure = null;
                throw PoolIterator.<RuntimeException>sneaky(failure);
            }
            Chunk chunk = await(callDeadline);
            current = PoolMapping.outcomes(chunk.task, chunk.size);
            index = 0;
            refill();
        }
        Object outcome = current[index];
        current[index++] = null;
        if (outcome instanceof PoolMapping.ItemFailure f) {
            if (f.exception() instanceof CancellationException c) {
                throw c;
            }
            throw AsyncResult.wrap(f.exception());
        }
        return PoolMapping.value(outcome);
    }

    /** Waits for the next chunk to yield and removes it from inFlight. */
    private Chunk await(long callDeadline) {
        for (;;) {
            if (ordered) {
                completions.clear();
                if (inFlight.peekFirst().arrived) {
                    return inFlight.pollFirst();
                }
            } else {
                Chunk done = completions.poll();
                if (done != null) {
                    inFlight.remove(done);
                    return done;
                }
            }
            long until = Math.min(callDeadline, deadline);
            long left = until == NO_DEADLINE ? Long.MAX_VALUE : until - System.nanoTime();
            if (left <= 0) {
                throw timedOut(until == deadline);
            }
            // A wait without a deadline, in a thread of the pool, is checked as a wait for the head chunk.
            boolean counted = until == NO_DEADLINE && pool.enterOwnWait(inFlight.peekFirst().task);
            try {
                Chunk done = completions.poll(left, TimeUnit.NANOSECONDS);
                if (done != null && !ordered) {
                    inFlight.remove(done);
                    return done;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedInterruptedException("interrupted while waiting for a pool result", e);
            } finally {
                if (counted) {
                    pool.exitOwnWait();
                }
            }
            refill();
        }
    }

    private UncheckedTimeoutException timedOut(boolean overall) {
        if (!overall) {
            return new UncheckedTimeoutException("no result within the timeout given to next()");
        }
        over = true;
        if (!inputDone) {
            endInput(false);
        }
        int unfinished = 0;
        for (Chunk chunk : inFlight) {
            if (chunk.task.cancel(true)) {
                unfinished++;
            }
        }
        int finished = inFlight.size() - unfinished;
        inFlight.clear();
        return new UncheckedTimeoutException(unfinished + (unfinished == 1 ? " chunk" : " chunks")
                + " of the map unfinished at its deadline, cancelled"
                + (finished == 0 ? "" : "; " + finished + " finished but not yet read, dropped"));
    }

    /**
     * Submits chunks from the input until {@code window} are in flight or the input ends. If the
     * pool rejects a chunk, a lazy iterator stops reading and keeps the rejection for {@code next};
     * an eager one (still in its constructor) hands it to {@link #eager}.
     */
    private void refill() {
        while (!inputDone && inFlight.size() < window) {
            List<A> items = new ArrayList<>(chunksize);
            boolean ended;
            try {
                while (items.size() < chunksize && input.hasNext()) {
                    items.add(input.next());
                    read++;
                }
                ended = items.size() < chunksize;
            } catch (Throwable e) {          // the input's own failure: yield what came before, then throw it
                inputFailure = e;
                ended = true;
            }
            if (!items.isEmpty() && !submit(items)) {
                return;
            }
            if (ended) {
                endInput(true);              // after its last chunk is counted
            }
        }
    }

    /**
     * Submits a chunk of {@code items} and returns true; if the pool refuses it, ends the input and
     * returns false, keeping the rejection for {@code next}, or hands it to {@link #start} if still
     * in the constructor.
     */
    private boolean submit(List<A> items) {
        Chunk chunk = new Chunk(new PoolTask<>(pool, PoolMapping.chunk(fn, items), false), items.size());
        if (progress != null) {              // before the callback below, so a chunk arrives counted
            progress.submitting();
            chunk.task.onDone(f -> progress.ended(f, chunk.size));
        }
        chunk.task.onDone(f -> {
            chunk.arrived = true;
            completions.add(chunk);
        });
        try {
            pool.enqueue(chunk.task);
        } catch (RejectedExecutionException e) {
            if (progress != null) {
                progress.refused(chunk.size);
            }
            endInput(false);
            if (constructing) {
                throw new RejectedAtCall(new ArrayList<>(inFlight), e);
            }
            if (inputFailure == null) {
                long first = read - items.size() + 1;
                inputFailure = new RejectedExecutionException("pool '" + pool.name() + "' took no more "
                        + "tasks (" + e.getMessage() + "), so " + (first == read ? "item #" + read + " of this "
                        + "iteration's input was" : "items #" + first + " to #" + read + " of this iteration's input were")
                        + " never submitted, and the input was not read further; the results before "
                        + (first == read ? "it were" : "them were") + " delivered", e);
            }
            return false;
        }
        inFlight.addLast(chunk);
        return true;
    }

    /** No item will be read any more: the input is {@code exhausted} (or failed), or the pool refused it, or the deadline passed. */
    private void endInput(boolean exhausted) {
        inputDone = true;
        if (progress != null) {
            progress.inputEnded(read, exhausted);
        }
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable t) throws X {
        throw (X) t;
    }
}
