package dev.weft;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * The dispatch that the two remote pools share, {@link ProcessPoolImpl} (worker JVMs) and
 * {@link ClusterPoolImpl} (cluster members): the queue of jobs not yet sent, the jobs each target
 * holds, where the next job goes, the pool's broken state, and the decoding of what comes back.
 * Each pool keeps only what is its own: how it sends, how its targets start and end, and its
 * faults.
 *
 * <h2>Placement</h2>
 * A target is seen through its {@link Lane}: the jobs it holds, whether it takes more
 * ({@link Lane#open}) and how many it may hold ({@link Lane#window}). {@link #place} takes the
 * pending jobs in order and gives each to the open lane with the fewest jobs and room in its
 * window; among equals, the first after the one chosen last, so that equal targets share the
 * work. When no lane has room, the pool may make one (the process pool starts a worker);
 * otherwise the jobs wait for an answer to free a place. A job whose task ended while it waited
 * (it was cancelled) is dropped. Placement only decides, under the pool's lock; the pool sends
 * outside it, because a send may block (a full socket buffer) or call back (a cluster engine)
 * while the thread that would unblock it needs the lock.
 *
 * <h2>A job's path</h2>
 * <em>pending</em> ({@link #enqueue}) → <em>out</em> ({@link #place}, or {@link #sendDirect} for a
 * job the pool places itself) → released ({@link #release}: answered, failed or never sent). A job
 * that was out may go back to pending ({@link #requeue}) when its target ended before it could
 * start it. {@link #out(PoolTask)} finds the job of a task that is out, for a cancellation.
 *
 * <h2>Broken</h2>
 * {@link #breakWith} records the pool's error once and hands back the pending jobs for the pool
 * to fail; from then on {@link #checkAccepting} rejects every submission with a copy of that
 * error, which carries the caller's own stack trace.
 *
 * <h2>Threads</h2>
 * Every method runs under the pool's lock, except {@link #broken()}, {@link #out(PoolTask)},
 * {@link #outJobs()} and the static {@link #decode}, which any thread may call.
 *
 * @param <J> the pool's job type
 */
final class RemoteDispatcher<J extends RemoteDispatcher.Job> {

    /** A task on its way to a target: its future, its id on the wire and its serialized form. */
    abstract static class Job {
        final PoolTask<?> task;
        final long id;
        final byte[] payload;
        /**
         * The lane it was last placed on, or null if it never was; written under the pool's lock
         * before the job is published to {@link #out}, read by any thread that found it there.
         */
        volatile Lane<?> lane;
        /** When it was placed; under the pool's lock. */
        long placedNanos;

        Job(PoolTask<?> task, long id, byte[] payload) {
            this.task = task;
            this.id = id;
            this.payload = payload;
        }
    }

    /** A target's place in the dispatch; all of it under the pool's lock. */
    abstract static class Lane<J extends Job> {
        /** The jobs placed on it and not yet released, by id. */
        final Map<Long, J> held = new HashMap<>();

        /** Whether it takes jobs now. */
        abstract boolean open();

        /** How many jobs it may hold at once. */
        abstract int window();

        /** Told of each job placed on it, once {@link #held} holds it. */
        void placed(J job) {
        }
    }

    private final String pool;
    /** Jobs not yet sent, oldest first. */
    private final ArrayDeque<J> pending = new ArrayDeque<>();
    /** The jobs that are out (placed or sent directly) and not released, by task: read by cancelling threads. */
    private final Map<PoolTask<?>, J> out = new ConcurrentHashMap<>();
    /** Where the search for the least loaded lane starts: one past the last lane chosen. */
    private int rotation;
    /** Why the pool is broken, or null; set once under the lock, read by any thread. */
    private volatile BrokenPoolException broken;

    RemoteDispatcher(String pool) {
        this.pool = pool;
    }

    /** Throws if the pool takes no task: a copy of its error if broken, else a rejection if not {@code running}. */
    void checkAccepting(boolean running) {
        BrokenPoolException b = broken;
        if (b instanceof BrokenProcessPoolException p) {
            throw new BrokenProcessPoolException(p.getMessage(), p.getCause(), p.exitCode(), p.stderrTail(),
                    p.worker().orElse(null));
        }
        if (b != null) {
            throw new BrokenPoolException(b.getMessage(), b.getCause());
        }
        if (!running) {
            throw new RejectedExecutionException("pool '" + pool + "' is shut down (closed): it accepts no new tasks");
        }
    }

    /** Queues {@code job} behind the others. */
    void enqueue(J job) {
        pending.add(job);
    }

    /** {@code job}, which the pool places itself and sends at once, is out. */
    void sendDirect(J job) {
        out.put(job.task, job);
    }

    /** The pending jobs: what {@link AbstractPool#advance} drains. */
    Collection<J> pending() {
        return pending;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Whether no job is pending or out. */
    boolean isIdle() {
        return pending.isEmpty() && out.isEmpty();
    }

    /**
     * Takes pending jobs, at most {@code limit}, and places each on the least loaded open lane of
     * {@code lanes} with room; when none has room, calls {@code grow}, which returns true if it
     * added a lane to {@code lanes}. Returns the jobs placed, in order.
     */
    List<J> place(List<? extends Lane<J>> lanes, BooleanSupplier grow, int limit) {
        List<J> placed = List.of();
        while (!pending.isEmpty() && placed.size() < limit) {
            J job = pending.peek();
            if (job.task.isDone()) {                // cancelled while pending
                pending.poll();
                continue;
            }
            Lane<J> lane = leastLoaded(lanes);
            if (lane == null) {
                if (grow.getAsBoolean()) {
                    continue;
                }
                break;                              // every lane is full: wait for an answer
            }
            pending.poll();
            job.lane = lane;
            job.placedNanos = System.nanoTime();
            lane.held.put(job.id, job);
            out.put(job.task, job);
            lane.placed(job);
            if (placed.isEmpty()) {
                placed = new ArrayList<>();
            }
            placed.add(job);
        }
        return placed;
    }

    private Lane<J> leastLoaded(List<? extends Lane<J>> lanes) {
        Lane<J> best = null;
        int n = lanes.size();
        int chosen = -1;
        for (int i = 0; i < n; i++) {
            int at = (rotation + i) % n;
            Lane<J> lane = lanes.get(at);
            int load = lane.held.size();
            if (lane.open() && load < lane.window() && (best == null || load < best.held.size())) {
                best = lane;
                chosen = at;
            }
        }
        if (best != null) {
            rotation = chosen + 1;
        }
        return best;
    }

    /** {@code job} has ended or will never be sent: it leaves its lane. False if it was not out. */
    boolean release(J job) {
        Lane<?> lane = job.lane;
        if (lane != null) {
            lane.held.remove(job.id);
        }
        return out.remove(job.task) != null;
    }

    /** Releases the jobs {@code lane} holds and returns them, oldest first: its target has ended. */
    List<J> releaseAll(Lane<J> lane) {
        List<J> held = new ArrayList<>(lane.held.values());
        held.sort((a, b) -> Long.compare(a.id, b.id));
        held.forEach(this::release);
        return held;
    }

    /** Puts {@code jobs}, which their target never started, back at the head of the queue, in order. */
    void requeue(List<J> jobs) {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            pending.addFirst(jobs.get(i));
        }
    }

    /** The job of {@code task} if it is out, else null. Any thread. */
    J out(PoolTask<?> task) {
        return out.get(task);
    }

    /** The jobs out now, a snapshot. Any thread. */
    List<J> outJobs() {
        return new ArrayList<>(out.values());
    }

    /** Removes the pending job of {@code task}; false if none is pending. */
    boolean removePending(PoolTask<?> task) {
        return pending.removeIf(job -> job.task == task);
    }

    /**
     * Records {@code error} as the pool's, unless it is broken already, and returns the pending
     * jobs, which the pool fails; false-y (empty) if it was broken before.
     */
    List<J> breakWith(BrokenPoolException error) {
        if (broken != null) {
            return List.of();
        }
        broken = error;
        List<J> drained = new ArrayList<>(pending);
        pending.clear();
        return drained;
    }

    /** Why the pool is broken, or null. Any thread. */
    BrokenPoolException broken() {
        return broken;
    }

    // ---- what comes back ----------------------------------------------------------------------

    /** How a pool deserializes what a target sent. */
    interface Decoder {
        Object decode(byte[] payload) throws IOException, ClassNotFoundException;
    }

    /** A result or exception that could not be deserialized: the task fails with {@code exception}. */
    record Undecodable(RemoteTaskException exception) {
    }

    /**
     * What {@code where} (a worker, a member) sent as a task's result, or its exception if
     * {@code failure}: deserialized, its exceptions marked with where they were thrown
     * ({@link #mark}); or, if it cannot be deserialized, an {@link Undecodable} that says why.
     */
    static Object decode(Decoder decoder, byte[] payload, String where, String pool, boolean failure) {
        Object value;
        try {
            value = decoder.decode(payload);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return new Undecodable(new RemoteTaskException(e.getClass().getName(), "what " + where + " of pool '"
                    + pool + "' sent as a task's " + (failure ? "exception" : "result")
                    + " cannot be deserialized here: " + e.getMessage()
                    + (e instanceof ClassNotFoundException ? " is not on this JVM's class path" : ""),
                    e.getStackTrace()));
        }
        if (value instanceof Throwable t) {
            mark(t, where, pool);
        } else if (value instanceof Object[] items) {
            for (Object item : items) {
                if (item instanceof PoolMapping.ItemFailure itemFailure) {
                    mark(itemFailure.exception(), where, pool);
                }
            }
        }
        return value;
    }

    /**
     * Marks an exception that came back from another JVM with where it was thrown: Python's
     * {@code _RemoteTraceback}. One without a cause gets a {@link RemoteTaskException} as its
     * cause, naming {@code where}, with the remote stack trace; one with a cause keeps it (its
     * stack trace is the remote one already).
     */
    static Throwable mark(Throwable t, String where, String pool) {
        if (t.getCause() != null || t instanceof RemoteTaskException) {
            return t;
        }
        try {
            t.initCause(new RemoteTaskException(t.getClass().getName(), "thrown in " + where + " of pool '" + pool + "'",
                    t.getStackTrace()));
        } catch (IllegalStateException e) {
            // its cause was set to null explicitly: leave it
        }
        return t;
    }
}
